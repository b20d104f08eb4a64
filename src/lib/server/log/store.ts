/**
 * The append-only event log: one SQLite file (node:sqlite), streams of messages addressed by offset.
 *
 * Durability: WAL with synchronous=FULL, so a transaction is on disk (the WAL is fsynced) before `transaction`
 * returns, and an append is acknowledged only after that. Invariant: the messages of a stream have the gapless
 * sequence numbers 1..n, and the offset after message k is formatOffset(k).
 *
 * Imports are relative with explicit `.ts` so that plain Node (bench, crash-test child) can load this file.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { EventEmitter } from 'node:events';
import { formatOffset, parseOffset } from '../../shared/offsets.ts';
import { migrate } from './schema.ts';

/** One message: a JSON value's text in JSON streams, the appended bytes in all others. */
export type Payload = string | Uint8Array;

export interface StreamInfo {
	/** Never reused, so it tells a re-created stream from the deleted one at the same path. */
	id: number;
	path: string;
	contentType: string;
	messageCount: number;
	closed: boolean;
	ttlSeconds: number | null;
	expiresAt: string | null;
	/** The last accepted Stream-Seq header. */
	writerSeq: string | null;
}

export interface StreamOptions {
	contentType: string;
	ttlSeconds?: number;
	/** RFC 3339; must parse with Date. */
	expiresAt?: string;
	closed?: boolean;
}

export interface ProducerState {
	epoch: number;
	lastSeq: number;
}

export interface ReadLimits {
	maxMessages: number;
	/** A read stops before the message that would pass this size, but always returns at least one message. */
	maxBytes: number;
}

export interface JsonRead {
	/** Each message's JSON text, in stream order. */
	messages: string[];
	nextOffset: string;
	upToDate: boolean;
}

export class StreamNotFoundError extends Error {
	constructor(path: string) {
		super(`stream "${path}" does not exist: create it first`);
	}
}

export class StreamClosedError extends Error {
	constructor(path: string) {
		super(`stream "${path}" is closed: it takes no more appends`);
	}
}

export class LogStore {
	readonly db: DatabaseSync;
	readonly #changed = new EventEmitter();
	readonly #statements = new Map<string, StatementSync>();
	readonly #now: () => number;
	/** Streams changed inside the running transaction; their readers are woken after COMMIT, never before. */
	#touched = new Set<string>();
	#depth = 0;

	/** `now` (epoch ms) is injectable so that expiry can be tested without waiting. */
	constructor(file: string, options: { now?: () => number } = {}) {
		this.#now = options.now ?? Date.now;
		this.db = new DatabaseSync(file);
		this.db.exec(`
			PRAGMA journal_mode = WAL;
			PRAGMA synchronous = FULL;
			PRAGMA busy_timeout = 5000;
		`);
		migrate(this.db);
		this.#changed.setMaxListeners(0);
	}

