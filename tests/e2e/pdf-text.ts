// The text of a PDF made by Chromium, without poppler: content streams
// (Flate) read with each font's ToUnicode map, and /ActualText spans (which
// Chromium writes where glyphs and characters do not map one to one, as in
// shaped Khmer) taken instead of their glyphs. Enough for "does the PDF say
// this", not a general PDF reader.
import { inflateSync } from 'node:zlib';

type CMap = { bytes: number; map: Map<number, string> };

const hexToBytes = (hex: string) =>
	Buffer.from(hex.replace(/\s+/g, '').padEnd(Math.ceil(hex.replace(/\s+/g, '').length / 2) * 2, '0'), 'hex');
const utf16 = (bytes: Buffer) => {
	let text = '';
	for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode(bytes.readUInt16BE(i));
	return text;
};

function parseCMap(text: string): CMap {
	const map = new Map<number, string>();
	const range = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(text);
	const bytes = range ? range[1].length / 2 : 2;
	for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
		for (const [, code, value] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) {
			map.set(parseInt(code, 16), utf16(hexToBytes(value)));
		}
	}
	for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
		for (const [, from, to, rest] of block[1].matchAll(
			/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g
		)) {
			const start = parseInt(from, 16);
			const end = parseInt(to, 16);
			if (rest.startsWith('[')) {
				[...rest.matchAll(/<([0-9a-fA-F]*)>/g)].forEach(([, v], i) =>
					map.set(start + i, utf16(hexToBytes(v)))
				);
			} else {
				const base = hexToBytes(rest.slice(1, -1));
				for (let code = start; code <= end; code++) {
					const value = Buffer.from(base);
					value.writeUInt16BE(value.readUInt16BE(value.length - 2) + (code - start), value.length - 2);
					map.set(code, utf16(value));
				}
			}
		}
	}
	return { bytes, map };
}

export function pdfText(pdf: Buffer): string {
	const raw = pdf.toString('latin1');
	const objects = new Map<string, { dict: string; stream: Buffer | null }>();
	for (const match of raw.matchAll(/(\d+) (\d+) obj\b([\s\S]*?)endobj/g)) {
		const body = match[3];
		const at = body.indexOf('stream');
		let stream: Buffer | null = null;
		let dict = body;
		if (at >= 0 && /^stream\r?\n/.test(body.slice(at))) {
			dict = body.slice(0, at);
			const start = at + (body[at + 6] === '\r' ? 8 : 7);
			const end = body.lastIndexOf('endstream');
			const data = Buffer.from(body.slice(start, end), 'latin1');
			try {
				stream = /FlateDecode/.test(dict) ? inflateSync(data) : data;
			} catch {
				stream = data;
			}
		}
		objects.set(match[1], { dict, stream });
	}
	// Font resource names → ToUnicode maps.
	const cmaps = new Map<string, CMap>();
	for (const { dict } of objects.values()) {
		for (const [, fonts] of dict.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
			for (const [, name, ref] of fonts.matchAll(/\/([\w.+-]+)\s+(\d+)\s+0\s+R/g)) {
				const font = objects.get(ref)?.dict ?? '';
				const toUnicode = /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(font)?.[1];
				const cmap = toUnicode ? objects.get(toUnicode)?.stream : null;
				if (cmap) cmaps.set(name, parseCMap(cmap.toString('latin1')));
			}
		}
	}
	let out = '';
	for (const { dict, stream } of objects.values()) {
		if (!stream || /\/(Type\s*\/XObject|Subtype\s*\/Image|FontFile|Length1)/.test(dict)) continue;
		const content = stream.toString('latin1');
		if (!/\b(Tj|TJ)\b/.test(content)) continue;
		let font: CMap | undefined;
		let actual: string | null = null;
		const tokens = content.matchAll(
			/\/ActualText\s*<([0-9a-fA-F]*)>[\s\S]*?BDC|\bEMC\b|\/([\w.+-]+)\s+[\d.]+\s+Tf|(\[(?:[^\]]*)\]\s*TJ|<[0-9a-fA-F]*>\s*Tj)|\bET\b/g
		);
		for (const [token, actualHex, fontName, shown] of tokens) {
			if (actualHex !== undefined) {
				actual = utf16(hexToBytes(actualHex)).replace(/^\ufeff/, '');
				out += actual;
			} else if (token === 'EMC') actual = null;
			else if (fontName) font = cmaps.get(fontName);
			else if (shown && actual === null && font) {
				for (const [, hex] of shown.matchAll(/<([0-9a-fA-F]*)>/g)) {
					const bytes = hexToBytes(hex);
					for (let i = 0; i + font.bytes <= bytes.length; i += font.bytes) {
						out += font.map.get(bytes.readUIntBE(i, font.bytes)) ?? '';
					}
				}
			} else if (token === 'ET') out += '\n';
		}
	}
	return out;
}
