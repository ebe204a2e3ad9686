// Keyset pagination for the thread list: the position after the last row
// shown (its pinned flag, last activity and id), opaque in the URL.
export interface ThreadCursor {
	pinned: boolean;
	at: string;
	id: string;
}

export const encodeCursor = (c: ThreadCursor) => `${c.pinned ? 1 : 0}_${c.at}_${c.id}`;

export function decodeCursor(value: string | null): ThreadCursor | null {
	const match = value?.match(
		/^([01])_(\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d(?::?\d\d)?)?)_([0-9a-f-]{36})$/i
	);
	if (!match || Number.isNaN(Date.parse(match[2]))) return null;
	return { pinned: match[1] === '1', at: match[2], id: match[3] };
}
