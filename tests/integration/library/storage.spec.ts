// Library files in Storage: anon, an outsider, a member, a leader, a
// facilitator (also a curator of the shared library) and a removed member
// list, read, upload, replace and delete objects in the "library" bucket
// through supabase-js, against the bucket's limits and the storage.objects
// policies. Set-up and inspection only use stack.sql.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { LIBRARY_MAX_BYTES, LIBRARY_MIME_TYPES, objectPath } from '$lib/library/limits';
import { PDF, addFile, objectCount, signedUrl, storage, upload, wav, type Added } from './helpers';
import { storedContentMatches } from '$lib/library/files.server';

let stack: TestStack;
let cast: Cast;
let other: Person;
let spaceId: string;
let otherSpaceId: string;
let byMember: Added, byLeader: Added, byRemoved: Added, shared: Added, elsewhere: Added;

const everyoneInside = () => [cast.member, cast.leader, cast.deputy, cast.facilitator];
const everyoneOutside = () => [cast.outsider, cast.removed];
const download = (who: Person, path: string) => storage(who).download(path);
const anonStorage = () => cast.anon.client.storage.from('library');

beforeAll(async () => {
	stack = await startTestStack();
	// The app's own file check (storedContentMatches) reaches Storage as the app does.
	process.env.PUBLIC_SUPABASE_URL = stack.url;
	process.env.PUBLIC_SUPABASE_ANON_KEY = stack.publishableKey;
	cast = await signUpCast(stack);
	other = await signedInUser(stack, 'Ot Other space');
	await stack.sql('insert into public.library_curators (user_id) values ($1)', [cast.facilitator.id]);
	spaceId = await spaceWithCast(cast, async (id) => {
		byRemoved = await addFile(cast.removed, id, 'Ghi chép của người đã rời nhóm');
	});
	otherSpaceId = await createSpace(other, { name: 'Other CoP' });
	byMember = await addFile(cast.member, spaceId, 'Sổ tay Luật Lao động');
	byLeader = await addFile(cast.leader, spaceId, 'Danh sách chuẩn bị họp');
	shared = await addFile(cast.facilitator, null, 'Cẩm nang sinh hoạt câu lạc bộ');
	elsewhere = await addFile(other, otherSpaceId, 'Other CoP budget');
});
afterAll(async () => {
	await stack?.stop();
});

describe('the bucket', () => {
	it('carries the size and type limits the upload form shows', async () => {
		const [bucket] = await stack.sql<{
			public: boolean;
			file_size_limit: number;
			allowed_mime_types: string[];
		}>(
			`select public, file_size_limit::int as file_size_limit, allowed_mime_types from storage.buckets where id = 'library'`
		);
		expect(bucket.public).toBe(false);
		expect(bucket.file_size_limit).toBe(LIBRARY_MAX_BYTES);
		expect([...bucket.allowed_mime_types].sort()).toEqual([...LIBRARY_MIME_TYPES].sort());
	});
});

