// Dialogues and their guests: who convenes, invites, joins, reads, posts
// (also anonymously), marks outcomes, agrees actions and reports progress;
// tried as a guest of dialogue A, a guest of dialogue B, a muted and a
// removed guest, an outsider, anon, members of each role and the conveners.
// Every guest attack from the issue: another dialogue, the space's threads,
// members, library, search, every RPC with another dialogue's ids, members'
// emails, phones and the name behind an anonymous post, the space's channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { signedInUser, startTestStack, type Person, type TestStack } from '../helpers/stack';
import { createSpace, newId, refusedOrNoRows } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue, dialogueInvite, inviteGuest, join } from '../helpers/dialogues';
import { refusalKind } from '$lib/supabase/errors';

let stack: TestStack;
let cast: Cast;
let spaceId: string;
let threadId: string;
let dialogueA: string;
let dialogueB: string;
let landlord: Person;
let union: Person;
let bGuest: Person;
let muted: Person;
let gone: Person;
let otherSpace: string;
let attachedResource: string;
let spaceResource: string;
let anonymousPostId: string;
let proposalId: string;

const reply = (who: Person, thread: string, body: string, id = newId()) =>
	who.client.from('posts').insert({ id, thread_id: thread, space_id: spaceId, body }).select('id');
const addLink = async (who: Person, space: string, title: string) => {
	const id = newId();
	const { error } = await who.client.rpc('add_library_resource', {
		p_id: id,
		p_title: title,
		p_space: space,
		p_url: 'https://thuvienphapluat.vn/'
	});
	expect(error).toBeNull();
	return id;
};

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
	[landlord, union, bGuest, muted, gone] = await Promise.all([
		signedInUser(stack, 'Bình Chủ Trọ'),
		signedInUser(stack, 'Lan Công Đoàn'),
		signedInUser(stack, 'Bê Khách'),
		signedInUser(stack, 'Mu Muted'),
		signedInUser(stack, 'Go Gone')
	]);
	threadId = newId();
	expect(
		(
			await cast.member.client.rpc('start_thread', {
				p_space: spaceId,
				p_title: 'Chuyện riêng của câu lạc bộ',
				p_body: 'Chỉ thành viên đọc',
				p_topic: 'club_life',
				p_id: threadId
			})
		).error
	).toBeNull();
	dialogueA = await conveneDialogue(cast.leader, spaceId);
	dialogueB = await conveneDialogue(cast.facilitator, spaceId, {
		title: 'Đối thoại với công ty',
		agenda: []
	});
	await inviteGuest(cast.leader, landlord, dialogueA);
	await inviteGuest(cast.leader, union, dialogueA, {
		type: 'labour_union',
		organisation: 'Công đoàn KCN',
		position: 'Cán bộ'
	});
	await inviteGuest(cast.facilitator, bGuest, dialogueB, { type: 'company', organisation: 'Công ty May' });
	await inviteGuest(cast.leader, muted, dialogueA, { type: 'company', organisation: 'Công ty Giày' });
	await inviteGuest(cast.leader, gone, dialogueA, { type: 'other', organisation: 'Ai đó' });
	// The landlord is a member of a space of their own too.
	otherSpace = await createSpace(landlord, { name: 'Hội chủ trọ' });
	spaceResource = await addLink(cast.member, spaceId, 'Sổ tay nội bộ');
	attachedResource = await addLink(cast.member, spaceId, 'Bảng giá điện EVN');
	expect(
		(
			await cast.member.client
				.from('library_attachments')
				.insert({ resource_id: attachedResource, thread_id: dialogueA, attached_by: cast.member.id })
		).error
	).toBeNull();
	expect(
		(await cast.leader.client.from('dialogues').update({ status: 'open' }).eq('id', dialogueA).select('id'))
			.data
	).toHaveLength(1);
	anonymousPostId = newId();
	expect(
		(
			await cast.member.client.rpc('post_anonymously', {
				p_id: anonymousPostId,
				p_dialogue: dialogueA,
				p_body: 'Khóa cổng lúc 22 giờ, ca đêm về không vào được.'
			})
		).error
	).toBeNull();
	expect((await reply(gone, dialogueA, 'Tôi sẽ đi sớm.')).error).toBeNull();
	expect(
		(
			await cast.leader.client
				.from('dialogue_guests')
				.update({ removed_at: 'now' })
				.eq('dialogue_id', dialogueA)
				.eq('user_id', gone.id)
				.select('user_id')
		).data
	).toHaveLength(1);
	expect(
		(
			await cast.leader.client
				.from('dialogue_guests')
				.update({ muted_at: 'now' })
				.eq('dialogue_id', dialogueA)
				.eq('user_id', muted.id)
				.select('user_id')
		).data
	).toHaveLength(1);
	proposalId = newId();
	expect((await reply(landlord, dialogueA, 'Tôi đề xuất mở cổng đến 23 giờ.', proposalId)).error).toBeNull();
});
afterAll(async () => {
	await stack?.stop();
});

