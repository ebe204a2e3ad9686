// The web app manifest, in the person's language: the name under the icon
// and the description the phone shows when installing. Served by the route
// /manifest.webmanifest (the language comes from the same cookie as the
// pages'); the icons and colours are the same in every language.
import type { Locale } from '$lib/paraglide/runtime';

const words: Record<Locale, { name: string; short_name: string; description: string }> = {
	en: {
		name: 'Sahakum',
		short_name: 'Sahakum',
		description: 'Communities of practice, women’s clubs, stakeholder dialogues and shared resources'
	},
	vi: {
		name: 'Sahakum — Cộng đồng',
		short_name: 'Sahakum',
		description: 'Cộng đồng thực hành, câu lạc bộ phụ nữ, đối thoại với các bên và thư viện tài liệu chung'
	},
	km: {
		name: 'សហគមន៍ Sahakum',
		short_name: 'សហគមន៍',
		description: 'សហគមន៍អ្នកអនុវត្ត ក្លឹបស្ត្រី កិច្ចសន្ទនាជាមួយភាគីពាក់ព័ន្ធ និងបណ្ណាល័យធនធានរួម'
	}
};

export function manifestFor(locale: Locale) {
	return {
		id: '/',
		...words[locale],
		lang: locale,
		dir: 'ltr',
		start_url: '/',
		scope: '/',
		display: 'standalone' as const,
		orientation: 'portrait' as const,
		background_color: '#fffaf3',
		theme_color: '#0f6e5c',
		categories: ['social', 'education', 'productivity'],
		icons: [
			{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
			{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
			{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
		]
	};
}
