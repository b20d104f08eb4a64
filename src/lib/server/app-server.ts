/**
 * The process-wide server state: the data directory and the event log in it. Created on first use, so that
 * `vite dev`, `vite preview` and the adapter-node build all share one code path.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LogStore } from './log/store';
import { CHAT_STREAM } from '$lib/shared/events';

export interface ReplicaServer {
	dataDir: string;
	store: LogStore;
}

let instance: ReplicaServer | undefined;

/** `REPLICA_DATA_DIR` names the data directory (default `./data`); it is created on first start. */
export function replicaServer(): ReplicaServer {
	if (instance) return instance;
	const dataDir = resolve(process.env.REPLICA_DATA_DIR ?? 'data');
	mkdirSync(dataDir, { recursive: true });
	const store = new LogStore(join(dataDir, 'log.sqlite'));
	store.ensureStream(CHAT_STREAM);
	instance = { dataDir, store };
	return instance;
}
