// What a text field's counter says: characters left under the limit, and past
// it how many too many (never "-1 characters left"), plural-aware per language.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

export function charactersCounter(max: number, length: number, locale?: Locale): string {
	const left = max - length;
	const options = locale ? { locale } : {};
	return left < 0 ? m.chars_over({ count: -left }, options) : m.chars_left({ count: left }, options);
}
