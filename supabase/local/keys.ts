// Local-only API keys and JWT secret. Generated at the first start of a data
// directory and kept beside it (git-ignored), so they are never committed and
// a restart keeps existing sessions valid. In-memory stacks get fresh keys.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateApiKey } from '@supabase/lite';

export interface LocalKeys {
	publishableKey: string;
	secretKey: string;
	jwtSecret: string;
}

export async function generateKeys(): Promise<LocalKeys> {
	const [publishable, secret] = await Promise.all([generateApiKey('publishable'), generateApiKey('secret')]);
	return {
		publishableKey: publishable.key,
		secretKey: secret.key,
		jwtSecret: randomBytes(32).toString('base64url')
	};
}

export async function loadOrCreateKeys(file: string): Promise<LocalKeys> {
	if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalKeys;
	const keys = await generateKeys();
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
	return keys;
}
