/**
 * The fan-out against a fake push service on loopback that verifies the VAPID JWT and decrypts each push with
 * the subscription's private key, as a browser would: what arrives is what a service worker would read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { startFakePushService, type FakePushService } from '../../../../tests/helpers/fake-push-service';
import { CHAT_STREAM } from '../../shared/events';
import { LogStore } from '../log/store';
import { MAX_EVENTS_PAYLOAD_BYTES, startPushFanout, type PushFanout } from './fanout';
import { PushSubscriptions } from './subscriptions';
import { loadVapidKeys, type VapidKeys } from './vapid';

let dataDir: string;
let store: LogStore;
let subscriptions: PushSubscriptions;
let vapid: VapidKeys;
let pushService: FakePushService;
let fanout: PushFanout;

beforeEach(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'replica-push-'));
	store = new LogStore(join(dataDir, 'log.sqlite'));
	store.ensureStream(CHAT_STREAM);
	store.appendJson(CHAT_STREAM, [channelInsert('c1', 'general')]); // history before the fan-out starts
	subscriptions = new PushSubscriptions(store.db);
	vapid = loadVapidKeys(dataDir);
	pushService = await startFakePushService();
	fanout = startPushFanout(store, { vapid, subscriptions, subject: 'mailto:test@replica.invalid', timeoutMs: 5000 });
});

afterEach(async () => {
	await fanout.stop();
	await pushService.close();
	store.close();
	rmSync(dataDir, { recursive: true, force: true });
});

const channelInsert = (id: string, name: string) => ({
	type: 'channel',
	key: id,
	value: { id, spaceId: 's1', name, createdBy: 'u1', createdAt: '2025-01-01T00:00:00.000Z' },
	headers: { operation: 'insert' }
});

const messageInsert = (id: string, body: string) => ({
	type: 'message',
	key: id,
	value: { id, channelId: 'c1', authorId: 'u1', body, createdAt: '2025-01-01T00:00:00.000Z' },
	headers: { operation: 'insert', txid: `t-${id}` }
});

const reactionInsert = (messageId: string) => ({
	type: 'reaction',
	key: `${messageId}:u2:👍`,
	value: { messageId, userId: 'u2', emoji: '👍' },
	headers: { operation: 'insert' }
});

test('a small append arrives, decrypted, as the events with the offsets before and after them', async () => {
	const subscription = pushService.subscribe();
	subscriptions.save(subscription);
	const before = store.headOffset(CHAT_STREAM);
	const events = [messageInsert('m1', 'hello'), messageInsert('m2', 'world')];
	const after = store.appendJson(CHAT_STREAM, events);

	const push = await pushService.nextPush();
	expect(push.endpoint).toBe(subscription.endpoint);
	expect(push.vapidPublicKey).toBe(vapid.publicKey);
	expect(JSON.parse(push.plaintext)).toEqual({ kind: 'events', from: before, to: after, events });
	expect(push.headers).toMatchObject({ ttl: '43200', urgency: 'normal', topic: 'replica' });
});

test('an append too big for one push arrives as a poke with the new head', async () => {
	subscriptions.save(pushService.subscribe());
	const head = store.appendJson(CHAT_STREAM, [messageInsert('m1', 'x'.repeat(MAX_EVENTS_PAYLOAD_BYTES))]);

	expect(JSON.parse((await pushService.nextPush()).plaintext)).toEqual({ kind: 'poke', head });
});

test('events without a new message wait for the next message and ride along with it', async () => {
	subscriptions.save(pushService.subscribe());
	const before = store.headOffset(CHAT_STREAM);
	store.appendJson(CHAT_STREAM, [reactionInsert('m0')]);
	const after = store.appendJson(CHAT_STREAM, [messageInsert('m1', 'hello')]);

	const push = JSON.parse((await pushService.nextPush()).plaintext);
	expect(push).toEqual({
		kind: 'events',
		from: before,
		to: after,
		events: [reactionInsert('m0'), messageInsert('m1', 'hello')]
	});
	expect(pushService.pending()).toEqual([]);
});

test('every subscription gets the push, and one the push service answers 410 is removed', async () => {
	const gone = pushService.subscribe();
	const kept = pushService.subscribe();
	subscriptions.save(gone);
	subscriptions.save(kept);
	pushService.answer(gone.endpoint, 410);
	const warn = vi.spyOn(console, 'info').mockImplementation(() => {});
	store.appendJson(CHAT_STREAM, [messageInsert('m1', 'hello')]);

	const endpoints = [(await pushService.nextPush()).endpoint, (await pushService.nextPush()).endpoint];
	expect(endpoints.sort()).toEqual([gone.endpoint, kept.endpoint].sort());
	await vi.waitFor(() => expect(subscriptions.all()).toEqual([kept]));
	expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[push\] removed a subscription/));
	warn.mockRestore();
});

test('a push service that fails is logged and does not stop later pushes', async () => {
	const subscription = pushService.subscribe();
	subscriptions.save(subscription);
	pushService.answer(subscription.endpoint, 500);
	const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
	store.appendJson(CHAT_STREAM, [messageInsert('m1', 'hello')]);
	await pushService.nextPush();
	await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[push\] .* answered 500/)));
	warn.mockRestore();

	pushService.answer(subscription.endpoint, 201);
	const from = store.headOffset(CHAT_STREAM);
	store.appendJson(CHAT_STREAM, [messageInsert('m2', 'again')]);
	expect(JSON.parse((await pushService.nextPush()).plaintext)).toMatchObject({ kind: 'events', from });
	expect(subscriptions.all()).toEqual([subscription]);
});
