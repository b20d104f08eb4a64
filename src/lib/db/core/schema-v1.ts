/**
 * Schema version 1: the canonical per-type tables and the bookkeeping that makes apply exactly-once.
 * Shipped steps are never edited; later versions add steps (see migrate.ts).
 */
export const SCHEMA_V1 = `
CREATE TABLE replica_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Every event that passed the offset filter, in stream order: rebuildProjections replays these offline.
CREATE TABLE raw_events("offset" TEXT PRIMARY KEY, event_json TEXT NOT NULL) WITHOUT ROWID;
-- txid -> offset of the latest event of that command (see claimTxid in apply-event.ts).
CREATE TABLE applied_txids(txid TEXT PRIMARY KEY, last_offset TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE quarantine("offset" TEXT PRIMARY KEY, reason TEXT NOT NULL, event_json TEXT NOT NULL, at TEXT NOT NULL);

CREATE TABLE spaces(id TEXT PRIMARY KEY, name TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE channels(
  id TEXT PRIMARY KEY, space_id TEXT NOT NULL, name TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE users(id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE memberships(
  space_id TEXT NOT NULL, user_id TEXT NOT NULL, joined_at TEXT NOT NULL, PRIMARY KEY(space_id, user_id)
) WITHOUT ROWID;
-- position = the offset count of the event that first inserted the message: stream order, unique, never changes.
CREATE TABLE messages(
  id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, author_id TEXT NOT NULL, body TEXT NOT NULL,
  created_at TEXT NOT NULL, edited_at TEXT, deleted INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL
);
CREATE TABLE reactions(
  message_id TEXT NOT NULL, user_id TEXT NOT NULL, emoji TEXT NOT NULL, PRIMARY KEY(message_id, user_id, emoji)
) WITHOUT ROWID;
`;
