/**
 * The open replica of the active DB worker: the database, the inbox drain, the optimistic rows and the clients it
 * serves. `close()` stops every write path before closing the file, so nothing is written after a fence.
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { hasNamespace, type CoordinatorToBroker } from '#lib/shared/coordinator-protocol.ts';
import { INGEST_CHANNEL, openReplicaIdb, type ReplicaIdb } from '#lib/shared/idb.ts';
import type { DbReply } from '#lib/shared/db-protocol.ts';
import { isIngestMessage, type IngestMessage } from '#lib/shared/ingest-protocol.ts';
import { forgetApplied } from '#lib/shared/outbox.ts';
import { parseOffset } from '#lib/shared/offsets.ts';
import { ChangeTracker } from './change-tracker';
import { appliedOffset, closeCore, migrate } from './core';
import { InboxDrain } from './inbox-drain';
import { LiveQueries } from './live-queries';
import { openDatabase } from './open-database';
import { outboxShown, reconcilePendingRows } from './pending-rows';
import { serveClient, type ClientPort } from './serve-client';
import { describeStorageFailure } from './storage-failure';
import { SqlReader } from './sql-reader';

/** A failover normally opens within ~150 ms; only a longer wait is worth telling the user about. */
const REPORT_AFTER_MS = 1000;

export interface OpenReplicaOptions {
	opfs: boolean;
	reportOpenProblem: (message: string) => void;
	reportRebuild: (done: number, total: number) => void;
}

export async function openReplica(
	sqlite3: Sqlite3Static,
	{ opfs, reportOpenProblem, reportRebuild }: OpenReplicaOptions
) {
	// Opened while the pool installs: a failover waits for both, one after the other they cost ~10 ms more.
	const idbOpening = openReplicaIdb();
	idbOpening.catch(() => {}); // awaited below; only an open that fails first would leave it unobserved
	let reported = false;
	const opened = await openDatabase(sqlite3, {
		opfs,
		onRetry: (error, elapsedMs) => {
			if (reported || elapsedMs < REPORT_AFTER_MS) return;
			reported = true;
			reportOpenProblem(`the database could not be opened yet (${String(error)}); retrying`);
		}
	});
	const { db, pool } = opened;
	const storage = { mode: opened.storage, problem: opened.storageProblem };
	migrate(db, undefined, reportRebuild);
	const idb = await idbOpening;
	const reader = new SqlReader(sqlite3, db);
	const tracker = new ChangeTracker(sqlite3, db);
	const liveQueries = new LiveQueries(reader, tracker);
	const ingest = new BroadcastChannel(INGEST_CHANNEL);
	let open = true;

	const reconcile = async () => {
		await reconcilePendingRows(idb, db, () => open);
		if (open) liveQueries.refresh();
	};
	const refetchFrom = async (from: string) => {
		// Written here as well as sent: a stopped service worker misses the message but reads the cursor.
		await idb.put('meta', from, 'cursor');
		ingest.postMessage({ ns: 'replica-ingest', kind: 'refetch', from } satisfies IngestMessage);
	};
	const drain = new InboxDrain({
		idb,
		db,
		isOpen: () => open,
		onError: (error) => {
			liveQueries.refresh();
			storage.problem = describeStorageFailure(error);
			console.error('[db-worker] applying the inbox failed; it will be retried on the next news', error);
		},
		onApplied: async (result) => {
			liveQueries.refresh();
			storage.problem = opened.storageProblem;
			if (await forgetApplied(idb, result.appliedOffset)) await reconcile();
		},
		onIndexed: () => liveQueries.refresh(),
		onGap: refetchFrom
	});
	ingest.onmessage = ({ data }) => {
		if (!isIngestMessage(data)) return;
		if (data.kind === 'inbox') void drain.drain(data.record);
		if (data.kind !== 'outbox' || (open && outboxShown(db, data.entries, appliedOffset(db)))) return;
		// A command's events can be applied before its sender marks it accepted; forget it once it is.
		const outboxChanged = async () => {
			if (open && !(await forgetApplied(idb, appliedOffset(db)))) await reconcile();
		};
		outboxChanged().catch((error) => console.error('[db-worker] optimistic rows', error));
	};
	// In the background: clients are served meanwhile (a failover's reads wait for nothing else), and what the old
	// leader left in the file, pending rows included, is already there to read.
	const catchUp = async () => {
		await reconcile();
		if (await cursorIsAhead(idb, appliedOffset(db))) await refetchFrom(appliedOffset(db));
		await drain.drain();
	};
	catchUp().catch((error) => console.error('[db-worker] catching up after opening the replica failed', error));

	const wasmHeapBytes = () => sqlite3.wasm.heap8u().byteLength;

	return {
		/** Serves every client port the coordinator sends on `broker`. */
		acceptClients(broker: ClientPort) {
			const ports = new Map<string, ClientPort>();
			const reportRebuild = (done: number, total: number) => {
				const progress: DbReply = { ns: 'replica-db', kind: 'rebuilding', done, total };
				for (const port of ports.values()) port.postMessage(progress);
			};
			const forget = (tabId: string) => {
				const port = ports.get(tabId);
				if (port) liveQueries.dropPort(port);
				ports.delete(tabId);
			};
			broker.onmessage = ({ data }) => {
				if (!hasNamespace<CoordinatorToBroker>(data, 'replica-coord')) return;
				forget(data.tabId);
				if (data.kind === 'client-gone') return;
				ports.set(data.tabId, data.port);
				serveClient(data.port, data.epoch, { db, reader, liveQueries, drain, storage, reportRebuild, wasmHeapBytes });
			};
		},
		close() {
			open = false;
			ingest.close();
			liveQueries.close();
			tracker.close();
			closeCore(db);
			db.close();
			pool?.pauseVfs();
		}
	};
}

/**
 * True when the ingest's cursor is past what the replica has applied and the inbox cannot fill the difference:
 * the replica started over (in-memory mode, a wiped file) while IndexedDB kept its cursor. The tail must re-read.
 * The inbox can fill it when the first record ending after `applied` starts at or before it.
 */
async function cursorIsAhead(idb: ReplicaIdb, applied: string): Promise<boolean> {
	const cursor = await idb.get('meta', 'cursor');
	if (!cursor || cursor <= applied) return false;
	const [next] = await idb.getAll('inbox', IDBKeyRange.lowerBound(applied, true), 1);
	return next === undefined || (parseOffset(next.start) ?? Infinity) > (parseOffset(applied) ?? 0);
}