describe('convening', () => {
	it('facilitators and leaders convene; deputies, members, outsiders, guests and anon cannot', async () => {
		for (const who of [cast.deputy, cast.member, cast.outsider, landlord]) {
			const { error } = await who.client.rpc('convene_dialogue', {
				p_id: newId(),
				p_space: spaceId,
				p_title: 'X',
				p_purpose: 'Y'
			});
			expect(error?.message, who.email).toContain('not_allowed');
		}
		const anon = await cast.anon.client.rpc('convene_dialogue', {
			p_id: newId(),
			p_space: spaceId,
			p_title: 'X',
			p_purpose: 'Y'
		});
		expect(anon.error).not.toBeNull();
		expect(await conveneDialogue(cast.facilitator, spaceId, { title: 'Lần hai' })).toBeTruthy();
	});

	it('nobody makes a dialogue by writing the tables directly, or turns a thread into one', async () => {
		const id = newId();
		const thread = await cast.facilitator.client
			.from('threads')
			.insert({ id, space_id: spaceId, title: 'Lén', author_id: cast.facilitator.id, is_dialogue: true });
		expect(thread.error).not.toBeNull();
		const dialogue = await cast.facilitator.client
			.from('dialogues')
			.insert({ id: threadId, space_id: spaceId, purpose: 'x' });
		expect(dialogue.error).not.toBeNull();
		const flip = await cast.member.client
			.from('threads')
			.update({ is_dialogue: true })
			.eq('id', threadId)
			.select('id');
		expect(refusedOrNoRows(flip)).toBe(true);
		expect(
			(
				await stack.sql<{ is_dialogue: boolean }>('select is_dialogue from public.threads where id = $1', [
					threadId
				])
			)[0].is_dialogue
		).toBe(false);
	});

	it('conveners change the status; members and guests cannot', async () => {
		for (const who of [cast.deputy, cast.member, landlord]) {
			const res = await who.client
				.from('dialogues')
				.update({ status: 'archived' })
				.eq('id', dialogueA)
				.select('id');
			expect(refusedOrNoRows(res), who.email).toBe(true);
		}
		expect(
			(
				await stack.sql<{ status: string }>('select status::text from public.dialogues where id = $1', [
					dialogueA
				])
			)[0].status
		).toBe('open');
	});
});

