// Library rows through REST and RPC (files in Storage: ../library/storage.spec.ts): library_resources, library_files
// (versions), library_attachments, library_curators, add_library_resource(),
// add_library_version() and browse_library(), tried by anon, an outsider, a
// member, a leader, a deputy, a facilitator (and curator) and a removed member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { refusalKind } from '$lib/supabase/errors';
import { objectPath } from '$lib/library/limits';
import { languagesOf, pgArray } from '$lib/library/values';
import { PDF, addFile, objectCount, storage, upload, wav, type Added } from '../library/helpers';

let stack: TestStack;
let cast: Cast;
let other: Person;
let spaceId: string;
let otherSpaceId: string;
let threadId: string;
let byMember: Added, byLeader: Added, byRemoved: Added, shared: Added;

const count = async (sql: string, params: unknown[] = []) =>
	(await stack.sql<{ n: number }>(`select count(*)::int as n from (${sql}) as c`, params))[0].n;
const resourcesIn = (space: string) =>
	count('select 1 from public.library_resources where space_id = $1', [space]);
const addLink = (who: Person, space: string | null, title: string, url = 'https://ilo.org/hanoi') =>
	who.client.rpc('add_library_resource', {
		p_id: crypto.randomUUID(),
		p_title: title,
		...(space ? { p_space: space } : {}),
		p_url: url,
		p_topic: 'social_protection',
		p_languages: pgArray(['en']) as never
	});
const browse = (who: Person, args: Record<string, unknown> = {}) =>
	who.client.rpc('browse_library', { p_space: spaceId, ...args } as never);

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	other = await signedInUser(stack, 'Ot Other space');
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [cast.facilitator.id]);
	spaceId = await spaceWithCast(cast, async (id) => {
		byRemoved = await addFile(cast.removed, id, 'Ghi chép của người đã rời nhóm');
	});
	otherSpaceId = await createSpace(other, { name: 'Other CoP' });
	byMember = await addFile(cast.member, spaceId, 'Sổ tay Luật Lao động', {
		description: 'Quyền lợi của công nhân khi làm thêm giờ.'
	});
	byLeader = await addFile(cast.leader, spaceId, 'សៀវភៅណែនាំអំពីសិទ្ធិការងារ');
	shared = await addFile(cast.facilitator, null, 'Cẩm nang sinh hoạt câu lạc bộ');
	const started = await cast.member.client.rpc('start_thread', {
		p_space: spaceId,
		p_title: 'Tài liệu cho buổi họp',
		p_body: 'Ai có sổ tay không?',
		p_topic: 'labour_law'
	});
	threadId = started.data!;
});
afterAll(async () => {
	await stack?.stop();
});

