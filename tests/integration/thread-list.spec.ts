// The thread list's keyset pagination through the app's own query module,
// against the real PostgREST filter parser of the local stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type TestStack } from './helpers/stack';
import { openSpaceHome, startThread } from '$lib/threads/queries';
import type { ThreadCursor } from '$lib/threads/cursor';
import { PAGE_SIZE } from '$lib/threads/limits';

let stack: TestStack;
beforeAll(async () => {
	stack = await startTestStack();
});
afterAll(async () => {
	await stack?.stop();
});

describe('threadList', () => {
	it('pages through every thread exactly once, pinned first, newest activity first', async () => {
		const me = await signedInUser(stack, 'Pager');
		const spaceId = crypto.randomUUID();
		expect(
			(
				await me.client
					.from('spaces')
					.insert({ id: spaceId, name: 'Paging', objective: 'x', created_by: me.id })
			).error
		).toBeNull();
		const total = PAGE_SIZE * 2 + 5;
		for (let i = 0; i < total; i++) {
			const { error } = await startThread(me.client, {
				spaceId,
				id: crypto.randomUUID(),
				title: `Thread ${i}`,
				body: 'b',
				topic: 'other'
			});
			expect(error).toBeNull();
		}
		const { data: pinnedRow } = await me.client.from('threads').select('id').eq('title', 'Thread 3').single();
		await me.client.from('threads').update({ pinned: true }).eq('id', pinnedRow!.id);

		const seen: string[] = [];
		let after: ThreadCursor | null = null;
		let pages = 0;
		do {
			// The space's home page: its header and a page of threads in one call.
			const page = await openSpaceHome(me.client, spaceId, after);
			expect(page?.space.id).toBe(spaceId);
			seen.push(...page!.threads.map((t) => t.title));
			after = page!.next;
			pages++;
		} while (after && pages < 10);

		expect(pages).toBe(3);
		expect(seen).toHaveLength(total);
		expect(new Set(seen).size).toBe(total);
		expect(seen[0]).toBe('Thread 3');
		expect(seen[1]).toBe(`Thread ${total - 1}`);
		expect(seen.at(-1)).toBe('Thread 0');
	});
});
