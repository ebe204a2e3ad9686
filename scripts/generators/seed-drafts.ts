// `npx tsx scripts/generators/seed-drafts.ts`: writes the demo drafts into
// supabase/seed.sql (between its "demo drafts" markers). A draft's content is a
// Yjs document, which SQL cannot build: this script builds each one with the
// app's own document helpers and writes its snapshot (base64) and projections.
// - CoP-Women: a proposal in Khmer, its budget in riel and an activity plan.
// - The Khai Quang club: a short budget in Vietnamese for the next meeting.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { toBase64 } from '../../src/lib/drafts/base64';
import {
	activitiesOf,
	budgetOf,
	newActivity,
	newGroup,
	newSection,
	projectDoc,
	sectionsOf
} from '../../src/lib/drafts/doc';

type Seed = {
	id: string;
	space: string;
	kind: string;
	title: string;
	language: string;
	by: string;
	doc: Y.Doc;
};

function khmerProposal(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		sectionsOf(doc).insert(0, [
			newSection('ប្រវត្តិ', [
				'កម្មករស្ត្រីរោងចក្រកាត់ដេរនៅភ្នំពេញធ្វើការ ១០ ទៅ ១២ ម៉ោងក្នុងមួយថ្ងៃ ហើយមិនសូវដឹងពីសិទ្ធិការងារ និងរបបសន្តិសុខសង្គមរបស់ខ្លួន។'
			]),
			newSection('គោលបំណង', [
				'បង្កើតក្លឹបស្ត្រីចំនួន ៦ នៅតំបន់ជួលបន្ទប់ ដែលសមាជិកជួបគ្នារៀងរាល់ ៤ ទៅ ៦ សប្ដាហ៍ម្ដង ដើម្បីរៀនពីសិទ្ធិ និងលើកឡើងបញ្ហារបស់ពួកគេ។'
			]),
			newSection('ក្រុមគោលដៅ', ['កម្មករស្ត្រីចំណាកស្រុកប្រមាណ ៩០ នាក់ និងមេដឹកនាំក្លឹប ១២ នាក់។']),
			newSection('សកម្មភាពសំខាន់ៗ', ['វគ្គបណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប កិច្ចប្រជុំក្លឹបប្រចាំខែ និងកិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល និងសហជីព។']),
			newSection('ការតាមដាន និងវាយតម្លៃ', [
				'កត់ត្រាវត្តមាន និងសេចក្ដីសម្រេចនៃកិច្ចប្រជុំនីមួយៗ ហើយតាមដានការអនុវត្តរៀងរាល់ត្រីមាស។'
			])
		]);
		budgetOf(doc).set('currency', 'KHR');
		budgetOf(doc).set(
			'groups',
			Y.Array.from([
				newGroup('សិក្ខាសាលា', [
					{ category: 'ទីកន្លែង', description: 'ជួលសាលប្រជុំ', quantity: '6', unit: 'ថ្ងៃ', unit_cost: '400000' },
					{ category: 'អាហារ', description: 'អាហារសម្រន់', quantity: '90', unit: 'នាក់', unit_cost: '8000' }
				]),
				newGroup('បុគ្គលិក', [
					{ category: 'ថ្លៃឈ្នួល', description: 'អ្នកសម្របសម្រួល', quantity: '12', unit: 'ខែ', unit_cost: '600000' }
				]),
				newGroup('ការធ្វើដំណើរ', [
					{
						category: 'ដឹកជញ្ជូន',
						description: 'ថ្លៃធ្វើដំណើរមេដឹកនាំ',
						quantity: '24',
						unit: 'ដង',
						unit_cost: '20000'
					}
				])
			])
		);
		activitiesOf(doc).insert(0, [
			newActivity({
				title: 'បណ្ដុះបណ្ដាលមេដឹកនាំក្លឹប',
				start: '2027-02-01',
				end: '2027-02-28',
				responsible: 'Live & Learn',
				location: 'ភ្នំពេញ',
				status: 'planned'
			}),
			newActivity({
				title: 'កិច្ចប្រជុំក្លឹបប្រចាំខែ',
				start: '2027-03-01',
				end: '2027-08-31',
				responsible: 'មេដឹកនាំក្លឹប',
				location: 'តំបន់ជួលបន្ទប់ ពោធិ៍សែនជ័យ',
				status: 'planned'
			}),
			newActivity({
				title: 'កិច្ចសន្ទនាជាមួយម្ចាស់ផ្ទះជួល',
				start: '2027-06-01',
				end: '2027-06-30',
				responsible: 'Sok Sokha',
				location: 'សាលាសង្កាត់',
				status: 'planned'
			})
		]);
	});
	return doc;
}

