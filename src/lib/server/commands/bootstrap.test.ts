import { afterEach, beforeEach, expect, test } from 'vitest';
import { bootstrapChat } from './bootstrap';
import { createCommandHandler } from './handler';
import { tempStore, type TempStore } from './testing';

const T = '2026-01-02T03:04:05.000Z';
const now = () => new Date(T);
const headers = { operation: 'insert', txid: 'bootstrap', timestamp: T };

let temp: TempStore;
beforeEach(() => (temp = tempStore()));
afterEach(() => temp.dispose());

test('a fresh log gets the default space, its channels and the system user, once', () => {
	expect(bootstrapChat(temp.store, now)).toBe(true);
	expect(bootstrapChat(temp.store, now)).toBe(false);
	const channel = (id: string) => ({ id, spaceId: 'replica', name: id, createdBy: 'system', createdAt: T });
	expect(temp.events()).toEqual([
		{ type: 'user', key: 'system', value: { id: 'system', name: 'Replica' }, headers },
		{
			type: 'space',
			key: 'replica',
			value: { id: 'replica', name: 'Replica', createdBy: 'system', createdAt: T },
			headers
		},
		{ type: 'channel', key: 'general', value: channel('general'), headers },
		{ type: 'channel', key: 'random', value: channel('random'), headers }
	]);
});

test('a log that already has commands is left alone', () => {
	const handler = createCommandHandler(temp.store, { now });
	handler.execute('alice', { id: 'c1', name: 'set_display_name', args: { name: 'Alice' } });
	expect(bootstrapChat(temp.store, now)).toBe(false);
	expect(temp.events()).toHaveLength(1);
});

test('the default chat is usable, and its txid cannot be reused by a client', () => {
	bootstrapChat(temp.store, now);
	const handler = createCommandHandler(temp.store, { now });
	const send = { name: 'send_message', args: { messageId: 'm1', channelId: 'general', body: 'hi' } };
	expect(handler.execute('alice', { id: 'c1', ...send })).toMatchObject({ ok: true });
	expect(handler.execute('alice', { id: 'bootstrap', ...send })).toMatchObject({ ok: false, status: 409, field: 'id' });
});
