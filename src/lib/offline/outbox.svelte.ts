// The outbox as the page sees it: this person's waiting and refused items,
// kept current across tabs.
import { onOutboxChange, outboxItems, type OutboxItem } from './outbox';
import { outboxSeen } from './seen';

export class OutboxView {
	items = $state<OutboxItem[]>([]);
	#stop: () => void = () => undefined;

	constructor(userId: string) {
		const load = () =>
			void outboxItems(userId)
				.then((items) => {
					this.items = items;
					outboxSeen.waiting = items.filter((item) => item.state === 'waiting').length;
				})
				.catch(() => (this.items = []));
		load();
		this.#stop = onOutboxChange(load);
	}

	stop() {
		this.#stop();
	}
}
