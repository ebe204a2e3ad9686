// The app's sign-in form actions, called as SvelteKit calls them: a POST with
// form fields, the client's address, a cookie jar per browser, and
// `locals.supabase` made by the app's own requestClient() against the test
// stack. Each loadAppServer() is a fresh module graph: a second app server,
// sharing nothing with the first but the stack (and its database).
import { isRedirect } from '@sveltejs/kit';
import { vi } from 'vitest';
import type { Stack } from '../../../supabase/local/stack';

const ROUTES = {
	signIn: ['/sign-in', () => import('../../../src/routes/(auth)/sign-in/+page.server')],
	code: ['/sign-in/code', () => import('../../../src/routes/(auth)/sign-in/code/+page.server')],
	signInPhone: ['/sign-in/phone', () => import('../../../src/routes/(auth)/sign-in/phone/+page.server')],
	signUpPhone: ['/sign-up/phone', () => import('../../../src/routes/(auth)/sign-up/phone/+page.server')],
	signUp: ['/sign-up', () => import('../../../src/routes/(auth)/sign-up/+page.server')],
	verify: ['/verify', () => import('../../../src/routes/(auth)/verify/+page.server')],
	reset: ['/reset-password', () => import('../../../src/routes/(auth)/reset-password/+page.server')],
	profilePhone: ['/profile/phone', () => import('../../../src/routes/(app)/profile/phone/+page.server')]
} as const;
type Route = keyof typeof ROUTES;
type ActionFn = (event: never) => Promise<unknown>;

/** A browser at one client address, with its own cookies. */
export class Browser {
	readonly jar = new Map<string, string>();
	constructor(readonly address: string) {}
	get signedIn() {
		return [...this.jar.keys()].some((name) => /^sb-.+-auth-token(\.\d+)?$/.test(name));
	}
}

export interface Answer {
	status: number;
	location?: string;
	/** The refused form's whole-form or field messages, joined. */
	message?: string;
}

export async function loadAppServer(stack: Stack) {
	process.env.PUBLIC_SUPABASE_URL = stack.url;
	process.env.PUBLIC_SUPABASE_ANON_KEY = stack.publishableKey;
	// The throttle's counter key (src/lib/auth/throttle-key.server.ts): the same for every app server.
	process.env.SUPABASE_SECRET_KEY = stack.secretKey;
	vi.resetModules();
	const { requestClient } = await import('$lib/server/supabase');
	const modules = Object.fromEntries(
		await Promise.all(
			Object.entries(ROUTES).map(async ([name, [, load]]) => [name, (await load()).actions] as const)
		)
	) as unknown as Record<Route, Record<string, ActionFn>>;

	return async function submit(
		browser: Browser,
		route: Route,
		fields: Record<string, string>,
		{ action = 'default', search = '' } = {}
	): Promise<Answer> {
		const url = new URL(`http://app.test${ROUTES[route][0]}${search}`);
		const body = new FormData();
		for (const [name, value] of Object.entries(fields)) body.set(name, value);
		const cookies = {
			get: (name: string) => browser.jar.get(name),
			getAll: () => [...browser.jar].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string, options: { maxAge?: number }) => {
				if (options?.maxAge === 0) browser.jar.delete(name);
				else browser.jar.set(name, value);
			},
			delete: (name: string) => browser.jar.delete(name),
			serialize: () => ''
		};
		const supabase = requestClient(cookies, fetch);
		const event = {
			request: new Request(url, { method: 'POST', body }),
			url,
			cookies,
			fetch,
			params: {},
			locals: { supabase, getUser: async () => (await supabase.auth.getUser()).data.user },
			getClientAddress: () => browser.address
		};
		try {
			const result = (await modules[route][action](event as never)) as
				{ status: number; data: { problems?: Record<string, string> } } | Record<string, unknown> | undefined;
			if (result && 'status' in result && typeof result.status === 'number' && 'data' in result) {
				const problems = (result.data as { problems?: Record<string, string> }).problems ?? {};
				return { status: result.status, message: Object.values(problems).join(' ') };
			}
			return { status: 200 };
		} catch (error) {
			if (isRedirect(error)) return { status: error.status, location: error.location };
			throw error;
		}
	};
}

export type AppServer = Awaited<ReturnType<typeof loadAppServer>>;