describe('invites and joining', () => {
	it('only conveners see and create a dialogue’s invites', async () => {
		for (const who of [cast.deputy, cast.member, landlord, cast.outsider]) {
			expect(
				(await who.client.from('dialogue_invites').select('id').eq('dialogue_id', dialogueA)).data ?? []
			).toEqual([]);
			expect((await dialogueInvite(who, dialogueA)).error, who.email).not.toBeNull();
		}
		expect(
			(
				(await cast.leader.client.from('dialogue_invites').select('id').eq('dialogue_id', dialogueA)).data ??
				[]
			).length
		).toBeGreaterThan(0);
	});

	it('refuses unknown, revoked, expired and used-up codes, members of the space, and joining twice', async () => {
		const stranger = await signedInUser(stack, 'Người lạ');
		const expired = await dialogueInvite(cast.leader, dialogueA, {
			expires_at: new Date(Date.now() - 60_000).toISOString()
		});
		const once = await dialogueInvite(cast.leader, dialogueA, { max_uses: 1 });
		const revoked = await dialogueInvite(cast.leader, dialogueA);
		await cast.leader.client
			.from('dialogue_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', revoked.code);
		expect((await join(union, once.code)).error?.message).toContain('already_guest');
		const first = await signedInUser(stack, 'Người đầu');
		expect((await join(first, once.code)).error).toBeNull();
		for (const [code, word] of [
			['ZZZZZZZZ', 'invite_not_found'],
			[revoked.code, 'invite_not_found'],
			[expired.code, 'invite_expired'],
			[once.code, 'invite_expired']
		]) {
			expect((await join(stranger, code)).error?.message, code).toContain(word);
		}
		const fresh = await dialogueInvite(cast.leader, dialogueA);
		expect((await join(cast.member, fresh.code)).error?.message).toContain('already_member');
		expect((await join(stranger, fresh.code, { organisation: '\u200b' })).error).not.toBeNull();
	});

	it('a removed guest comes back only with an invite made after the removal', async () => {
		const person = await signedInUser(stack, 'Quay lại');
		const paper = await dialogueInvite(cast.leader, dialogueA);
		expect((await join(person, paper.code)).error).toBeNull();
		await cast.leader.client
			.from('dialogue_guests')
			.update({ removed_at: 'now' })
			.eq('dialogue_id', dialogueA)
			.eq('user_id', person.id);
		expect((await join(person, paper.code)).error?.message).toContain('removed_from_dialogue');
		const fresh = await dialogueInvite(cast.leader, dialogueA);
		expect((await join(person, fresh.code)).error).toBeNull();
	});

	it('a usable code shows only the dialogue’s title and its space’s name, to anyone', async () => {
		const invite = await dialogueInvite(cast.leader, dialogueA);
		const preview = await cast.anon.client.rpc('dialogue_invite_preview', {
			p_code: invite.code.toLowerCase()
		});
		expect(preview.data).toEqual([
			{ dialogue_id: dialogueA, title: 'Đối thoại với chủ nhà trọ', space_name: 'CoP Lao động nữ' }
		]);
		expect((await cast.anon.client.rpc('dialogue_invite_preview', { p_code: 'ZZZZZZZZ' })).data).toEqual([]);
	});
});

