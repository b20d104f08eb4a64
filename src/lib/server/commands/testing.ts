/** Test support: a log store in a fresh temp directory, with the chat stream created as `replicaServer()` does. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore } from '../log/store';
import { CHAT_STREAM } from '../../shared/events';
import { START_OFFSET } from '../../shared/offsets';

export interface TempStore {
	store: LogStore;
	/** Every event of the chat stream, parsed, in stream order. */
	events(): unknown[];
	/** The events appended since the previous call of `newEvents` (or since the store was made). */
	newEvents(): unknown[];
	dispose(): void;
}

export function tempStore(): TempStore {
	const dir = mkdtempSync(join(tmpdir(), 'replica-commands-'));
	const store = new LogStore(join(dir, 'log.sqlite'));
	store.ensureStream(CHAT_STREAM);
	const events = () => store.readJson(CHAT_STREAM, START_OFFSET).messages.map((text) => JSON.parse(text) as unknown);
	let seen = 0;
	return {
		store,
		events,
		newEvents() {
			const all = events();
			const fresh = all.slice(seen);
			seen = all.length;
			return fresh;
		},
		dispose() {
			store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
