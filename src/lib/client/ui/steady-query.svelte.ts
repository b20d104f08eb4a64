/**
 * A live query whose parameters change over time (a moved window, new read marks, a new search). Each change makes
 * a new LiveQuery; until it answers, `rows` stays at the previous answer, so the screen never flashes empty.
 */
import { LiveQuery } from '#lib/client/live-query.svelte.ts';
import type { Replica } from '#lib/client/replica.svelte.ts';
import type { Row, SqlParams } from '#lib/shared/db-protocol.ts';

export class SteadyQuery<T extends Row> {
	#query: LiveQuery<T>;
	#kept: T[] = [];
	#answered = false;

	/**
	 * `params` is read reactively: the query follows whatever state it reads. `initial` rows (a remembered first
	 * screen) are shown until the first answer; `loading` stays true until then.
	 */
	constructor(replica: Replica, sql: string, params: () => SqlParams, initial: T[] = []) {
		this.#kept = initial;
		this.#query = $derived(new LiveQuery<T>(replica, sql, params()));
		this.rows = $derived.by(() => {
			if (!this.#query.loading) {
				this.#kept = this.#query.rows;
				this.#answered = true;
			}
			return this.#kept;
		});
	}

	readonly rows: T[];

	/** True until the first answer: "no rows yet", as opposed to "no rows". */
	get loading() {
		void this.rows;
		return !this.#answered;
	}

	/** True while the latest parameters have no answer yet. */
	get settling() {
		return this.#query.loading;
	}

	get error() {
		return this.#query.error;
	}
}
