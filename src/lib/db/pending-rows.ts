/**
 * Keeps the replica's optimistic rows equal to the outbox: every queued or accepted send_message has a pending
 * timeline row (until its real event replaces it), and a rejected or discarded one has none. The outbox is the
 * source of truth, so a new leader rebuilds the same rows after a failover.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import type { OutboxRecord, ReplicaIdb } from '#lib/shared/idb.ts';
import { readOutbox } from '#lib/shared/outbox.ts';
import { applyPending, dropPending, PENDING_POSITION_BASE } from './core';

/** The pending rows' message ids: a range of the primary key (pending positions start at PENDING_POSITION_BASE). */
const pendingMessageIds = (db: Database) =>
	db.selectValues('SELECT message_id FROM timeline_items WHERE position >= ? AND pending = 1', [
		PENDING_POSITION_BASE
	]) as string[];

/** The message a record wants shown as a pending row (a send_message not rejected), if any. */
const wantedMessageId = (record: OutboxRecord) =>
	record.state !== 'rejected' && record.command.name === 'send_message' ? record.command.args.messageId : undefined;

/**
 * Whether the replica already shows what `entries` (an outbox broadcast) ask for: no accepted command whose events
 * are applied (forgetApplied would remove it), a row for every queued or accepted send_message, and no pending row
 * that none of them wants. Then a reconcile would read IndexedDB twice to change nothing, so that broadcast is
 * skipped; every change of the outbox is broadcast, so a later change is seen on its own broadcast.
 */
export function outboxShown(db: Database, entries: readonly OutboxRecord[], appliedOffset: string): boolean {
	const pending = new Set(pendingMessageIds(db));
	let wanted = 0;
	for (const record of entries) {
		if (record.state === 'accepted' && record.acceptedOffset! <= appliedOffset) return false;
		const messageId = wantedMessageId(record);
		if (messageId === undefined) continue;
		if (pending.has(messageId)) wanted++;
		else if (db.selectValue('SELECT 1 FROM timeline_items WHERE message_id = ?', [messageId]) === undefined)
			return false;
	}
	return wanted === pending.size;
}

/**
 * `isOpen` is checked after reading IndexedDB: the database may have been closed (fenced) meanwhile. Only rows that
 * were shown before the outbox was read may be dropped: a row applied while it was being read (a send that raced
 * this reconcile) is not in that snapshot of the outbox, yet wanted.
 */
export async function reconcilePendingRows(idb: ReplicaIdb, db: Database, isOpen: () => boolean): Promise<void> {
	if (!isOpen()) return;
	const shownBefore = pendingMessageIds(db);
	// In the order they were made, so that messages typed offline show in the order they were typed.
	const wanted = new Map<string, OutboxRecord>();
	for (const record of await readOutbox(idb)) {
		const messageId = wantedMessageId(record);
		if (messageId !== undefined) wanted.set(messageId, record);
	}
	if (!isOpen()) return;
	db.transaction(() => {
		for (const messageId of shownBefore) {
			if (!wanted.has(messageId)) dropPending(db, messageId);
		}
		for (const record of wanted.values()) {
			const author = { authorId: record.authorId, createdAt: record.createdAt };
			applyPending(db, record.command, author);
		}
	});
}
