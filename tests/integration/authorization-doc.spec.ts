// supabase/AUTHORIZATION.md is generated from the catalog of the database the
// migrations build; a migration that changes a rule must come with the
// regenerated file.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/stack';
import { AUTHORIZATION_FILE, authorizationDoc } from '../../scripts/generators/authorization';

let stack: TestStack;
beforeAll(async () => {
	stack = await startTestStack();
});
afterAll(async () => {
	await stack?.stop();
});

describe('supabase/AUTHORIZATION.md', () => {
	it('is what the migrations say (otherwise run npm run gen:authorization)', async () => {
		const fresh = await authorizationDoc(stack.sql);
		const committed = readFileSync(AUTHORIZATION_FILE, 'utf8');
		expect(committed, 'supabase/AUTHORIZATION.md is stale: run npm run gen:authorization').toBe(fresh);
	});
});