function vietnameseBudget(): Y.Doc {
	const doc = new Y.Doc();
	doc.transact(() => {
		sectionsOf(doc).insert(0, [
			newSection('Ghi chú', ['Chi phí buổi họp CLB tháng tới tại nhà văn hoá khu trọ, khoảng 20 chị em.'])
		]);
		budgetOf(doc).set('currency', 'VND');
		budgetOf(doc).set(
			'groups',
			Y.Array.from([
				newGroup('Họp CLB', [
					{
						category: 'Địa điểm',
						description: 'Thuê hội trường',
						quantity: '1',
						unit: 'buổi',
						unit_cost: '300000'
					},
					{ category: 'Ăn uống', description: 'Nước uống', quantity: '20', unit: 'chai', unit_cost: '10000' },
					{
						category: 'Tài liệu',
						description: 'In tờ rơi quyền lao động',
						quantity: '20',
						unit: 'tờ',
						unit_cost: '5000'
					}
				])
			])
		);
	});
	return doc;
}

const drafts: Seed[] = [
	{
		id: '70000000-0000-4000-a000-000000000001',
		space: '10000000-0000-4000-a000-000000000002',
		kind: 'proposal',
		title: 'សំណើគម្រោង៖ ក្លឹបកម្មករស្ត្រី ឆ្នាំ ២០២៧',
		language: 'km',
		by: '00000000-0000-4000-a000-000000000002',
		doc: khmerProposal()
	},
	{
		id: '70000000-0000-4000-a000-000000000002',
		space: '10000000-0000-4000-a000-000000000001',
		kind: 'budget',
		title: 'Dự toán buổi họp CLB tháng tới',
		language: 'vi',
		by: '00000000-0000-4000-a000-000000000003',
		doc: vietnameseBudget()
	}
];

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

const sql = drafts
	.map((d) => {
		const projection = literal(JSON.stringify(projectDoc(d.doc)));
		const snapshot = literal(toBase64(Y.encodeStateAsUpdate(d.doc)));
		return [
			`insert into public.drafts (id, space_id, kind, title, language, created_by, snapshot, projection, search_text, budget_currency, budget_total, created_at, last_edit_at) values (`,
			`  '${d.id}', '${d.space}', '${d.kind}', ${literal(d.title)}, '${d.language}', '${d.by}',`,
			`  decode(${snapshot}, 'base64'),`,
			`  ${projection}::jsonb,`,
			`  public.draft_projection_text(${literal(d.title)}, ${projection}::jsonb),`,
			`  ${projection}::jsonb -> 'budget' ->> 'currency', public.draft_budget_total(${projection}::jsonb),`,
			`  now() - interval '3 days', now() - interval '1 day');`,
			`insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes) values`,
			`  ('${d.id}', '${d.by}', 'create', now() - interval '3 days', now() - interval '3 days', 1);`
		].join('\n');
	})
	.join('\n');

const file = resolve(import.meta.dirname, '../../supabase/seed.sql');
const BEGIN = '-- demo drafts (written by scripts/generators/seed-drafts.ts)';
const END = '-- end of demo drafts';
const seed = readFileSync(file, 'utf8');
const start = seed.indexOf(BEGIN);
const block = `${BEGIN}\n${sql}\n${END}\n`;
writeFileSync(
	file,
	start < 0
		? `${seed.trimEnd()}\n\n${block}`
		: seed.slice(0, start) + block + seed.slice(seed.indexOf(END) + END.length + 1)
);
console.log(`wrote ${drafts.length} demo drafts into supabase/seed.sql`);
