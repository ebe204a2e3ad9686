// People's rights over their data (issue 26, item 5): a download of my data,
// built by the worker (secret key) and readable by me alone; deleting my
// account: the last facilitator hands over first, the auth account goes only
// after its owner confirmed, through the local stand-in for hosted Auth's admin
// API, every session ends, no table keeps anything that names her, and the
// threads stay readable with her posts by "a former member" (or gone, as she
// chose).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { buildOneExport } from '$lib/account/export-worker.server';
import { deleteConfirmedAccount } from '$lib/account/delete-user.server';
import { startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createInvite, newId } from '../helpers/spaces';
import { dialogueInvite } from '../helpers/dialogues';
import { refusedWith, replyAs, safetyWorld, type SafetyCast, type SafetyWorld } from '../helpers/safety';

let stack: TestStack;
let world: SafetyWorld;
let cast: SafetyCast;
let spaceId: string;
let threadId: string;
const config = () => ({ supabaseUrl: stack.url, secretKey: stack.secretKey });

/**
 * Every row in the database's app and auth tables that holds this id or this
 * email in any column (uuid or text): what deletion must leave empty.
 * realtime.messages is left out: its change notices carry ids only and are
 * deleted after 3 days (hosted Realtime drops them sooner).
 */
async function tracesOf(id: string, email: string): Promise<string[]> {
	const columns = await stack.sql<{ schema: string; table: string; column: string; type: string }>(
		`select c.table_schema as schema, c.table_name as table, c.column_name as column, c.data_type as type
		   from information_schema.columns c join information_schema.tables t
		     on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
		  where c.table_schema in ('public', 'auth', 'storage')
		    and c.data_type in ('uuid', 'text', 'character varying', 'jsonb')`
	);
	const found: string[] = [];
	for (const c of columns) {
		const value =
			c.type === 'uuid'
				? `"${c.column}" = $1::uuid and $2::text is not null`
				: `"${c.column}"::text ilike '%' || $2 || '%' or "${c.column}"::text ilike '%' || $1 || '%'`;
		const rows = await stack.sql<{ n: number }>(
			`select count(*)::int as n from "${c.schema}"."${c.table}" where ${value}`,
			[id, email]
		);
		if (rows[0].n > 0) found.push(`${c.schema}.${c.table}.${c.column} (${rows[0].n})`);
	}
	return found;
}

beforeAll(async () => {
	stack = await startTestStack();
	world = await safetyWorld(stack);
	({ cast, spaceId, threadId } = world);
}, 180_000);
afterAll(async () => {
	await stack?.stop();
});

describe('download my data', () => {
	it('one at a time; built by the worker; the zip is mine alone', async () => {
		await replyAs(cast.author, threadId, spaceId, 'Bài viết của tôi để tải về');
		const first = await cast.author.client.rpc('request_data_export');
		expect(first.error).toBeNull();
		refusedWith(await cast.author.client.rpc('request_data_export'), 'export_in_progress');
		// Only the worker (secret key) claims, reads a person's data or completes.
		for (const who of [cast.author, cast.facilitator, cast.officer]) {
			expect((await who.client.rpc('data_export_contents', { p_user: cast.author.id })).error).not.toBeNull();
			expect((await who.client.rpc('claim_data_export', {})).error).not.toBeNull();
		}
		expect(await buildOneExport(world.service)).toBe(true);
		const { data: rows } = await cast.author.client
			.from('data_exports')
			.select('status, object_path, size_bytes');
		expect(rows).toEqual([expect.objectContaining({ status: 'ready' })]);
		const path = rows![0].object_path!;
		const { data: blob, error } = await cast.author.client.storage.from('data-exports').download(path);
		expect(error).toBeNull();
		const files = unzipSync(new Uint8Array(await blob!.arrayBuffer()));
		const json = JSON.parse(strFromU8(files['sahakum-my-data.json'])) as {
			email: string;
			posts: { body: string }[];
		};
		expect(json.email).toBe(cast.author.email);
		expect(json.posts.map((p) => p.body)).toContain('Bài viết của tôi để tải về');
		for (const who of [cast.facilitator, cast.member, cast.officer, cast.outsider]) {
			expect((await who.client.storage.from('data-exports').download(path)).data, who.email).toBeNull();
			expect((await who.client.from('data_exports').select('id')).data ?? []).toEqual([]);
		}
		// Nobody uploads into someone's folder.
		const forged = await cast.member.client.storage
			.from('data-exports')
			.upload(`${cast.author.id}/forged.zip`, new Uint8Array([80, 75, 5, 6]), {
				contentType: 'application/zip'
			});
		expect(forged.error).not.toBeNull();
		expect((await cast.author.client.rpc('request_data_export')).error).toBeNull();
	});
});

