// Svelte reads of a Y.Doc: a counter that moves with every change, so
// $derived values recompute (sections' headings, budget, activities; the
// section texts are ProseMirror's own).
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

export class LiveDoc {
	version = $state(0);
	peers = $state<string[]>([]);
	readonly doc: Y.Doc;
	private readonly stop: () => void;

	constructor(doc: Y.Doc, awareness: Awareness) {
		this.doc = doc;
		const bump = () => this.version++;
		const seen = () => {
			const names: string[] = [];
			awareness.getStates().forEach((state, client) => {
				const user = (state as { user?: { name?: string } }).user;
				if (client !== doc.clientID && user?.name && !names.includes(user.name)) names.push(user.name);
			});
			this.peers = names;
		};
		doc.on('update', bump);
		awareness.on('change', seen);
		this.stop = () => {
			doc.off('update', bump);
			awareness.off('change', seen);
		};
	}

	destroy() {
		this.stop();
	}
}