describe('what a guest reads', () => {
	it('a guest reads their dialogue: thread, posts, agenda, guests’ badges, attached library items', async () => {
		expect((await landlord.client.from('threads').select('id').eq('id', dialogueA)).data).toEqual([
			{ id: dialogueA }
		]);
		expect(
			((await landlord.client.from('posts').select('id').eq('thread_id', dialogueA)).data ?? []).length
		).toBeGreaterThanOrEqual(3);
		expect(
			(
				await landlord.client
					.from('dialogue_agenda_items')
					.select('text')
					.eq('dialogue_id', dialogueA)
					.order('position')
			).data
		).toEqual([{ text: 'Giá điện' }, { text: 'Khóa cổng ban đêm' }]);
		const badges =
			(
				await landlord.client
					.from('dialogue_guests')
					.select('user_id, organisation')
					.eq('dialogue_id', dialogueA)
			).data ?? [];
		expect(badges.map((b) => b.organisation)).toContain('Công đoàn KCN');
		expect((await landlord.client.from('library_resources').select('id')).data).toEqual([
			{ id: attachedResource }
		]);
		const overview = await landlord.client.rpc('dialogue_overview', { p_dialogue: dialogueA });
		expect(overview.data?.[0]).toMatchObject({
			space_name: 'CoP Lao động nữ',
			am_guest: true,
			am_member: false,
			can_post: true
		});
		expect((await landlord.client.rpc('my_dialogues')).data?.map((d) => d.id)).toEqual([dialogueA]);
	});

	it('nothing else of the space: its threads, posts, members, row, invites, library, search, other dialogues', async () => {
		for (const guest of [landlord, union, muted]) {
			expect((await guest.client.from('threads').select('id').eq('id', threadId)).data).toEqual([]);
			expect((await guest.client.from('posts').select('id').eq('thread_id', threadId)).data).toEqual([]);
			expect((await guest.client.from('threads').select('id').eq('id', dialogueB)).data).toEqual([]);
			expect((await guest.client.from('posts').select('id').eq('thread_id', dialogueB)).data).toEqual([]);
			expect((await guest.client.from('dialogues').select('id').eq('id', dialogueB)).data).toEqual([]);
			expect((await guest.client.from('spaces').select('id').eq('id', spaceId)).data).toEqual([]);
			expect(
				(await guest.client.from('space_members').select('user_id').eq('space_id', spaceId)).data
			).toEqual([]);
			expect((await guest.client.from('space_invites').select('id').eq('space_id', spaceId)).data).toEqual(
				[]
			);
			expect(
				(await guest.client.from('library_resources').select('id').eq('id', spaceResource)).data
			).toEqual([]);
			expect(
				(await guest.client.from('dialogue_agenda_items').select('id').eq('dialogue_id', dialogueB)).data
			).toEqual([]);
			expect(
				(await guest.client.from('dialogue_guests').select('user_id').eq('dialogue_id', dialogueB)).data
			).toEqual([]);
			expect((await guest.client.from('mentions').select('user_id')).data).toEqual([]);
			const search = await guest.client.rpc('search_space', { p_space: spaceId, p_query: 'câu lạc bộ' });
			expect(search.data ?? []).toEqual([]);
			const browse = await guest.client.rpc('browse_library', { p_space: spaceId });
			expect(browse.data ?? []).toEqual([]);
			expect((await guest.client.rpc('dialogue_overview', { p_dialogue: dialogueB })).data).toEqual([]);
			expect((await guest.client.rpc('list_actions', { p_dialogue: dialogueB })).data ?? []).toEqual([]);
			expect((await guest.client.rpc('my_spaces')).data?.map((s) => s.id) ?? []).not.toContain(spaceId);
		}
		// One person, member of one space and guest of another space's dialogue: both, and no more.
		expect((await landlord.client.from('spaces').select('id')).data).toEqual([{ id: otherSpace }]);
	});

	it('no member is revealed: no email, no phone, no name unless they posted openly; not who wrote anonymously', async () => {
		await cast.member.client.rpc('save_profile', {
			p_display_name: 'Me Member',
			p_organisation: '',
			p_phone: '+84 900 000 001',
			p_preferred_language: 'vi'
		});
		for (const guest of [landlord, union]) {
			expect((await guest.client.from('profile_private').select('id, phone')).data).toEqual([
				{ id: guest.id, phone: null }
			]);
			const people = (await guest.client.from('profiles').select('id, display_name')).data ?? [];
			const ids = people.map((p) => p.id);
			// The convener posted the opening post under their name; the deputy and the member did not post openly.
			expect(ids).toContain(cast.leader.id);
			expect(ids).not.toContain(cast.member.id);
			expect(ids).not.toContain(cast.deputy.id);
			expect(ids).not.toContain(cast.facilitator.id);
			expect(ids).toContain(union.id);
			expect(ids).not.toContain(bGuest.id);
			const post = (
				await guest.client.from('posts').select('author_id, anonymous, deleted_by').eq('id', anonymousPostId)
			).data;
			expect(post).toEqual([{ author_id: null, anonymous: true, deleted_by: null }]);
			expect((await guest.client.from('dialogue_hidden_authors').select('author_id')).data).toEqual([]);
			expect(
				(await guest.client.from('reactions').select('user_id').eq('post_id', anonymousPostId)).data
			).toEqual([]);
		}
		// Other members do not learn it either; facilitators do (moderation); the author sees their own.
		expect((await cast.deputy.client.from('dialogue_hidden_authors').select('author_id')).data).toEqual([]);
		expect((await cast.leader.client.from('dialogue_hidden_authors').select('author_id')).data).toEqual([]);
		expect(
			(
				await cast.facilitator.client
					.from('dialogue_hidden_authors')
					.select('author_id')
					.eq('post_id', anonymousPostId)
			).data
		).toEqual([{ author_id: cast.member.id }]);
		expect((await cast.member.client.from('dialogue_hidden_authors').select('post_id')).data).toEqual([
			{ post_id: anonymousPostId }
		]);
		// The live notice of the anonymous post did not say who wrote it.
		const notices = await stack.sql<{ payload: Record<string, unknown> }>(
			"select payload from realtime.messages where payload->>'post_id' = $1",
			[anonymousPostId]
		);
		expect(notices.length).toBeGreaterThan(0);
		for (const { payload } of notices) expect(payload.by ?? null).toBeNull();
		// Members see the guests' names and badges.
		expect(
			((await cast.deputy.client.from('profiles').select('id').eq('id', landlord.id)).data ?? []).length
		).toBe(1);
	});

	it('guests of another dialogue, outsiders and anon read nothing of dialogue A', async () => {
		for (const who of [bGuest, cast.outsider, cast.removed, cast.anon]) {
			expect((await who.client.from('threads').select('id').eq('id', dialogueA)).data ?? []).toEqual([]);
			expect((await who.client.from('posts').select('id').eq('thread_id', dialogueA)).data ?? []).toEqual([]);
			expect(
				(await who.client.from('dialogue_guests').select('user_id').eq('dialogue_id', dialogueA)).data ?? []
			).toEqual([]);
			expect(
				(await who.client.from('dialogue_actions').select('id').eq('dialogue_id', dialogueA)).data ?? []
			).toEqual([]);
			expect(
				(await who.client.from('library_resources').select('id').eq('id', attachedResource)).data ?? []
			).toEqual([]);
			expect((await who.client.rpc('dialogue_overview', { p_dialogue: dialogueA })).data ?? []).toEqual([]);
		}
	});
});

