// A 50-page proposal for the draft-editor figures of bench:pages (issue 24): 20
// sections of 12 paragraphs, about 150 KB of Vietnamese text (a page ≈ 3 KB),
// built with the app's own document helpers like the demo drafts
// (scripts/generators/seed-drafts.ts) and written straight into the bench's
// own fresh stack, in the space of a draft the demo member can already edit.
import * as Y from 'yjs';
import { toBase64 } from '../../src/lib/drafts/base64';
import { newSection, projectDoc, sectionsOf } from '../../src/lib/drafts/doc';
import type { Stack } from '../../supabase/local/stack';

export const LONG_DRAFT_ID = '7b000000-0000-4000-a000-000000000050';

const sentence =
	'Câu lạc bộ phụ nữ khu nhà trọ họp mỗi tháng một lần để chia sẻ thông tin về quyền lao động, ' +
	'an toàn nơi ở và sức khoẻ, ghi lại ý kiến của chị em và theo dõi các việc đã thống nhất với chủ nhà trọ. ';

function longProposal(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		sectionsOf(doc).insert(
			0,
			Array.from({ length: 20 }, (_, s) =>
				newSection(
					`Phần ${s + 1}`,
					Array.from({ length: 12 }, (_, p) => `${s + 1}.${p + 1} ${sentence.repeat(3).trim()}`),
					`bench${String(s).padStart(4, '0')}`
				)
			)
		);
	});
	return doc;
}

/** Writes the long draft into `spaceId` (created by the draft's author there); gives its path. */
export async function addLongDraft(stack: Pick<Stack, 'sql'>, draftPath: string): Promise<string> {
	const spaceId = draftPath.split('/')[2];
	const doc = longProposal();
	const projection = JSON.stringify(projectDoc(doc));
	await stack.sql(
		`insert into public.drafts (id, space_id, kind, title, language, created_by, snapshot, projection, search_text)
		 select $1, $2, 'proposal', 'Đề xuất dài (50 trang)', 'vi', d.created_by, decode($3, 'base64'), $4::jsonb,
		        public.draft_projection_text('Đề xuất dài', $4::jsonb)
		   from public.drafts d where d.id = $5`,
		[LONG_DRAFT_ID, spaceId, toBase64(Y.encodeStateAsUpdate(doc)), projection, draftPath.split('/')[4]]
	);
	return `/spaces/${spaceId}/drafts/${LONG_DRAFT_ID}`;
}
