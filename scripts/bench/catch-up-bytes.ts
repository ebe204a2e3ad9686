// `npx tsx scripts/bench/catch-up-bytes.ts [text file]`: the bytes a phone
// downloads for a long draft's first catch-up (the sync route's binary frame,
// src/lib/drafts/wire.ts), as the frame is and compressed as server.js does
// (brotli quality 4, gzip level 6). The draft is a field document (default:
// the Women's Clubs handbook in ../shared/seeds, about 120 KB of text) cut into
// 20 sections; a phone at 400 kbps needs about 2.5 s per 120 KiB.
import * as Y from 'yjs';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { newSection, sectionsOf } from '../../src/lib/drafts/doc';
import { encodeCatchUp } from '../../src/lib/drafts/wire';

const file = process.argv[2] ?? '../shared/seeds/003_2df2bf7bbfc25bd0.txt';
const paragraphs = readFileSync(file, 'utf8')
	.split(/\n+/)
	.filter((line) => line.trim());
const perSection = Math.ceil(paragraphs.length / 20);
const doc = new Y.Doc();
doc.transact(() =>
	sectionsOf(doc).insert(
		0,
		Array.from({ length: 20 }, (_, s) =>
			newSection(`Section ${s + 1}`, paragraphs.slice(s * perSection, (s + 1) * perSection), `bench${s}`)
		)
	)
);
const frame = encodeCatchUp({
	epoch: 0,
	headSeq: 0,
	snapshotSeq: 0,
	snapshot: Y.encodeStateAsUpdate(doc),
	updates: []
});
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const brotli = brotliCompressSync(frame, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }).length;
const gzip = gzipSync(frame, { level: 6 }).length;
console.log(
	`first catch-up of ${file} (${kib(Buffer.byteLength(paragraphs.join('\n')))} of text in 20 sections): ` +
		`frame ${kib(frame.length)}, brotli ${kib(brotli)}, gzip ${kib(gzip)}`
);
