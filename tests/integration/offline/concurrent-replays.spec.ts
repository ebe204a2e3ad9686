// The outbox sends an item again under the same id when an answer was lost,
// and the first send may still be running (a slow network, a second tab).
// Several identical calls at the same moment: every one answers the same id,
// the row exists once. On PGlite (one session) calls never overlap; the
// PostgreSQL lane (`npm run test:postgres`) runs them truly at once, which is
// where start_thread and its kin once failed with a duplicate key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack';
import { newId } from '../helpers/spaces';
import { signUpCast, spaceWithCast, type Cast } from '../helpers/cast';
import { conveneDialogue } from '../helpers/dialogues';

const AT_ONCE = 6;
let stack: TestStack;
let cast: Cast;
let spaceId: string;

beforeAll(async () => {
	stack = await startTestStack();
	cast = await signUpCast(stack);
	spaceId = await spaceWithCast(cast);
});
afterAll(async () => {
	await stack?.stop();
});

const count = async (sql: string, id: string) =>
	Number((await stack.sql<{ n: number | string }>(sql, [id]))[0].n);

describe('the same item sent several times at once', () => {
	it('a new thread: one thread with one opening post, every call answers its id', async () => {
		const id = newId();
		const answers = await Promise.all(
			Array.from({ length: AT_ONCE }, () =>
				cast.member.client.rpc('start_thread', {
					p_id: id,
					p_space: spaceId,
					p_title: 'Giá điện tháng này',
					p_body: 'Chủ trọ tính 4.000 đ một số.',
					p_topic: 'club_life'
				})
			)
		);
		expect(answers.map((a) => a.error)).toEqual(answers.map(() => null));
		expect(answers.map((a) => a.data)).toEqual(answers.map(() => id));
		expect(await count('select count(*) as n from public.threads where id = $1', id)).toBe(1);
		expect(await count('select count(*) as n from public.posts where thread_id = $1', id)).toBe(1);
	});

	it('an anonymous dialogue post and a progress update: stored once, every call answers its id', async () => {
		const dialogueId = await conveneDialogue(cast.facilitator, spaceId);
		const postId = newId();
		const posts = await Promise.all(
			Array.from({ length: AT_ONCE }, () =>
				cast.member.client.rpc('post_anonymously', {
					p_id: postId,
					p_dialogue: dialogueId,
					p_body: 'Khóa cổng lúc 22 giờ là quá sớm.'
				})
			)
		);
		expect(posts.map((a) => a.error)).toEqual(posts.map(() => null));
		expect(await count('select count(*) as n from public.posts where id = $1', postId)).toBe(1);
		// Somebody else replaying that id is refused, not told it worked.
		const other = await cast.leader.client.rpc('post_anonymously', {
			p_id: postId,
			p_dialogue: dialogueId,
			p_body: 'Không phải của tôi.'
		});
		expect(other.error?.message).toContain('not_allowed');

		const actionId = newId();
		const agreed = await cast.facilitator.client.rpc('agree_action', {
			p_id: actionId,
			p_dialogue: dialogueId,
			p_description: 'Mở cổng đến 23 giờ',
			p_owner_kind: 'club',
			p_due_on: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
		});
		expect(agreed.error).toBeNull();
		const updateId = newId();
		const updates = await Promise.all(
			Array.from({ length: AT_ONCE }, () =>
				cast.facilitator.client.rpc('post_action_update', {
					p_id: updateId,
					p_action: actionId,
					p_body: 'Đã nói chuyện với chủ trọ.',
					p_status: 'in_progress'
				})
			)
		);
		expect(updates.map((a) => a.error)).toEqual(updates.map(() => null));
		expect(await count('select count(*) as n from public.action_updates where id = $1', updateId)).toBe(1);
	});
});
