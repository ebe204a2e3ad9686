// The editor's document: headings, paragraphs, lists, bold, italic and links
// to the web or an email address. Pasted HTML is read through these rules
// only, so nothing else (scripts, styles, images, javascript: links) gets in.
import { Schema, type MarkSpec, type NodeSpec } from 'prosemirror-model';
import { schema as basic, marks as basicMarks } from 'prosemirror-schema-basic';
import { addListNodes } from 'prosemirror-schema-list';
import { safeHref } from '../href';

const heading: NodeSpec = {
	attrs: { level: { default: 3 } },
	content: 'inline*',
	group: 'block',
	defining: true,
	parseDOM: [1, 2, 3, 4, 5, 6].map((level) => ({ tag: `h${level}`, attrs: { level: level <= 3 ? 3 : 4 } })),
	toDOM: (node) => [`h${node.attrs.level === 4 ? 4 : 3}`, 0]
};

const link: MarkSpec = {
	attrs: { href: {} },
	inclusive: false,
	parseDOM: [
		{
			tag: 'a[href]',
			getAttrs: (dom) => {
				const href = safeHref(dom.getAttribute('href'));
				return href ? { href } : false;
			}
		}
	],
	toDOM: (mark) => [
		'a',
		{ href: safeHref(mark.attrs.href) ?? '#', rel: 'nofollow noopener noreferrer', target: '_blank' },
		0
	]
};

const nodes = addListNodes(
	basic.spec.nodes
		.remove('blockquote')
		.remove('horizontal_rule')
		.remove('code_block')
		.remove('image')
		.update('heading', heading),
	'paragraph block*',
	'block'
);

export const schema = new Schema({
	nodes,
	marks: { strong: basicMarks.strong, em: basicMarks.em, link }
});
