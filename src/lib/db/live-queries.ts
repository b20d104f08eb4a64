/**
 * Live queries of every tab, served by the active DB worker. Invariants: after each committed transaction, a
 * subscription re-runs only if the transaction changed a column it reads (ChangeTracker against the authorizer's
 * report, see affects()); a subscriber is sent only what changed (a RowDiff), and nothing when its result is the
 * same; a hidden tab's subscriptions are only marked stale, and re-run once when it shows again.
 */
import type { DbReply, LiveQueryStats, RefreshRecord, Row, SqlParams } from '#lib/shared/db-protocol.ts';
import { diffRows, keyRows, type KeyedRows } from '#lib/shared/row-diff.ts';
import type { ChangeTracker, Changes } from './change-tracker';
import type { ClientPort } from './serve-client';
import type { ColumnsRead, PreparedRead, SqlReader } from './sql-reader';

/** Refreshes kept for status(): enough to see what the last few writes cost. */
const RECENT_REFRESHES = 20;

/** A statement's result, shared by the subscriptions that read it with the same params. */
type Answer = { rows: Row[]; keyed: KeyedRows | undefined } | { error: unknown };
/** The answers of one refresh, by statement and params. */
type Answers = Map<string, Answer>;

interface Subscription {
	port: ClientPort;
	subId: number;
	sql: string;
	params: SqlParams;
	/** The statement and its params: subscriptions with the same key share one run per refresh. */
	key: string;
	/** Undefined when the statement failed to prepare (the subscriber was sent the error). */
	prepared: PreparedRead | undefined;
	/** What the subscriber has: keyed rows, or (rows without a unique key) the JSON of the whole result. */
	sent: KeyedRows | string | undefined;
}

export class LiveQueries {
	readonly #subscriptions = new Map<ClientPort, Map<number, Subscription>>();
	readonly #hidden = new Set<ClientPort>();
	readonly #stale = new Set<Subscription>();
	readonly #stats = { reruns: 0, messagesPosted: 0, recentRefreshes: [] as RefreshRecord[] };

	constructor(
		private readonly reader: SqlReader,
		private readonly tracker: ChangeTracker
	) {}

	subscribe(port: ClientPort, subId: number, sql: string, params: SqlParams) {
		const key = JSON.stringify([sql, params]);
		const subscription: Subscription = { port, subId, sql, params, key, prepared: undefined, sent: undefined };
		let byId = this.#subscriptions.get(port);
		if (!byId) this.#subscriptions.set(port, (byId = new Map()));
		byId.get(subId)?.prepared?.finalize();
		byId.set(subId, subscription);
		this.#prepare(subscription);
		this.#run(subscription);
	}

	unsubscribe(port: ClientPort, subId: number) {
		const subscription = this.#subscriptions.get(port)?.get(subId);
		if (!subscription) return;
		this.#forget(subscription);
		this.#subscriptions.get(port)?.delete(subId);
	}

