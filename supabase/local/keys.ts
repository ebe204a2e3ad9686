// Local-only API keys, JWT secret and VAPID key pair (web push). Generated at
// the first start of a data directory and kept beside it (git-ignored), so
// they are never committed and a restart keeps existing sessions (and phones'
// push subscriptions) valid. In-memory stacks get fresh keys.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '@supabase/lite';
import webpush from 'web-push';

export interface LocalKeys {
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
	/** Web push (VAPID): the app server's VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY. */
	vapidPublicKey: string;
	vapidPrivateKey: string;
}

function vapidKeys() {
	const { publicKey, privateKey } = webpush.generateVAPIDKeys();
	return { vapidPublicKey: publicKey, vapidPrivateKey: privateKey };
}

export async function generateKeys(): Promise<LocalKeys> {
	const [publishable, secret] = await Promise.all([generateApiKey('publishable'), generateApiKey('secret')]);
	return {
		publishableKey: publishable.key,
		secretKey: secret.key,
		jwtSecret: randomBytes(32).toString('base64url'),
		...vapidKeys()
	};
}

export async function loadOrCreateKeys(file: string): Promise<LocalKeys> {
	if (existsSync(file)) {
		const kept = JSON.parse(readFileSync(file, 'utf8')) as LocalKeys;
		if (kept.vapidPublicKey && kept.vapidPrivateKey) return kept;
		// A state folder from before web push: add the pair, keep everything else.
		const keys = { ...kept, ...vapidKeys() };
		writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
		return keys;
	}
	const keys = await generateKeys();
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
	return keys;
}
