/**
 * Validation of untrusted stream events. Events come from the network via IndexedDB, so nothing about their shape
 * is trusted: every field the projections read is checked here, once, and a failure names the field.
 */
import {
	ENTITY_TYPES,
	membershipKey,
	reactionKey,
	type ChangeEvent,
	type ControlEvent,
	type ControlKind,
	type EntityType
} from '#lib/shared/events.ts';
import { parseOffset } from '#lib/shared/offsets.ts';

export type ValidatedEvent = { ok: true; event: ChangeEvent | ControlEvent } | { ok: false; reason: string };

type Fields = Record<string, 'string' | 'optional-string'>;

/** The value fields each entity type must carry; extra fields are tolerated (forward compatibility). */
const VALUE_FIELDS: Record<EntityType, Fields> = {
	space: { id: 'string', name: 'string', createdBy: 'string', createdAt: 'string' },
	channel: { id: 'string', spaceId: 'string', name: 'string', createdBy: 'string', createdAt: 'string' },
	user: { id: 'string', name: 'string' },
	membership: { spaceId: 'string', userId: 'string', joinedAt: 'string' },
	message: {
		id: 'string',
		channelId: 'string',
		authorId: 'string',
		body: 'string',
		createdAt: 'string',
		editedAt: 'optional-string'
	},
	reaction: { messageId: 'string', userId: 'string', emoji: 'string' }
};

/** The key a value must be stored under; keeps the replica in step with the server's key helpers. */
export function keyOfValue(type: EntityType, value: Record<string, unknown>): string {
	if (type === 'membership') return membershipKey(value.spaceId as string, value.userId as string);
	if (type === 'reaction') {
		return reactionKey(value.messageId as string, value.userId as string, value.emoji as string);
	}
	return value.id as string;
}

/** Composite keys split at their first separators; ids never contain ':' (commands.ts restricts them). */
const KEY_PARTS: Partial<Record<EntityType, number>> = { membership: 2, reaction: 3 };

export function splitKey(type: EntityType, key: string): string[] | undefined {
	const parts = KEY_PARTS[type];
	if (parts === undefined) return [key];
	const pieces = key.split(':');
	if (pieces.length < parts) return undefined;
	// The last part (an emoji) may itself contain ':'.
	return [...pieces.slice(0, parts - 1), pieces.slice(parts - 1).join(':')];
}

const CONTROL_KINDS: readonly ControlKind[] = ['snapshot-start', 'snapshot-end', 'reset'];
const OPERATIONS = ['insert', 'update', 'delete'];

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

const describe = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x);

export function validateEvent(input: unknown): ValidatedEvent {
	const fail = (reason: string): ValidatedEvent => ({ ok: false, reason });
	if (!isRecord(input)) return fail(`event: expected an object, got ${describe(input)}`);
	const headers = input.headers;
	if (!isRecord(headers)) return fail(`headers: expected an object, got ${describe(headers)}`);

	if ('control' in headers) {
		if (!CONTROL_KINDS.includes(headers.control as ControlKind)) {
			return fail(
				`headers.control: expected one of ${CONTROL_KINDS.join(', ')}, got ${JSON.stringify(headers.control)}`
			);
		}
		if (headers.offset !== undefined) {
			if (typeof headers.offset !== 'string' || parseOffset(headers.offset) === undefined) {
				return fail(`headers.offset: ${JSON.stringify(headers.offset)} is not an offset of this server`);
			}
		}
		return { ok: true, event: input as unknown as ControlEvent };
	}

	const type = input.type as EntityType;
	if (!ENTITY_TYPES.includes(type)) return fail(`type: unknown entity type ${JSON.stringify(input.type)}`);
	if (typeof input.key !== 'string' || input.key === '') return fail('key: expected a non-empty string');
	if (!OPERATIONS.includes(headers.operation as string)) {
		return fail(`headers.operation: expected insert, update or delete, got ${JSON.stringify(headers.operation)}`);
	}
	if (headers.txid !== undefined && (typeof headers.txid !== 'string' || headers.txid === '')) {
		return fail('headers.txid: expected a non-empty string when present');
	}

	if (headers.operation === 'delete') {
		if (!splitKey(type, input.key)) return fail(`key: "${input.key}" is not a ${type} key`);
		return { ok: true, event: input as unknown as ChangeEvent };
	}
	const value = input.value;
	if (!isRecord(value)) return fail(`value: expected an object for ${headers.operation}, got ${describe(value)}`);
	for (const [field, kind] of Object.entries(VALUE_FIELDS[type])) {
		const present = value[field];
		if (kind === 'optional-string' && (present === undefined || present === null)) continue;
		if (typeof present !== 'string') return fail(`value.${field}: expected a string, got ${describe(present)}`);
	}
	const expectedKey = keyOfValue(type, value);
	if (input.key !== expectedKey) return fail(`key: "${input.key}" does not match the value's key "${expectedKey}"`);
	return { ok: true, event: input as unknown as ChangeEvent };
}