describe('posting', () => {
	it('guests post while the dialogue is open; muted guests read but cannot post; guests never post anonymously', async () => {
		expect((await reply(union, dialogueA, 'Công đoàn sẽ theo dõi.')).error).toBeNull();
		expect(
			((await muted.client.from('posts').select('id').eq('thread_id', dialogueA)).data ?? []).length
		).toBeGreaterThan(0);
		expect(refusalKind((await reply(muted, dialogueA, 'Tôi muốn nói')).error)).toBe('row_security');
		const anon = await landlord.client.rpc('post_anonymously', {
			p_id: newId(),
			p_dialogue: dialogueA,
			p_body: 'Ẩn danh'
		});
		expect(anon.error?.message).toContain('not_allowed');
		expect(refusalKind((await reply(landlord, dialogueB, 'Nhầm chỗ')).error)).toBe('row_security');
		expect(refusalKind((await reply(landlord, threadId, 'Nhầm chỗ')).error)).toBe('row_security');
		const forged = await landlord.client
			.from('posts')
			.insert({ thread_id: dialogueA, space_id: spaceId, body: 'Giả', anonymous: true, author_id: null });
		expect(forged.error).not.toBeNull();
	});

	it('a concluded dialogue is read-only for guests and members, not for its conveners', async () => {
		const d = await conveneDialogue(cast.leader, spaceId, { title: 'Đã xong' });
		const guest = await signedInUser(stack, 'Khách cũ');
		await inviteGuest(cast.leader, guest, d);
		await cast.leader.client.from('dialogues').update({ status: 'concluded' }).eq('id', d);
		expect(refusalKind((await reply(guest, d, 'Muộn')).error)).toBe('row_security');
		expect(refusalKind((await reply(cast.member, d, 'Muộn')).error)).toBe('row_security');
		expect((await reply(cast.leader, d, 'Biên bản đã gửi.')).error).toBeNull();
	});

	it('outcomes: the author (also of an anonymous post) or a convener marks; others cannot, and not directly', async () => {
		expect(
			(await landlord.client.rpc('mark_post_outcome', { p_post: proposalId, p_outcome: 'proposal' })).error
		).toBeNull();
		expect(
			(await cast.member.client.rpc('mark_post_outcome', { p_post: anonymousPostId, p_outcome: 'issue' }))
				.error
		).toBeNull();
		for (const who of [union, cast.deputy, bGuest, cast.outsider]) {
			const res = await who.client.rpc('mark_post_outcome', { p_post: proposalId, p_outcome: 'commitment' });
			expect(res.error?.message, who.email).toContain('not_allowed');
		}
		const direct = await landlord.client
			.from('posts')
			.update({ outcome: 'commitment' })
			.eq('id', proposalId)
			.select('id');
		expect(refusedOrNoRows(direct)).toBe(true);
		expect(
			(
				await stack.sql<{ outcome: string }>('select outcome::text from public.posts where id = $1', [
					proposalId
				])
			)[0].outcome
		).toBe('proposal');
		expect(
			(await cast.leader.client.rpc('mark_post_outcome', { p_post: anonymousPostId, p_outcome: 'issue' }))
				.error
		).toBeNull();
		// The RPC's own flag cannot be set from outside: pg_catalog functions are not exposed.
		const flag = await landlord.client.rpc(
			'set_config' as never,
			{
				setting_name: 'sahakum.marking_outcome',
				new_value: 'on',
				is_local: false
			} as never
		);
		expect(flag.error).not.toBeNull();
		const after = await landlord.client
			.from('posts')
			.update({ outcome: 'commitment' })
			.eq('id', proposalId)
			.select('id');
		expect(refusedOrNoRows(after)).toBe(true);
	});
});

