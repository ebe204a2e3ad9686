import { describe, expect, it } from 'vitest';
import { endpointAllowed } from './endpoint';
import { excerpt, notificationFor, urlFor, type PushBundle } from './payload';

const bundle = (over: Partial<PushBundle> = {}): PushBundle => ({
	user_id: 'u',
	group_key: 'thread:t1',
	job_ids: ['j1'],
	kind: 'reply',
	language: 'km',
	space_id: 's1',
	space_name: 'ក្រុមស្ត្រី',
	sensitive: false,
	thread_id: 't1',
	thread_title: 'ប្រាក់ខែ',
	is_dialogue: false,
	post_id: 'p1',
	author_name: 'សុខា',
	anonymous: false,
	excerpt: 'ខ្ញុំ **យល់ព្រម**',
	gathered: 1,
	action_id: null,
	action_description: null,
	subscriptions: [],
	...over
});

describe('notificationFor', () => {
	it('writes in the recipient’s language and opens the thread', () => {
		expect(notificationFor(bundle())).toEqual({
			title: 'សុខា បានឆ្លើយតបក្នុង «ប្រាក់ខែ»',
			body: 'ខ្ញុំ យល់ព្រម',
			url: '/spaces/s1/threads/t1',
			tag: 'thread:t1',
			lang: 'km'
		});
		expect(notificationFor(bundle({ language: 'vi', kind: 'mention' })).title).toBe(
			'សុខា đã nhắc đến bạn trong “ប្រាក់ខែ”'
		);
	});

	it('gathers several posts of one thread into one notification', () => {
		const n = notificationFor(
			bundle({ language: 'en', gathered: 3, kind: 'dialogue_post', is_dialogue: true })
		);
		expect(n.title).toBe('3 new messages in “ប្រាក់ខែ”');
		expect(n.body).toBe('សុខា: ខ្ញុំ យល់ព្រម');
		expect(n.url).toBe('/dialogues/t1');
	});

	it('never names the author of an anonymous post', () => {
		const n = notificationFor(bundle({ language: 'en', anonymous: true, author_name: null }));
		expect(n.title).toBe('A member of ក្រុមស្ត្រី replied in “ប្រាក់ខែ”');
	});

	it('says only "New activity" for a sensitive space', () => {
		const n = notificationFor(
			bundle({ language: 'en', sensitive: true, thread_title: null, author_name: null, excerpt: null })
		);
		expect(n).toMatchObject({ title: 'New activity in ក្រុមស្ត្រី', body: 'Open Sahakum to read it.' });
	});

	it('actions open the action', () => {
		const n = notificationFor(
			bundle({ language: 'en', kind: 'action_assigned', action_id: 'a1', action_description: 'Fix the gate' })
		);
		expect(n).toMatchObject({
			title: 'A new action for you',
			body: 'Fix the gate',
			url: '/dialogues/t1/actions/a1'
		});
		expect(urlFor({ space_id: 's', thread_id: null, is_dialogue: false, action_id: null })).toBe('/spaces/s');
	});
});

describe('excerpt', () => {
	it('is one plain line, cut at a word', () => {
		expect(excerpt('- one\n- two')).toBe('one two');
		expect(excerpt(`${'word '.repeat(40)}`, 20)).toBe('word word word word…');
		expect(excerpt(null)).toBe('');
	});
});

describe('endpointAllowed', () => {
	it('takes https to the browsers’ push services only, unless the tests allow their local push service', () => {
		expect(endpointAllowed('https://fcm.googleapis.com/fcm/send/abc', false)).toBe(true);
		expect(endpointAllowed('https://updates.push.services.mozilla.com/wpush/v2/x', false)).toBe(true);
		expect(endpointAllowed('https://push.example.org/x', false, ['push.example.org'])).toBe(true);
		for (const bad of [
			'https://fcm.googleapis.com.evil.example/x',
			'https://example.org/x',
			'http://fcm.googleapis.com/x',
			'https://localhost/x',
			'https://127.0.0.1/x',
			'https://10.0.0.5/x',
			'https://192.168.1.1/x',
			'https://169.254.169.254/latest',
			'https://[::1]/x',
			'file:///etc/passwd',
			'not a url'
		]) {
			expect(endpointAllowed(bad, false), bad).toBe(false);
		}
		expect(endpointAllowed('http://localhost:8090/notify/x', true)).toBe(true);
		expect(endpointAllowed('file:///etc/passwd', true)).toBe(false);
	});
});
