/**
 * The event log's tables and their migrations, keyed by `PRAGMA user_version`.
 *
 * Invariants the tables keep (LogStore maintains them, every write in one transaction):
 * - `streams.message_count` = the number of `messages` rows of that stream, and their `seq` are exactly 1..count.
 * - `streams.id` is never reused (AUTOINCREMENT), so a stream deleted and created again at the same path is a new
 *   stream: its messages, producer states and ETags cannot mix with the old one's.
 * - `messages.data` is TEXT (one JSON value) for JSON streams and BLOB (the appended bytes) for all others.
 */
import type { DatabaseSync } from 'node:sqlite';

const SCHEMA_VERSION = 1;

const CREATE_TABLES = `
	CREATE TABLE IF NOT EXISTS streams (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		path TEXT NOT NULL UNIQUE,
		content_type TEXT NOT NULL,
		message_count INTEGER NOT NULL DEFAULT 0,
		closed INTEGER NOT NULL DEFAULT 0,
		-- Sliding expiry: the stream expires ttl_seconds after its last read or write.
		ttl_seconds INTEGER,
		-- Fixed expiry, kept as the client sent it (echoed by HEAD) and as epoch milliseconds (compared).
		expires_at TEXT,
		expires_at_ms INTEGER,
		last_access_ms INTEGER NOT NULL,
		-- The last Stream-Seq accepted (Stream-Seq is scoped per stream on this server).
		writer_seq TEXT,
		created_at TEXT NOT NULL
	) STRICT;
	CREATE TABLE IF NOT EXISTS messages (
		stream_id INTEGER NOT NULL,
		seq INTEGER NOT NULL,
		data ANY NOT NULL,
		PRIMARY KEY (stream_id, seq)
	) STRICT, WITHOUT ROWID;
	CREATE TABLE IF NOT EXISTS producers (
		stream_id INTEGER NOT NULL,
		producer_id TEXT NOT NULL,
		epoch INTEGER NOT NULL,
		last_seq INTEGER NOT NULL,
		PRIMARY KEY (stream_id, producer_id)
	) STRICT, WITHOUT ROWID;
`;

/** The scaffold's first layout (version 0): streams keyed by path, messages keyed by (path, seq), TEXT data. */
const MIGRATE_FROM_SCAFFOLD = `
	ALTER TABLE streams RENAME TO streams_v0;
	ALTER TABLE messages RENAME TO messages_v0;
	${CREATE_TABLES}
	INSERT INTO streams (path, content_type, message_count, last_access_ms, created_at)
		SELECT path, content_type, message_count, 0, created_at FROM streams_v0;
	INSERT INTO messages (stream_id, seq, data)
		SELECT s.id, m.seq, m.data FROM messages_v0 m JOIN streams s ON s.path = m.stream;
	DROP TABLE messages_v0;
	DROP TABLE streams_v0;
`;

/** Brings the file to SCHEMA_VERSION in one transaction; a file from a newer build is refused, never rewritten. */
export function migrate(db: DatabaseSync): void {
	const version = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
	if (version === SCHEMA_VERSION) return;
	if (version > SCHEMA_VERSION) {
		throw new Error(
			`log schema: the file has version ${version}, this build knows up to ${SCHEMA_VERSION}: upgrade the server`
		);
	}
	const scaffoldTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'streams'").get();
	db.exec('BEGIN IMMEDIATE');
	try {
		db.exec(scaffoldTable ? MIGRATE_FROM_SCAFFOLD : CREATE_TABLES);
		db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
		db.exec('COMMIT');
	} catch (error) {
		db.exec('ROLLBACK');
		throw error;
	}
}
