/**
 * Schema version 3: cheaper apply path, same projections (measured in docs/BENCHMARKS.md).
 * - raw_events is keyed by the offset's count, an INTEGER rowid, so appending is a rowid append instead of an
 *   insert into a text-keyed WITHOUT ROWID b-tree of ~300-byte rows; "offset" stays readable as a generated column.
 * - The event is stored as JSONB: upserts and the txid rule read its fields inside SQLite (binding each value from
 *   JS cost more than the insert itself), and JSONB needs no parse, where every `->>` on JSON text re-parses it.
 * - Search indexing is deferred to the end of the batch (search_queue). FTS5 flushes its pending terms to disk at
 *   every statement savepoint, and every trigger-firing upsert opens one, so indexing inside the triggers wrote one
 *   index segment per message; indexing the batch's rows in one statement writes one.
 *
 * Invariant at every commit: message_search indexes exactly the bodies of the pending = 0 timeline rows whose
 * position is not in search_queue (search-queue.ts; the queue outlives a commit only while a catch-up defers
 * indexing). A queued row's body is not in the index, so removing it must unqueue it rather than issue an FTS5
 * 'delete' (which needs the indexed text). (The table's SQL comment below predates deferred indexing; shipped SQL
 * stays as it shipped.)
 */
import { PENDING_POSITION_BASE } from './positions';
import { REACTION_COUNTS } from './schema-v2';

/*
 * The exports below are part of shipped step 3's SQL and reused by later steps: they must never change (a later step
 * that needs other SQL writes its own).
 */

/** A visible message (NEW.* of messages) queued for indexing and counted in its channel's unread counts. */
export const QUEUE_AND_COUNT_NEW_MESSAGE = `
  INSERT INTO search_queue(position) SELECT NEW.position WHERE NEW.deleted = 0;
  INSERT INTO channel_unread(channel_id, message_count, last_position) SELECT NEW.channel_id, 1, NEW.position
  WHERE NEW.deleted = 0
  ON CONFLICT(channel_id) DO UPDATE SET
    message_count = message_count + 1, last_position = max(last_position, excluded.last_position);`;

const PROJECT_NEW_MESSAGE = `
  INSERT INTO timeline_items(channel_id, position, message_id, author_id, author_name, body, created_at, edited, reactions)
  SELECT NEW.channel_id, NEW.position, NEW.id, NEW.author_id, (SELECT name FROM users WHERE id = NEW.author_id),
         NEW.body, NEW.created_at, NEW.edited_at IS NOT NULL, ${REACTION_COUNTS('NEW.id')}
  WHERE NEW.deleted = 0;${QUEUE_AND_COUNT_NEW_MESSAGE}`;

/** The messages insert trigger, around the SQL that adds a visible message's projection (later steps reuse it). */
export const messageInsertTrigger = (
	projectNewMessage: string
) => `CREATE TRIGGER messages_projected_on_insert AFTER INSERT ON messages BEGIN
  -- Confirmation of an optimistic send: the pending row with this id gives way to the real one.
  DELETE FROM timeline_items WHERE message_id = NEW.id AND pending = 1;
  ${projectNewMessage}
END;`;

/** The messages update trigger: removes the old projection if it was visible, then adds the new one. */
export const messageUpdateTrigger = (
	projectNewMessage: string
) => `CREATE TRIGGER messages_projected_on_update AFTER UPDATE ON messages BEGIN
  INSERT INTO message_search(message_search, rowid, body) SELECT 'delete', OLD.position, OLD.body
  WHERE OLD.deleted = 0 AND NOT EXISTS (SELECT 1 FROM search_queue WHERE position = OLD.position);
  DELETE FROM search_queue WHERE position = OLD.position;
  DELETE FROM timeline_items WHERE message_id = OLD.id;
  UPDATE channel_unread SET message_count = message_count - 1,
    last_position = coalesce((SELECT max(position) FROM timeline_items
      WHERE channel_id = OLD.channel_id AND position < ${PENDING_POSITION_BASE}), 0)
  WHERE channel_id = OLD.channel_id AND OLD.deleted = 0;
  ${projectNewMessage}
END;`;

export const SCHEMA_V3 = `
CREATE TABLE raw_events_v3(
  position INTEGER PRIMARY KEY, event BLOB NOT NULL,
  "offset" TEXT GENERATED ALWAYS AS (printf('%016d', position)) VIRTUAL
);
INSERT INTO raw_events_v3(position, event) SELECT CAST("offset" AS INTEGER), jsonb(event_json) FROM raw_events;
DROP TABLE raw_events;
ALTER TABLE raw_events_v3 RENAME TO raw_events;

-- Positions of timeline rows whose body awaits indexing; empty outside an apply transaction.
CREATE TABLE search_queue(position INTEGER PRIMARY KEY);

DROP TRIGGER messages_projected_on_insert;
${messageInsertTrigger(PROJECT_NEW_MESSAGE)}
DROP TRIGGER messages_projected_on_update;
${messageUpdateTrigger(PROJECT_NEW_MESSAGE)}
`;
