/**
 * The live tail: reads the chat stream from the cursor stored in IndexedDB and writes every batch it reads into the
 * inbox as one record (with the cursor, in one IndexedDB transaction) before telling anyone. The browser may stop
 * the service worker at any moment; every start resumes from the stored cursor, so a stop loses nothing and
 * duplicates nothing.
 */
import { stream, type TextChunk } from '@durable-streams/client';
import { inboxEventCount, openReplicaIdb, INGEST_CHANNEL, type InboxRecord, type ReplicaIdb } from '#lib/shared/idb.ts';
import { RIDE_ALONG_MAX_EVENTS, type IngestMessage } from '#lib/shared/ingest-protocol.ts';
import { CHAT_STREAM } from '#lib/shared/events.ts';
import { parseOffset, START_OFFSET } from '#lib/shared/offsets.ts';

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 5000];

export class LiveTail {
	#idbPromise: Promise<ReplicaIdb> | undefined;
	#session: AbortController | undefined;
	#running = false;
	/** A request failed since the last answer: the tail is waiting out a backoff pause of #run. */
	#failing = false;
	/** Ends the current wait between sessions early. */
	#wake = () => {};
	readonly #ingest = new BroadcastChannel(INGEST_CHANNEL);

	constructor(private readonly origin: string) {}

	/**
	 * Starts the tail unless it is running; safe to call on every wake-up. A tail that is backing off after a failure
	 * asks again at once: the callers are pages (a navigation, a DB worker's keepalive), and a person who opens the
	 * app once the network is back should not wait out a backoff of up to 5 s for the first event.
	 */
	ensureRunning(): void {
		if (this.#running) {
			if (this.#failing) this.#retryNow();
			return;
		}
		this.#running = true;
		void this.#run();
	}

	#retryNow() {
		this.#failing = false;
		this.#session?.abort();
		this.#wake();
	}

	/** Moves the cursor back to `from` (the replica found a gap after it) and restarts the tail there. */
	async refetchFrom(from: string): Promise<void> {
		const idb = await this.#idb();
		await idb.put('meta', from, 'cursor');
		this.#session?.abort();
		this.ensureRunning();
	}

	#idb() {
		return (this.#idbPromise ??= openReplicaIdb());
	}

	async #run() {
		for (let failures = 0; ;) {
			const session = (this.#session = new AbortController());
			try {
				await this.#follow(session.signal);
				failures = 0;
				// The session ended without an error (a closed stream): pause before asking again.
				await this.#pause(RETRY_DELAYS_MS[0]);
			} catch (error) {
				if (session.signal.aborted) continue;
				console.debug('[sw] live tail failed; resuming from the stored cursor', error);
				this.#failing = true;
				await this.#pause(RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)]);
			} finally {
				// A session that failed in our own code (a batch that did not add up) still has a request open.
				session.abort();
			}
		}
	}

	#pause(ms: number) {
		return new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			this.#wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});
	}

	async #follow(signal: AbortSignal) {
		const idb = await this.#idb();
		let cursor = (await idb.get('meta', 'cursor')) ?? START_OFFSET;
		const response = await stream({
			url: `${this.origin}/v1/stream/${CHAT_STREAM}`,
			offset: cursor,
			live: 'long-poll',
			json: true,
			signal,
			warnOnHttp: false,
			// Retries are #run's, which a page that opens can cut short (ensureRunning): the client's own backoff sleeps
			// through an abort, for up to its maximum delay.
			backoffOptions: { initialDelay: 0, maxDelay: 0, multiplier: 1, maxRetries: 0 }
		});
		response.subscribeText(async (chunk: TextChunk) => {
			this.#failing = false;
			const record = recordOf(chunk, cursor);
			if (!record) return;
			const tx = idb.transaction(['inbox', 'meta'], 'readwrite');
			void tx.objectStore('inbox').put(record);
			void tx.objectStore('meta').put(chunk.offset, 'cursor');
			await tx.done;
			cursor = chunk.offset;
			const message: IngestMessage = { ns: 'replica-ingest', kind: 'inbox', offset: cursor };
			if (inboxEventCount(record) <= RIDE_ALONG_MAX_EVENTS) message.record = record;
			this.#ingest.postMessage(message);
		});
		await response.closed;
	}
}

/**
 * The inbox record of a page read from `cursor` (undefined for an empty one), keeping the server's text; refuses a
 * page that is not a JSON array or does not add up, since the replica derives each event's offset from the record's
 * start (see #lib/shared/offsets).
 */
function recordOf(chunk: TextChunk, cursor: string): InboxRecord | undefined {
	const eventsJson = chunk.text.trim() || '[]';
	const events: unknown = JSON.parse(eventsJson);
	if (!Array.isArray(events)) throw new Error(`stream: the page read from ${cursor} is not a JSON array; re-reading`);
	if (events.length === 0) return undefined;
	const start = parseOffset(cursor);
	const end = parseOffset(chunk.offset);
	if (start === undefined || end === undefined || end - start !== events.length) {
		throw new Error(`stream: batch of ${events.length} from ${cursor} ends at ${chunk.offset}; re-reading`);
	}
	return { offset: chunk.offset, start: cursor, eventsJson };
}
