import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Command } from '../../shared/commands';
import { createCommandHandler, type CommandHandler } from './handler';
import { tempStore, type TempStore } from './testing';

const T = '2026-01-02T03:04:05.000Z';
const ALICE = 'alice';
const BOB = 'bob';
const headers = (operation: string, txid: string) => ({ operation, txid, timestamp: T });

let temp: TempStore;
let handler: CommandHandler;
let nextId = 0;

beforeEach(() => {
	temp = tempStore();
	handler = createCommandHandler(temp.store, { now: () => new Date(T) });
});
afterEach(() => temp.dispose());

/** Runs a command with a fresh id and returns its id and result. */
function run<N extends Command['name']>(userId: string, name: N, args: Extract<Command, { name: N }>['args']) {
	const id = `cmd-${++nextId}`;
	return { id, result: handler.execute(userId, { id, name, args }) };
}

/** Alice's space `s1` with channel `c1` and her message `m1`; the setup events are consumed. */
function setUpChat() {
	run(ALICE, 'create_space', { spaceId: 's1', name: 'Team' });
	run(ALICE, 'create_channel', { channelId: 'c1', spaceId: 's1', name: 'general' });
	run(ALICE, 'send_message', { messageId: 'm1', channelId: 'c1', body: 'hello' });
	temp.newEvents();
}
const m1 = { id: 'm1', channelId: 'c1', authorId: ALICE, body: 'hello', createdAt: T };

describe('events per command', () => {
	test('create_space inserts the space and the creator’s membership', () => {
		const { id, result } = run(ALICE, 'create_space', { spaceId: 's1', name: '  Team ' });
		expect(result).toEqual({ ok: true, commandId: id, offset: '0000000000000002' });
		expect(temp.newEvents()).toEqual([
			{
				type: 'space',
				key: 's1',
				value: { id: 's1', name: 'Team', createdBy: ALICE, createdAt: T },
				headers: headers('insert', id)
			},
			{
				type: 'membership',
				key: 's1:alice',
				value: { spaceId: 's1', userId: ALICE, joinedAt: T },
				headers: headers('insert', id)
			}
		]);
	});

	test('create_channel inserts the channel', () => {
		run(ALICE, 'create_space', { spaceId: 's1', name: 'Team' });
		temp.newEvents();
		const { id } = run(BOB, 'create_channel', { channelId: 'c1', spaceId: 's1', name: 'general' });
		expect(temp.newEvents()).toEqual([
			{
				type: 'channel',
				key: 'c1',
				value: { id: 'c1', spaceId: 's1', name: 'general', createdBy: BOB, createdAt: T },
				headers: headers('insert', id)
			}
		]);
	});

	test('send_message inserts the message, and a membership on the author’s first message in the space', () => {
		setUpChat();
		const first = run(BOB, 'send_message', { messageId: 'm2', channelId: 'c1', body: 'hi' });
		const second = run(BOB, 'send_message', { messageId: 'm3', channelId: 'c1', body: 'again' });
		const message = (id: string, body: string, txid: string) => ({
			type: 'message',
			key: id,
			value: { id, channelId: 'c1', authorId: BOB, body, createdAt: T },
			headers: headers('insert', txid)
		});
		expect(temp.newEvents()).toEqual([
			{
				type: 'membership',
				key: 's1:bob',
				value: { spaceId: 's1', userId: BOB, joinedAt: T },
				headers: headers('insert', first.id)
			},
			message('m2', 'hi', first.id),
			message('m3', 'again', second.id)
		]);
	});

	test('edit_message updates with the full new value and the old one', () => {
		setUpChat();
		const { id } = run(ALICE, 'edit_message', { messageId: 'm1', body: 'hello, world' });
		expect(temp.newEvents()).toEqual([
			{
				type: 'message',
				key: 'm1',
				value: { ...m1, body: 'hello, world', editedAt: T },
				old_value: m1,
				headers: headers('update', id)
			}
		]);
	});

	test('delete_message deletes and carries the deleted value', () => {
		setUpChat();
		const { id } = run(ALICE, 'delete_message', { messageId: 'm1' });
		expect(temp.newEvents()).toEqual([{ type: 'message', key: 'm1', old_value: m1, headers: headers('delete', id) }]);
	});

	test('add_reaction and remove_reaction insert and delete the reaction', () => {
		setUpChat();
		const added = run(BOB, 'add_reaction', { messageId: 'm1', emoji: '👍' });
		const removed = run(BOB, 'remove_reaction', { messageId: 'm1', emoji: '👍' });
		const reaction = { messageId: 'm1', userId: BOB, emoji: '👍' };
		expect(temp.newEvents()).toEqual([
			{ type: 'reaction', key: 'm1:bob:👍', value: reaction, headers: headers('insert', added.id) },
			{ type: 'reaction', key: 'm1:bob:👍', old_value: reaction, headers: headers('delete', removed.id) }
		]);
	});

	test('set_display_name inserts the user, then updates it', () => {
		expect(handler.displayName(ALICE)).toBeNull();
		const first = run(ALICE, 'set_display_name', { name: 'Alice' });
		const second = run(ALICE, 'set_display_name', { name: 'Alice L.' });
		expect(temp.newEvents()).toEqual([
			{ type: 'user', key: ALICE, value: { id: ALICE, name: 'Alice' }, headers: headers('insert', first.id) },
			{
				type: 'user',
				key: ALICE,
				value: { id: ALICE, name: 'Alice L.' },
				old_value: { id: ALICE, name: 'Alice' },
				headers: headers('update', second.id)
			}
		]);
		expect(handler.displayName(ALICE)).toBe('Alice L.');
	});
});

