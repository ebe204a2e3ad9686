// The one-call-per-page RPCs of issue 14 (thread_page, open_thread, thread_list,
// space_for_member, thread_attachments, my_display_name, library_rights): they
// run as the caller (security invoker), so every table they read applies its
// read policy. Here every role of a space, an outsider, a removed member and
// anon get exactly what the policies give them: the members everything, the
// others nothing (null or an empty list), anon a refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack';
import { newId } from '../helpers/spaces';
import { pgArray } from '$lib/library/values';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let threadId: string;
let resourceId: string;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Pages');
	spaceId = await spaceWithCast(cast);
	threadId = newId();
	const started = await cast.member.client.rpc('start_thread', {
		p_space: spaceId,
		p_title: 'Lịch họp',
		p_body: 'Mở đầu',
		p_topic: 'other',
		p_id: threadId
	});
	expect(started.error).toBeNull();
	const replied = await cast.leader.client
		.from('posts')
		.insert({ id: newId(), thread_id: threadId, space_id: spaceId, body: 'Trả lời' });
	expect(replied.error).toBeNull();
	resourceId = newId();
	const added = await cast.member.client.rpc('add_library_resource', {
		p_id: resourceId,
		p_space: spaceId,
		p_title: 'Sổ tay',
		p_description: '',
		p_topic: 'other',
		p_languages: pgArray(['vi']) as never,
		p_collection: '',
		p_url: 'https://example.org/so-tay'
	});
	expect(added.error).toBeNull();
	const attached = await cast.member.client
		.from('library_attachments')
		.insert({ resource_id: resourceId, thread_id: threadId });
	expect(attached.error).toBeNull();
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('thread_page', () => {
	it('gives members the thread, its posts with names and the members', async () => {
		for (const who of membersOf(cast)) {
			const { data, error } = await who.client.rpc('thread_page', { p_thread: threadId });
			expect(error).toBeNull();
			const page = data as { thread: { id: string }; posts: { author: string }[]; members: unknown[] };
			expect(page.thread.id).toBe(threadId);
			expect(page.posts.map((post) => post.author)).toEqual(['Me Member Pages', 'Le Leader Pages']);
			expect(page.members).toHaveLength(4);
		}
	});
	it('gives an outsider and a removed member nothing, and refuses anon', async () => {
		for (const who of strangersOf(cast)) {
			const { data, error } = await who.client.rpc('thread_page', { p_thread: threadId });
			expect(error).toBeNull();
			expect(data).toBeNull();
		}
		expect((await cast.anon.client.rpc('thread_page', { p_thread: threadId })).error).not.toBeNull();
	});
});

describe('open_thread', () => {
	const marker = async (userId: string) =>
		(
			await stack.sql<{ at: string }>(
				'select last_read_at::text as at from public.thread_reads where thread_id = $1 and user_id = $2',
				[threadId, userId]
			)
		)[0]?.at ?? null;

	it('gives members thread_page() with the attachments, and moves their read marker only when asked', async () => {
		for (const who of membersOf(cast)) {
			const before = await marker(who.id);
			const kept = await who.client.rpc('open_thread', { p_thread: threadId, p_mark_read: false });
			expect(kept.error).toBeNull();
			expect(await marker(who.id)).toBe(before);
			const { data, error } = await who.client.rpc('open_thread', { p_thread: threadId });
			expect(error).toBeNull();
			const page = data as {
				thread: { id: string };
				posts: unknown[];
				attachments: { resource: { id: string } }[];
			};
			expect(page.thread.id).toBe(threadId);
			expect(page.posts).toHaveLength(2);
			expect(page.attachments.map((a) => a.resource.id)).toEqual([resourceId]);
			const after = await marker(who.id);
			expect(after).not.toBeNull();
			expect(after).not.toBe(before);
		}
	});
	it('gives an outsider and a removed member nothing and no read marker, and refuses anon', async () => {
		for (const who of strangersOf(cast)) {
			const before = await marker(who.id);
			const { data, error } = await who.client.rpc('open_thread', { p_thread: threadId });
			expect(error).toBeNull();
			expect(data).toBeNull();
			expect(await marker(who.id)).toBe(before);
		}
		expect((await cast.anon.client.rpc('open_thread', { p_thread: threadId })).error).not.toBeNull();
	});
});

describe('thread_list and space_for_member', () => {
	it('list the space for members, with my role', async () => {
		for (const who of membersOf(cast)) {
			const list = await who.client.rpc('thread_list', { p_space: spaceId });
			expect((list.data as { id: string }[]).map((t) => t.id)).toEqual([threadId]);
			const space = await who.client.rpc('space_for_member', { p_space: spaceId });
			expect((space.data as { id: string; myRole: string }).id).toBe(spaceId);
		}
		const mine = await cast.deputy.client.rpc('space_for_member', { p_space: spaceId });
		expect((mine.data as { myRole: string }).myRole).toBe('deputy');
	});
	it('give strangers nothing and refuse anon', async () => {
		for (const who of strangersOf(cast)) {
			expect((await who.client.rpc('thread_list', { p_space: spaceId })).data).toEqual([]);
			expect((await who.client.rpc('space_for_member', { p_space: spaceId })).data).toBeNull();
		}
		expect((await cast.anon.client.rpc('thread_list', { p_space: spaceId })).error).not.toBeNull();
		expect((await cast.anon.client.rpc('space_for_member', { p_space: spaceId })).error).not.toBeNull();
	});
});

describe('thread_attachments and library_rights', () => {
	it('show members what is attached, strangers nothing', async () => {
		for (const who of membersOf(cast)) {
			const { data } = await who.client.rpc('thread_attachments', { p_thread: threadId });
			expect((data as { resource: { id: string } }[]).map((a) => a.resource.id)).toEqual([resourceId]);
		}
		for (const who of strangersOf(cast)) {
			expect((await who.client.rpc('thread_attachments', { p_thread: threadId })).data).toEqual([]);
		}
		expect((await cast.anon.client.rpc('thread_attachments', { p_thread: threadId })).error).not.toBeNull();
	});
	it('say what each may do as the helpers do', async () => {
		const rights = async (who: Cast['member']) =>
			(await who.client.rpc('library_rights', { p_space: spaceId, p_resource: resourceId })).data;
		expect(await rights(cast.member)).toEqual({ canAdd: true, canCurate: false, canEdit: true });
		expect(await rights(cast.leader)).toEqual({ canAdd: true, canCurate: true, canEdit: true });
		expect(await rights(cast.outsider)).toEqual({ canAdd: false, canCurate: false, canEdit: false });
		expect(await rights(cast.removed)).toEqual({ canAdd: false, canCurate: false, canEdit: false });
		expect(
			(await cast.anon.client.rpc('library_rights', { p_space: spaceId, p_resource: resourceId })).error
		).not.toBeNull();
	});
});

describe('my_display_name', () => {
	it('is my own name, and refused to anon', async () => {
		expect((await cast.outsider.client.rpc('my_display_name')).data).toBe('Ou Outsider Pages');
		expect((await cast.anon.client.rpc('my_display_name')).error).not.toBeNull();
	});
});
