/**
 * The command outbox in IndexedDB, used by pages (enqueue, flush right away, retry, discard), the service worker
 * (flush on Background Sync and on every wake-up, which is the retry loop: at least every KEEPALIVE_MS while a tab
 * is open) and the active DB worker (forget commands the replica has applied).
 * Invariant: a command is in the outbox before anything shows it, and leaves only when the replica has applied
 * its events or the user discards its rejection. Sending twice is harmless: the server answers a repeated command
 * id with its first result.
 *
 * Whoever changes the outbox broadcasts its entries, so pages never read IndexedDB on others' news: a page frozen
 * in the middle of a transaction would block every other tab's outbox writes until it thaws.
 */
import type { Command, CommandResult } from './commands';
import { INGEST_CHANNEL, type OutboxRecord, type ReplicaIdb } from './idb';
import type { IngestMessage } from './ingest-protocol';

export const OUTBOX_FLUSH_LOCK = 'replica:outbox-flush';
export const BACKGROUND_SYNC_TAG = 'replica-outbox';
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export function readOutbox(idb: ReplicaIdb): Promise<OutboxRecord[]> {
	return idb.getAllFromIndex('outbox', 'createdAt');
}

export async function announceOutboxChange(idb: ReplicaIdb) {
	const entries = await readOutbox(idb);
	const channel = new BroadcastChannel(INGEST_CHANNEL);
	channel.postMessage({ ns: 'replica-ingest', kind: 'outbox', entries } satisfies IngestMessage);
	channel.close();
}

export async function enqueueCommand(idb: ReplicaIdb, command: Command, authorId: string): Promise<OutboxRecord> {
	const record: OutboxRecord = {
		id: command.id,
		command,
		authorId,
		createdAt: new Date().toISOString(),
		state: 'queued',
		attempts: 0,
		nextAttemptAt: 0
	};
	await idb.put('outbox', record);
	await announceOutboxChange(idb);
	return record;
}

/** Makes a queued or rejected command due now. */
export async function retryCommand(idb: ReplicaIdb, id: string) {
	const record = await idb.get('outbox', id);
	if (!record || record.state === 'accepted') return;
	await idb.put('outbox', { ...record, state: 'queued', nextAttemptAt: 0, rejection: undefined });
	await announceOutboxChange(idb);
}

export async function discardCommand(idb: ReplicaIdb, id: string) {
	await idb.delete('outbox', id);
	await announceOutboxChange(idb);
}

export type PostCommand = (command: Command) => Promise<CommandResult>;

/**
 * Sends the due queued commands in the order they were made (a channel is created before messages are sent to
 * it), one flusher at a time across tabs and the service worker. Stops at the first network failure: the rest
 * would fail the same way. `now` ignores the backoff (the network just came back, or the user asked). Returns
 * whether queued commands remain.
 */
export async function flushOutbox(idb: ReplicaIdb, post: PostCommand, { now = false } = {}): Promise<boolean> {
	const attempted = await navigator.locks.request(OUTBOX_FLUSH_LOCK, { ifAvailable: true }, async (lock) => {
		let attempts = 0;
		if (!lock) return attempts;
		for (const record of await readOutbox(idb)) {
			if (record.state !== 'queued') continue;
			// The oldest queued command gates the rest, so the server sees commands in the order they were made.
			if (!now && record.nextAttemptAt > Date.now()) break;
			attempts++;
			if (!(await sendOne(idb, record, post))) break;
		}
		return attempts;
	});
	if (attempted > 0) await announceOutboxChange(idb);
	return (await readOutbox(idb)).some((record) => record.state === 'queued');
}

async function sendOne(idb: ReplicaIdb, record: OutboxRecord, post: PostCommand): Promise<boolean> {
	let result: CommandResult;
	try {
		result = await post(record.command);
	} catch (error) {
		const attempts = record.attempts + 1;
		const nextAttemptAt = Date.now() + BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)];
		await idb.put('outbox', { ...record, attempts, nextAttemptAt, lastError: String(error) });
		return false;
	}
	const latest = await idb.get('outbox', record.id);
	if (!latest) return true;
	if (result.ok) {
		await idb.put('outbox', {
			...latest,
			state: 'accepted',
			acceptedOffset: result.offset,
			attempts: latest.attempts + 1
		});
	} else {
		const { status, error, field } = result;
		await idb.put('outbox', {
			...latest,
			state: 'rejected',
			rejection: { status, error, field },
			attempts: latest.attempts + 1
		});
	}
	return true;
}

/** Forgets accepted commands whose events the replica has applied; their rows are now the real ones. */
export async function forgetApplied(idb: ReplicaIdb, appliedOffset: string): Promise<boolean> {
	const tx = idb.transaction('outbox', 'readwrite');
	let forgot = false;
	for (const record of await tx.store.getAll()) {
		if (record.state === 'accepted' && record.acceptedOffset! <= appliedOffset) {
			void tx.store.delete(record.id);
			forgot = true;
		}
	}
	await tx.done;
	if (forgot) await announceOutboxChange(idb);
	return forgot;
}

/** POSTs a command; throws only when the server could not be reached or failed (5xx, 429): those are retried. */
export async function postCommand(command: Command): Promise<CommandResult> {
	const response = await fetch('/api/commands', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(command)
	});
	if (response.status >= 500 || response.status === 429 || response.status === 408) {
		throw new Error(`the server answered ${response.status}`);
	}
	return (await response.json()) as CommandResult;
}