describe('rejections append nothing', () => {
	/** Sets up the chat, then runs `command` and expects the rejection and an unchanged stream. */
	function expectRejected(
		command: () => ReturnType<typeof run>,
		expected: { status: number; error: string; field: string }
	) {
		setUpChat();
		expect(command().result).toEqual({ ok: false, ...expected });
		expect(temp.newEvents()).toEqual([]);
	}

	test('edit by a non-author is 403', () =>
		expectRejected(() => run(BOB, 'edit_message', { messageId: 'm1', body: 'mine now' }), {
			status: 403,
			error: 'only the author can edit this message',
			field: 'args.messageId'
		}));

	test('delete by a non-author is 403', () =>
		expectRejected(() => run(BOB, 'delete_message', { messageId: 'm1' }), {
			status: 403,
			error: 'only the author can delete this message',
			field: 'args.messageId'
		}));

	test('a channel in a missing space is 404 naming args.spaceId', () =>
		expectRejected(() => run(ALICE, 'create_channel', { channelId: 'c9', spaceId: 'nope', name: 'x' }), {
			status: 404,
			error: 'space "nope" does not exist: check args.spaceId',
			field: 'args.spaceId'
		}));

	test('a duplicate channel id is 409', () =>
		expectRejected(() => run(BOB, 'create_channel', { channelId: 'c1', spaceId: 's1', name: 'x' }), {
			status: 409,
			error: 'channel "c1" already exists: choose a new args.channelId',
			field: 'args.channelId'
		}));

	test('a duplicate space id is 409', () =>
		expectRejected(() => run(BOB, 'create_space', { spaceId: 's1', name: 'x' }), {
			status: 409,
			error: 'space "s1" already exists: choose a new args.spaceId',
			field: 'args.spaceId'
		}));

	test('a message in a missing channel is 404 naming args.channelId', () =>
		expectRejected(() => run(ALICE, 'send_message', { messageId: 'm9', channelId: 'nope', body: 'x' }), {
			status: 404,
			error: 'channel "nope" does not exist: check args.channelId',
			field: 'args.channelId'
		}));

	test('a duplicate message id is 409', () =>
		expectRejected(() => run(BOB, 'send_message', { messageId: 'm1', channelId: 'c1', body: 'x' }), {
			status: 409,
			error: 'message id "m1" is already taken: choose a new args.messageId',
			field: 'args.messageId'
		}));

	test('editing a missing message is 404', () =>
		expectRejected(() => run(ALICE, 'edit_message', { messageId: 'm9', body: 'x' }), {
			status: 404,
			error: 'message "m9" does not exist: check args.messageId',
			field: 'args.messageId'
		}));

	test('removing a reaction the user does not have is 404', () =>
		expectRejected(() => run(BOB, 'remove_reaction', { messageId: 'm1', emoji: '🎉' }), {
			status: 404,
			error: 'you have no "🎉" reaction on message "m1": check args.emoji',
			field: 'args.emoji'
		}));

	test('adding the same reaction twice is 409', () => {
		setUpChat();
		run(BOB, 'add_reaction', { messageId: 'm1', emoji: '👍' });
		temp.newEvents();
		expect(run(BOB, 'add_reaction', { messageId: 'm1', emoji: '👍' }).result).toEqual({
			ok: false,
			status: 409,
			error: 'you already reacted with "👍" to message "m1"',
			field: 'args.emoji'
		});
		expect(temp.newEvents()).toEqual([]);
	});

	test('a deleted message can no longer be edited, deleted or reacted to (409)', () => {
		setUpChat();
		run(ALICE, 'delete_message', { messageId: 'm1' });
		temp.newEvents();
		const conflict = {
			ok: false,
			status: 409,
			error: 'message "m1" was deleted: it can no longer change',
			field: 'args.messageId'
		};
		expect(run(ALICE, 'edit_message', { messageId: 'm1', body: 'x' }).result).toEqual(conflict);
		expect(run(ALICE, 'delete_message', { messageId: 'm1' }).result).toEqual(conflict);
		expect(run(BOB, 'add_reaction', { messageId: 'm1', emoji: '👍' }).result).toEqual(conflict);
		expect(run(BOB, 'send_message', { messageId: 'm1', channelId: 'c1', body: 'x' }).result).toMatchObject({
			status: 409
		});
		expect(temp.newEvents()).toEqual([]);
	});
});

