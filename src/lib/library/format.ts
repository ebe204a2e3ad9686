// Sizes, kinds and languages of library items, as people read them.
import { type Language } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { localeNames } from '$lib/i18n/locales';
import type { LibraryKind } from './limits';

/** "850 KB", "3.2 MB": data is expensive, so sizes are shown before every download. */
export function formatBytes(bytes: number, locale: string = getLocale()): string {
	const number = (value: number, digits: number) =>
		new Intl.NumberFormat(locale === 'en' ? 'en-GB' : locale, { maximumFractionDigits: digits }).format(
			value
		);
	if (bytes < 1024) return `${number(bytes, 0)} B`;
	if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)), 0)} KB`;
	return `${number(bytes / (1024 * 1024), bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export const kindLabel = (kind: LibraryKind) =>
	({
		document: m.library_kind_document,
		image: m.library_kind_image,
		audio: m.library_kind_audio,
		video: m.library_kind_video,
		link: m.library_kind_link
	})[kind]();

/** Each language named in itself (as the language switcher does). */
export const languageLabel = (language: Language) => localeNames[language];

export const KINDS: LibraryKind[] = ['document', 'image', 'audio', 'video', 'link'];