	/** The tab behind `port` is gone (or has a new port): its subscriptions go with it. */
	dropPort(port: ClientPort) {
		for (const subscription of this.#subscriptions.get(port)?.values() ?? []) this.#forget(subscription);
		this.#subscriptions.delete(port);
		this.#hidden.delete(port);
	}

	setHidden(port: ClientPort, hidden: boolean) {
		if (hidden) return void this.#hidden.add(port);
		this.#hidden.delete(port);
		const answers: Answers = new Map();
		for (const subscription of this.#subscriptions.get(port)?.values() ?? []) {
			if (this.#stale.delete(subscription)) this.#run(subscription, answers);
		}
	}

	/**
	 * Call after every write transaction (committed or not): re-runs, or for hidden tabs marks stale, the
	 * subscriptions that read what it changed. Each statement's answer goes to all its subscribers before the next
	 * statement runs: the tabs showing the same channel get the new row at once, not after the subscriptions of
	 * whichever tab subscribed first.
	 */
	refresh() {
		const changes = this.tracker.take();
		if (changes !== 'everything' && changes.size === 0) return;
		const started = performance.now();
		const record = { at: Date.now(), reran: this.#stats.reruns, posted: this.#stats.messagesPosted, ms: 0 };
		const due = new Map<string, Subscription[]>();
		for (const [port, byId] of this.#subscriptions) {
			for (const subscription of byId.values()) {
				if (changes === 'everything') this.#prepare(subscription);
				else if (!subscription.prepared || !affects(changes, subscription.prepared.reads)) continue;
				if (this.#hidden.has(port)) this.#stale.add(subscription);
				else due.set(subscription.key, [...(due.get(subscription.key) ?? []), subscription]);
			}
		}
		const answers: Answers = new Map();
		for (const subscription of [...due.values()].flat()) this.#run(subscription, answers);
		record.reran = this.#stats.reruns - record.reran;
		record.posted = this.#stats.messagesPosted - record.posted;
		record.ms = performance.now() - started;
		this.#stats.recentRefreshes = [...this.#stats.recentRefreshes.slice(1 - RECENT_REFRESHES), record];
	}

	get stats(): LiveQueryStats {
		let subscriptions = 0;
		for (const byId of this.#subscriptions.values()) subscriptions += byId.size;
		return { subscriptions, ...this.#stats };
	}

	/** Finalizes every statement; call before the database closes. */
	close() {
		for (const port of [...this.#subscriptions.keys()]) this.dropPort(port);
	}

	#forget(subscription: Subscription) {
		this.#stale.delete(subscription);
		subscription.prepared?.finalize();
		subscription.prepared = undefined;
	}

	#prepare(subscription: Subscription) {
		subscription.prepared?.finalize();
		subscription.prepared = undefined;
		try {
			subscription.prepared = this.reader.prepare(subscription.sql);
		} catch (error) {
			this.#postError(subscription, error);
		}
	}

	/**
	 * Runs the subscription's statement, or takes the answer of the same statement with the same params already
	 * run in this refresh (tabs showing the same channel subscribe the same query): one snapshot, one answer.
	 * Statements that ran count as re-runs, not the subscriptions that shared their answer.
	 */
	#answer(subscription: Subscription, prepared: PreparedRead, answers: Answers | undefined): Answer {
		const shared = answers?.get(subscription.key);
		if (shared) return shared;
		// With answers, a write (or a tab shown again) caused the run; without, it is a new subscription's first.
		if (answers) this.#stats.reruns++;
		let answer: Answer;
		try {
			const rows = prepared.run(subscription.params);
			answer = { rows, keyed: keyRows(rows) };
		} catch (error) {
			answer = { error };
		}
		answers?.set(subscription.key, answer);
		return answer;
	}

	#run(subscription: Subscription, answers?: Answers) {
		if (!subscription.prepared) return;
		const { subId } = subscription;
		const answer = this.#answer(subscription, subscription.prepared, answers);
		if ('error' in answer) return this.#postError(subscription, answer.error);
		const { rows, keyed } = answer;
		const sent = subscription.sent;
		if (keyed && sent instanceof Map) {
			subscription.sent = keyed;
			const diff = diffRows(sent, rows, keyed);
			if (diff) this.#post(subscription, { ns: 'replica-db', kind: 'rows-diff', subId, diff });
			return;
		}
		const json = keyed ? undefined : JSON.stringify(rows);
		if (json !== undefined && json === sent) return;
		subscription.sent = keyed ?? json;
		this.#post(subscription, { ns: 'replica-db', kind: 'rows', subId, rows });
	}

	#postError(subscription: Subscription, error: unknown) {
		const message = error instanceof Error ? error.message : String(error);
		this.#post(subscription, { ns: 'replica-db', kind: 'subscription-error', subId: subscription.subId, message });
	}

	#post(subscription: Subscription, reply: DbReply) {
		this.#stats.messagesPosted++;
		subscription.port.postMessage(reply);
	}
}

/**
 * Whether `changes` can alter the result of a statement that reads `reads`. Inserts and deletes change every
 * column of their table; an update only the columns whose value changed. A read with no column named (e.g.
 * count(*)) counts as reading every column: the conservative answer.
 */
export function affects(changes: Changes, reads: ColumnsRead): boolean {
	for (const [table, columnsRead] of reads) {
		const changed = changes.get(table);
		if (changed === undefined) continue;
		if (changed === 'all' || columnsRead.has('')) return true;
		for (const column of columnsRead) if (changed.has(column)) return true;
	}
	return false;
}
