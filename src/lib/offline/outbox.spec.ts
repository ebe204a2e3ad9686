// A phone that kept items in the first outbox (one shape per kind, sent by a
// second writer in the browser) still sends them after the update: opening the
// outbox turns each into the form submission the page would make today, with
// its key, order and state.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { OUTBOX_DB } from '$lib/keys';
import { actionName, outboxItems } from './outbox';

const user = '6f1c1a43-0000-4000-8000-000000000001';
const common = { userId: user, state: 'waiting', attempts: 0 };

describe('the outbox of an earlier version', () => {
	it('becomes form submissions, in the same order, nothing dropped', async () => {
		const old = await openDB(OUTBOX_DB, 1, {
			upgrade(database) {
				database.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byCreated', 'createdAt');
			}
		});
		await old.put('outbox', {
			...common,
			id: 'a',
			createdAt: 1,
			kind: 'reply',
			spaceId: 's',
			threadId: 't',
			body: 'Xin chào'
		});
		await old.put('outbox', {
			...common,
			id: 'b',
			createdAt: 2,
			kind: 'thread',
			spaceId: 's',
			title: 'Họp',
			topic: 'health',
			body: 'Tối nay'
		});
		await old.put('outbox', {
			...common,
			id: 'c',
			createdAt: 3,
			kind: 'reaction',
			postId: 'p',
			threadId: 't',
			reaction: 'thanks',
			op: 'remove'
		});
		await old.put('outbox', {
			...common,
			id: 'd',
			createdAt: 4,
			kind: 'dialogue_post',
			spaceId: 's',
			threadId: 'g',
			body: 'Ẩn danh',
			anonymous: true
		});
		await old.put('outbox', {
			...common,
			id: 'e',
			createdAt: 5,
			state: 'refused',
			reason: 'Quá dài',
			kind: 'action_update',
			threadId: 'g',
			actionId: 'x',
			body: '',
			status: 'done'
		});
		old.close();

		const items = await outboxItems(user);
		expect(items.map((item) => [item.id, item.action, item.page, item.fields, item.state])).toEqual([
			['a', '/spaces/s/threads/t?/reply', '/spaces/s/threads/t', { id: 'a', body: 'Xin chào' }, 'waiting'],
			[
				'b',
				'/spaces/s/threads/new',
				'/spaces/s',
				{ id: 'b', title: 'Họp', topic: 'health', body: 'Tối nay' },
				'waiting'
			],
			['c', '/dialogues/t?/react', '', { post_id: 'p', kind: 'thanks', on: '0' }, 'waiting'],
			['d', '/dialogues/g?/reply', '/dialogues/g', { id: 'd', body: 'Ẩn danh', anonymous: '1' }, 'waiting'],
			[
				'e',
				'/dialogues/g/actions/x?/update',
				'/dialogues/g/actions/x',
				{ id: 'e', body: '', status: 'done' },
				'refused'
			]
		]);
		expect(items[4].reason).toBe('Quá dài');
		expect(items.map(actionName)).toEqual(['reply', 'default', 'react', 'reply', 'update']);
	});
});
