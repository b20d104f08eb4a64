/**
 * Live queries of every tab, served by the active DB worker. Invariants: after each committed transaction, a
 * subscription re-runs only if the transaction changed a table it reads (SqlReader reports them); a subscriber is
 * sent only what changed (a RowDiff), and nothing when its result is the same; a hidden tab's subscriptions are
 * only marked stale, and re-run once when it shows again.
 */
import type { DbReply, LiveQueryStats, SqlParams } from '#lib/shared/db-protocol.ts';
import { diffRows, keyRows, type KeyedRows } from '#lib/shared/row-diff.ts';
import type { ClientPort } from './serve-client';
import type { SqlReader } from './sql-reader';

interface Subscription {
	port: ClientPort;
	subId: number;
	sql: string;
	params: SqlParams;
	tables: Set<string>;
	/** What the subscriber has: keyed rows, or (rows without a unique key) the JSON of the whole result. */
	sent: KeyedRows | string | undefined;
}

export class LiveQueries {
	readonly #subscriptions = new Map<ClientPort, Map<number, Subscription>>();
	readonly #hidden = new Set<ClientPort>();
	readonly #stale = new Set<Subscription>();
	readonly #stats = { reruns: 0, messagesPosted: 0 };
	readonly #reader: SqlReader;

	constructor(reader: SqlReader) {
		this.#reader = reader;
	}

	subscribe(port: ClientPort, subId: number, sql: string, params: SqlParams) {
		const subscription: Subscription = { port, subId, sql, params, tables: new Set(), sent: undefined };
		let byId = this.#subscriptions.get(port);
		if (!byId) this.#subscriptions.set(port, (byId = new Map()));
		byId.set(subId, subscription);
		this.#run(subscription);
	}

	unsubscribe(port: ClientPort, subId: number) {
		const subscription = this.#subscriptions.get(port)?.get(subId);
		if (subscription) this.#stale.delete(subscription);
		this.#subscriptions.get(port)?.delete(subId);
	}

	/** The tab behind `port` is gone (or has a new port): its subscriptions go with it. */
	dropPort(port: ClientPort) {
		for (const subscription of this.#subscriptions.get(port)?.values() ?? []) this.#stale.delete(subscription);
		this.#subscriptions.delete(port);
		this.#hidden.delete(port);
	}

	setHidden(port: ClientPort, hidden: boolean) {
		if (hidden) return void this.#hidden.add(port);
		this.#hidden.delete(port);
		for (const subscription of this.#subscriptions.get(port)?.values() ?? []) {
			if (this.#stale.delete(subscription)) this.#rerun(subscription);
		}
	}

	/** Re-runs (or, for hidden tabs, marks stale) the subscriptions that read any of `changedTables`. */
	refresh(changedTables: ReadonlySet<string>) {
		if (changedTables.size === 0) return;
		for (const [port, byId] of this.#subscriptions) {
			for (const subscription of byId.values()) {
				if (![...subscription.tables].some((table) => changedTables.has(table))) continue;
				if (this.#hidden.has(port)) this.#stale.add(subscription);
				else this.#rerun(subscription);
			}
		}
	}

	get stats(): LiveQueryStats {
		let subscriptions = 0;
		for (const byId of this.#subscriptions.values()) subscriptions += byId.size;
		return { subscriptions, ...this.#stats };
	}

	#rerun(subscription: Subscription) {
		this.#stats.reruns++;
		this.#run(subscription);
	}

	#run(subscription: Subscription) {
		const { subId } = subscription;
		let rows;
		try {
			const result = this.#reader.read(subscription.sql, subscription.params);
			rows = result.rows;
			subscription.tables = result.tables;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			return this.#post(subscription, { ns: 'replica-db', kind: 'subscription-error', subId, message });
		}
		const keyed = keyRows(rows);
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

	#post(subscription: Subscription, reply: DbReply) {
		this.#stats.messagesPosted++;
		subscription.port.postMessage(reply);
	}
}
