import { describe, expect, it } from 'vitest';
import type { User } from '@supabase/supabase-js';
import { cachedUser, forgetUser, rememberUser } from './user-cache';

const user = { id: 'u1' } as User;

describe('user cache', () => {
	it('keeps a confirmed user for 30 s at most, never past the token expiry', () => {
		rememberUser('a', user, undefined, 0);
		expect(cachedUser('a', 29_999)).toBe(user);
		expect(cachedUser('a', 30_000)).toBeNull();
		rememberUser('b', user, 10, 0); // token expires at 10 s
		expect(cachedUser('b', 9_999)).toBe(user);
		expect(cachedUser('b', 10_000)).toBeNull();
	});
	it('forgets a token at once (signing out)', () => {
		rememberUser('c', user, undefined, 0);
		forgetUser('c');
		expect(cachedUser('c', 1)).toBeNull();
	});
});
