// One error shape for every form in the app: a message key (translated where
// it is shown) plus its parameters. Actions return these inside `fail(...)`.
import { m } from '$lib/paraglide/messages';

export type MessageKey = keyof typeof m;
export type Problem = { key: MessageKey; params?: Record<string, string | number> };

export const problem = (key: MessageKey, params?: Problem['params']): Problem => ({ key, params });

export function translate(p: Problem): string {
	const message = m[p.key] as (params?: Record<string, unknown>) => string;
	return message(p.params ?? {});
}