describe('validation', () => {
	test.each([
		['a missing field', { id: 'x1', name: 'send_message', args: { messageId: 'm', channelId: 'c' } }, 'args.body'],
		[
			'a wrong type',
			{ id: 'x1', name: 'send_message', args: { messageId: 'm', channelId: 5, body: 'b' } },
			'args.channelId'
		],
		['an unknown command', { id: 'x1', name: 'drop_tables', args: {} }, 'name'],
		['an empty object', {}, 'name'],
		['a non-object', 'hello', 'body'],
		['an extra argument', { id: 'x1', name: 'delete_message', args: { messageId: 'm', force: true } }, 'args.force']
	])('%s is a 400 naming the field', (_, input, field) => {
		const result = handler.execute(ALICE, input);
		expect(result).toMatchObject({ ok: false, status: 400, field });
		expect(!result.ok && result.error.startsWith(`${field}: `)).toBe(true);
		expect(temp.events()).toEqual([]);
	});
});

describe('idempotency', () => {
	const command = { id: 'same-id', name: 'create_space', args: { spaceId: 's1', name: 'Team' } };

	test('the same command id twice appends once and answers the first result', () => {
		const first = handler.execute(ALICE, command);
		// Formatting does not make a different command: other key order, untrimmed name.
		const again = handler.execute(ALICE, {
			args: { name: ' Team  ', spaceId: 's1' },
			name: 'create_space',
			id: 'same-id'
		});
		expect(again).toEqual(first);
		expect(first).toEqual({ ok: true, commandId: 'same-id', offset: '0000000000000002' });
		expect(temp.events()).toHaveLength(2);
	});

	test('reusing an id for a different command, or by another user, is 409', () => {
		handler.execute(ALICE, command);
		const conflict = {
			ok: false,
			status: 409,
			error: 'command id same-id was already used for a different command: send it with a new id',
			field: 'id'
		};
		expect(handler.execute(ALICE, { ...command, args: { spaceId: 's2', name: 'Other' } })).toEqual(conflict);
		expect(handler.execute(BOB, command)).toEqual(conflict);
		expect(temp.events()).toHaveLength(2);
	});

	test('a rejected id is judged again on retry, since the rejection changed nothing', () => {
		const channel = { id: 'retry', name: 'create_channel', args: { channelId: 'c1', spaceId: 's1', name: 'general' } };
		expect(handler.execute(ALICE, channel)).toMatchObject({ ok: false, status: 404 });
		handler.execute(ALICE, command);
		expect(handler.execute(ALICE, channel)).toEqual({ ok: true, commandId: 'retry', offset: '0000000000000003' });
	});
});