describe('adding resources', () => {
	it('size and type of a version come from what Storage stored, not from the form', async () => {
		const [file] = await stack.sql<{
			size_bytes: number;
			mime_type: string;
			version: number;
			object_path: string;
		}>(
			'select size_bytes::int as size_bytes, mime_type, version, object_path from public.library_files where id = $1',
			[byMember.fileId]
		);
		expect(file).toEqual({
			size_bytes: PDF.length,
			mime_type: 'application/pdf',
			version: 1,
			object_path: byMember.path
		});
	});

	it('members add links; the same call replayed stores one resource', async () => {
		const id = crypto.randomUUID();
		const args = {
			p_id: id,
			p_title: 'Luật BHXH 2024',
			p_space: spaceId,
			p_url: 'https://vbpl.vn/bhxh',
			p_languages: pgArray(['vi']) as never
		};
		expect((await cast.member.client.rpc('add_library_resource', args)).data).toBe(id);
		expect((await cast.member.client.rpc('add_library_resource', args)).data).toBe(id);
		expect(await count('select 1 from public.library_resources where id = $1', [id])).toBe(1);
		// Someone else cannot take over that id.
		expect((await cast.leader.client.rpc('add_library_resource', args)).error?.message).toContain(
			'not_allowed'
		);
	});

	it('empty or long titles, bad links and "neither file nor link" are refused and nothing is stored', async () => {
		const before = await resourcesIn(spaceId);
		for (const title of ['', '   ', 'x'.repeat(201)]) {
			expect(refusalKind((await addLink(cast.member, spaceId, title)).error), JSON.stringify(title)).toBe(
				'check'
			);
		}
		expect(refusalKind((await addLink(cast.member, spaceId, 'ok', 'javascript:alert(1)')).error)).toBe(
			'check'
		);
		const neither = await cast.member.client.rpc('add_library_resource', {
			p_id: crypto.randomUUID(),
			p_title: 'Nothing attached',
			p_space: spaceId
		});
		expect(neither.error?.message).toContain('file_or_link');
		// A file uploaded, then an empty title: the row is refused (the app then removes the upload).
		const resource = crypto.randomUUID();
		const fileId = crypto.randomUUID();
		expect((await upload(cast.member, objectPath(spaceId, resource, fileId))).error).toBeNull();
		const emptyTitle = await cast.member.client.rpc('add_library_resource', {
			p_id: resource,
			p_title: '',
			p_space: spaceId,
			p_file_id: fileId,
			p_file_name: 'a.pdf'
		});
		expect(refusalKind(emptyTitle.error)).toBe('check');
		expect(await resourcesIn(spaceId)).toBe(before);
		expect(await count('select 1 from public.library_files where resource_id = $1', [resource])).toBe(0);
	});

	it('outsiders, removed members and anon cannot add; members cannot add to the shared library', async () => {
		const before = await count('select 1 from public.library_resources');
		for (const who of [cast.outsider, cast.removed]) {
			expect((await addLink(who, spaceId, 'Intruder')).error?.message).toContain('not_allowed');
		}
		const anon = await cast.anon.client.rpc('add_library_resource', {
			p_id: crypto.randomUUID(),
			p_title: 'Anon',
			p_space: spaceId,
			p_url: 'https://example.org'
		});
		expect(anon.error).not.toBeNull();
		for (const who of [cast.member, cast.leader, other]) {
			expect((await addLink(who, null, 'Not a curator')).error?.message).toContain('not_allowed');
		}
		expect(await count('select 1 from public.library_resources')).toBe(before);
		expect((await addLink(cast.facilitator, null, 'ILO: social protection in Viet Nam')).error).toBeNull();
	});

	it('a file is registered only by the person who uploaded it, at its own resource’s path', async () => {
		const resource = crypto.randomUUID();
		const fileId = crypto.randomUUID();
		expect((await upload(cast.member, objectPath(spaceId, resource, fileId))).error).toBeNull();
		const stolen = await cast.leader.client.rpc('add_library_resource', {
			p_id: resource,
			p_title: 'Not mine',
			p_space: spaceId,
			p_file_id: fileId,
			p_file_name: 'x.pdf'
		});
		expect(stolen.error?.message).toContain('file_missing');
		const missing = await cast.member.client.rpc('add_library_resource', {
			p_id: crypto.randomUUID(),
			p_title: 'No upload',
			p_space: spaceId,
			p_file_id: crypto.randomUUID(),
			p_file_name: 'x.pdf'
		});
		expect(missing.error?.message).toContain('file_missing');
	});

	it('nobody writes library_resources or library_files directly', async () => {
		for (const who of [cast.member, cast.facilitator]) {
			const direct = await who.client
				.from('library_resources')
				.insert({ space_id: spaceId, title: 'Direct', url: 'https://example.org' });
			expect(direct.error).not.toBeNull();
			const version = await who.client.from('library_files').insert({
				id: crypto.randomUUID(),
				resource_id: byMember.resourceId,
				version: 9,
				object_path: 'forged',
				file_name: 'f.pdf',
				mime_type: 'application/pdf',
				size_bytes: 1
			});
			expect(version.error).not.toBeNull();
			const { data } = await who.client
				.from('library_files')
				.update({ size_bytes: 1 })
				.eq('id', byMember.fileId)
				.select();
			expect(data ?? []).toEqual([]);
		}
		expect(await count('select 1 from public.library_files where size_bytes = 1')).toBe(0);
	});
});

