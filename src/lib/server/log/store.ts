/**
 * The append-only event log: one SQLite file (node:sqlite), streams of messages addressed by offset.
 *
 * Durability: WAL with synchronous=FULL, so a transaction is on disk (the WAL is fsynced) before `transaction`
 * returns, and an append is acknowledged only after that. Invariant: the messages of a stream have the gapless
 * sequence numbers 1..n, and the offset after message k is formatOffset(k).
 */
import { DatabaseSync } from 'node:sqlite';
import { EventEmitter } from 'node:events';
import { formatOffset, parseOffset } from '$lib/shared/offsets';

export interface JsonRead {
	/** Each message's JSON text, in stream order. */
	messages: string[];
	nextOffset: string;
	upToDate: boolean;
}

export class LogStore {
	readonly db: DatabaseSync;
	readonly #appended = new EventEmitter();
	/** Streams appended to inside the running transaction; their readers are woken after COMMIT, never before. */
	#touched = new Set<string>();
	#depth = 0;

	constructor(file: string) {
		this.db = new DatabaseSync(file);
		this.db.exec(`
			PRAGMA journal_mode = WAL;
			PRAGMA synchronous = FULL;
			PRAGMA busy_timeout = 5000;
			CREATE TABLE IF NOT EXISTS streams (
				path TEXT PRIMARY KEY,
				content_type TEXT NOT NULL,
				message_count INTEGER NOT NULL DEFAULT 0,
				created_at TEXT NOT NULL
			) STRICT;
			CREATE TABLE IF NOT EXISTS messages (
				stream TEXT NOT NULL,
				seq INTEGER NOT NULL,
				data TEXT NOT NULL,
				PRIMARY KEY (stream, seq)
			) STRICT, WITHOUT ROWID;
		`);
		this.#appended.setMaxListeners(0);
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

	ensureStream(path: string, contentType = 'application/json'): void {
		this.db
			.prepare(
				'INSERT INTO streams (path, content_type, created_at) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING'
			)
			.run(path, contentType, new Date().toISOString());
	}

	/** Appends each value as one message; returns the offset after the last one. */
	appendJson(path: string, values: readonly unknown[]): string {
		return this.transaction(() => {
			const row = this.db.prepare('SELECT message_count FROM streams WHERE path = ?').get(path);
			if (!row) throw new Error(`stream "${path}" does not exist: create it first`);
			let count = Number(row.message_count);
			const insert = this.db.prepare('INSERT INTO messages (stream, seq, data) VALUES (?, ?, ?)');
			for (const value of values) insert.run(path, ++count, JSON.stringify(value));
			this.db.prepare('UPDATE streams SET message_count = ? WHERE path = ?').run(count, path);
			this.#touched.add(path);
			return formatOffset(count);
		});
	}

	headOffset(path: string): string | undefined {
		const row = this.db.prepare('SELECT message_count FROM streams WHERE path = ?').get(path);
		return row ? formatOffset(Number(row.message_count)) : undefined;
	}

	/** Reads up to `limit` messages after `offset`. */
	readJson(path: string, offset: string, limit = 10_000): JsonRead {
		const after = parseOffset(offset);
		if (after === undefined) throw new RangeError(`offset: "${offset}" is not an offset of this server`);
		const rows = this.db
			.prepare('SELECT data FROM messages WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?')
			.all(path, after, limit);
		const last = after + rows.length;
		const head = Number(this.db.prepare('SELECT message_count FROM streams WHERE path = ?').get(path)?.message_count ?? 0);
		return {
			messages: rows.map((row) => String(row.data)),
			nextOffset: formatOffset(last),
			upToDate: last >= head
		};
	}

	/** Resolves true when `path` grows past `offset`, false after `timeoutMs` or when `signal` aborts. */
	waitForAppend(path: string, offset: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
		const after = parseOffset(offset) ?? 0;
		const head = parseOffset(this.headOffset(path) ?? '-1') ?? 0;
		if (head > after) return Promise.resolve(true);
		return new Promise((resolve) => {
			const done = (grew: boolean) => {
				clearTimeout(timer);
				this.#appended.off(path, onAppend);
				signal?.removeEventListener('abort', onAbort);
				resolve(grew);
			};
			const onAppend = () => done(true);
			const onAbort = () => done(false);
			const timer = setTimeout(() => done(false), timeoutMs);
			this.#appended.on(path, onAppend);
			signal?.addEventListener('abort', onAbort);
		});
	}

	close(): void {
		this.db.close();
	}

	#wakeReaders() {
		const touched = [...this.#touched];
		this.#touched.clear();
		for (const path of touched) this.#appended.emit(path);
	}
}
