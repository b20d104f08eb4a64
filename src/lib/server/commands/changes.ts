/**
 * Building State Protocol change events and appending one command's worth of them. Every event a command produces
 * carries `headers.txid` = the command id and one shared `headers.timestamp`, so a replica can match its pending
 * optimistic change to the authoritative one and knows that all of them belong to one transaction.
 */
import type { LogStore } from '../log/store';
import { CHAT_STREAM, type ChangeEvent, type EntityType, type EntityValues } from '../../shared/events';

/** A change before it is stamped with the command's txid and timestamp. */
export type Change = ChangeEvent;
type ChangeOf<T extends EntityType> = Extract<ChangeEvent, { type: T }>;

// The casts below are sound: `type` and `value` share the type parameter T, which TypeScript cannot correlate
// with the mapped union member on its own.
export function inserted<T extends EntityType>(type: T, key: string, value: EntityValues[T]): ChangeOf<T> {
	return { type, key, value, headers: { operation: 'insert' } } as unknown as ChangeOf<T>;
}

/** Updates carry the full new value (replicas replace, never merge) and the previous one for audit and FTS. */
export function updated<T extends EntityType>(
	type: T,
	key: string,
	value: EntityValues[T],
	oldValue: EntityValues[T]
): ChangeOf<T> {
	return { type, key, value, old_value: oldValue, headers: { operation: 'update' } } as unknown as ChangeOf<T>;
}

/** Deletes carry the deleted value, so a replica can adjust read models (counts, snippets) without a lookup. */
export function deleted<T extends EntityType>(type: T, key: string, oldValue: EntityValues[T]): ChangeOf<T> {
	return { type, key, old_value: oldValue, headers: { operation: 'delete' } } as unknown as ChangeOf<T>;
}

/**
 * Appends `changes` to the chat stream as one command's events and returns the offset after the last one.
 * Callers run it inside `store.transaction`, together with the state updates that the changes describe.
 */
export function appendChanges(store: LogStore, txid: string, timestamp: string, changes: readonly Change[]): string {
	if (changes.length === 0) throw new Error(`command "${txid}" produced no events: every accepted command must append`);
	const events = changes.map((change) => ({ ...change, headers: { ...change.headers, txid, timestamp } }));
	return store.appendJson(CHAT_STREAM, events);
}
