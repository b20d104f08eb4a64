/**
 * Offsets of Replica's streams. To any standard Durable Streams client they are opaque, lexicographically sortable
 * strings. Replica's own client relies on one more documented property of this server: the offset after the n-th
 * message of a stream is n written as 16 zero-padded digits. That lets the service worker give every event of a
 * JSON-mode read its own offset (read from offset o, message i ends at o + i + 1), so the replica can apply
 * idempotently by offset and detect gaps between single events.
 */

export const START_OFFSET = '-1';
export const TAIL_OFFSET = 'now';
const WIDTH = 16;

export function formatOffset(messageCount: number): string {
	if (!Number.isSafeInteger(messageCount) || messageCount < 0) {
		throw new RangeError(`offset: ${messageCount} is not a message count (a whole number >= 0)`);
	}
	return String(messageCount).padStart(WIDTH, '0');
}

/** The number of messages before `offset`; `-1` is the start. Returns undefined for anything else. */
export function parseOffset(offset: string): number | undefined {
	if (offset === START_OFFSET) return 0;
	if (offset.length !== WIDTH || !/^\d+$/.test(offset)) return undefined;
	const count = Number(offset);
	return Number.isSafeInteger(count) ? count : undefined;
}

/** The offset after the message that follows `offset`. */
export function nextOffset(offset: string): string {
	const count = parseOffset(offset);
	if (count === undefined) throw new RangeError(`offset: "${offset}" is not an offset of this server`);
	return formatOffset(count + 1);
}
