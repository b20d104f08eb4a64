/**
 * Serves one tab's port on the active DB worker. Requests name the epoch they were sent under; a port is created
 * for exactly one epoch, so a mismatch means the tab is confused, and it gets an error rather than an answer.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import {
	isDbRequest,
	type DbReply,
	type DbRequest,
	type DbStatus,
	type RebuildResult,
	type StorageMode
} from '#lib/shared/db-protocol.ts';
import { appliedOffset, applyPending, markRead, rebuildProjections, type RebuildProgress } from './core';
import type { InboxDrain } from './inbox-drain';
import type { LiveQueries } from './live-queries';
import type { SqlReader } from './sql-reader';

/** A MessagePort, or the BroadcastChannel stand-in used when there is no SharedWorker. */
export type ClientPort = Pick<MessagePort, 'postMessage' | 'onmessage'>;

export interface ServedDatabase {
	db: Database;
	storage: { mode: StorageMode; problem: string | null };
	reader: SqlReader;
	liveQueries: LiveQueries;
	drain: InboxDrain;
	/** Tells every tab how far a rebuild is. */
	reportRebuild: RebuildProgress;
	/** The size of sqlite-wasm's memory, for status() (see DbStatus.wasmHeapBytes). */
	wasmHeapBytes: () => number;
}

export function serveClient(port: ClientPort, epoch: number, served: ServedDatabase) {
	port.onmessage = async ({ data }) => {
		if (!isDbRequest(data)) return;
		if (data.epoch !== epoch) {
			if ('id' in data) reply(port, data.id, new Error(`epoch: request sent under ${data.epoch}, this is ${epoch}`));
			return;
		}
		await handle(port, data, served);
	};
}

async function handle(port: ClientPort, request: DbRequest, served: ServedDatabase) {
	const { db, reader, liveQueries, drain, storage, wasmHeapBytes } = served;
	switch (request.kind) {
		case 'query':
			return reply(port, request.id, () => reader.read(request.sql, request.params));
		case 'status': {
			const inboxPending = await drain.pending();
			const status = {
				appliedOffset: appliedOffset(db),
				inboxPending,
				storage: storage.mode,
				storageProblem: storage.problem,
				liveQueries: liveQueries.stats,
				wasmHeapBytes: wasmHeapBytes()
			};
			return reply(port, request.id, () => status satisfies DbStatus);
		}
		case 'mark-read':
			return reply(port, request.id, () => {
				markRead(db, request.channelId, request.position);
				liveQueries.refresh();
				return null;
			});
		case 'apply-pending':
			return reply(port, request.id, () => {
				const { command, authorId, createdAt } = request;
				db.transaction(() => applyPending(db, command, { authorId, createdAt }));
				liveQueries.refresh();
				return null;
			});
		case 'rebuild':
			return reply(port, request.id, () => {
				const started = performance.now();
				let events = 0;
				rebuildProjections(db, (done, total) => {
					events = total;
					served.reportRebuild(done, total);
				});
				liveQueries.refresh();
				return { events, ms: Math.round(performance.now() - started) } satisfies RebuildResult;
			});
		case 'subscribe':
			return liveQueries.subscribe(port, request.subId, request.sql, request.params);
		case 'unsubscribe':
			return liveQueries.unsubscribe(port, request.subId);
		case 'visibility':
			return liveQueries.setHidden(port, request.hidden);
	}
}

function reply(port: ClientPort, id: number, compute: (() => unknown) | Error) {
	let message: DbReply;
	try {
		if (compute instanceof Error) throw compute;
		message = { ns: 'replica-db', kind: 'result', id, value: compute() };
	} catch (error) {
		message = { ns: 'replica-db', kind: 'error', id, message: error instanceof Error ? error.message : String(error) };
	}
	port.postMessage(message);
}
