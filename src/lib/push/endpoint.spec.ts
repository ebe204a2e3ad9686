import { describe, expect, it } from 'vitest';
import { endpointAllowed } from './endpoint';

describe('endpointAllowed', () => {
	it('takes https to the known push services and their subdomains only', () => {
		expect(endpointAllowed('https://fcm.googleapis.com/fcm/send/x', false)).toBe(true);
		expect(endpointAllowed('https://updates.push.services.mozilla.com/wpush/v2/x', false)).toBe(true);
		for (const url of [
			'http://fcm.googleapis.com/fcm/send/x',
			'https://fcm.googleapis.com.evil.example/x',
			'https://user@fcm.googleapis.com/x',
			'https://10.0.0.1/x',
			'http://127.0.0.1:9000/x',
			'not a url'
		]) {
			expect(endpointAllowed(url, false), url).toBe(false);
		}
		expect(endpointAllowed('https://push.example.org/x', false, ['example.org'])).toBe(true);
	});

	it('the tests’ switch adds http and https on loopback hosts, nothing else', () => {
		for (const url of ['http://127.0.0.1:9000/x', 'http://localhost:9000/x', 'http://[::1]:9000/x']) {
			expect(endpointAllowed(url, true), url).toBe(true);
		}
		for (const url of [
			'http://10.0.0.1/x',
			'http://169.254.169.254/latest/meta-data/',
			'https://internal.example.org/x',
			'http://localhost.evil.example/x',
			'ftp://127.0.0.1/x'
		]) {
			expect(endpointAllowed(url, true), url).toBe(false);
		}
	});
});
