/**
 * Schema version 2: read models derived from the canonical tables by triggers, so that every writer (live apply,
 * snapshot swap, rebuild) keeps them right with the same code, and one event costs one statement from JS.
 *
 * Invariants the triggers keep:
 * - timeline_items holds exactly one row per messages row with deleted = 0 (pending = 0), plus local pending rows
 *   (pending = 1, position >= PENDING_POSITION_BASE) that the real insert replaces.
 * - message_search indexes exactly the bodies of the pending = 0 timeline rows, under rowid = position.
 * - channel_unread.message_count = number of pending = 0 timeline rows of the channel; last_position = their max.
 */
import { STAGING_DDL } from './entity-tables';
import { PENDING_POSITION_BASE } from './positions';

/** Shared with later steps, so it must never change: it is part of shipped step 2's SQL. */
export const REACTION_COUNTS = (messageId: string) => `coalesce((
  SELECT json_group_object(emoji, n) FROM (
    SELECT emoji, count(*) AS n FROM reactions WHERE message_id = ${messageId} GROUP BY emoji ORDER BY emoji
  )), '{}')`;

/** Adds the timeline row, search entry and unread count of a visible message (NEW.* of messages). */
const PROJECT_NEW_MESSAGE = (when: string) => `
  INSERT INTO timeline_items(channel_id, position, message_id, author_id, author_name, body, created_at, edited, reactions)
  SELECT NEW.channel_id, NEW.position, NEW.id, NEW.author_id, (SELECT name FROM users WHERE id = NEW.author_id),
         NEW.body, NEW.created_at, NEW.edited_at IS NOT NULL, ${REACTION_COUNTS('NEW.id')}
  WHERE ${when};
  INSERT INTO message_search(rowid, body) SELECT NEW.position, NEW.body WHERE ${when};
  INSERT INTO channel_unread(channel_id, message_count, last_position) SELECT NEW.channel_id, 1, NEW.position WHERE ${when}
  ON CONFLICT(channel_id) DO UPDATE SET
    message_count = message_count + 1, last_position = max(last_position, excluded.last_position);`;

export const SCHEMA_V2 = `
CREATE TABLE timeline_items(
  channel_id TEXT NOT NULL, position INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, author_id TEXT NOT NULL,
  author_name TEXT, body TEXT NOT NULL, created_at TEXT NOT NULL, edited INTEGER NOT NULL DEFAULT 0,
  reactions TEXT NOT NULL DEFAULT '{}', pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX timeline_by_channel ON timeline_items(channel_id, position DESC);
CREATE INDEX timeline_by_author ON timeline_items(author_id);
-- External content over timeline_items (rowid = position): no second copy of the bodies, and snippet()/highlight()
-- work because FTS5 reads the text back from timeline_items. The price, deletes must pass the indexed body, is
-- paid inside the triggers below, which are the only writers.
CREATE VIRTUAL TABLE message_search USING fts5(body, content='timeline_items', content_rowid='position');
CREATE TABLE channel_unread(channel_id TEXT PRIMARY KEY, message_count INTEGER NOT NULL, last_position INTEGER NOT NULL);
-- Local-only: written by markRead, never by the stream, kept across reset, snapshot and rebuild.
CREATE TABLE read_marks(channel_id TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE VIEW channel_unread_counts AS
  SELECT u.channel_id, u.message_count, u.last_position, coalesce(r.position, 0) AS read_position,
    (SELECT count(*) FROM timeline_items t WHERE t.channel_id = u.channel_id
       AND t.position > coalesce(r.position, 0) AND t.position < ${PENDING_POSITION_BASE}) AS unread
  FROM channel_unread u LEFT JOIN read_marks r USING (channel_id);

CREATE TRIGGER messages_projected_on_insert AFTER INSERT ON messages BEGIN
  -- Confirmation of an optimistic send: the pending row with this id gives way to the real one.
  DELETE FROM timeline_items WHERE message_id = NEW.id AND pending = 1;
  ${PROJECT_NEW_MESSAGE('NEW.deleted = 0')}
END;
-- An update (edit, soft delete, re-insert) removes the old projection if it was visible, then adds the new one.
CREATE TRIGGER messages_projected_on_update AFTER UPDATE ON messages BEGIN
  INSERT INTO message_search(message_search, rowid, body) SELECT 'delete', OLD.position, OLD.body WHERE OLD.deleted = 0;
  DELETE FROM timeline_items WHERE message_id = OLD.id;
  UPDATE channel_unread SET message_count = message_count - 1,
    last_position = coalesce((SELECT max(position) FROM timeline_items
      WHERE channel_id = OLD.channel_id AND position < ${PENDING_POSITION_BASE}), 0)
  WHERE channel_id = OLD.channel_id AND OLD.deleted = 0;
  ${PROJECT_NEW_MESSAGE('NEW.deleted = 0')}
END;

CREATE TRIGGER users_named_on_insert AFTER INSERT ON users BEGIN
  UPDATE timeline_items SET author_name = NEW.name WHERE author_id = NEW.id;
END;
CREATE TRIGGER users_named_on_update AFTER UPDATE OF name ON users BEGIN
  UPDATE timeline_items SET author_name = NEW.name WHERE author_id = NEW.id;
END;
CREATE TRIGGER users_unnamed_on_delete AFTER DELETE ON users BEGIN
  UPDATE timeline_items SET author_name = NULL WHERE author_id = OLD.id;
END;

CREATE TRIGGER reactions_counted_on_insert AFTER INSERT ON reactions BEGIN
  UPDATE timeline_items SET reactions = ${REACTION_COUNTS('NEW.message_id')} WHERE message_id = NEW.message_id;
END;
CREATE TRIGGER reactions_counted_on_delete AFTER DELETE ON reactions BEGIN
  UPDATE timeline_items SET reactions = ${REACTION_COUNTS('OLD.message_id')} WHERE message_id = OLD.message_id;
END;

-- Snapshot staging: canonical tables without triggers, filled between snapshot-start and snapshot-end and swapped
-- into the live tables in the snapshot-end transaction (see snapshot.ts).
${STAGING_DDL}
`;
