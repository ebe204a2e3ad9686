import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UPLOAD_ROUTES } from './body-limit';

describe('body limits', () => {
	it('names upload routes that exist (a renamed route would silently lose its large limit)', () => {
		for (const id of UPLOAD_ROUTES) {
			expect(existsSync(`src/routes${id}/+page.server.ts`), id).toBe(true);
		}
	});
});
