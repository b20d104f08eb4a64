/** The channel a page shows. Until the replica has it (a channel just created, or a link followed offline), its id stands in for its name. */
import { LiveQuery } from '#lib/client/live-query.svelte.ts';
import type { Replica } from '#lib/client/replica.svelte.ts';

export class ChannelInfo {
	readonly #query: LiveQuery<{ name: string }>;

	constructor(
		replica: Replica,
		readonly id: string
	) {
		this.#query = new LiveQuery(replica, 'SELECT name FROM channels WHERE id = ?', [id]);
	}

	get name(): string {
		return this.#query.rows[0]?.name ?? this.id;
	}
}
