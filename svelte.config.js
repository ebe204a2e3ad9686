import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ precompress: true }),
		// SvelteKit's CSRF origin check stays on (the default); forms post same-origin only.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte writes style attributes for transitions; scripts stay strict.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'font-src': ['self'],
				// The Supabase origin is added per request in hooks.server.ts, because
				// PUBLIC_SUPABASE_URL is read at run time, not build time.
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		serviceWorker: { register: false },
		// A page's CSS (a few KiB) goes inside its HTML: no render-blocking request
		// before the first paint, which on a 300 ms-RTT phone link is most of the wait.
		inlineStyleThreshold: 10 * 1024,
		version: { pollInterval: 5 * 60 * 1000 }
	}
};

export default config;
