// One Intl.NumberFormat per locale and set of options. Building one is slow
// (its locale data is looked up each time): the draft page built one per amount of
// its budget while it hydrated, 29% of its longest task on a 6×-slowed phone.
const formats = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
	const key = `${locale} ${JSON.stringify(options)}`;
	let format = formats.get(key);
	if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
	return format;
}