describe('reading and finding', () => {
	it('members read the space’s resources and versions; outsiders, removed members and anon read none', async () => {
		for (const who of [cast.member, cast.leader, cast.deputy, cast.facilitator]) {
			const { data } = await who.client.from('library_resources').select('id').eq('space_id', spaceId);
			expect((data ?? []).length).toBeGreaterThanOrEqual(3);
			const files = await who.client
				.from('library_files')
				.select('id')
				.eq('resource_id', byRemoved.resourceId);
			expect(files.data).toHaveLength(1);
		}
		for (const who of [cast.outsider, cast.removed, other]) {
			expect((await who.client.from('library_resources').select('id').eq('space_id', spaceId)).data).toEqual(
				[]
			);
			expect(
				(await who.client.from('library_files').select('id').eq('resource_id', byMember.resourceId)).data
			).toEqual([]);
			expect((await browse(who)).data ?? []).toEqual([]);
		}
		const anon = cast.anon.client;
		expect((await anon.from('library_resources').select('id')).data ?? []).toEqual([]);
		expect((await anon.rpc('browse_library', { p_space: spaceId })).error).not.toBeNull();
	});

	it('search ignores Vietnamese diacritics and finds Khmer substrings, in titles and descriptions', async () => {
		const titles = async (query: string) =>
			((await browse(cast.member, { p_query: query })).data ?? []).map((r: { title: string }) => r.title);
		expect(await titles('so tay luat')).toEqual(['Sổ tay Luật Lao động']);
		expect(await titles('SỔ TAY')).toEqual(['Sổ tay Luật Lao động']);
		expect(await titles('lam them gio')).toEqual(['Sổ tay Luật Lao động']);
		expect(await titles('ណែនាំ')).toEqual(['សៀវភៅណែនាំអំពីសិទ្ធិការងារ']);
		expect(await titles('100%_')).toEqual([]);
	});

	it('filters by topic, language and type, and reports sizes before download', async () => {
		const audio = await addFile(cast.member, spaceId, 'Giải thích bằng giọng nói', {
			body: wav(),
			contentType: 'audio/wav'
		});
		const { data } = await browse(cast.member, { p_kind: 'audio' });
		expect(data?.map((r) => r.id)).toEqual([audio.resourceId]);
		expect(data?.[0].size_bytes).toBe(wav().length);
		expect(data?.[0].mime_type).toBe('audio/wav');
		const links = (await browse(cast.member, { p_kind: 'link' })).data ?? [];
		expect(links.every((r) => r.kind === 'link' && r.file_id === null)).toBe(true);
		const vietnamese = (await browse(cast.member, { p_language: 'vi' })).data ?? [];
		expect(vietnamese.length).toBeGreaterThan(0);
		expect(vietnamese.every((r) => languagesOf(r.languages).includes('vi'))).toBe(true);
		expect((await browse(cast.member, { p_language: 'km', p_topic: 'health' })).data).toEqual([]);
	});

	it('the shared library is browsed by people in any space, not by people in none', async () => {
		const sharedTitles = async (who: Person) =>
			((await who.client.rpc('browse_library', {})).data ?? []).map((r: { id: string }) => r.id);
		for (const who of [cast.member, other, cast.facilitator]) {
			expect(await sharedTitles(who)).toContain(shared.resourceId);
		}
		for (const who of [cast.outsider, cast.removed]) {
			expect(await sharedTitles(who)).toEqual([]);
			expect((await who.client.from('library_resources').select('id').is('space_id', null)).data).toEqual([]);
		}
	});
});