	/** Runs `fn` in one IMMEDIATE transaction; nested calls join the outer one. */
	transaction<T>(fn: () => T): T {
		if (this.#depth > 0) return fn();
		this.db.exec('BEGIN IMMEDIATE');
		this.#depth++;
		try {
			const result = fn();
			this.db.exec('COMMIT');
			return result;
		} catch (error) {
			this.db.exec('ROLLBACK');
			this.#touched.clear();
			throw error;
		} finally {
			this.#depth--;
			if (this.#depth === 0) this.#wakeReaders();
		}
	}

	/** Creates the stream unless one exists at `path` (whatever its content type). */
	ensureStream(path: string, contentType = 'application/json'): void {
		this.transaction(() => {
			if (!this.stream(path)) this.createStream(path, { contentType });
		});
	}

	/** The stream at `path`, or undefined if there is none or it has expired (an expired stream is deleted here). */
	stream(path: string): StreamInfo | undefined {
		const row = this.#sql('SELECT * FROM streams WHERE path = ?').get(path);
		if (!row) return undefined;
		const now = this.#now();
		const ttlSeconds = row.ttl_seconds === null ? null : Number(row.ttl_seconds);
		const expired =
			(ttlSeconds !== null && now >= Number(row.last_access_ms) + ttlSeconds * 1000) ||
			(row.expires_at_ms !== null && now >= Number(row.expires_at_ms));
		if (expired) {
			this.deleteStream(path);
			return undefined;
		}
		return {
			id: Number(row.id),
			path,
			contentType: String(row.content_type),
			messageCount: Number(row.message_count),
			closed: row.closed === 1,
			ttlSeconds,
			expiresAt: row.expires_at === null ? null : String(row.expires_at),
			writerSeq: row.writer_seq === null ? null : String(row.writer_seq)
		};
	}

	/** Creates a stream with `initial` as its first messages; the caller has checked that `path` is free. */
	createStream(path: string, options: StreamOptions, initial: readonly Payload[] = []): StreamInfo {
		return this.transaction(() => {
			const expiresAtMs = options.expiresAt === undefined ? null : Date.parse(options.expiresAt);
			this.#sql(
				`INSERT INTO streams (path, content_type, ttl_seconds, expires_at, expires_at_ms, last_access_ms, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`
			).run(
				path,
				options.contentType,
				options.ttlSeconds ?? null,
				options.expiresAt ?? null,
				expiresAtMs,
				this.#now(),
				new Date(this.#now()).toISOString()
			);
			if (initial.length > 0) this.appendMessages(path, initial);
			if (options.closed) this.closeStream(path);
			this.#touched.add(path);
			return this.#require(path);
		});
	}

	/** Appends each payload as one message; returns the stream's message count after the last one. */
	appendMessages(path: string, payloads: readonly Payload[]): number {
		return this.transaction(() => {
			const stream = this.#require(path);
			if (stream.closed) throw new StreamClosedError(path);
			let count = stream.messageCount;
			const insert = this.#sql('INSERT INTO messages (stream_id, seq, data) VALUES (?, ?, ?)');
			for (const payload of payloads) insert.run(stream.id, ++count, payload);
			this.#sql('UPDATE streams SET message_count = ?, last_access_ms = ? WHERE id = ?').run(
				count,
				this.#now(),
				stream.id
			);
			this.#touched.add(path);
			return count;
		});
	}

	/** Appends each value as one message of a JSON stream; returns the offset after the last one. */
	appendJson(path: string, values: readonly unknown[]): string {
		return formatOffset(
			this.appendMessages(
				path,
				values.map((value) => JSON.stringify(value))
			)
		);
	}

	/** Closes the stream (idempotent; a write, so it restarts a sliding TTL); returns its final message count. */
	closeStream(path: string): number {
		return this.transaction(() => {
			const stream = this.#require(path);
			this.#sql('UPDATE streams SET closed = 1, last_access_ms = ? WHERE id = ?').run(this.#now(), stream.id);
			this.#touched.add(path);
			return stream.messageCount;
		});
	}

	/** Deletes the stream with its messages and producer states; returns false if there was none. */
	deleteStream(path: string): boolean {
		return this.transaction(() => {
			const row = this.#sql('SELECT id FROM streams WHERE path = ?').get(path);
			if (!row) return false;
			this.#sql('DELETE FROM messages WHERE stream_id = ?').run(row.id);
			this.#sql('DELETE FROM producers WHERE stream_id = ?').run(row.id);
			this.#sql('DELETE FROM streams WHERE id = ?').run(row.id);
			this.#touched.add(path);
			return true;
		});
	}

	setWriterSeq(streamId: number, writerSeq: string): void {
		this.#sql('UPDATE streams SET writer_seq = ? WHERE id = ?').run(writerSeq, streamId);
	}

	/** Restarts a sliding TTL (a read counts as activity); streams without a TTL are left untouched. */
	touch(stream: StreamInfo): void {
		if (stream.ttlSeconds === null) return;
		this.#sql('UPDATE streams SET last_access_ms = ? WHERE id = ?').run(this.#now(), stream.id);
	}

	producerState(streamId: number, producerId: string): ProducerState | undefined {
		const row = this.#sql('SELECT epoch, last_seq FROM producers WHERE stream_id = ? AND producer_id = ?').get(
			streamId,
			producerId
		);
		return row ? { epoch: Number(row.epoch), lastSeq: Number(row.last_seq) } : undefined;
	}

