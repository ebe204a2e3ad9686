import { browser } from '$app/env';
import { overwriteGetLocale, type Locale } from '$lib/paraglide/runtime';

let pageLocale: Locale | undefined;

/**
 * In the browser, every message asks paraglide's `getLocale()`, which re-reads
 * `document.cookie` at every microtask (its cache lasts one), the first read a
 * round trip to the browser process: 25–34 ms of the thread page's start at
 * CPU 6× (src/lib/loading/README.md). A page's language is the one the server rendered
 * it in (the root layout's `data.locale`), so the root layout hands it here and
 * every message reads it. Called again when that changes (signing in can switch
 * it without a full page load). On the server paraglide's own getLocale stays:
 * there the locale is per request (AsyncLocalStorage), never a module variable.
 */
export function usePageLocale(locale: Locale) {
	if (!browser) return;
	if (pageLocale === undefined) overwriteGetLocale(() => pageLocale!);
	pageLocale = locale;
}
