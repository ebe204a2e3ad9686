// Sizes, kinds and languages of library items, as people read them.
import { type Language } from '$lib/vocabulary';
import { m } from '$lib/paraglide/messages';
import { localeNames } from '$lib/i18n/locales';
import type { LibraryKind } from './limits';

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