describe('reading files', () => {
	it('members, leaders and facilitators download the space’s files; others get nothing', async () => {
		for (const who of everyoneInside()) {
			for (const file of [byMember, byLeader, byRemoved]) {
				const { data, error } = await download(who, file.path);
				expect(error).toBeNull();
				expect(Buffer.from(await data!.arrayBuffer()).equals(PDF)).toBe(true);
			}
		}
		for (const who of everyoneOutside()) {
			for (const file of [byMember, byLeader, byRemoved]) {
				const { data, error } = await download(who, file.path);
				expect(data).toBeNull();
				expect(error).not.toBeNull();
			}
		}
		const { data, error } = await anonStorage().download(byMember.path);
		expect(data).toBeNull();
		expect(error).not.toBeNull();
	});

	it('listing a resource’s folder shows its files to members only', async () => {
		const folder = `${spaceId}/${byMember.resourceId}`;
		for (const who of everyoneInside()) {
			const { data } = await storage(who).list(folder);
			expect((data ?? []).length, 'member lists').toBe(1);
		}
		for (const who of everyoneOutside()) {
			expect((await storage(who).list(folder)).data ?? []).toEqual([]);
		}
		expect((await anonStorage().list(folder)).data ?? []).toEqual([]);
	});

	it('signed URLs are made for readers only, and an old one stops working once it expires', async () => {
		const forMember = await signedUrl(stack, cast.member, byMember.path);
		expect(forMember.url).not.toBeNull();
		const fetched = await fetch(forMember.url!);
		expect(fetched.status).toBe(200);
		expect(Buffer.from(await fetched.arrayBuffer()).equals(PDF)).toBe(true);

		for (const who of everyoneOutside()) {
			expect((await signedUrl(stack, who, byMember.path)).url).toBeNull();
		}
		expect((await signedUrl(stack, { client: cast.anon.client } as Person, byMember.path)).url).toBeNull();

		// A member gets a one-second URL, is removed, and the URL then fails.
		const leaving = await signedInUser(stack, 'Ng Soon gone');
		const { code } = await import('../helpers/spaces').then(({ createInvite }) =>
			createInvite(cast.facilitator, spaceId, 'member')
		);
		expect((await leaving.client.rpc('redeem_invite', { p_code: code })).error).toBeNull();
		const short = await signedUrl(stack, leaving, byMember.path, 1);
		expect(short.url).not.toBeNull();
		await cast.facilitator.client
			.from('space_members')
			.delete()
			.eq('space_id', spaceId)
			.eq('user_id', leaving.id);
		expect((await download(leaving, byMember.path)).error).not.toBeNull();
		await new Promise((done) => setTimeout(done, 2100));
		expect((await fetch(short.url!)).ok).toBe(false);
	});

	it('the shared library is read by everyone in a space, not by people in none', async () => {
		for (const who of [...everyoneInside(), other]) {
			expect((await download(who, shared.path)).error).toBeNull();
		}
		// The outsider is in no space; the removed member's only space was this one.
		for (const who of everyoneOutside()) {
			expect((await download(who, shared.path)).data).toBeNull();
		}
		expect((await anonStorage().download(shared.path)).data).toBeNull();
	});

	it('guessed object paths read nothing: another space’s file, unregistered or made-up paths', async () => {
		for (const who of everyoneInside()) {
			expect((await download(who, elsewhere.path)).data).toBeNull();
			expect((await signedUrl(stack, who, elsewhere.path)).url).toBeNull();
		}
		// A real space, a made-up resource and file.
		const madeUp = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		expect((await download(cast.facilitator, madeUp)).data).toBeNull();
		// Uploaded but never registered: the uploader and the moderators who clean up see it, nobody else.
		const pending = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		expect((await upload(cast.leader, pending)).error).toBeNull();
		for (const who of [cast.leader, cast.facilitator]) {
			expect((await download(who, pending)).error).toBeNull();
		}
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			expect((await download(who, pending)).data).toBeNull();
		}
		// A path naming this space with another space's resource id.
		const mixed = objectPath(spaceId, elsewhere.resourceId, elsewhere.fileId);
		expect((await download(cast.member, mixed)).data).toBeNull();
	});
});

describe('uploading', () => {
	it('members upload to their space; outsiders, removed members and anon cannot, and nothing is stored', async () => {
		for (const who of [cast.member, cast.leader, cast.facilitator]) {
			const path = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
			expect((await upload(who, path)).error).toBeNull();
		}
		for (const who of everyoneOutside()) {
			const resource = crypto.randomUUID();
			const { error } = await upload(who, objectPath(spaceId, resource, crypto.randomUUID()));
			expect(error).not.toBeNull();
			expect(await objectCount(stack, `${spaceId}/${resource}`)).toBe(0);
		}
		const resource = crypto.randomUUID();
		const { error } = await anonStorage().upload(objectPath(spaceId, resource, crypto.randomUUID()), PDF, {
			contentType: 'application/pdf'
		});
		expect(error).not.toBeNull();
		expect(await objectCount(stack, `${spaceId}/${resource}`)).toBe(0);
	});

	it('only curators upload to the shared library', async () => {
		expect(
			(await upload(cast.facilitator, objectPath(null, crypto.randomUUID(), crypto.randomUUID()))).error
		).toBeNull();
		for (const who of [cast.member, cast.leader, cast.outsider, other]) {
			const resource = crypto.randomUUID();
			expect((await upload(who, objectPath(null, resource, crypto.randomUUID()))).error).not.toBeNull();
			expect(await objectCount(stack, `network/${resource}`)).toBe(0);
		}
	});

	it('paths outside the library’s shape, or in a space one is not in, are refused', async () => {
		for (const path of [
			`${spaceId}/handbook.pdf`,
			`${spaceId}/${crypto.randomUUID()}/notes.pdf`,
			`${spaceId}/${crypto.randomUUID()}/${crypto.randomUUID()}/deeper`,
			`elsewhere/${crypto.randomUUID()}/${crypto.randomUUID()}`,
			objectPath(otherSpaceId, crypto.randomUUID(), crypto.randomUUID()),
			// this space in the path, another space's resource id after it
			objectPath(spaceId, elsewhere.resourceId, crypto.randomUUID())
		]) {
			expect((await upload(cast.member, path)).error, path).not.toBeNull();
		}
	});

	it('the bucket refuses a wrong type whatever the name says, and files over the limit; nothing is stored', async () => {
		const resource = crypto.randomUUID();
		const path = () => objectPath(spaceId, resource, crypto.randomUUID());
		const html = await upload(cast.member, path(), Buffer.from('<script>alert(1)</script>'), 'text/html');
		expect(html.error?.message).toMatch(/mime type/i);
		// PDF bytes declared as something the bucket does not take.
		const exe = await upload(cast.member, path(), PDF, 'application/x-msdownload');
		expect(exe.error).not.toBeNull();
		const svg = await upload(cast.member, path(), Buffer.from('<svg/>'), 'image/svg+xml');
		expect(svg.error).not.toBeNull();
		const big = await upload(
			cast.member,
			path(),
			Buffer.alloc(LIBRARY_MAX_BYTES + 1, 0x20),
			'application/pdf'
		);
		expect(big.error?.message).toMatch(/maximum allowed size/i);
		expect(await objectCount(stack, `${spaceId}/${resource}`)).toBe(0);
		// The same person and path with an allowed type and size goes through.
		expect((await upload(cast.member, path(), wav(), 'audio/wav')).error).toBeNull();
	});
});

