/**
 * The optimistic path. A sent message shows at once as a pending timeline row (pending = 1) keyed by its message
 * id; the messages insert trigger deletes that row when the real insert event with the same id is applied (the
 * confirmation rule), and dropPending removes it when the server rejects the command.
 */
import type { Command } from '#lib/shared/commands.ts';
import { PENDING_POSITION_BASE } from './positions';
import { firstValue, run } from './statements';
import type { Db } from './types';

export interface PendingAuthor {
	/** The signed-in user, who authors the message. */
	authorId: string;
	/** ISO time the user sent it. */
	createdAt: string;
}

/** Returns the tables written (empty when the command has no optimistic projection yet). */
export function applyPending(db: Db, command: Command, author: PendingAuthor): Set<string> {
	if (command.name !== 'send_message') return new Set();
	const { messageId, channelId, body } = command.args;
	// Already confirmed (the stream beat the outbox): nothing to show optimistically.
	if (firstValue(db, 'SELECT 1 FROM messages WHERE id = ?', [messageId]) !== undefined) return new Set();
	const top = Number(firstValue(db, 'SELECT max(position) FROM timeline_items') ?? 0);
	run(
		db,
		`INSERT INTO timeline_items(channel_id, position, message_id, author_id, body, created_at, pending)
		 VALUES (?, ?, ?, ?, ?, ?, 1)
		 ON CONFLICT(message_id) DO NOTHING`,
		[channelId, Math.max(top + 1, PENDING_POSITION_BASE), messageId, author.authorId, body, author.createdAt]
	);
	// Nothing written (the row was already there): nothing for live queries to re-run.
	return db.changes() > 0 ? new Set(['timeline_items']) : new Set();
}

/** Removes a rejected command's pending row. */
export function dropPending(db: Db, messageId: string): Set<string> {
	run(db, 'DELETE FROM timeline_items WHERE message_id = ? AND pending = 1', [messageId]);
	return new Set(['timeline_items']);
}
