// One call per request, shared by the loads that need its answer (a layout and
// its page run side by side in one request; see src/lib/threads/page.server.ts).
// Keyed by the request's locals, so nothing outlives the request.
const callsOfRequest = new WeakMap<App.Locals, Map<string, Promise<unknown>>>();

/** `call()` the first time `key` is asked for in this request; the same promise afterwards. */
export function oncePerRequest<T>(locals: App.Locals, key: string, call: () => Promise<T>): Promise<T> {
	let calls = callsOfRequest.get(locals);
	if (!calls) callsOfRequest.set(locals, (calls = new Map<string, Promise<unknown>>()));
	let answer = calls.get(key) as Promise<T> | undefined;
	if (!answer) calls.set(key, (answer = call()));
	return answer;
}
