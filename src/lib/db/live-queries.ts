/**
 * Live queries of every tab, served by the active DB worker. Invariant: after each committed batch, a
 * subscription re-runs only if the batch changed a table it reads, and its port is sent rows only if they differ
 * from what that port was last sent.
 */
import type { DbReply, Row, SqlParams } from '$lib/shared/db-protocol';
import type { ClientPort } from './serve-client';
import type { SqlReader } from './sql-reader';

interface Subscription {
	port: ClientPort;
	subId: number;
	sql: string;
	params: SqlParams;
	tables: Set<string>;
	lastSent: string;
}

export class LiveQueries {
	readonly #subscriptions = new Map<ClientPort, Map<number, Subscription>>();

	constructor(private readonly reader: SqlReader) {}

	subscribe(port: ClientPort, subId: number, sql: string, params: SqlParams) {
		const subscription: Subscription = { port, subId, sql, params, tables: new Set(), lastSent: '' };
		let byId = this.#subscriptions.get(port);
		if (!byId) this.#subscriptions.set(port, (byId = new Map()));
		byId.set(subId, subscription);
		this.#run(subscription);
	}

	unsubscribe(port: ClientPort, subId: number) {
		this.#subscriptions.get(port)?.delete(subId);
	}

	dropPort(port: ClientPort) {
		this.#subscriptions.delete(port);
	}

	/** Re-runs the subscriptions that read any of `changedTables`; returns how many re-ran. */
	refresh(changedTables: ReadonlySet<string>): number {
		let reran = 0;
		for (const byId of this.#subscriptions.values()) {
			for (const subscription of byId.values()) {
				if (![...subscription.tables].some((table) => changedTables.has(table))) continue;
				reran++;
				this.#run(subscription);
			}
		}
		return reran;
	}

	get size() {
		let count = 0;
		for (const byId of this.#subscriptions.values()) count += byId.size;
		return count;
	}

	#run(subscription: Subscription) {
		const { port, subId } = subscription;
		let rows: Row[];
		try {
			const result = this.reader.read(subscription.sql, subscription.params);
			rows = result.rows;
			subscription.tables = result.tables;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			port.postMessage({ ns: 'replica-db', kind: 'subscription-error', subId, message } satisfies DbReply);
			return;
		}
		const json = JSON.stringify(rows);
		if (json === subscription.lastSent) return;
		subscription.lastSent = json;
		port.postMessage({ ns: 'replica-db', kind: 'rows', subId, rows } satisfies DbReply);
	}
}
