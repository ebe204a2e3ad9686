// iCalendar (RFC 5545) for one meeting and for a person's feed. Plain text,
// CRLF line ends, lines folded at 75 octets, text escaped; times in UTC.
export interface IcsEvent {
	uid: string;
	start: string;
	minutes: number;
	summary: string;
	location?: string;
	description?: string;
	url?: string;
	cancelled?: boolean;
	updated?: string;
}

const stamp = (iso: string) =>
	new Date(iso)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');

const escape = (text: string) =>
	text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets without cutting a UTF-8 character (Vietnamese and Khmer are multi-byte). */
export function fold(line: string): string {
	const encoder = new TextEncoder();
	const parts: string[] = [];
	let current = '';
	let size = 0;
	for (const char of line) {
		const bytes = encoder.encode(char).length;
		if (size + bytes > (parts.length ? 74 : 75)) {
			parts.push(current);
			current = '';
			size = 0;
		}
		current += char;
		size += bytes;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

export function calendar(events: IcsEvent[], name: string, now = new Date().toISOString()): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Sahakum//Meetings//EN',
		'CALSCALE:GREGORIAN',
		`X-WR-CALNAME:${escape(name)}`
	];
	for (const e of events) {
		const end = new Date(Date.parse(e.start) + e.minutes * 60_000).toISOString();
		lines.push(
			'BEGIN:VEVENT',
			`UID:${e.uid}@sahakum`,
			`DTSTAMP:${stamp(e.updated ?? now)}`,
			`DTSTART:${stamp(e.start)}`,
			`DTEND:${stamp(end)}`,
			`SUMMARY:${escape(e.summary)}`
		);
		if (e.location) lines.push(`LOCATION:${escape(e.location)}`);
		if (e.description) lines.push(`DESCRIPTION:${escape(e.description)}`);
		if (e.url) lines.push(`URL:${e.url}`);
		lines.push(`STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
	}
	lines.push('END:VCALENDAR');
	return lines.map(fold).join('\r\n') + '\r\n';
}

export const icsResponse = (body: string, filename: string) =>
	new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'private, no-store'
		}
	});
