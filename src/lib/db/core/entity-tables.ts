/**
 * How each entity type maps onto its canonical table. The same descriptions drive the live tables, the snapshot
 * staging tables (same columns, `snapshot_` prefix, no triggers) and the staging DDL, so they cannot drift apart.
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import type { EntityType, EntityValues } from '$lib/shared/events';

export interface EntityTable<T extends EntityType> {
	table: string;
	/** Columns in bind order; `position` (messages) is bound from the event's offset count. */
	columns: string[];
	keyColumns: string[];
	/** Columns an upsert of an existing row must not change. */
	keptOnConflict: string[];
	row(value: EntityValues[T], position: number): SqlValue[];
	/** Tables the live write touches, read models written by triggers included. */
	touches: string[];
}

type EntityTables = { [T in EntityType]: EntityTable<T> };

export const ENTITY_TABLES: EntityTables = {
	space: {
		table: 'spaces',
		columns: ['id', 'name', 'created_by', 'created_at'],
		keyColumns: ['id'],
		keptOnConflict: [],
		row: (v) => [v.id, v.name, v.createdBy, v.createdAt],
		touches: ['spaces']
	},
	channel: {
		table: 'channels',
		columns: ['id', 'space_id', 'name', 'created_by', 'created_at'],
		keyColumns: ['id'],
		keptOnConflict: [],
		row: (v) => [v.id, v.spaceId, v.name, v.createdBy, v.createdAt],
		touches: ['channels']
	},
	user: {
		table: 'users',
		columns: ['id', 'name'],
		keyColumns: ['id'],
		keptOnConflict: [],
		row: (v) => [v.id, v.name],
		touches: ['users', 'timeline_items']
	},
	membership: {
		table: 'memberships',
		columns: ['space_id', 'user_id', 'joined_at'],
		keyColumns: ['space_id', 'user_id'],
		keptOnConflict: [],
		row: (v) => [v.spaceId, v.userId, v.joinedAt],
		touches: ['memberships']
	},
	message: {
		table: 'messages',
		columns: ['id', 'channel_id', 'author_id', 'body', 'created_at', 'edited_at', 'deleted', 'position'],
		keyColumns: ['id'],
		// A message keeps the place in the timeline where it first appeared, whatever edits follow.
		keptOnConflict: ['position'],
		row: (v, position) => [v.id, v.channelId, v.authorId, v.body, v.createdAt, v.editedAt ?? null, 0, position],
		touches: ['messages', 'timeline_items', 'message_search', 'channel_unread']
	},
	reaction: {
		table: 'reactions',
		columns: ['message_id', 'user_id', 'emoji'],
		keyColumns: ['message_id', 'user_id', 'emoji'],
		keptOnConflict: [],
		row: (v) => [v.messageId, v.userId, v.emoji],
		touches: ['reactions', 'timeline_items']
	}
};

export const ENTITY_TABLE_LIST = Object.values(ENTITY_TABLES) as EntityTable<EntityType>[];

export const STAGING_PREFIX = 'snapshot_';

/** Staging tables mirror the canonical ones, keys included (upserts need them), without types or triggers. */
export const STAGING_DDL = ENTITY_TABLE_LIST.map(
	({ table, columns, keyColumns }) =>
		`CREATE TABLE ${STAGING_PREFIX}${table}(${columns.join(', ')}, PRIMARY KEY(${keyColumns.join(', ')}));`
).join('\n');
