// A library's page in one call (issue 24): open_library() runs as the caller,
// so it must give each person exactly what the calls the page used to send give
// them (space_for_member for a space's library, browse_library with the same
// filters, the collections in use, library_rights): every role of a space, for
// the space's library and the shared one, unfiltered and filtered; nothing to
// an outsider and a removed member for the space's library; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { pgArray } from '$lib/library/values';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';

let stack: TestStack;
let cast: Cast;
let spaceId: string;

const addLink = async (who: Person, space: string | null, title: string, collection: string) => {
	const { error } = await who.client.rpc('add_library_resource', {
		p_id: crypto.randomUUID(),
		p_title: title,
		...(space ? { p_space: space } : {}),
		p_url: 'https://ilo.org/hanoi',
		p_topic: 'social_protection',
		p_collection: collection,
		p_languages: pgArray(['vi', 'km']) as never
	});
	expect(error).toBeNull();
};

type Filters = { p_query?: string; p_collection?: string };

/** What the library's load put together from its separate calls before open_library(). */
async function separately(who: Person, space: string | null, filters: Filters) {
	const scope = space ? { p_space: space } : {};
	const collections = who.client.from('library_resources').select('collection').neq('collection', '');
	const { data: rows } = await (
		space ? collections.eq('space_id', space) : collections.is('space_id', null)
	).limit(500);
	const items = await who.client.rpc('browse_library', { ...scope, ...filters, p_limit: 100 } as never);
	return {
		space: space ? (await who.client.rpc('space_for_member', { p_space: space })).data : null,
		items: items.data ?? [],
		collections: (rows ?? []).map((row) => row.collection).sort(),
		rights: (await who.client.rpc('library_rights', { p_space: space as string })).data
	};
}

async function inOneCall(who: Person, space: string | null, filters: Filters) {
	const { data, error } = await who.client.rpc('open_library', {
		...(space ? { p_space: space } : {}),
		...filters,
		p_limit: 100
	} as never);
	expect(error, who.email).toBeNull();
	if (!data) return null;
	const page = data as { collections: string[]; items: { languages: unknown }[] };
	return { ...page, collections: [...page.collections].sort() };
}

/** lite sends a set-returning function's arrays and times in Postgres's text form; JSON built in the database does not. */
const comparable = (page: unknown) =>
	JSON.parse(JSON.stringify(page), (key, value: unknown) => {
		if (key === 'languages' && typeof value === 'string') return value.replace(/^\{|\}$/g, '').split(',');
		if (key.endsWith('_at') && typeof value === 'string') return new Date(value).getTime();
		return value;
	}) as unknown;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Library Page');
	spaceId = await spaceWithCast(cast);
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [cast.facilitator.id]);
	await addLink(cast.member, spaceId, 'Sổ tay bảo hiểm xã hội', 'Sổ tay');
	await addLink(cast.leader, spaceId, 'Mẫu đề xuất dự án', 'Mẫu');
	await addLink(cast.deputy, spaceId, 'Thẻ học về lương', '');
	await addLink(cast.facilitator, null, 'ILO handbook (shared)', 'Handbooks');
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_library', () => {
	it('gives every member what the separate calls give them, in the space and shared libraries, with and without filters', async () => {
		for (const who of membersOf(cast)) {
			for (const space of [spaceId, null]) {
				for (const filters of [{}, { p_query: 'bảo hiểm' }, { p_collection: 'Mẫu' }] as Filters[]) {
					const before = comparable(await separately(who, space, filters));
					expect(comparable(await inOneCall(who, space, filters)), `${who.email} ${space}`).toEqual(before);
				}
			}
		}
	});

	it('is not an empty comparison: items, collections, filters and rights are there', async () => {
		const page = (await inOneCall(cast.member, spaceId, {})) as unknown as {
			space: { id: string };
			items: { title: string }[];
			collections: string[];
			rights: { canAdd: boolean; canCurate: boolean };
		};
		expect(page.space.id).toBe(spaceId);
		expect(page.items.map((item) => item.title).sort()).toEqual([
			'Mẫu đề xuất dự án',
			'Sổ tay bảo hiểm xã hội',
			'Thẻ học về lương'
		]);
		expect(page.collections).toEqual(['Mẫu', 'Sổ tay']);
		expect(page.rights).toEqual(expect.objectContaining({ canAdd: true, canCurate: false }));
		const filtered = (await inOneCall(cast.member, spaceId, { p_collection: 'Mẫu' })) as unknown as {
			items: { title: string }[];
		};
		expect(filtered.items.map((item) => item.title)).toEqual(['Mẫu đề xuất dự án']);
		const shared = (await inOneCall(cast.facilitator, null, {})) as unknown as {
			space: null;
			items: { title: string }[];
			rights: { canCurate: boolean };
		};
		expect(shared.space).toBeNull();
		expect(shared.items.map((item) => item.title)).toContain('ILO handbook (shared)');
		expect(shared.rights.canCurate).toBe(true);
	});

	it("gives an outsider and a removed member nothing of the space's library, and refuses anon", async () => {
		for (const who of strangersOf(cast)) {
			expect(await inOneCall(who, spaceId, {}), who.email).toBeNull();
			expect(await inOneCall(who, spaceId, { p_query: 'bảo hiểm' }), who.email).toBeNull();
		}
		expect((await cast.anon.client.rpc('open_library', { p_space: spaceId })).error).not.toBeNull();
	});
});
