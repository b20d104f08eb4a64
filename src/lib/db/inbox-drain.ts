/**
 * Moves events from the IndexedDB inbox into SQLite. Each batch is one SQLite transaction (projections and the
 * applied offset together); only after it commits are the inbox entries up to the applied offset deleted. A crash
 * between the two leaves entries that the next drain skips as duplicates, so nothing is lost or applied twice.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import type { ReplicaIdb } from '$lib/shared/idb';
import { appliedOffset, applyBatch, type ApplyResult } from './core';

/**
 * Events per transaction. Each commit on OPFS costs far more than a row (measured: 1,000-event batches apply at
 * ~3k events/s, one big batch at ~8k/s), so catch-up wants big batches; but a batch holds the worker, and every
 * tab's reads wait for it: 5,000 events take well under a second.
 */
const BATCH_SIZE = 5000;

export interface InboxDrainOptions {
	idb: ReplicaIdb;
	db: Database;
	/** False once the database is being closed (fenced): no batch may start after that. */
	isOpen: () => boolean;
	onApplied: (result: ApplyResult) => Promise<void>;
	onGap: (appliedOffset: string) => Promise<void>;
	/** A batch failed (e.g. the disk is full): nothing of it was applied; the next drain tries again. */
	onError: (error: unknown) => void;
}

export class InboxDrain {
	#running = false;
	#requested = false;
	readonly #options: InboxDrainOptions;

	constructor(options: InboxDrainOptions) {
		this.#options = options;
	}

	/** Drains until the inbox is empty; calls made while draining make it look once more at the end. */
	async drain(): Promise<void> {
		this.#requested = true;
		if (this.#running) return;
		this.#running = true;
		try {
			while (this.#requested) {
				this.#requested = false;
				await this.#drainAll().catch(this.#options.onError);
			}
		} finally {
			this.#running = false;
		}
	}

	pending(): Promise<number> {
		const { idb, db } = this.#options;
		return idb.count('inbox', IDBKeyRange.lowerBound(appliedOffset(db), true));
	}

	async #drainAll() {
		const { idb, db, isOpen, onApplied, onGap } = this.#options;
		while (isOpen()) {
			const entries = await idb.getAll('inbox', IDBKeyRange.lowerBound(appliedOffset(db), true), BATCH_SIZE);
			if (entries.length === 0 || !isOpen()) return;
			const result = applyBatch(db, entries);
			await onApplied(result);
			await idb.delete('inbox', IDBKeyRange.upperBound(result.appliedOffset));
			if (result.gap) {
				await onGap(result.appliedOffset);
				return;
			}
		}
	}
}