describe('agreed actions and progress', () => {
	let actionId: string;
	const due = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

	it('a convener turns the proposal into an action for the landlord; nobody else agrees actions', async () => {
		actionId = newId();
		const agreed = await cast.leader.client.rpc('agree_action', {
			p_id: actionId,
			p_dialogue: dialogueA,
			p_description: 'Mở cổng khu trọ đến 23 giờ',
			p_owner_kind: 'guest',
			p_owner_user: landlord.id,
			p_due_on: due(14),
			p_source_post: proposalId
		});
		expect(agreed.error).toBeNull();
		for (const who of [cast.deputy, cast.member, landlord, union]) {
			const res = await who.client.rpc('agree_action', {
				p_id: newId(),
				p_dialogue: dialogueA,
				p_description: 'X',
				p_owner_kind: 'club'
			});
			expect(res.error?.message, who.email).toContain('not_allowed');
		}
		const past = await cast.leader.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueA,
			p_description: 'Trễ',
			p_owner_kind: 'club',
			p_due_on: due(-1)
		});
		expect(past.error?.message).toContain('due_in_past');
		const notProposal = await cast.leader.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueA,
			p_description: 'X',
			p_owner_kind: 'club',
			p_source_post: anonymousPostId
		});
		expect(notProposal.error?.message).toContain('not_a_proposal');
		const otherDialogue = await cast.leader.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueB,
			p_description: 'X',
			p_owner_kind: 'guest',
			p_owner_user: landlord.id
		});
		// The landlord is a guest of A, not of B.
		expect(otherDialogue.error?.message).toContain('owner_not_a_guest');
		const bConvened = await cast.deputy.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueB,
			p_description: 'X',
			p_owner_kind: 'club'
		});
		expect(bConvened.error?.message).toContain('not_allowed');
		const empty = await cast.leader.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueA,
			p_description: '  ',
			p_owner_kind: 'club'
		});
		expect(refusalKind(empty.error)).toBe('check');
		const long = await cast.leader.client.rpc('agree_action', {
			p_id: newId(),
			p_dialogue: dialogueA,
			p_description: 'x'.repeat(1001),
			p_owner_kind: 'club'
		});
		expect(refusalKind(long.error)).toBe('check');
	});

	it('the responsible guest and the conveners report progress and move the status; others cannot', async () => {
		for (const who of [union, muted, cast.member, cast.deputy, bGuest, cast.outsider]) {
			const res = await who.client.rpc('post_action_update', {
				p_id: newId(),
				p_action: actionId,
				p_body: 'Xong rồi',
				p_status: 'done'
			});
			expect(res.error?.message, who.email).toContain('not_allowed');
		}
		const direct = await landlord.client
			.from('dialogue_actions')
			.update({ status: 'done' })
			.eq('id', actionId)
			.select('id');
		expect(refusedOrNoRows(direct)).toBe(true);
		const started = await landlord.client.rpc('post_action_update', {
			p_id: newId(),
			p_action: actionId,
			p_body: 'Đã báo bảo vệ',
			p_status: 'in_progress'
		});
		expect(started.error).toBeNull();
		const drop = await landlord.client.rpc('post_action_update', {
			p_id: newId(),
			p_action: actionId,
			p_status: 'dropped'
		});
		expect(drop.error?.message).toContain('dropped_needs_reason');
		const updateId = newId();
		expect(
			(
				await landlord.client.rpc('post_action_update', {
					p_id: updateId,
					p_action: actionId,
					p_body: 'Cổng mở đến 23 giờ từ hôm nay',
					p_status: 'done'
				})
			).error
		).toBeNull();
		// A replay of the same update is stored once.
		expect(
			(
				await landlord.client.rpc('post_action_update', {
					p_id: updateId,
					p_action: actionId,
					p_body: 'Cổng mở đến 23 giờ từ hôm nay',
					p_status: 'done'
				})
			).error
		).toBeNull();
		expect((await stack.sql('select 1 from public.action_updates where id = $1', [updateId])).length).toBe(1);
		const [row] = await stack.sql<{ status: string; done_at: string | null }>(
			'select status::text, done_at from public.dialogue_actions where id = $1',
			[actionId]
		);
		expect(row.status).toBe('done');
		expect(row.done_at).not.toBeNull();
		const listed = await cast.facilitator.client.rpc('list_actions', { p_space: spaceId, p_status: 'done' });
		expect(listed.data?.map((a) => a.id)).toContain(actionId);
		expect((await union.client.rpc('list_actions', {})).data?.map((a) => a.id)).toEqual([actionId]);
	});

	it('a guest of the responsible organisation reports too; removed guests cannot', async () => {
		const orgAction = newId();
		expect(
			(
				await cast.leader.client.rpc('agree_action', {
					p_id: orgAction,
					p_dialogue: dialogueA,
					p_description: 'Kiểm tra an toàn điện',
					p_owner_kind: 'organisation',
					p_owner_organisation: 'công đoàn kcn'
				})
			).error
		).toBeNull();
		expect(
			(
				await union.client.rpc('post_action_update', {
					p_id: newId(),
					p_action: orgAction,
					p_body: 'Đã lên lịch'
				})
			).error
		).toBeNull();
		expect(
			(await gone.client.rpc('post_action_update', { p_id: newId(), p_action: orgAction, p_body: 'x' })).error
				?.message
		).toContain('not_allowed');
	});
});

