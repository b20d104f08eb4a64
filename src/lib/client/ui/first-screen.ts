/**
 * The first screen, remembered: the newest rows of the channel last viewed at its live tail, in localStorage. A
 * cold start paints them at once, before sqlite-wasm and the OPFS pool are up (hundreds of milliseconds); the live
 * query replaces them as soon as it answers. Notion's lesson: never show an empty screen when we already know
 * what is on it. Only one channel is kept, so it stays small (at most FIRST_SCREEN_ROWS rows).
 */
import { whenIdle } from './when-idle';

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

let unsaved: { channelId: string; rows: readonly unknown[] } | undefined;

/**
 * Remembers what the live tail of `channelId` shows, once the page is idle: serialising it and writing
 * localStorage (synchronous) would otherwise delay every new message's frame. Only the latest call is written.
 */
export function saveFirstScreen<T>(channelId: string, newestLast: readonly T[]) {
	const scheduled = unsaved !== undefined;
	unsaved = { channelId, rows: newestLast.slice(-FIRST_SCREEN_ROWS) };
	if (!scheduled) whenIdle(writeFirstScreen);
}

// A tab closed before it was idle still leaves its last screen.
if (typeof window !== 'undefined') addEventListener('pagehide', writeFirstScreen);

/** Writes the latest screen, once: the idle callback may still run after pagehide wrote it. */
function writeFirstScreen() {
	const screen = unsaved;
	if (!screen) return;
	unsaved = undefined;
	try {
		localStorage.setItem(KEY, JSON.stringify(screen));
	} catch {
		// Storage full or disabled: the next cold start simply waits for the replica.
	}
}
