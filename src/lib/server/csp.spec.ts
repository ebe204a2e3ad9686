import { describe, expect, it } from 'vitest';
import { allowSupabaseOrigin } from './csp';

describe('allowSupabaseOrigin', () => {
	it('adds the https and wss origins to connect-src and the origin to media and images', () => {
		const policy =
			"default-src 'self'; connect-src 'self'; img-src 'self' data:; script-src 'self' 'nonce-x'";
		const result = allowSupabaseOrigin(policy, 'https://abc.supabase.co/');
		expect(result).toContain("connect-src 'self' https://abc.supabase.co wss://abc.supabase.co");
		expect(result).toContain("img-src 'self' data: https://abc.supabase.co");
		expect(result).toContain("script-src 'self' 'nonce-x'");
		expect(result).not.toMatch(/script-src[^;]*supabase/);
	});

	it('uses ws: for a plain-http local stack', () => {
		const result = allowSupabaseOrigin("connect-src 'self'", 'http://127.0.0.1:54321');
		expect(result).toBe("connect-src 'self' http://127.0.0.1:54321 ws://127.0.0.1:54321");
	});
});
