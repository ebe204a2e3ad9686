// A facilitator's export of their own space, for its records and for leaving
// the platform: threads, posts, dialogues (agenda, guests' badges, actions and
// their progress) and library metadata, as JSON files in a zip. Read with the
// facilitator's own session, so the policies decide what is in it, exactly as
// on the pages. Posts are as they are (removed ones without their text); an
// anonymous post stays anonymous: who wrote it (dialogue_hidden_authors) is
// never read here. Files themselves are not included, only what they are.
import { strToU8, zipSync } from 'fflate';
import { m } from '$lib/paraglide/messages';
import type { Client } from '$lib/supabase/types';
import { displayNames } from '$lib/supabase/types';

const PAGE = 1000;

/** Every row of a query, a page at a time (PostgREST answers at most a page per request). */
async function all<T>(
	page: (from: number, to: number) => PromiseLike<{ data: T[] | null; error: { message: string } | null }>
): Promise<T[]> {
	const rows: T[] = [];
	for (let from = 0; ; from += PAGE) {
		const { data, error } = await page(from, from + PAGE - 1);
		if (error) throw new Error(error.message);
		rows.push(...(data ?? []));
		if (!data || data.length < PAGE) return rows;
	}
}

const chunks = <T>(items: T[], size: number) =>
	Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function spaceExport(supabase: Client, spaceId: string): Promise<Uint8Array> {
	const [{ data: space }, threads, posts, dialogues, actions, resources] = await Promise.all([
		supabase
			.from('spaces')
			.select('id, kind, name, objective, description, primary_language, created_at')
			.eq('id', spaceId)
			.single(),
		all((from, to) =>
			supabase
				.from('threads')
				.select(
					'id, title, topic, is_dialogue, pinned, locked, author_id, created_at, last_activity_at, deleted_at'
				)
				.eq('space_id', spaceId)
				.order('created_at')
				.order('id')
				.range(from, to)
		),
		all((from, to) =>
			supabase
				.from('posts')
				.select(
					'id, thread_id, author_id, anonymous, is_opening, body, outcome, created_at, edited_at, deleted_at'
				)
				.eq('space_id', spaceId)
				.order('created_at')
				.order('id')
				.range(from, to)
		),
		all((from, to) =>
			supabase
				.from('dialogues')
				.select(
					'id, purpose, meeting_at, venue, language, status, created_at, dialogue_agenda_items(position, text), dialogue_guests(user_id, stakeholder_type, organisation, position, joined_at, removed_at)'
				)
				.eq('space_id', spaceId)
				.order('created_at')
				.range(from, to)
		),
		all((from, to) =>
			supabase
				.from('dialogue_actions')
				.select(
					'id, dialogue_id, source_post_id, description, owner_kind, owner_user_id, owner_organisation, supporting, due_on, status, dropped_reason, created_at, done_at, action_updates(body, status, file_name, mime_type, size_bytes, created_by, created_at)'
				)
				.eq('space_id', spaceId)
				.order('created_at')
				.range(from, to)
		),
		all((from, to) =>
			supabase
				.from('library_resources')
				.select(
					'id, title, description, topic, languages, collection, url, featured, retired_at, created_by, created_at, library_files(version, file_name, mime_type, size_bytes, created_at)'
				)
				.eq('space_id', spaceId)
				.order('created_at')
				.range(from, to)
		)
	]);
	if (!space) throw new Error('not_allowed');

	const people = [
		...threads.map((t) => t.author_id),
		...posts.map((p) => p.author_id),
		...dialogues.flatMap((d) => d.dialogue_guests.map((g) => g.user_id)),
		...actions.flatMap((a) => [a.owner_user_id, ...a.action_updates.map((u) => u.created_by)]),
		...resources.map((r) => r.created_by)
	];
	const names = new Map<string, string>();
	for (const ids of chunks([...new Set(people.filter((id): id is string => !!id))], 200))
		for (const [id, name] of await displayNames(supabase, ids)) names.set(id, name);
	const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);

	const json = (value: unknown) => strToU8(JSON.stringify(value, null, 2));
	const files: Record<string, Uint8Array> = {
		'README.txt': strToU8(m.programme_export_readme({ space: space.name, date: new Date().toISOString() })),
		'space.json': json(space),
		'threads.json': json(threads.map((t) => ({ ...t, author: name(t.author_id) }))),
		'posts.json': json(
			posts.map((p) => ({
				...p,
				// Removed posts keep their place, not their words (as on the thread page).
				body: p.deleted_at ? '' : p.body,
				author: p.anonymous ? null : name(p.author_id)
			}))
		),
		'dialogues.json': json(
			dialogues.map((d) => ({
				...d,
				dialogue_agenda_items: [...d.dialogue_agenda_items].sort((a, b) => a.position - b.position),
				dialogue_guests: d.dialogue_guests.map((g) => ({ ...g, name: name(g.user_id) }))
			}))
		),
		'actions.json': json(
			actions.map((a) => ({
				...a,
				owner_name: name(a.owner_user_id),
				action_updates: a.action_updates.map((u) => ({ ...u, author: name(u.created_by) }))
			}))
		),
		'library.json': json(resources.map((r) => ({ ...r, added_by: name(r.created_by) }))),
		// Meetings do not exist in Sahakum yet; the file is here so the export's shape stays the same.
		'meetings.json': json([])
	};
	return zipSync(files, { level: 6 });
}
