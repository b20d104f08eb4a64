/**
 * Page ⇄ active DB worker, over a MessagePort brokered by the coordinator. Every request names the leadership
 * epoch it was sent under; a worker answers only requests of its own epoch, so a reply always comes from the
 * leader the page believes in.
 */

import type { Command } from './commands';
import type { RowDiff } from './row-diff';

export type Row = Record<string, unknown>;
export type SqlParams = readonly (string | number | null)[];

export type StorageMode = 'opfs' | 'memory';

export interface DbStatus {
	appliedOffset: string;
	inboxPending: number;
	/** Where the replica lives; 'memory' when OPFS is missing or refused us. */
	storage: StorageMode;
	/** A storage failure the user should know about (in-memory mode, disk full), or null. */
	storageProblem: string | null;
	/** Counters of the active worker's live-query engine since it opened the database. */
	liveQueries: LiveQueryStats;
	/**
	 * The active worker's WebAssembly memory, which holds all that SQLite allocates (page cache, statements, the
	 * in-memory replica if there is one). It only grows, so this is its high-water mark.
	 */
	wasmHeapBytes: number;
}

export interface LiveQueryStats {
	subscriptions: number;
	/**
	 * Statements re-run because a committed transaction changed a table they read (subscriptions of one statement
	 * with the same params share one run).
	 */
	reruns: number;
	/** Messages sent to subscribers (whole results and diffs). */
	messagesPosted: number;
	/** The latest refreshes after a write, oldest first. */
	recentRefreshes: RefreshRecord[];
}

/** What one write cost the live queries. */
export interface RefreshRecord {
	/** Wall-clock ms (Date.now()) when the refresh began, right after the transaction. */
	at: number;
	/** Statements re-run (those of hidden tabs' subscriptions are only marked stale). */
	reran: number;
	/** Messages posted to subscribers. */
	posted: number;
	/** How long the refresh took in the DB worker, ms: every re-run and post. */
	ms: number;
}

export type DbRequest =
	| { ns: 'replica-db'; kind: 'query'; id: number; epoch: number; sql: string; params: SqlParams }
	| { ns: 'replica-db'; kind: 'status'; id: number; epoch: number }
	/** Local read state, which never travels to the server. */
	| { ns: 'replica-db'; kind: 'mark-read'; id: number; epoch: number; channelId: string; position: number }
	/** The optimistic row of a command already durable in the outbox (idempotent: the outbox is the truth). */
	| {
			ns: 'replica-db';
			kind: 'apply-pending';
			id: number;
			epoch: number;
			command: Command;
			authorId: string;
			createdAt: string;
	  }
	/** Re-derives every projection from the raw events (devtools); every tab is sent its progress. */
	| { ns: 'replica-db'; kind: 'rebuild'; id: number; epoch: number }
	| { ns: 'replica-db'; kind: 'subscribe'; subId: number; epoch: number; sql: string; params: SqlParams }
	| { ns: 'replica-db'; kind: 'unsubscribe'; subId: number; epoch: number }
	/** A hidden tab is not sent every change; when it shows again it gets the latest state of what changed. */
	| { ns: 'replica-db'; kind: 'visibility'; hidden: boolean; epoch: number };

export type DbReply =
	| { ns: 'replica-db'; kind: 'result'; id: number; value: unknown }
	| { ns: 'replica-db'; kind: 'error'; id: number; message: string }
	/** A live query's whole result: the first answer to a subscription, or when its rows have no unique key. */
	| { ns: 'replica-db'; kind: 'rows'; subId: number; rows: Row[] }
	/** What changed since the last answer (see #lib/shared/row-diff). */
	| { ns: 'replica-db'; kind: 'rows-diff'; subId: number; diff: RowDiff }
	| { ns: 'replica-db'; kind: 'subscription-error'; subId: number; message: string }
	/** Sent to every tab while the active worker rebuilds the projections: `done` of `total` events replayed. */
	| { ns: 'replica-db'; kind: 'rebuilding'; done: number; total: number };

/** The answer to a rebuild request. */
export interface RebuildResult {
	events: number;
	ms: number;
}

/** Requests that change the replica; see DbClient for what happens to them on failover. */
export const WRITE_KINDS: ReadonlySet<DbRequest['kind']> = new Set(['mark-read', 'apply-pending', 'rebuild']);

export function isDbRequest(data: unknown): data is DbRequest {
	return (data as DbRequest | undefined)?.ns === 'replica-db' && 'epoch' in (data as object);
}

export function isDbReply(data: unknown): data is DbReply {
	return (data as DbReply | undefined)?.ns === 'replica-db' && !('epoch' in (data as object));
}
