// A library resource's page in one call (issue 24): open_library_resource()
// runs as the caller, so it must give each person exactly what the calls the
// page used to send give them (space_for_member for a space's library, the
// resource with its files and attachments embedded, the names of its creator
// and uploaders, library_rights, the threads it may be attached to and their
// spaces' names): every role of a space, for a resource of the space's library
// and one of the shared library attached to threads in two spaces (one of them
// hidden from most of the cast); nothing of the space's library to an outsider
// and a removed member, no resource from another library; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { objectPath } from '$lib/library/limits';
import { languagesOf } from '$lib/library/values';
import { openLibraryResource } from '$lib/library/queries';
import { membersOf, signUpCast, spaceWithCast, strangersOf, type Cast } from '../helpers/cast';
import { createSpace } from '../helpers/spaces';
import { addFile, upload, type Added } from '../library/helpers';
import { instants } from '../helpers/instants';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let otherSpace: string;
let spaceFile: Added;
let sharedFile: Added;

const startThread = async (who: Person, space: string, title: string) => {
	const { data, error } = await who.client.rpc('start_thread', {
		p_space: space,
		p_title: title,
		p_body: 'Xin chào',
		p_topic: 'labour_law'
	});
	expect(error).toBeNull();
	return data!;
};

const attach = async (who: Person, resourceId: string, threadId: string) => {
	const { error } = await who.client
		.from('library_attachments')
		.insert({ resource_id: resourceId, thread_id: threadId, attached_by: who.id });
	expect(error).toBeNull();
};

type Row = Record<string, unknown> & { created_by: string | null; languages: string[] | string };
type FileRow = Record<string, unknown> & {
	version: number;
	uploaded_by: string | null;
	thumb_path: string | null;
};
type AttachmentRow = {
	id: string;
	thread_id: string | null;
	attached_by: string | null;
	threads: { id: string; title: string; space_id: string } | null;
};

/** What the resource page's load put together from its separate calls before open_library_resource(). */
async function separately(who: Person, space: string | null, resourceId: string) {
	const headerOf = async () =>
		space ? (await who.client.rpc('space_for_member', { p_space: space })).data : null;
	const header = await headerOf();
	if (space && !header) return null; // the space's layout answered 404
	const { data: found } = await who.client
		.from('library_resources')
		.select(
			'id, space_id, title, description, topic, languages, collection, url, featured, retired_at, created_by, created_at, updated_at, ' +
				'library_files (id, version, file_name, mime_type, size_bytes, thumb_path, uploaded_by, created_at), ' +
				'library_attachments (id, thread_id, attached_by, threads (id, title, space_id))'
		)
		.eq('id', resourceId)
		.maybeSingle();
	let detail = null;
	if (found) {
		const { library_files, library_attachments, ...resource } = found as unknown as Row & {
			library_files: FileRow[];
			library_attachments: AttachmentRow[];
		};
		if (resource.space_id === space) {
			const files = [...library_files].sort((a, b) => b.version - a.version);
			const ids = [
				...new Set([resource.created_by, ...files.map((f) => f.uploaded_by)].filter((id) => !!id))
			];
			const { data: people } = await who.client
				.from('profiles')
				.select('id, display_name')
				.in('id', ids as string[]);
			const names = new Map((people ?? []).map((p) => [p.id, p.display_name]));
			detail = {
				resource: { ...resource, languages: languagesOf(resource.languages) },
				files: files.map((f) => ({
					...f,
					has_thumb: !!f.thumb_path,
					uploader: names.get(f.uploaded_by ?? '') ?? ''
				})),
				creator: names.get(resource.created_by ?? '') ?? '',
				attachments: library_attachments
					.flatMap((a) =>
						a.thread_id && a.threads ? [{ id: a.id, attachedBy: a.attached_by, thread: a.threads }] : []
					)
					.sort((a, b) => a.id.localeCompare(b.id))
			};
		}
	}
	const rights = (
		await who.client.rpc('library_rights', { p_space: space as string, p_resource: resourceId })
	).data as { canAdd: boolean; canCurate: boolean; canEdit: boolean };
	let query = who.client
		.from('threads')
		.select('id, title, space_id')
		.is('deleted_at', null)
		.order('last_activity_at', { ascending: false })
		.order('id')
		.limit(40);
	if (space) query = query.eq('space_id', space);
	const { data: threads } = await query;
	const spaceIds = [...new Set((threads ?? []).map((t) => t.space_id))];
	const spaces = spaceIds.length
		? ((await who.client.from('spaces').select('id, name').in('id', spaceIds)).data ?? [])
		: [];
	return {
		space: header,
		detail,
		rights,
		threads: (threads ?? []).map((t) => ({
			...t,
			spaceName: spaces.find((s) => s.id === t.space_id)?.name ?? ''
		}))
	};
}