describe('versions', () => {
	const newVersion = async (who: Person, file: Added, space: string | null = spaceId) => {
		const fileId = crypto.randomUUID();
		await upload(who, objectPath(space, file.resourceId, fileId), Buffer.from(`%PDF-1.4 v-${fileId}`));
		return who.client.rpc('add_library_version', {
			p_resource: file.resourceId,
			p_file_id: fileId,
			p_file_name: 'so-tay-v2.pdf'
		});
	};

	it('the author and moderators add versions; earlier versions stay readable', async () => {
		expect((await newVersion(cast.member, byMember)).data).toBe(2);
		expect((await newVersion(cast.leader, byMember)).data).toBe(3);
		const { data } = await cast.deputy.client
			.from('library_files')
			.select('version, object_path')
			.eq('resource_id', byMember.resourceId)
			.order('version');
		expect(data?.map((f) => f.version)).toEqual([1, 2, 3]);
		expect((await storage(cast.deputy).download(byMember.path)).error).toBeNull();
	});

	it('other members, outsiders and removed members cannot add versions', async () => {
		const before = await count('select 1 from public.library_files where resource_id = $1', [
			byLeader.resourceId
		]);
		expect((await newVersion(cast.member, byLeader)).error?.message).toMatch(/not_allowed/);
		expect((await newVersion(cast.removed, byRemoved)).error?.message).toMatch(/not_allowed/);
		expect((await newVersion(cast.outsider, byMember)).error?.message).toMatch(/not_allowed/);
		expect(
			await count('select 1 from public.library_files where resource_id = $1', [byLeader.resourceId])
		).toBe(before);
	});

	it('replaying a version registers it once', async () => {
		const fileId = crypto.randomUUID();
		await upload(cast.member, objectPath(spaceId, byMember.resourceId, fileId));
		const args = { p_resource: byMember.resourceId, p_file_id: fileId, p_file_name: 'again.pdf' };
		const first = await cast.member.client.rpc('add_library_version', args);
		const again = await cast.member.client.rpc('add_library_version', args);
		expect(again.data).toBe(first.data);
		expect(await count('select 1 from public.library_files where id = $1', [fileId])).toBe(1);
	});
});

describe('organising', () => {
	it('authors and moderators edit the text; other members, outsiders and removed members cannot', async () => {
		const edit = (who: Person, id: string, title: string) =>
			who.client.from('library_resources').update({ title }).eq('id', id).select('title');
		expect((await edit(cast.member, byMember.resourceId, 'Sổ tay Luật Lao động 2019')).data).toEqual([
			{ title: 'Sổ tay Luật Lao động 2019' }
		]);
		expect((await edit(cast.deputy, byMember.resourceId, 'Sổ tay Luật Lao động')).data).toHaveLength(1);
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			expect((await edit(who, byLeader.resourceId, 'Hacked')).data ?? []).toEqual([]);
		}
		expect((await edit(cast.removed, byRemoved.resourceId, 'Still mine?')).data ?? []).toEqual([]);
		expect(
			await count(`select 1 from public.library_resources where title in ('Hacked', 'Still mine?')`)
		).toBe(0);
	});

	it('only moderators feature and retire; retired items leave the default list', async () => {
		const feature = (who: Person) =>
			who.client
				.from('library_resources')
				.update({ featured: true })
				.eq('id', byMember.resourceId)
				.select('featured');
		expect((await feature(cast.member)).error?.message).toContain('not_allowed');
		expect((await feature(cast.leader)).data).toEqual([{ featured: true }]);
		const retire = (who: Person) =>
			who.client
				.from('library_resources')
				.update({ retired_at: new Date(0).toISOString() })
				.eq('id', byLeader.resourceId)
				.select('retired_at');
		expect((await retire(cast.member)).data ?? []).toEqual([]);
		const retired = await retire(cast.deputy);
		// The database stamps the time itself.
		expect(new Date(retired.data![0].retired_at!).getFullYear()).toBeGreaterThan(2000);
		const ids = async (args: Record<string, unknown>) =>
			((await browse(cast.member, args)).data ?? []).map((r) => r.id);
		expect(await ids({})).not.toContain(byLeader.resourceId);
		expect(await ids({ p_include_retired: true })).toContain(byLeader.resourceId);
		expect((await ids({}))[0]).toBe(byMember.resourceId); // featured first
	});

	it('nobody moves a resource to another library', async () => {
		for (const who of [cast.facilitator, cast.member]) {
			const moved = await who.client
				.from('library_resources')
				.update({ space_id: otherSpaceId })
				.eq('id', byMember.resourceId)
				.select('id');
			expect(moved.error !== null || (moved.data ?? []).length === 0).toBe(true);
		}
		expect(
			await count('select 1 from public.library_resources where id = $1 and space_id = $2', [
				byMember.resourceId,
				spaceId
			])
		).toBe(1);
	});

	it('moderators delete resources (versions go with them, then the files); others cannot', async () => {
		const victim = await addFile(cast.member, spaceId, 'Phiếu đánh giá');
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			const { data } = await who.client
				.from('library_resources')
				.delete()
				.eq('id', victim.resourceId)
				.select('id');
			expect(data ?? []).toEqual([]);
		}
		const gone = await cast.leader.client
			.from('library_resources')
			.delete()
			.eq('id', victim.resourceId)
			.select('id');
		expect(gone.data).toHaveLength(1);
		expect(
			await count('select 1 from public.library_files where resource_id = $1', [victim.resourceId])
		).toBe(0);
		// The file is now unregistered: its uploader and the moderators still see it, until one removes it.
		expect((await storage(cast.member).download(victim.path)).error).toBeNull();
		expect((await storage(cast.outsider).download(victim.path)).data).toBeNull();
		expect((await storage(cast.leader).remove([victim.path])).data).toHaveLength(1);
		expect(await objectCount(stack, victim.path)).toBe(0);
	});
});

