/**
 * The process-wide server state: the data directory, the event log in it and the Durable Streams handler over
 * it. Created on first use, so that `vite dev`, `vite preview` and the adapter-node build share one code path.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LogStore } from './log/store.ts';
import { createStreamHandler, type StreamHandler } from './streams/handler.ts';
import { CHAT_STREAM } from '#lib/shared/events.ts';

export interface ReplicaServer {
	dataDir: string;
	store: LogStore;
	/** Serves /v1/stream/<path> (Durable Streams). */
	handleStream: StreamHandler;
}

export interface ServerConfig {
	dataDir: string;
	/** Lets HTTP clients write streams directly; only for the protocol conformance run. */
	publicStreamWrites: boolean;
	longPollTimeoutMs: number;
}

/**
 * From the environment:
 * - `REPLICA_DATA_DIR`: the data directory (default `./data`), created on first start.
 * - `REPLICA_PUBLIC_STREAM_WRITES=1`: allow PUT/POST/DELETE on /v1/stream (default off: writes go through
 *   POST /api/commands).
 * - `REPLICA_LONG_POLL_TIMEOUT_MS`: how long a long-poll waits for news (default 30000).
 */
export function configFromEnv(env: Record<string, string | undefined> = process.env): ServerConfig {
	const timeout = env.REPLICA_LONG_POLL_TIMEOUT_MS ?? '30000';
	if (!/^[1-9]\d*$/.test(timeout)) {
		throw new Error(`REPLICA_LONG_POLL_TIMEOUT_MS: "${timeout}" is not a positive whole number of milliseconds`);
	}
	return {
		dataDir: resolve(env.REPLICA_DATA_DIR ?? 'data'),
		publicStreamWrites: env.REPLICA_PUBLIC_STREAM_WRITES === '1',
		longPollTimeoutMs: Number(timeout)
	};
}

let instance: ReplicaServer | undefined;

export function replicaServer(): ReplicaServer {
	if (instance) return instance;
	const config = configFromEnv();
	mkdirSync(config.dataDir, { recursive: true });
	const store = new LogStore(join(config.dataDir, 'log.sqlite'));
	store.ensureStream(CHAT_STREAM);
	const handleStream = createStreamHandler({
		store,
		publicWrites: config.publicStreamWrites,
		longPollTimeoutMs: config.longPollTimeoutMs
	});
	instance = { dataDir: config.dataDir, store, handleStream };
	return instance;
}
