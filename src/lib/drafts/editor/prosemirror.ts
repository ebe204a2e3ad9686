// One ProseMirror view per section, bound to the section's Y.XmlFragment by
// y-prosemirror (text merges character by character), with others' cursors
// from the shared awareness and an undo that only undoes one's own edits.
import { EditorState, type Command } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, setBlockType, toggleMark } from 'prosemirror-commands';
import { liftListItem, sinkListItem, splitListItem, wrapInList } from 'prosemirror-schema-list';
import { redo, undo, yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { safeHref } from '../href';
import { schema } from './schema';

export type Tool = 'bold' | 'italic' | 'heading' | 'bullets' | 'numbers';

export function mountSection(
	place: HTMLElement,
	fragment: Y.XmlFragment,
	awareness: Awareness,
	label: string
): { view: EditorView; run(tool: Tool): void; link(href: string): boolean; destroy(): void } {
	const listItem = schema.nodes.list_item;
	const state = EditorState.create({
		schema,
		plugins: [
			ySyncPlugin(fragment),
			yCursorPlugin(awareness),
			yUndoPlugin(),
			keymap({
				'Mod-z': undo,
				'Mod-y': redo,
				'Mod-Shift-z': redo,
				'Mod-b': toggleMark(schema.marks.strong),
				'Mod-i': toggleMark(schema.marks.em),
				Enter: splitListItem(listItem),
				'Mod-[': liftListItem(listItem),
				'Mod-]': sinkListItem(listItem),
				'Shift-Tab': liftListItem(listItem)
			}),
			keymap(baseKeymap)
		]
	});
	const view = new EditorView(place, {
		state,
		attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'section-text' }
	});
	const commands: Record<Tool, Command> = {
		bold: toggleMark(schema.marks.strong),
		italic: toggleMark(schema.marks.em),
		heading: (s, d) =>
			s.selection.$from.parent.type === schema.nodes.heading
				? setBlockType(schema.nodes.paragraph)(s, d)
				: setBlockType(schema.nodes.heading, { level: 3 })(s, d),
		bullets: wrapInList(schema.nodes.bullet_list),
		numbers: wrapInList(schema.nodes.ordered_list)
	};
	return {
		view,
		run(tool) {
			commands[tool](view.state, view.dispatch, view);
			view.focus();
		},
		link(href) {
			const safe = safeHref(href.trim());
			if (!safe || view.state.selection.empty) return false;
			view.dispatch(
				view.state.tr.addMark(
					view.state.selection.from,
					view.state.selection.to,
					schema.marks.link.create({ href: safe })
				)
			);
			view.focus();
			return true;
		},
		destroy: () => view.destroy()
	};
}
