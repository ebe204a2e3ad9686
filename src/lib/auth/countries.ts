// The countries a phone form offers, named in the page's language.
import { m } from '$lib/paraglide/messages';

export function countryLabel(code: string): string {
	if (code === '84') return m.country_84();
	if (code === '855') return m.country_855();
	return m.country_other({ code });
}

/** A number as people there write it, for the field's hint. */
export const exampleNumber = (code: string) =>
	code === '855' ? '012 345 678' : code === '84' ? '090 123 4567' : '';
