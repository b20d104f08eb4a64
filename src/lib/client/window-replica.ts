/**
 * `window.replica`: the page's public surface for tests and devtools (documented in the README; keep it stable).
 */
import type { Row, SqlParams } from '$lib/shared/db-protocol';
import type { Replica, ReplicaStatus, Role } from './replica.svelte';

export interface WindowReplica {
	tabId: string;
	role(): Role;
	query(sql: string, params?: SqlParams): Promise<Row[]>;
	status(): Promise<ReplicaStatus>;
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
		status: () => replica.status()
	};
}
