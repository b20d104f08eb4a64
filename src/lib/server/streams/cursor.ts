/**
 * Stream-Cursor values for live responses (protocol §8.1): the number of 20-second intervals since
 * 2024-10-09T00:00:00Z. A cursor changes the cache key of the next long-poll, so a CDN cannot serve one cached
 * empty response forever. Invariant: the returned cursor is strictly greater than a client cursor that is not
 * behind the clock, so cursors never cycle.
 */

const CURSOR_EPOCH_MS = Date.UTC(2024, 9, 9);
const INTERVAL_MS = 20_000;
const MAX_JITTER_SECONDS = 3600;

export function responseCursor(clientCursor: string | null, now = Date.now()): string {
	const current = Math.floor((now - CURSOR_EPOCH_MS) / INTERVAL_MS);
	const client = clientCursor !== null && /^\d+$/.test(clientCursor) ? Number(clientCursor) : undefined;
	if (client === undefined || !Number.isSafeInteger(client) || client < current) return String(current);
	const jitterSeconds = 1 + Math.floor(Math.random() * MAX_JITTER_SECONDS);
	return String(client + Math.max(1, Math.ceil((jitterSeconds * 1000) / INTERVAL_MS)));
}