describe('removal and the live channel', () => {
	const subscribe = (who: Person, topic: string) =>
		new Promise<{ status: string; channel: RealtimeChannel }>((resolve) => {
			const channel = who.client.channel(topic, { config: { private: true } });
			channel.subscribe((status) => {
				if (status !== 'CLOSED') resolve({ status, channel });
			});
		});

	it('a removed guest reads and writes nothing any more', async () => {
		expect((await gone.client.from('threads').select('id').eq('id', dialogueA)).data).toEqual([]);
		expect((await gone.client.from('posts').select('id').eq('thread_id', dialogueA)).data).toEqual([]);
		expect((await gone.client.from('dialogue_actions').select('id')).data).toEqual([]);
		expect((await gone.client.rpc('my_dialogues')).data).toEqual([]);
		expect((await gone.client.rpc('dialogue_overview', { p_dialogue: dialogueA })).data).toEqual([]);
		expect(refusalKind((await reply(gone, dialogueA, 'Còn tôi')).error)).toBe('row_security');
		const edit = await gone.client
			.from('posts')
			.update({ body: 'Sửa' })
			.eq('thread_id', dialogueA)
			.select('id');
		expect(refusedOrNoRows(edit)).toBe(true);
	});

	it('guests join their dialogue’s channel, never the space’s; removed guests are refused', async () => {
		const ok = await subscribe(landlord, `dialogue:${dialogueA}`);
		expect(ok.status).toBe('SUBSCRIBED');
		for (const topic of [`space:${spaceId}`, `dialogue:${dialogueB}`, `thread:${threadId}`]) {
			const refused = await subscribe(landlord, topic);
			expect(refused.status, topic).not.toBe('SUBSCRIBED');
			await landlord.client.removeChannel(refused.channel);
		}
		const removed = await subscribe(gone, `dialogue:${dialogueA}`);
		expect(removed.status).not.toBe('SUBSCRIBED');
		await landlord.client.removeChannel(ok.channel);
		await gone.client.removeChannel(removed.channel);
		const member = await subscribe(cast.member, `dialogue:${dialogueA}`);
		expect(member.status).toBe('SUBSCRIBED');
		await cast.member.client.removeChannel(member.channel);
	});
});

