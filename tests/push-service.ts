// A push service on this machine for the tests: web-push-testing's server in
// this process (no internet). It hands out subscriptions (endpoint + keys) as a
// browser's push service would, checks the VAPID signature of what the app
// server sends, decrypts it (aes128gcm) and keeps the messages for the test to
// read; an expired subscription answers 410 like a real one.
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { freePort } from '../scripts/free-port';

const require = createRequire(import.meta.url);

interface TestingServer {
	startServer(): void;
	_server: Server;
}
type TestingServerClass = new (model: unknown, port: number) => TestingServer;

export interface TestSubscription {
	endpoint: string;
	keys: { p256dh: string; auth: string };
	clientHash: string;
}

export interface LocalPushService {
	url: string;
	subscribe(applicationServerKey: string): Promise<TestSubscription>;
	/** The decrypted payloads sent to this subscription, oldest first. */
	messages(clientHash: string): Promise<string[]>;
	/** From now on this subscription answers 410 Gone. */
	expire(clientHash: string): Promise<void>;
	stop(): Promise<void>;
}

export async function startPushService(): Promise<LocalPushService> {
	const TestingServerImpl = require('web-push-testing/src/server.js') as TestingServerClass;
	const { PushApiModel } = require('web-push-testing/src/PushApiModel.js') as {
		PushApiModel: new () => unknown;
	};
	const port = await freePort();
	const server = new TestingServerImpl(new PushApiModel(), port);
	server.startServer(); // prints "Server running on port …"
	await new Promise<void>((resolve) => {
		if (server._server.listening) resolve();
		else server._server.once('listening', () => resolve());
	});
	const url = `http://localhost:${port}`;
	const post = async (path: string, body: unknown) => {
		const response = await fetch(`${url}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
		if (!response.ok) throw new Error(`push service ${path}: ${response.status} ${await response.text()}`);
		return response.status === 200 ? (response.json().catch(() => null) as Promise<unknown>) : null;
	};
	return {
		url,
		async subscribe(applicationServerKey) {
			const answer = (await post('/subscribe', { userVisibleOnly: 'true', applicationServerKey })) as {
				data: TestSubscription;
			};
			return answer.data;
		},
		async messages(clientHash) {
			const answer = (await post('/get-notifications', { clientHash })) as { data: { messages: string[] } };
			return answer.data.messages;
		},
		async expire(clientHash) {
			await fetch(`${url}/expire-subscription/${clientHash}`, { method: 'POST' });
		},
		stop: () =>
			new Promise<void>((resolve) => {
				server._server.closeAllConnections();
				server._server.close(() => resolve());
			})
	};
}