/** The page's call as the app makes it; attachments in a fixed order (the REST embedding has none). */
async function inOneCall(who: Person, space: string | null, resourceId: string) {
	const page = await openLibraryResource(who.client, space, resourceId);
	if (page?.detail) page.detail.attachments.sort((a, b) => a.id.localeCompare(b.id));
	return page;
}

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack, ' Resource Page');
	spaceId = await spaceWithCast(cast);
	otherSpace = await createSpace(cast.leader, { name: 'CLB Phụ nữ Bình Dương' });
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [cast.facilitator.id]);
	spaceFile = await addFile(cast.member, spaceId, 'Sổ tay bảo hiểm xã hội');
	// A second version by a moderator: two uploaders' names.
	const fileId = crypto.randomUUID();
	await upload(
		cast.deputy,
		objectPath(spaceId, spaceFile.resourceId, fileId),
		Buffer.from(`%PDF-1.4 v2-${fileId}`)
	);
	const version = await cast.deputy.client.rpc('add_library_version', {
		p_resource: spaceFile.resourceId,
		p_file_id: fileId,
		p_file_name: 'so-tay-v2.pdf'
	});
	expect(version.data).toBe(2);
	sharedFile = await addFile(cast.facilitator, null, 'ILO handbook (shared)');
	const here = await startThread(cast.member, spaceId, 'Bảo hiểm cho công nhân');
	await startThread(cast.facilitator, spaceId, 'Kế hoạch tháng 12');
	const elsewhere = await startThread(cast.leader, otherSpace, 'Only the leader sees this');
	await attach(cast.member, spaceFile.resourceId, here);
	await attach(cast.member, sharedFile.resourceId, here);
	await attach(cast.leader, sharedFile.resourceId, elsewhere);
}, 120_000);
afterAll(async () => {
	await stack?.stop();
});

describe('open_library_resource', () => {
	it('gives every member what the separate calls give them, for a resource of the space and a shared one', async () => {
		for (const who of [...membersOf(cast), ...strangersOf(cast)]) {
			for (const [space, resource] of [
				[spaceId, spaceFile.resourceId],
				[null, sharedFile.resourceId],
				// another library's resource: no resource, the rest as before
				[spaceId, sharedFile.resourceId],
				[null, spaceFile.resourceId]
			] as const) {
				const before = instants(await separately(who, space, resource));
				expect(instants(await inOneCall(who, space, resource)), `${who.email} ${space} ${resource}`).toEqual(
					before
				);
			}
		}
	});

	it('is not an empty comparison: versions, names, attachments, rights and threads are there', async () => {
		const page = (await inOneCall(cast.member, spaceId, spaceFile.resourceId))!;
		expect(page.space?.id).toBe(spaceId);
		expect(page.detail?.files.map((f) => [f.version, f.uploader])).toEqual([
			[2, 'De Deputy Resource Page'],
			[1, 'Me Member Resource Page']
		]);
		expect(page.detail?.creator).toBe('Me Member Resource Page');
		expect(page.detail?.attachments.map((a) => a.thread.title)).toEqual(['Bảo hiểm cho công nhân']);
		expect(page.rights).toEqual({ canAdd: true, canCurate: false, canEdit: true });
		expect(page.threads.map((t) => t.title).sort()).toEqual(['Bảo hiểm cho công nhân', 'Kế hoạch tháng 12']);
		expect(page.threads[0].spaceName).not.toBe('');
		// The shared resource is attached in two spaces: the leader sees both threads, the member one.
		const asLeader = (await inOneCall(cast.leader, null, sharedFile.resourceId))!;
		expect(asLeader.detail?.attachments.map((a) => a.thread.title).sort()).toEqual([
			'Bảo hiểm cho công nhân',
			'Only the leader sees this'
		]);
		expect(asLeader.threads.map((t) => t.spaceName)).toContain('CLB Phụ nữ Bình Dương');
		const asMember = (await inOneCall(cast.member, null, sharedFile.resourceId))!;
		expect(asMember.detail?.attachments.map((a) => a.thread.title)).toEqual(['Bảo hiểm cho công nhân']);
		expect(asMember.threads.map((t) => t.title)).not.toContain('Only the leader sees this');
		// Another library's resource is not shown in this one.
		expect((await inOneCall(cast.member, spaceId, sharedFile.resourceId))?.detail).toBeNull();
	});

	it("gives an outsider and a removed member nothing of the space's library, and refuses anon", async () => {
		for (const who of strangersOf(cast)) {
			expect(await inOneCall(who, spaceId, spaceFile.resourceId), who.email).toBeNull();
			// The shared library is the network's: people in no space do not read it.
			expect((await inOneCall(who, null, sharedFile.resourceId))?.detail, who.email).toBeNull();
		}
		const anon = await cast.anon.client.rpc('open_library_resource', {
			p_space: spaceId,
			p_resource: spaceFile.resourceId
		});
		expect(anon.error).not.toBeNull();
	});
});
