// Posts are plain text with a small, safe formatting subset: paragraphs,
// "- " / "1. " lists, **bold**, http(s) links and @mentions. This parser
// turns text into plain data that components render as elements; no HTML
// string is ever built, so nothing a person types can inject markup.
export type Inline =
	| { type: 'text'; text: string }
	| { type: 'bold'; text: string }
	| { type: 'link'; href: string; text: string }
	| { type: 'mention'; text: string };
export type Block =
	{ type: 'paragraph'; lines: Inline[][] } | { type: 'list'; ordered: boolean; items: Inline[][] };

const bullet = /^\s*[-*•]\s+(.*)$/;
const numbered = /^\s*\d{1,3}[.)]\s+(.*)$/;
const inlinePattern = /(\*\*[^*\n]+\*\*)|(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

export function parseInline(text: string, mentionNames: string[] = []): Inline[] {
	const out: Inline[] = [];
	let last = 0;
	for (const match of text.matchAll(inlinePattern)) {
		if (match.index > last) out.push(...mentions(text.slice(last, match.index), mentionNames));
		if (match[1]) out.push({ type: 'bold', text: match[1].slice(2, -2) });
		else out.push({ type: 'link', href: match[2], text: match[2] });
		last = match.index + match[0].length;
	}
	if (last < text.length) out.push(...mentions(text.slice(last), mentionNames));
	return out;
}

function mentions(text: string, names: string[]): Inline[] {
	if (!names.length || !text.includes('@')) return [{ type: 'text', text }];
	// Longest names first so "@Lê Thị Mai" wins over "@Lê".
	const sorted = [...names].filter(Boolean).sort((a, b) => b.length - a.length);
	const out: Inline[] = [];
	let rest = text;
	for (;;) {
		const at = rest.indexOf('@');
		if (at < 0) break;
		const name = sorted.find((n) => rest.slice(at + 1, at + 1 + n.length).toLowerCase() === n.toLowerCase());
		if (!name) {
			out.push({ type: 'text', text: rest.slice(0, at + 1) });
			rest = rest.slice(at + 1);
			continue;
		}
		if (at > 0) out.push({ type: 'text', text: rest.slice(0, at) });
		out.push({ type: 'mention', text: rest.slice(at, at + 1 + name.length) });
		rest = rest.slice(at + 1 + name.length);
	}
	if (rest) out.push({ type: 'text', text: rest });
	return mergeText(out);
}

function mergeText(parts: Inline[]): Inline[] {
	const merged: Inline[] = [];
	for (const part of parts) {
		const previous = merged.at(-1);
		if (part.type === 'text' && previous?.type === 'text') previous.text += part.text;
		else merged.push({ ...part });
	}
	return merged;
}

export function parsePost(body: string, mentionNames: string[] = []): Block[] {
	const blocks: Block[] = [];
	for (const chunk of body.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
		const lines = chunk.split('\n').filter((line) => line.trim() !== '');
		let paragraph: Inline[][] = [];
		let list: { ordered: boolean; items: Inline[][] } | null = null;
		const flush = () => {
			if (paragraph.length) blocks.push({ type: 'paragraph', lines: paragraph });
			if (list) blocks.push({ type: 'list', ...list });
			paragraph = [];
			list = null;
		};
		for (const line of lines) {
			const item = line.match(bullet) ?? line.match(numbered);
			if (item) {
				const ordered = numbered.test(line) && !bullet.test(line);
				if (paragraph.length || (list && list.ordered !== ordered)) flush();
				list ??= { ordered, items: [] };
				list.items.push(parseInline(item[1], mentionNames));
			} else {
				if (list) flush();
				paragraph.push(parseInline(line, mentionNames));
			}
		}
		flush();
	}
	return blocks;
}