describe('replacing', () => {
	it('nobody overwrites a stored file in place, not even a facilitator', async () => {
		for (const who of [cast.member, cast.leader, cast.facilitator]) {
			const upsert = await upload(
				who,
				byMember.path,
				Buffer.from('%PDF-1.4 changed'),
				'application/pdf',
				true
			);
			expect(upsert.error).not.toBeNull();
			const update = await storage(who).update(byMember.path, Buffer.from('%PDF-1.4 changed'), {
				contentType: 'application/pdf'
			});
			expect(update.error).not.toBeNull();
		}
		const { data } = await download(cast.member, byMember.path);
		expect(Buffer.from(await data!.arrayBuffer()).equals(PDF)).toBe(true);
	});

	it('a new version is uploaded beside the old one by its author or a moderator, not by other members', async () => {
		const next = (file: Added) => objectPath(spaceId, file.resourceId, crypto.randomUUID());
		// The member added byMember; the leader moderates; the member did not add byLeader.
		expect((await upload(cast.member, next(byMember))).error).toBeNull();
		expect((await upload(cast.leader, next(byMember))).error).toBeNull();
		expect((await upload(cast.facilitator, next(byLeader))).error).toBeNull();
		const refused = next(byLeader);
		expect((await upload(cast.member, refused)).error).not.toBeNull();
		expect(await objectCount(stack, refused)).toBe(0);
		for (const who of everyoneOutside()) {
			expect((await upload(who, next(byMember))).error).not.toBeNull();
		}
		// The removed member added byRemoved but can no longer replace it.
		expect((await upload(cast.removed, next(byRemoved))).error).not.toBeNull();
		// The original is untouched.
		expect((await download(cast.member, byMember.path)).error).toBeNull();
	});
});

describe('deleting', () => {
	it('members cannot delete registered files; moderators can', async () => {
		const victim = await addFile(cast.member, spaceId, 'Tờ rơi dịch vụ y tế');
		for (const who of [cast.member, cast.outsider, cast.removed]) {
			const { data } = await storage(who).remove([victim.path]);
			expect(data ?? []).toEqual([]);
		}
		expect(await objectCount(stack, victim.path)).toBe(1);
		const { data } = await storage(cast.leader).remove([victim.path]);
		expect(data).toHaveLength(1);
		expect(await objectCount(stack, victim.path)).toBe(0);
	});

	it('an uploader removes their own unregistered upload (a refused registration); other members cannot', async () => {
		const pending = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		expect((await upload(cast.leader, pending)).error).toBeNull();
		for (const who of [cast.member, cast.outsider]) {
			expect((await storage(who).remove([pending])).data ?? []).toEqual([]);
		}
		expect(await objectCount(stack, pending)).toBe(1);
		expect((await storage(cast.leader).remove([pending])).data).toHaveLength(1);
		expect(await objectCount(stack, pending)).toBe(0);
	});

	it('only curators delete shared-library files', async () => {
		const victim = await addFile(cast.facilitator, null, 'Mẫu ngân sách dự án');
		for (const who of [cast.member, cast.leader, other]) {
			expect((await storage(who).remove([victim.path])).data ?? []).toEqual([]);
		}
		expect((await storage(cast.facilitator).remove([victim.path])).data).toHaveLength(1);
	});
});

describe('files are what they say', () => {
	const exe = () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);

	// Storage (hosted, and the local stack like it) keeps what it is given with the type the client
	// declared; the app reads the first bytes of every stored file before registering it.
	it('an executable named like a PDF is stored but never passes the check before registration', async () => {
		const path = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		const raw = await storage(cast.member).upload(path, exe(), { contentType: 'application/pdf' });
		expect(raw.error).toBeNull();
		expect(await storedContentMatches(cast.member.client, path)).toBe(false);
		const asPicture = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		expect(
			(await storage(cast.member).upload(asPicture, PDF, { contentType: 'image/jpeg' })).error
		).toBeNull();
		expect(await storedContentMatches(cast.member.client, asPicture)).toBe(false);
	});

	it('a real PDF and a real recording are stored and pass the check', async () => {
		const pdf = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		expect((await upload(cast.member, pdf)).error).toBeNull();
		expect(await storedContentMatches(cast.member.client, pdf)).toBe(true);
		const audio = objectPath(spaceId, crypto.randomUUID(), crypto.randomUUID());
		expect((await upload(cast.member, audio, wav(), 'audio/wav')).error).toBeNull();
		expect(await storedContentMatches(cast.member.client, audio)).toBe(true);
	});
});