	saveProducerState(streamId: number, producerId: string, state: ProducerState): void {
		this.#sql(
			`INSERT INTO producers (stream_id, producer_id, epoch, last_seq) VALUES (?, ?, ?, ?)
			 ON CONFLICT (stream_id, producer_id) DO UPDATE SET epoch = excluded.epoch, last_seq = excluded.last_seq`
		).run(streamId, producerId, state.epoch, state.lastSeq);
	}

	headOffset(path: string): string | undefined {
		const stream = this.stream(path);
		return stream ? formatOffset(stream.messageCount) : undefined;
	}

	/** The messages after the first `afterCount`, in order, within `limits`. */
	readMessages(stream: StreamInfo, afterCount: number, limits: ReadLimits): Payload[] {
		const payloads: Payload[] = [];
		let bytes = 0;
		const rows = this.#sql('SELECT data FROM messages WHERE stream_id = ? AND seq > ? ORDER BY seq LIMIT ?').iterate(
			stream.id,
			afterCount,
			limits.maxMessages
		);
		for (const row of rows) {
			const payload = row.data as Payload;
			bytes += payload.length;
			if (bytes > limits.maxBytes && payloads.length > 0) break;
			payloads.push(payload);
		}
		return payloads;
	}

	/** Reads up to `limit` messages of a JSON stream after `offset`. */
	readJson(path: string, offset: string, limit = 10_000): JsonRead {
		const after = parseOffset(offset);
		if (after === undefined) throw new RangeError(`offset: "${offset}" is not an offset of this server`);
		const stream = this.#require(path);
		const messages = this.readMessages(stream, after, { maxMessages: limit, maxBytes: Infinity }).map(String);
		const last = after + messages.length;
		return { messages, nextOffset: formatOffset(last), upToDate: last >= stream.messageCount };
	}

	/**
	 * Resolves true when a reader at `offset` has news: the stream grew past it, was closed or was deleted.
	 * Resolves false after `timeoutMs` or when `signal` aborts.
	 */
	waitForAppend(path: string, offset: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
		const after = parseOffset(offset) ?? 0;
		const stream = this.stream(path);
		if (!stream || stream.closed || stream.messageCount > after) return Promise.resolve(true);
		if (signal?.aborted) return Promise.resolve(false);
		return new Promise((resolve) => {
			const done = (news: boolean) => {
				clearTimeout(timer);
				this.#changed.off(path, onChange);
				signal?.removeEventListener('abort', onAbort);
				resolve(news);
			};
			const onChange = () => done(true);
			const onAbort = () => done(false);
			const timer = setTimeout(() => done(false), timeoutMs);
			this.#changed.on(path, onChange);
			signal?.addEventListener('abort', onAbort);
		});
	}

	close(): void {
		this.db.close();
	}

	#require(path: string): StreamInfo {
		const stream = this.stream(path);
		if (!stream) throw new StreamNotFoundError(path);
		return stream;
	}

	/** Prepared statements are cached: preparing costs more than running the small statements of this store. */
	#sql(text: string): StatementSync {
		let statement = this.#statements.get(text);
		if (!statement) {
			statement = this.db.prepare(text);
			this.#statements.set(text, statement);
		}
		return statement;
	}

	#wakeReaders() {
		const touched = [...this.#touched];
		this.#touched.clear();
		for (const path of touched) this.#changed.emit(path);
	}
}
