// The app's form actions, called as SvelteKit calls them: a POST with form
// fields, the client's address, a cookie jar per browser, and
// `locals.supabase` made by the app's own requestClient() against the test
// stack. Each loadAppServer() is a fresh module graph: a second app server,
// sharing nothing with the first but the stack (and its database).
//
// Two ways in: `submit` (the sign-in pages, answered as a status and a
// message), and `actionFetch` (the pages people write on: a `fetch` that
// answers a `use:enhance` request, `x-sveltekit-action`, with the JSON
// ActionResult SvelteKit's server makes, as the browser's outbox reads it).
import { isActionFailure, isHttpError, isRedirect, json } from '@sveltejs/kit';
import * as devalue from 'devalue';
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

/** The pages whose forms can wait in the outbox, by path (first match wins, as SvelteKit's static segments do). */
const WRITING_PAGES: [RegExp, string[], () => Promise<{ actions: Record<string, ActionFn> }>][] = [
	[
		/^\/spaces\/([^/]+)\/threads\/new$/,
		['spaceId'],
		() => import('../../../src/routes/(app)/spaces/[spaceId]/threads/new/+page.server')
	],
	[
		/^\/spaces\/([^/]+)\/threads\/([^/]+)$/,
		['spaceId', 'threadId'],
		() => import('../../../src/routes/(app)/spaces/[spaceId]/threads/[threadId]/+page.server')
	],
	[
		/^\/dialogues\/([^/]+)$/,
		['dialogueId'],
		() => import('../../../src/routes/(app)/dialogues/[dialogueId]/+page.server')
	],
	[
		/^\/spaces\/([^/]+)\/library\/([^/]+)$/,
		['spaceId', 'resourceId'],
		() => import('../../../src/routes/(app)/spaces/[spaceId]/library/[resourceId]/+page.server')
	],
	[
		/^\/library\/([^/]+)$/,
		['resourceId'],
		() => import('../../../src/routes/(app)/library/[resourceId]/+page.server')
	],
	[
		/^\/dialogues\/([^/]+)\/actions\/([^/]+)$/,
		['dialogueId', 'actionId'],
		() => import('../../../src/routes/(app)/dialogues/[dialogueId]/actions/[actionId]/+page.server')
	]
];

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
	const writing = await Promise.all(
		WRITING_PAGES.map(async ([path, names, load]) => [path, names, (await load()).actions] as const)
	);

	/** The request as the app's hooks hand it to an action: the session from the cookies, the user checked by the auth server. */
	function requestEvent(browser: Browser, url: URL, request: Request, params: Record<string, string>) {
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
		return {
			request,
			url,
			cookies,
			fetch,
			params,
			// Asks the auth server every time, so a changed user needs nothing forgotten.
			locals: {
				supabase,
				getUser: async () => (await supabase.auth.getUser()).data.user,
				userChanged: () => Promise.resolve()
			},
			getClientAddress: () => browser.address
		};
	}

	async function submit(
		browser: Browser,
		route: Route,
		fields: Record<string, string>,
		{ action = 'default', search = '' } = {}
	): Promise<Answer> {
		const url = new URL(`http://app.test${ROUTES[route][0]}${search}`);
		const body = new FormData();
		for (const [name, value] of Object.entries(fields)) body.set(name, value);
		const event = requestEvent(browser, url, new Request(url, { method: 'POST', body }), {});
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
	}

	/**
	 * A `fetch` for one browser that answers form-action posts to the writing
	 * pages as SvelteKit's server does for `use:enhance` (runtime/server/page/
	 * actions.js, handle_action_json_request): the action named by `?/name`
	 * ("default" without one), its result as JSON with the data through
	 * devalue.stringify; a failure and a redirect with HTTP 200, an error
	 * thrown by the action with its own status.
	 */
	function actionFetch(browser: Browser): typeof fetch {
		return async (input, init) => {
			const url = new URL(input instanceof Request ? input.url : String(input), 'http://app.test');
			const request = new Request(url, { ...init, signal: null });
			const page = writing
				.map(([path, names, actions]) => ({ match: path.exec(url.pathname), names, actions }))
				.find(({ match }) => match);
			if (request.method !== 'POST' || !page?.match) return new Response('Not found', { status: 404 });
			const params = Object.fromEntries(page.names.map((name, i) => [name, page.match![i + 1]]));
			const name = [...url.searchParams.keys()].find((key) => key.startsWith('/'))?.slice(1) ?? 'default';
			const action = page.actions[name];
			if (!action)
				return json(
					{ type: 'error', error: { message: `No action with name '${name}' found` } },
					{ status: 404 }
				);
			try {
				const data = (await action(requestEvent(browser, url, request, params) as never)) as
					Record<string, unknown> | undefined;
				if (isActionFailure(data))
					return json({ type: 'failure', status: data.status, data: devalue.stringify(data.data) });
				return json({ type: 'success', status: data ? 200 : 204, data: devalue.stringify(data) });
			} catch (error) {
				if (isRedirect(error))
					return json({ type: 'redirect', status: error.status, location: error.location });
				if (isHttpError(error)) return json({ type: 'error', error: error.body }, { status: error.status });
				return json({ type: 'error', error: { message: 'Internal Error' } }, { status: 500 });
			}
		};
	}

	return Object.assign(submit, { actionFetch });
}

/** SvelteKit's `deserialize` (from $app/forms, which needs a browser): JSON, then the data through devalue. */
export function deserialize(text: string) {
	const parsed = JSON.parse(text) as { data?: unknown };
	if (typeof parsed.data === 'string') parsed.data = devalue.parse(parsed.data);
	return parsed as never;
}

export type AppServer = Awaited<ReturnType<typeof loadAppServer>>;