describe('delete my account', () => {
	it('the last facilitator of a space with members hands over first', async () => {
		expect((await cast.facilitator.client.rpc('spaces_to_hand_over')).data).toEqual([
			expect.objectContaining({ space_id: spaceId })
		]);
		refusedWith(
			await cast.facilitator.client.rpc('erase_my_account', { p_posts: 'keep' }),
			'hand_over_first'
		);
		refusedWith(await cast.member.client.rpc('erase_my_account', { p_posts: 'everything' }), 'bad_choice');
	});

	it('only the secret key deletes an auth account, and only one its owner confirmed', async () => {
		const endpoint = `${stack.url}/auth/v1/admin/users/${cast.member.id}`;
		for (const headers of <Record<string, string>[]>[
			{ apikey: stack.publishableKey },
			{
				apikey: stack.publishableKey,
				authorization: `Bearer ${(await cast.member.client.auth.getSession()).data.session!.access_token}`
			}
		]) {
			expect((await fetch(endpoint, { method: 'DELETE', headers })).status).toBe(403);
		}
		expect(
			(await cast.member.client.rpc('confirmed_account_deletion', { p_user: cast.member.id })).error
		).not.toBeNull();
		expect(await deleteConfirmedAccount(config(), cast.member.id)).toBe('not_confirmed');
		expect(await stack.sql('select id from auth.users where id = $1', [cast.member.id])).toHaveLength(1);
	});

	it('keeping posts: nothing names her any more; threads read "a former member"; every session ends', async () => {
		const leaver: Person = cast.leader; // convened the dialogue, made invites, wrote, reacted, added to the library
		const post = await replyAs(leaver, threadId, spaceId, 'Tôi sẽ bàn giao cho chị Hoa.');
		expect(
			(
				await leaver.client.rpc('post_anonymously', {
					p_id: newId(),
					p_dialogue: world.dialogueId,
					p_body: 'Ý kiến không tên'
				})
			).error
		).toBeNull();
		await leaver.client.from('reactions').insert({ post_id: post, kind: 'like' });
		expect((await createInvite(leaver, spaceId, 'member')).error).toBeNull();
		expect((await dialogueInvite(leaver, world.dialogueId)).error).toBeNull();
		expect(
			(
				await leaver.client.rpc('add_library_resource', {
					p_id: newId(),
					p_title: 'Sổ tay',
					p_space: spaceId,
					p_url: 'https://ilo.org/'
				})
			).error
		).toBeNull();
		await leaver.client.rpc('report_post', { p_id: newId(), p_post: post, p_reason: 'spam', p_note: '' }); // own: refused
		await leaver.client.rpc('raise_concern', {
			p_id: newId(),
			p_space: spaceId,
			p_body: 'Lo ngại có tên',
			p_anonymous: false
		});
		await leaver.client.rpc('set_person_filter', { p_other: cast.member.id, p_kind: 'mute', p_on: true });
		await leaver.client.rpc('request_data_export');
		expect((await tracesOf(leaver.id, leaver.email)).length).toBeGreaterThan(5);

		const erased = await leaver.client.rpc('erase_my_account', { p_posts: 'keep' });
		expect(erased.error).toBeNull();
		expect(await deleteConfirmedAccount(config(), leaver.id)).toBe('deleted');

		expect(await tracesOf(leaver.id, leaver.email)).toEqual([]);
		// Signed out everywhere: her token and her refresh token are worth nothing now.
		expect((await leaver.client.auth.getUser()).data.user).toBeNull();
		expect((await leaver.client.auth.refreshSession()).data.session).toBeNull();
		// The thread still reads, her reply by nobody ("a former member"), marked so.
		const page = (await cast.member.client.rpc('thread_page', { p_thread: threadId })).data as {
			posts: { id: string; author_id: string | null; author: string; anonymous: boolean; body: string }[];
		};
		expect(page.posts.find((p) => p.id === post)).toMatchObject({
			author_id: null,
			author: '',
			anonymous: false,
			body: 'Tôi sẽ bàn giao cho chị Hoa.'
		});
		expect(await stack.sql('select former_member from public.posts where id = $1', [post])).toEqual([
			{ former_member: true }
		]);
		// The anonymous dialogue post stays anonymous, its author forgotten.
		const dialogue = (await cast.member.client.rpc('thread_page', { p_thread: world.dialogueId })).data as {
			posts: { body: string; anonymous: boolean }[];
		};
		expect(dialogue.posts.find((p) => p.body === 'Ý kiến không tên')).toMatchObject({ anonymous: true });
		// The audit log still says what happened, by nobody now.
		expect(
			await stack.sql(
				"select count(*)::int as n from public.space_audit_log where action = 'invite_created' and actor_id is null"
			)
		).not.toEqual([{ n: 0 }]);
	});

	it('deleting posts: they are gone, her other traces too', async () => {
		const leaver = cast.reporters[2];
		const post = await replyAs(leaver, threadId, spaceId, 'Xoá bài này cùng tôi.');
		const own = await leaver.client.rpc('start_thread', {
			p_space: spaceId,
			p_title: 'Chủ đề của tôi',
			p_body: 'Nội dung',
			p_topic: 'other'
		});
		expect((await leaver.client.rpc('erase_my_account', { p_posts: 'delete' })).error).toBeNull();
		expect(await deleteConfirmedAccount(config(), leaver.id)).toBe('deleted');
		expect(await tracesOf(leaver.id, leaver.email)).toEqual([]);
		expect(await stack.sql('select id from public.posts where id = $1', [post])).toEqual([]);
		expect(await stack.sql('select id from public.threads where id = $1', [own.data])).toEqual([]);
	});
});
