/**
 * `window.replica`: the page's public surface for tests and devtools (documented in the README; keep it stable).
 */
import type { Command } from '$lib/shared/commands';
import type { Row, SqlParams } from '$lib/shared/db-protocol';
import { sendCommand, type SendOutcome } from './commands';
import type { Replica, ReplicaStatus, Role } from './replica.svelte';

export interface WindowReplica {
	tabId: string;
	role(): Role;
	query(sql: string, params?: SqlParams): Promise<Row[]>;
	status(): Promise<ReplicaStatus>;
	/** Queues a command through the outbox, exactly as the UI does (validation errors come back, not thrown). */
	send(command: Command): Promise<SendOutcome>;
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
		send: (command) => sendCommand(command)
	};
}
