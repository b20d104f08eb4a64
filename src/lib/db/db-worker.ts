/**
 * The DB worker of one tab. Every tab's worker loads sqlite-wasm at once (warm standby) and queues for the writer
 * lock; the holder opens the database, drains the inbox and serves every tab's queries until it is terminated.
 * Invariant: the SQLite file is open only inside the writer-lock callback, so at most one writer exists even if
 * the coordinator errs.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { hasNamespace, type CoordinatorToBroker, type DbWorkerToPage } from '$lib/shared/coordinator-protocol';
import { openReplicaIdb, INGEST_CHANNEL } from '$lib/shared/idb';
import { isIngestMessage, KEEPALIVE_MS, KEEPALIVE_PATH, type IngestMessage } from '$lib/shared/ingest-protocol';
import { WRITER_LOCK } from '$lib/shared/lock-names';
import { forgetApplied } from '$lib/shared/outbox';
import { migrate } from './core';
import { InboxDrain } from './inbox-drain';
import { LiveQueries } from './live-queries';
import { openDatabase } from './open-database';
import { reconcilePendingRows } from './pending-rows';
import { serveClient } from './serve-client';
import { SqlReader } from './sql-reader';

/** Reports after this many failed opens; the worker keeps retrying regardless. */
const REPORT_AFTER_ATTEMPTS = 5;

export async function startDbWorker(scope: DedicatedWorkerGlobalScope) {
	const sqlite3 = await sqlite3InitModule();
	keepServiceWorkerAwake();

	await navigator.locks.request(WRITER_LOCK, async () => {
		const { db } = await openDatabase(sqlite3, (error, attempt) => {
			if (attempt + 1 !== REPORT_AFTER_ATTEMPTS) return;
			const message = `the database could not be opened yet (${String(error)}); retrying`;
			scope.postMessage({ ns: 'replica-worker', kind: 'open-failed', message } satisfies DbWorkerToPage);
		});
		migrate(db);
		const idb = await openReplicaIdb();
		const reader = new SqlReader(sqlite3, db);
		const liveQueries = new LiveQueries(reader);
		const ingest = new BroadcastChannel(INGEST_CHANNEL);
		const reconcile = async () => liveQueries.refresh(await reconcilePendingRows(idb, db));
		const drain = new InboxDrain(
			idb,
			db,
			async (result) => {
				liveQueries.refresh(result.changedTables);
				if (await forgetApplied(idb, result.appliedOffset)) await reconcile();
			},
			async (from) => {
				// Written here as well as sent: a stopped service worker misses the message but reads the cursor.
				await idb.put('meta', from, 'cursor');
				ingest.postMessage({ ns: 'replica-ingest', kind: 'refetch', from } satisfies IngestMessage);
			}
		);
		ingest.onmessage = ({ data }) => {
			if (!isIngestMessage(data)) return;
			if (data.kind === 'inbox') void drain.drain();
			if (data.kind === 'outbox') void reconcile();
		};

		const broker = new MessageChannel();
		broker.port1.onmessage = ({ data }) => {
			if (!hasNamespace<CoordinatorToBroker>(data, 'replica-coord')) return;
			serveClient(data.port, data.epoch, { db, reader, liveQueries, drain });
		};
		scope.postMessage({ ns: 'replica-worker', kind: 'active', broker: broker.port2 } satisfies DbWorkerToPage, [
			broker.port2
		]);
		await reconcile();
		await drain.drain();
		// Hold the lock, and with it the file, until this worker is terminated.
		await new Promise<never>(() => {});
	});
}

/**
 * A service worker is stopped by the browser when idle, even while tabs are open; a dedicated worker's periodic
 * fetch, answered by the service worker, keeps it alive even in hidden tabs (measured; see ENVIRONMENT.md).
 */
function keepServiceWorkerAwake() {
	const ping = () => void fetch(KEEPALIVE_PATH, { cache: 'no-store' }).catch(() => {});
	ping();
	setInterval(ping, KEEPALIVE_MS);
}