// A dialogue's invite link opened again (issue 22): whoever reads the
// dialogue already is sent into it; anyone else learns why a code does not
// work, and the dialogue's id and title only from a usable code (as
// dialogue_invite_preview() tells it).
describe('dialogue_invite_state()', () => {
	const state = (who: Person | typeof cast.anon, code: string) =>
		who.client.rpc('dialogue_invite_state', { p_code: code });
	const title = 'Đối thoại với chủ nhà trọ';

	it('sends the space’s members and the dialogue’s guests (muted ones too) into it', async () => {
		const usable = await dialogueInvite(cast.leader, dialogueA);
		const cancelled = await dialogueInvite(cast.leader, dialogueA);
		await cast.leader.client
			.from('dialogue_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', cancelled.code);
		for (const who of [cast.facilitator, cast.leader, cast.deputy, cast.member, landlord, union, muted]) {
			for (const code of [usable.code, cancelled.code]) {
				const { data, error } = await state(who, code);
				expect(error).toBeNull();
				expect(data, who.email).toEqual([
					{ state: 'reader', dialogue_id: dialogueA, title, space_name: 'CoP Lao động nữ' }
				]);
			}
		}
	});

	it('gives no dialogue id to a removed guest, another dialogue’s guest, an outsider or anon', async () => {
		const usable = await dialogueInvite(cast.leader, dialogueA);
		for (const who of [gone, bGuest, cast.outsider, cast.removed, cast.anon]) {
			const { data, error } = await state(who, usable.code);
			expect(error).toBeNull();
			expect(data).toEqual([{ state: 'usable', dialogue_id: null, title, space_name: 'CoP Lao động nữ' }]);
		}
	});

	it('says which of cancelled, expired, used up or closed, and nothing about the dialogue', async () => {
		const expired = await dialogueInvite(cast.leader, dialogueA, {
			expires_at: new Date(Date.now() - 60_000).toISOString()
		});
		const usedUp = await dialogueInvite(cast.leader, dialogueA, { max_uses: 1 });
		expect((await join(await signedInUser(stack, 'Dùng hết'), usedUp.code)).error).toBeNull();
		const cancelled = await dialogueInvite(cast.leader, dialogueA);
		await cast.leader.client
			.from('dialogue_invites')
			.update({ revoked_at: new Date().toISOString() })
			.eq('code', cancelled.code);
		const over = await conveneDialogue(cast.leader, spaceId, { title: 'Đã kết thúc', agenda: [] });
		const closed = await dialogueInvite(cast.leader, over);
		expect(
			(await cast.leader.client.from('dialogues').update({ status: 'concluded' }).eq('id', over).select('id'))
				.data
		).toHaveLength(1);
		for (const who of [cast.anon, cast.outsider, gone]) {
			for (const [word, code] of [
				['expired', expired.code],
				['used_up', usedUp.code],
				['cancelled', cancelled.code],
				['closed', closed.code]
			]) {
				const { data, error } = await state(who, code);
				expect(error).toBeNull();
				expect(data, word).toEqual([{ state: word, dialogue_id: null, title: null, space_name: null }]);
			}
			expect((await state(who, 'ZZZZZZZZ')).data).toEqual([]);
		}
	});
});
