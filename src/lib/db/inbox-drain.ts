/**
 * Moves events from the IndexedDB inbox into SQLite. Each batch is one SQLite transaction (projections and the
 * applied offset together); only after it commits are the inbox entries up to the applied offset deleted. A crash
 * between the two leaves entries that the next drain skips as duplicates, so nothing is lost or applied twice.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import type { ReplicaIdb } from '$lib/shared/idb';
import { appliedOffset, applyBatch, type ApplyResult } from './core';

const BATCH_SIZE = 2000;

export class InboxDrain {
	#running = false;
	#requested = false;

	constructor(
		private readonly idb: ReplicaIdb,
		private readonly db: Database,
		private readonly onApplied: (result: ApplyResult) => Promise<void>,
		private readonly onGap: (appliedOffset: string) => Promise<void>
	) {}

	/** Drains until the inbox is empty; calls made while draining make it look once more at the end. */
	async drain(): Promise<void> {
		this.#requested = true;
		if (this.#running) return;
		this.#running = true;
		try {
			while (this.#requested) {
				this.#requested = false;
				await this.#drainAll();
			}
		} finally {
			this.#running = false;
		}
	}

	pending(): Promise<number> {
		return this.idb.count('inbox', IDBKeyRange.lowerBound(appliedOffset(this.db), true));
	}

	async #drainAll() {
		for (;;) {
			const from = appliedOffset(this.db);
			const entries = await this.idb.getAll('inbox', IDBKeyRange.lowerBound(from, true), BATCH_SIZE);
			if (entries.length === 0) return;
			const result = applyBatch(this.db, entries);
			await this.onApplied(result);
			await this.idb.delete('inbox', IDBKeyRange.upperBound(result.appliedOffset));
			if (result.gap) {
				await this.onGap(result.appliedOffset);
				return;
			}
		}
	}
}
