/**
 * What each command is allowed to do and which change events it produces. Each rule checks the current state,
 * then updates it and returns its changes; a `CommandRejection` thrown anywhere rolls both back.
 *
 * Policy (an open team chat): any signed-in user may create spaces, create channels in an existing space, post in
 * any channel and react to any message; only a message's author may edit or delete it. A user joins a space by
 * creating it or by posting in it for the first time.
 */
import type { Command, CommandOf, CommandRejected } from '../../shared/commands';
import { membershipKey, reactionKey, type MessageValue } from '../../shared/events';
import { deleted, inserted, updated, type Change } from './changes';
import type { ChatState, StoredMessage } from './state';

export class CommandRejection extends Error {
	constructor(
		readonly status: 403 | 404 | 409,
		message: string,
		readonly field?: string
	) {
		super(message);
	}

	toResult(): CommandRejected {
		const result: CommandRejected = { ok: false, status: this.status, error: this.message };
		if (this.field) result.field = this.field;
		return result;
	}
}

export interface RuleContext {
	state: ChatState;
	userId: string;
	/** The command's timestamp: `headers.timestamp` of its events and the `createdAt`/`editedAt` it sets. */
	timestamp: string;
}

export function decide(context: RuleContext, command: Command): Change[] {
	switch (command.name) {
		case 'create_space':
			return createSpace(context, command.args);
		case 'create_channel':
			return createChannel(context, command.args);
		case 'send_message':
			return sendMessage(context, command.args);
		case 'edit_message':
			return editMessage(context, command.args);
		case 'delete_message':
			return deleteMessage(context, command.args);
		case 'add_reaction':
			return addReaction(context, command.args);
		case 'remove_reaction':
			return removeReaction(context, command.args);
		case 'set_display_name':
			return setDisplayName(context, command.args);
	}
}

type Args<N extends Command['name']> = CommandOf<N>['args'];

function createSpace({ state, userId, timestamp }: RuleContext, args: Args<'create_space'>): Change[] {
	if (state.space(args.spaceId)) {
		throw new CommandRejection(
			409,
			`space "${args.spaceId}" already exists: choose a new args.spaceId`,
			'args.spaceId'
		);
	}
	const space = { id: args.spaceId, name: args.name, createdBy: userId, createdAt: timestamp };
	const membership = { spaceId: args.spaceId, userId, joinedAt: timestamp };
	state.insertSpace(space);
	state.insertMembership(args.spaceId, userId);
	return [inserted('space', space.id, space), inserted('membership', membershipKey(space.id, userId), membership)];
}

function createChannel({ state, userId, timestamp }: RuleContext, args: Args<'create_channel'>): Change[] {
	if (!state.space(args.spaceId)) {
		throw new CommandRejection(404, `space "${args.spaceId}" does not exist: check args.spaceId`, 'args.spaceId');
	}
	if (state.channel(args.channelId)) {
		const error = `channel "${args.channelId}" already exists: choose a new args.channelId`;
		throw new CommandRejection(409, error, 'args.channelId');
	}
	const channel = {
		id: args.channelId,
		spaceId: args.spaceId,
		name: args.name,
		createdBy: userId,
		createdAt: timestamp
	};
	state.insertChannel(channel);
	return [inserted('channel', channel.id, channel)];
}

function sendMessage({ state, userId, timestamp }: RuleContext, args: Args<'send_message'>): Change[] {
	const channel = state.channel(args.channelId);
	if (!channel) {
		throw new CommandRejection(
			404,
			`channel "${args.channelId}" does not exist: check args.channelId`,
			'args.channelId'
		);
	}
	// Deleted messages count too: a message id names one message forever.
	if (state.message(args.messageId)) {
		const error = `message id "${args.messageId}" is already taken: choose a new args.messageId`;
		throw new CommandRejection(409, error, 'args.messageId');
	}
	const changes: Change[] = [];
	if (!state.isMember(channel.spaceId, userId)) {
		state.insertMembership(channel.spaceId, userId);
		const membership = { spaceId: channel.spaceId, userId, joinedAt: timestamp };
		changes.push(inserted('membership', membershipKey(channel.spaceId, userId), membership));
	}
	const message = {
		id: args.messageId,
		channelId: channel.id,
		authorId: userId,
		body: args.body,
		createdAt: timestamp
	};
	state.insertMessage(message);
	changes.push(inserted('message', message.id, message));
	return changes;
}

/** The message an edit, delete or reaction targets; `verb` completes "only the author can ... this message". */
function targetMessage(
	state: ChatState,
	messageId: string,
	authorOnly?: { userId: string; verb: string }
): MessageValue {
	const stored = state.message(messageId);
	if (!stored) {
		throw new CommandRejection(404, `message "${messageId}" does not exist: check args.messageId`, 'args.messageId');
	}
	if (authorOnly && stored.authorId !== authorOnly.userId) {
		throw new CommandRejection(403, `only the author can ${authorOnly.verb} this message`, 'args.messageId');
	}
	if (stored.deleted) {
		throw new CommandRejection(409, `message "${messageId}" was deleted: it can no longer change`, 'args.messageId');
	}
	return messageValue(stored);
}

function messageValue({ deleted: _deleted, ...message }: StoredMessage): MessageValue {
	return message;
}

function editMessage({ state, userId, timestamp }: RuleContext, args: Args<'edit_message'>): Change[] {
	const old = targetMessage(state, args.messageId, { userId, verb: 'edit' });
	state.editMessage(old.id, args.body, timestamp);
	return [updated('message', old.id, { ...old, body: args.body, editedAt: timestamp }, old)];
}

function deleteMessage({ state, userId }: RuleContext, args: Args<'delete_message'>): Change[] {
	const old = targetMessage(state, args.messageId, { userId, verb: 'delete' });
	state.markMessageDeleted(old.id);
	return [deleted('message', old.id, old)];
}

/** Adding a reaction the user already has is a 409, not a silent no-op: every accepted command appends an event. */
function addReaction({ state, userId }: RuleContext, args: Args<'add_reaction'>): Change[] {
	const message = targetMessage(state, args.messageId);
	if (state.hasReaction(message.id, userId, args.emoji)) {
		const error = `you already reacted with "${args.emoji}" to message "${message.id}"`;
		throw new CommandRejection(409, error, 'args.emoji');
	}
	state.insertReaction(message.id, userId, args.emoji);
	const reaction = { messageId: message.id, userId, emoji: args.emoji };
	return [inserted('reaction', reactionKey(message.id, userId, args.emoji), reaction)];
}

function removeReaction({ state, userId }: RuleContext, args: Args<'remove_reaction'>): Change[] {
	const message = targetMessage(state, args.messageId);
	if (!state.hasReaction(message.id, userId, args.emoji)) {
		const error = `you have no "${args.emoji}" reaction on message "${message.id}": check args.emoji`;
		throw new CommandRejection(404, error, 'args.emoji');
	}
	state.deleteReaction(message.id, userId, args.emoji);
	const reaction = { messageId: message.id, userId, emoji: args.emoji };
	return [deleted('reaction', reactionKey(message.id, userId, args.emoji), reaction)];
}

function setDisplayName({ state, userId }: RuleContext, args: Args<'set_display_name'>): Change[] {
	const old = state.user(userId);
	const user = { id: userId, name: args.name };
	state.upsertUser(user);
	return [old ? updated('user', userId, user, old) : inserted('user', userId, user)];
}
