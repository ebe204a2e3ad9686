// search_space(): members only, never another space, never removed posts or
// threads (who may search), and what it finds: Vietnamese with or without
// diacritics, Khmer by substring, % and _ as plain characters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, newId } from '../helpers/spaces';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let otherSpaceId: string;
const ids = {
	social: newId(),
	khmer: newId(),
	hotline: newId(),
	removedThread: newId(),
	removedPost: newId()
};

const search = (who: Person, query: string, space = spaceId) =>
	who.client.rpc('search_space', { p_space: space, p_query: query });
const titles = async (who: Person, query: string, space = spaceId) => {
	const { data, error } = await search(who, query, space);
	expect(error).toBeNull();
	return [...new Set((data ?? []).map((r) => r.title))].sort();
};

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
	const start = async (who: Person, id: string, title: string, body: string, space = spaceId) => {
		const { error } = await who.client.rpc('start_thread', {
			p_space: space,
			p_title: title,
			p_body: body,
			p_topic: 'social_protection',
			p_id: id
		});
		expect(error).toBeNull();
	};
	await start(cast.member, ids.social, 'Quyền lợi bảo hiểm xã hội', 'Tôi đóng được 5 năm rồi.');
	await start(cast.leader, ids.khmer, 'គម្រោងថ្មី', 'ការរៀបចំសំណើគម្រោង សម្រាប់ក្លឹបស្ត្រី');
	await start(cast.deputy, ids.hotline, 'Đường dây nóng', 'Gọi 1900 khi bị nợ lương 100%');
	await start(cast.member, ids.removedThread, 'Bảo hiểm thất nghiệp (đã gỡ)', 'Nội dung đã gỡ');
	await cast.member.client
		.from('threads')
		.update({ deleted_at: new Date().toISOString() })
		.eq('id', ids.removedThread);
	const { error } = await cast.facilitator.client.from('posts').insert({
		id: ids.removedPost,
		thread_id: ids.social,
		space_id: spaceId,
		body: 'Bình luận về thai sản đã bị gỡ'
	});
	expect(error).toBeNull();
	await cast.facilitator.client
		.from('posts')
		.update({ deleted_at: new Date().toISOString() })
		.eq('id', ids.removedPost);
	// Another space with the same words, where only the outsider belongs.
	otherSpaceId = await createSpace(cast.outsider, { name: 'Outsider’s CoP' });
	await start(cast.outsider, newId(), 'Quyền lợi bảo hiểm y tế', 'ការរៀបចំសំណើ', otherSpaceId);
});
afterAll(async () => {
	await stack?.stop();
});

describe('search_space()', () => {
	it('finds Vietnamese titles with or without diacritics, in any case', async () => {
		for (const query of ['quyen loi', 'bảo hiểm', 'BAO HIEM XA HOI', 'Quyền Lợi', 'xã hội', 'xa hoi']) {
			expect(await titles(cast.member, query), query).toEqual(['Quyền lợi bảo hiểm xã hội']);
		}
		// đ is a letter of its own: unaccent folds it to d.
		expect(await titles(cast.member, 'duong day nong')).toEqual(['Đường dây nóng']);
		expect(await titles(cast.member, 'đường dây')).toEqual(['Đường dây nóng']);
	});

	it('reports where the match is and gives an excerpt of the opening post', async () => {
		const { data } = await search(cast.member, 'quyen loi');
		expect(data).toEqual([
			expect.objectContaining({
				thread_id: ids.social,
				post_id: null,
				match_in: 'title',
				excerpt: 'Tôi đóng được 5 năm rồi.'
			})
		]);
		const inPost = await search(cast.member, 'dong duoc 5 nam');
		expect(inPost.data).toEqual([expect.objectContaining({ thread_id: ids.social, match_in: 'post' })]);
	});

	it('finds Khmer words inside unbroken Khmer text', async () => {
		for (const who of membersOf(cast)) {
			const { data } = await search(who, 'សំណើ');
			expect(data?.map((r) => [r.thread_id, r.match_in])).toEqual([[ids.khmer, 'post']]);
			expect(data?.[0].excerpt).toContain('ការរៀបចំសំណើគម្រោង');
		}
		expect(await titles(cast.member, 'គម្រោង')).toEqual(['គម្រោងថ្មី']);
		expect(await titles(cast.member, 'សំណួរ')).toEqual([]);
	});

	it('treats % and _ as plain characters, not wildcards', async () => {
		expect(await titles(cast.member, '100%')).toEqual(['Đường dây nóng']);
		expect(await titles(cast.member, '%')).toEqual(['Đường dây nóng']);
		expect(await titles(cast.member, '_')).toEqual([]);
		expect(await titles(cast.member, '5%')).toEqual([]);
	});

	it('leaves out removed threads and removed posts', async () => {
		expect(await titles(cast.member, 'that nghiep')).toEqual([]);
		expect(await titles(cast.member, 'noi dung da go')).toEqual([]);
		expect(await titles(cast.member, 'thai san')).toEqual([]);
	});

	it('never returns another space’s threads, even to someone who belongs to both', async () => {
		expect(await titles(cast.member, 'bao hiem y te')).toEqual([]);
		expect(await titles(cast.outsider, 'bao hiem', otherSpaceId)).toEqual(['Quyền lợi bảo hiểm y tế']);
	});

	it('gives outsiders and removed members nothing, and refuses anon', async () => {
		for (const who of strangersOf(cast)) {
			for (const query of ['quyen loi', 'សំណើ', 'a', '']) {
				const { data, error } = await search(who, query);
				expect(error).toBeNull();
				expect(data).toEqual([]);
			}
		}
		const anon = await cast.anon.client.rpc('search_space', { p_space: spaceId, p_query: 'quyen loi' });
		expect(anon.error).not.toBeNull();
		expect(anon.data ?? []).toEqual([]);
	});

	it('keeps to the limit it is given', async () => {
		const all = await cast.member.client.rpc('search_space', { p_space: spaceId, p_query: '', p_limit: 100 });
		expect((all.data ?? []).length).toBeGreaterThan(2);
		const one = await cast.member.client.rpc('search_space', { p_space: spaceId, p_query: '', p_limit: 1 });
		expect(one.data).toHaveLength(1);
	});
});
