/**
 * Opens the replica's SQLite file on the OPFS SAH pool. Only the holder of WRITER_LOCK calls this, but the
 * previous holder's access handles can outlive its lock by ~100 ms (measured), so opening retries; the pool caches
 * a failed install per name, hence `forceReinitIfPreviouslyFailed` on every retry.
 */
import type { Database, SAHPoolUtil, Sqlite3Static } from '@sqlite.org/sqlite-wasm';

const POOL_NAME = 'replica-pool';
const DB_FILE = '/replica.sqlite3';
const RETRY_DELAYS_MS = [10, 20, 40, 80, 120, 200];

export interface OpenDatabase {
	db: Database;
	pool: SAHPoolUtil;
}

type InstallOptions = Parameters<Sqlite3Static['installOpfsSAHPoolVfs']>[0] & {
	forceReinitIfPreviouslyFailed?: boolean;
};

export async function openDatabase(
	sqlite3: Sqlite3Static,
	onRetry: (error: unknown, attempt: number) => void
): Promise<OpenDatabase> {
	for (let attempt = 0; ; attempt++) {
		try {
			const options: InstallOptions = {
				name: POOL_NAME,
				// The database and its rollback journal, plus room for a temp file and a rebuild copy.
				initialCapacity: 6,
				preserveOnInitFailure: true,
				forceReinitIfPreviouslyFailed: attempt > 0
			};
			const pool = await sqlite3.installOpfsSAHPoolVfs(options);
			if (pool.isPaused()) await pool.unpauseVfs();
			const db = new pool.OpfsSAHPoolDb(DB_FILE);
			db.exec(`
				PRAGMA locking_mode = EXCLUSIVE;
				PRAGMA synchronous = FULL;
				PRAGMA cache_size = -8000;
			`);
			return { db, pool };
		} catch (error) {
			onRetry(error, attempt);
			const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
			await new Promise((resolve) => setTimeout(resolve, delay));
		}
	}
}
