/**
 * The command handler's own view of the chat: just enough state to validate and authorize commands (what exists,
 * who wrote what, which reactions are present) and to answer repeated command ids. It lives in `cmd_*` tables of
 * the log's SQLite file and is only written inside the transaction that appends the matching events, so it can
 * never disagree with the log: a command's events are in the log if and only if its effects are in these tables.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { ChannelValue, MessageValue, SpaceValue, UserValue } from '../../shared/events';

const SCHEMA = `
	CREATE TABLE IF NOT EXISTS cmd_spaces (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		created_by TEXT NOT NULL,
		created_at TEXT NOT NULL
	) STRICT;
	CREATE TABLE IF NOT EXISTS cmd_channels (
		id TEXT PRIMARY KEY,
		space_id TEXT NOT NULL,
		name TEXT NOT NULL,
		created_by TEXT NOT NULL,
		created_at TEXT NOT NULL
	) STRICT;
	CREATE TABLE IF NOT EXISTS cmd_memberships (
		space_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		PRIMARY KEY (space_id, user_id)
	) STRICT, WITHOUT ROWID;
	-- Deleted messages keep their row (deleted = 1): their ids are never reused, and changing them gets a clear 409 (403 first for a non-author).
	CREATE TABLE IF NOT EXISTS cmd_messages (
		id TEXT PRIMARY KEY,
		channel_id TEXT NOT NULL,
		author_id TEXT NOT NULL,
		body TEXT NOT NULL,
		created_at TEXT NOT NULL,
		edited_at TEXT,
		deleted INTEGER NOT NULL DEFAULT 0
	) STRICT;
	CREATE TABLE IF NOT EXISTS cmd_reactions (
		message_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		emoji TEXT NOT NULL,
		PRIMARY KEY (message_id, user_id, emoji)
	) STRICT, WITHOUT ROWID;
	CREATE TABLE IF NOT EXISTS cmd_users (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL
	) STRICT;
	-- One row per accepted command id: the canonical command (with its user) and the answer it got.
	CREATE TABLE IF NOT EXISTS cmd_results (
		command_id TEXT PRIMARY KEY,
		fingerprint TEXT NOT NULL,
		result TEXT NOT NULL
	) STRICT;
`;

export interface StoredMessage extends MessageValue {
	deleted: boolean;
}

export interface StoredResult {
	fingerprint: string;
	result: string;
}

/** Typed queries over the `cmd_*` tables; callers run them inside `store.transaction`. */
export class ChatState {
	constructor(readonly db: DatabaseSync) {
		db.exec(SCHEMA);
	}

	space(id: string): SpaceValue | undefined {
		const row = this.db.prepare('SELECT * FROM cmd_spaces WHERE id = ?').get(id);
		if (!row) return undefined;
		return {
			id: String(row.id),
			name: String(row.name),
			createdBy: String(row.created_by),
			createdAt: String(row.created_at)
		};
	}

	insertSpace(space: SpaceValue): void {
		this.db
			.prepare('INSERT INTO cmd_spaces (id, name, created_by, created_at) VALUES (?, ?, ?, ?)')
			.run(space.id, space.name, space.createdBy, space.createdAt);
	}

	channel(id: string): ChannelValue | undefined {
		const row = this.db.prepare('SELECT * FROM cmd_channels WHERE id = ?').get(id);
		if (!row) return undefined;
		return {
			id: String(row.id),
			spaceId: String(row.space_id),
			name: String(row.name),
			createdBy: String(row.created_by),
			createdAt: String(row.created_at)
		};
	}

	insertChannel(channel: ChannelValue): void {
		this.db
			.prepare('INSERT INTO cmd_channels (id, space_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)')
			.run(channel.id, channel.spaceId, channel.name, channel.createdBy, channel.createdAt);
	}

	isMember(spaceId: string, userId: string): boolean {
		return !!this.db.prepare('SELECT 1 FROM cmd_memberships WHERE space_id = ? AND user_id = ?').get(spaceId, userId);
	}

	insertMembership(spaceId: string, userId: string): void {
		this.db.prepare('INSERT INTO cmd_memberships (space_id, user_id) VALUES (?, ?)').run(spaceId, userId);
	}

	message(id: string): StoredMessage | undefined {
		const row = this.db.prepare('SELECT * FROM cmd_messages WHERE id = ?').get(id);
		if (!row) return undefined;
		const message: StoredMessage = {
			id: String(row.id),
			channelId: String(row.channel_id),
			authorId: String(row.author_id),
			body: String(row.body),
			createdAt: String(row.created_at),
			deleted: row.deleted === 1
		};
		if (row.edited_at !== null) message.editedAt = String(row.edited_at);
		return message;
	}

	insertMessage(message: MessageValue): void {
		this.db
			.prepare('INSERT INTO cmd_messages (id, channel_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)')
			.run(message.id, message.channelId, message.authorId, message.body, message.createdAt);
	}

	editMessage(id: string, body: string, editedAt: string): void {
		this.db.prepare('UPDATE cmd_messages SET body = ?, edited_at = ? WHERE id = ?').run(body, editedAt, id);
	}

	markMessageDeleted(id: string): void {
		this.db.prepare('UPDATE cmd_messages SET deleted = 1 WHERE id = ?').run(id);
	}

	hasReaction(messageId: string, userId: string, emoji: string): boolean {
		return !!this.db
			.prepare('SELECT 1 FROM cmd_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?')
			.get(messageId, userId, emoji);
	}

	insertReaction(messageId: string, userId: string, emoji: string): void {
		this.db
			.prepare('INSERT INTO cmd_reactions (message_id, user_id, emoji) VALUES (?, ?, ?)')
			.run(messageId, userId, emoji);
	}

	deleteReaction(messageId: string, userId: string, emoji: string): void {
		this.db
			.prepare('DELETE FROM cmd_reactions WHERE message_id = ? AND user_id = ? AND emoji = ?')
			.run(messageId, userId, emoji);
	}

	user(id: string): UserValue | undefined {
		const row = this.db.prepare('SELECT id, name FROM cmd_users WHERE id = ?').get(id);
		return row ? { id: String(row.id), name: String(row.name) } : undefined;
	}

	upsertUser(user: UserValue): void {
		this.db
			.prepare('INSERT INTO cmd_users (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name')
			.run(user.id, user.name);
	}

	hasAnyResult(): boolean {
		return !!this.db.prepare('SELECT 1 FROM cmd_results LIMIT 1').get();
	}

	result(commandId: string): StoredResult | undefined {
		const row = this.db.prepare('SELECT fingerprint, result FROM cmd_results WHERE command_id = ?').get(commandId);
		return row ? { fingerprint: String(row.fingerprint), result: String(row.result) } : undefined;
	}

	recordResult(commandId: string, stored: StoredResult): void {
		this.db
			.prepare('INSERT INTO cmd_results (command_id, fingerprint, result) VALUES (?, ?, ?)')
			.run(commandId, stored.fingerprint, stored.result);
	}
}
