/**
 * How each entity type maps onto its canonical table. The same descriptions drive the live tables, the snapshot
 * staging tables (same columns, `snapshot_` prefix, no triggers) and the staging DDL, so they cannot drift apart.
 */
import type { EntityType } from '#lib/shared/events.ts';

export interface EntityTable {
	table: string;
	/** Column order, the same in the live and the staging table. */
	columns: string[];
	/**
	 * Per column, the SQL expression that reads it from the event's raw_events row: `event` (JSONB) and `position`
	 * (the offset count). Upserts read the row inside SQLite rather than binding each value from
	 * JS, because binding strings across the wasm boundary cost more than the rest of the insert.
	 */
	sources: string[];
	keyColumns: string[];
	/** Columns an upsert of an existing row must not change. */
	keptOnConflict: string[];
	/** Tables the live write touches, read models written by triggers included. */
	touches: string[];
}

/** The string field `name` of the event's value (validateEvent checked its type). */
const field = (name: string) => `event ->> '$.value.${name}'`;

type EntityTables = Record<EntityType, EntityTable>;

export const ENTITY_TABLES: EntityTables = {
	space: {
		table: 'spaces',
		columns: ['id', 'name', 'created_by', 'created_at'],
		keyColumns: ['id'],
		keptOnConflict: [],
		sources: [field('id'), field('name'), field('createdBy'), field('createdAt')],
		touches: ['spaces']
	},
	channel: {
		table: 'channels',
		columns: ['id', 'space_id', 'name', 'created_by', 'created_at'],
		keyColumns: ['id'],
		keptOnConflict: [],
		sources: [field('id'), field('spaceId'), field('name'), field('createdBy'), field('createdAt')],
		touches: ['channels']
	},
	user: {
		table: 'users',
		columns: ['id', 'name'],
		keyColumns: ['id'],
		keptOnConflict: [],
		sources: [field('id'), field('name')],
		touches: ['users', 'timeline_items']
	},
	membership: {
		table: 'memberships',
		columns: ['space_id', 'user_id', 'joined_at'],
		keyColumns: ['space_id', 'user_id'],
		keptOnConflict: [],
		sources: [field('spaceId'), field('userId'), field('joinedAt')],
		touches: ['memberships']
	},
	message: {
		table: 'messages',
		columns: ['id', 'channel_id', 'author_id', 'body', 'created_at', 'edited_at', 'deleted', 'position'],
		keyColumns: ['id'],
		// A message keeps the place in the timeline where it first appeared, whatever edits follow.
		keptOnConflict: ['position'],
		sources: [
			field('id'),
			field('channelId'),
			field('authorId'),
			field('body'),
			field('createdAt'),
			field('editedAt'),
			'0',
			'position'
		],
		touches: ['messages', 'timeline_items', 'message_search', 'channel_unread']
	},
	reaction: {
		table: 'reactions',
		columns: ['message_id', 'user_id', 'emoji'],
		keyColumns: ['message_id', 'user_id', 'emoji'],
		keptOnConflict: [],
		sources: [field('messageId'), field('userId'), field('emoji')],
		touches: ['reactions', 'timeline_items']
	}
};

export const ENTITY_TABLE_LIST = Object.values(ENTITY_TABLES);

export const STAGING_PREFIX = 'snapshot_';

/** Staging tables mirror the canonical ones, keys included (upserts need them), without types or triggers. */
export const STAGING_DDL = ENTITY_TABLE_LIST.map(
	({ table, columns, keyColumns }) =>
		`CREATE TABLE ${STAGING_PREFIX}${table}(${columns.join(', ')}, PRIMARY KEY(${keyColumns.join(', ')}));`
).join('\n');