describe('attachments', () => {
	it('members attach readable resources to their threads; others cannot; thread readers see them', async () => {
		const attach = (who: Person, resource: string, thread = threadId) =>
			who.client
				.from('library_attachments')
				.insert({ resource_id: resource, thread_id: thread, attached_by: who.id });
		expect((await attach(cast.member, byMember.resourceId)).error).toBeNull();
		expect((await attach(cast.member, shared.resourceId)).error).toBeNull();
		for (const who of [cast.outsider, cast.removed]) {
			expect((await attach(who, shared.resourceId)).error).not.toBeNull();
		}
		// Retired resources are not attached.
		expect((await attach(cast.member, byLeader.resourceId)).error).not.toBeNull();
		for (const who of [cast.leader, cast.facilitator]) {
			const { data } = await who.client
				.from('library_attachments')
				.select('resource_id')
				.eq('thread_id', threadId);
			expect(data?.map((a) => a.resource_id).sort()).toEqual([byMember.resourceId, shared.resourceId].sort());
		}
		for (const who of [cast.outsider, cast.removed]) {
			expect(
				(await who.client.from('library_attachments').select('id').eq('thread_id', threadId)).data
			).toEqual([]);
		}
	});

	it('a space’s resource is never attached in another space, even by someone in both', async () => {
		const secondSpace = await createSpace(cast.facilitator, { name: 'Second CoP' });
		const started = await cast.facilitator.client.rpc('start_thread', {
			p_space: secondSpace,
			p_title: 'Elsewhere',
			p_body: 'Hello',
			p_topic: 'other'
		});
		const inserted = await cast.facilitator.client.from('library_attachments').insert({
			resource_id: byMember.resourceId,
			thread_id: started.data!,
			attached_by: cast.facilitator.id
		});
		expect(inserted.error).not.toBeNull();
		const sharedOne = await cast.facilitator.client
			.from('library_attachments')
			.insert({ resource_id: shared.resourceId, thread_id: started.data!, attached_by: cast.facilitator.id });
		expect(sharedOne.error).toBeNull();
	});

	it('the attacher and moderators detach; other members cannot', async () => {
		const detach = (who: Person, resource: string) =>
			who.client
				.from('library_attachments')
				.delete()
				.eq('thread_id', threadId)
				.eq('resource_id', resource)
				.select('id');
		expect((await detach(cast.outsider, byMember.resourceId)).data ?? []).toEqual([]);
		expect((await detach(cast.leader, byMember.resourceId)).data).toHaveLength(1);
		expect((await detach(cast.member, shared.resourceId)).data).toHaveLength(1);
	});
});

describe('curators', () => {
	it('curators add and remove curators; nobody else can', async () => {
		const add = (who: Person, id: string) =>
			who.client.from('library_curators').insert({ user_id: id, added_by: who.id });
		expect((await add(cast.member, cast.member.id)).error).not.toBeNull();
		expect((await add(cast.leader, cast.member.id)).error).not.toBeNull();
		expect((await add(cast.facilitator, cast.member.id)).error).toBeNull();
		expect((await addLink(cast.member, null, 'Now a curator')).error).toBeNull();
		const removed = await cast.leader.client
			.from('library_curators')
			.delete()
			.eq('user_id', cast.member.id)
			.select();
		expect(removed.data ?? []).toEqual([]);
		expect(
			(await cast.facilitator.client.from('library_curators').delete().eq('user_id', cast.member.id).select())
				.data
		).toHaveLength(1);
		expect((await addLink(cast.member, null, 'No longer')).error?.message).toContain('not_allowed');
	});
});
