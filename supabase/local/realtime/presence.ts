// Presence for one topic, with Phoenix.Presence's shapes: state is
// { key: { metas: [{ ...meta, phx_ref }] } }, diffs are { joins, leaves } of the same
// form. realtime-js renames phx_ref to presence_ref on its side.
import { randomBytes } from 'node:crypto';

type Meta = Record<string, unknown>;
export type PresenceGroup = Record<string, { metas: Meta[] }>;
export interface PresenceDiff {
	joins: PresenceGroup;
	leaves: PresenceGroup;
}

interface Entry {
	key: string;
	ref: string;
	meta: Meta;
	json: string;
}

export class TopicPresence {
	/** One entry per tracking channel (a channel tracks at most one presence, under its key). */
	private entries = new Map<number, Entry>();

	get size(): number {
		return this.entries.size;
	}

	/** Returns the diff to broadcast, or null when nothing changed (same payload tracked again). */
	track(channelId: number, key: string, meta: Meta): PresenceDiff | null {
		const json = JSON.stringify(meta);
		const previous = this.entries.get(channelId);
		if (previous && previous.json === json) return null;
		const entry: Entry = { key, ref: newRef(), meta, json };
		this.entries.set(channelId, entry);
		const joinMeta: Meta = { ...meta, phx_ref: entry.ref };
		if (!previous) return { joins: { [key]: { metas: [joinMeta] } }, leaves: {} };
		// An update: Phoenix reports it as a leave of the old meta and a join of the new one.
		joinMeta.phx_ref_prev = previous.ref;
		return {
			joins: { [key]: { metas: [joinMeta] } },
			leaves: { [previous.key]: { metas: [{ ...previous.meta, phx_ref: previous.ref }] } }
		};
	}

	untrack(channelId: number): PresenceDiff | null {
		const previous = this.entries.get(channelId);
		if (!previous) return null;
		this.entries.delete(channelId);
		return {
			joins: {},
			leaves: { [previous.key]: { metas: [{ ...previous.meta, phx_ref: previous.ref }] } }
		};
	}

	state(): PresenceGroup {
		// Null prototype: presence keys are chosen by clients ("__proto__" must stay a plain key).
		const state = Object.create(null) as PresenceGroup;
		for (const { key, ref, meta } of this.entries.values()) {
			(state[key] ??= { metas: [] }).metas.push({ ...meta, phx_ref: ref });
		}
		return state;
	}
}

function newRef(): string {
	return randomBytes(9).toString('base64');
}
