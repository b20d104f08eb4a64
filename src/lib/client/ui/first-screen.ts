/**
 * The first screen, remembered: the newest rows of the channel last viewed at its live tail, in localStorage. A
 * cold start paints them at once, before sqlite-wasm and the OPFS pool are up (hundreds of milliseconds); the live
 * query replaces them as soon as it answers. Notion's lesson: never show an empty screen when we already know
 * what is on it. Only one channel is kept, so it stays small (at most FIRST_SCREEN_ROWS rows).
 */
const KEY = 'replica:first-screen';
export const FIRST_SCREEN_ROWS = 50;

export function readFirstScreen<T>(channelId: string): T[] | undefined {
	try {
		const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as { channelId: string; rows: T[] } | null;
		return saved?.channelId === channelId ? saved.rows : undefined;
	} catch {
		return undefined;
	}
}

export function saveFirstScreen<T>(channelId: string, newestLast: readonly T[]) {
	try {
		localStorage.setItem(KEY, JSON.stringify({ channelId, rows: newestLast.slice(-FIRST_SCREEN_ROWS) }));
	} catch {
		// Storage full or disabled: the next cold start simply waits for the replica.
	}
}
