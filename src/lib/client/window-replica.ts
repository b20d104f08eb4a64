/**
 * `window.replica`: the page's public surface for tests and devtools (documented in the README; keep it stable).
 */
import type { Command } from '#lib/shared/commands.ts';
import type { Row, SqlParams } from '#lib/shared/db-protocol.ts';
import { sendCommand, type SendOutcome } from './commands';
import type { Replica, ReplicaStatus, Role } from './replica.svelte';

export interface WindowReplica {
	tabId: string;
	role(): Role;
	query(sql: string, params?: SqlParams): Promise<Row[]>;
	status(): Promise<ReplicaStatus>;
	/** Queues a command through the outbox, exactly as the UI does (validation errors come back, not thrown). */
	send(command: Command): Promise<SendOutcome>;
	/** A live query: `onRows` gets the whole result now and after every change to it; returns the unsubscribe. */
	subscribe(sql: string, params: SqlParams, onRows: (rows: Row[]) => void): () => void;
}

declare global {
	interface Window {
		replica?: WindowReplica;
	}
}

export function exposeOnWindow(replica: Replica) {
	window.replica = {
		tabId: replica.tabId,
		role: () => replica.role,
		query: (sql, params) => replica.query(sql, params ?? []),
		status: () => replica.status(),
		send: (command) => sendCommand(command),
		subscribe: (sql, params, onRows) =>
			replica.subscribe(sql, params, onRows, (message) => console.error('[replica] live query failed:', message))
	};
}
