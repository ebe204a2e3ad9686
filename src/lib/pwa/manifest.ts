// The web app manifest. One manifest serves all three languages, so the name
// is the product name (Sahakum, "community" in Khmer) and the description is
// English; per-language names would need a manifest per locale.
export const manifest = {
	id: '/',
	name: 'Sahakum',
	short_name: 'Sahakum',
	description:
		'Communities of practice, women’s clubs, stakeholder dialogues and shared resources — Cộng đồng thực hành — សហគមន៍អ្នកអនុវត្ត',
	lang: 'en',
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
