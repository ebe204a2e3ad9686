// SvelteKit writes the Content-Security-Policy (with nonces/hashes) from
// svelte.config.js at build time. The Supabase origin is only known at run
// time, so it is added here to the directives that need it.
const directivesNeedingSupabase = ['connect-src', 'img-src', 'media-src'];

export function allowSupabaseOrigin(policy: string, supabaseUrl: string): string {
	const { origin, protocol, host } = new URL(supabaseUrl);
	const socketOrigin = `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}`;
	return policy
		.split(';')
		.map((directive) => {
			const name = directive.trim().split(/\s+/)[0];
			if (!directivesNeedingSupabase.includes(name)) return directive;
			const extra = name === 'connect-src' ? [origin, socketOrigin] : [origin];
			return `${directive.trimEnd()} ${extra.join(' ')}`;
		})
		.join(';');
}
