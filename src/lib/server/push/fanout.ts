/**
 * Push fan-out: a reader of the chat stream like any other (it follows the log with waitForAppend/readJson and
 * is never called by the command path), which tells every push subscription about each burst of new messages.
 *
 * Invariants:
 * - `pushedTo` <= `scannedTo` <= head. Every push covers exactly the events from `pushedTo` to `scannedTo`, so the
 *   pushes sent are contiguous, and a service worker that missed one (failed send, TTL, topic replacement) sees a
 *   gap and catches up from its cursor.
 * - A push is sent only once the burst holds a new message: Chrome shows a notification for every push, so a
 *   reaction or an edit alone waits for the next message (its events ride along in that push) or for a tab's tail.
 * - A failure is logged with `[push]` and retried later; it never stops the loop or the server.
 */
import { CHAT_STREAM } from '../../shared/events.ts';
import { formatOffset, parseOffset } from '../../shared/offsets.ts';
import type { PushPayload } from '../../sw/push.ts';
import type { LogStore } from '../log/store.ts';
import { sendPush, type PushRequest, type PushSender } from './send.ts';
import type { PushSubscriptions } from './subscriptions.ts';

/** Plaintext JSON up to this size is sent as events; larger bursts as a poke (one record holds ~3990 bytes). */
export const MAX_EVENTS_PAYLOAD_BYTES = 3072;
/** Messages are news for a while; after that, opening the app catches up anyway. */
const PUSH_TTL_SECONDS = 12 * 60 * 60;
/** No event is shorter than 30 bytes of JSON, so a longer burst cannot fit into MAX_EVENTS_PAYLOAD_BYTES. */
const MAX_EVENTS_PER_PUSH = 100;
const SCAN_PAGE = 1000;
/** One topic for all pushes: a device that is offline gets only the newest one, and its gap is fetched. */
const PUSH_TOPIC = 'replica';
const WAIT_MS = 30_000;
const RETRY_MS = 1000;

export interface PushFanoutOptions extends PushSender {
	subscriptions: PushSubscriptions;
}

export interface PushFanout {
	/** Stops following the log; resolves once the pushes in flight have settled. Idempotent. */
	stop(): Promise<void>;
}

/** Follows the chat stream from its current head. */
export function startPushFanout(store: LogStore, options: PushFanoutOptions): PushFanout {
	const stopping = new AbortController();
	const running = follow(store, options, stopping.signal);
	return {
		stop() {
			stopping.abort();
			return running;
		}
	};
}

async function follow(store: LogStore, options: PushFanoutOptions, signal: AbortSignal): Promise<void> {
	const stream = CHAT_STREAM;
	let pushedTo = store.headOffset(stream) ?? formatOffset(0);
	let scannedTo = pushedTo;
	let holdsMessage = false;
	while (!signal.aborted) {
		try {
			if (!(await store.waitForAppend(stream, scannedTo, WAIT_MS, signal))) continue;
			const read = store.readJson(stream, scannedTo, SCAN_PAGE);
			// News without messages: the stream was closed. Nothing more will come; look again later.
			if (read.messages.length === 0) await delay(RETRY_MS, signal);
			holdsMessage ||= read.messages.some(isMessageInsert);
			scannedTo = read.nextOffset;
			if (!read.upToDate || !holdsMessage) continue;
			const payload = payloadFor(store, stream, pushedTo, scannedTo);
			pushedTo = scannedTo;
			holdsMessage = false;
			await pushToAll(options, { payload, ttlSeconds: PUSH_TTL_SECONDS, urgency: 'normal', topic: PUSH_TOPIC });
		} catch (error) {
			console.error(`[push] fan-out of "${stream}" failed at ${scannedTo}; retrying:`, error);
			await delay(RETRY_MS, signal);
		}
	}
}

/** The push for the events after `from` up to `to`: the events themselves if they fit, else a poke. */
function payloadFor(store: LogStore, stream: string, from: string, to: string): string {
	const count = (parseOffset(to) ?? 0) - (parseOffset(from) ?? 0);
	const events = count <= MAX_EVENTS_PER_PUSH ? parseAll(store.readJson(stream, from, count).messages) : undefined;
	if (events) {
		const json = JSON.stringify({ kind: 'events', from, to, events } satisfies PushPayload);
		if (Buffer.byteLength(json) <= MAX_EVENTS_PAYLOAD_BYTES) return json;
	}
	return JSON.stringify({ kind: 'poke', head: to } satisfies PushPayload);
}

async function pushToAll(options: PushFanoutOptions, request: PushRequest): Promise<void> {
	await Promise.all(
		options.subscriptions.all().map(async (target) => {
			if ((await sendPush(target, request, options)) !== 'gone') return;
			options.subscriptions.remove(target.endpoint);
			console.info(
				`[push] removed a subscription its push service no longer knows (${new URL(target.endpoint).origin})`
			);
		})
	);
}

/** Undefined if any text is not JSON: such a burst goes out as a poke, and the replica quarantines the event. */
function parseAll(texts: readonly string[]): unknown[] | undefined {
	try {
		return texts.map((text) => JSON.parse(text) as unknown);
	} catch {
		return undefined;
	}
}

/** Only a new message is worth a notification; see the module comment. A malformed event is the replica's to report. */
function isMessageInsert(text: string): boolean {
	try {
		const event = JSON.parse(text) as { type?: unknown; headers?: { operation?: unknown } } | null;
		return event?.type === 'message' && event.headers?.operation === 'insert';
	} catch {
		return false;
	}
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
	});
}
