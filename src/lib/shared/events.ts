/**
 * The chat's stream payload: Durable Streams State Protocol messages (`@durable-streams/state`,
 * state-protocol.schema.json). The server appends them; the replica applies them. Both sides import this module.
 */

export const ENTITY_TYPES = ['space', 'channel', 'user', 'membership', 'message', 'reaction'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export type Operation = 'insert' | 'update' | 'delete';

export interface SpaceValue {
	id: string;
	name: string;
	createdBy: string;
	createdAt: string;
}
export interface ChannelValue {
	id: string;
	spaceId: string;
	name: string;
	createdBy: string;
	createdAt: string;
}
export interface UserValue {
	id: string;
	name: string;
}
export interface MembershipValue {
	spaceId: string;
	userId: string;
	joinedAt: string;
}
export interface MessageValue {
	id: string;
	channelId: string;
	authorId: string;
	body: string;
	createdAt: string;
	editedAt?: string;
}
export interface ReactionValue {
	messageId: string;
	userId: string;
	emoji: string;
}

export interface EntityValues {
	space: SpaceValue;
	channel: ChannelValue;
	user: UserValue;
	membership: MembershipValue;
	message: MessageValue;
	reaction: ReactionValue;
}

export interface ChangeHeaders {
	operation: Operation;
	/** The id of the command that produced this change; every event of one command carries the same txid. */
	txid?: string;
	timestamp?: string;
}

export type ChangeEvent = {
	[T in EntityType]: {
		type: T;
		key: string;
		value?: EntityValues[T];
		old_value?: EntityValues[T];
		headers: ChangeHeaders;
	};
}[EntityType];

export type ControlKind = 'snapshot-start' | 'snapshot-end' | 'reset';

export interface ControlEvent {
	headers: { control: ControlKind; offset?: string };
}

export type StreamEvent = ChangeEvent | ControlEvent;

export function isControlEvent(event: StreamEvent): event is ControlEvent {
	return 'control' in event.headers;
}

/** Keys of composite entities; one function each so that server and replica can never disagree. */
export const reactionKey = (messageId: string, userId: string, emoji: string) => `${messageId}:${userId}:${emoji}`;
export const membershipKey = (spaceId: string, userId: string) => `${spaceId}:${userId}`;

/** The one stream that carries the chat. */
export const CHAT_STREAM = 'chat';
