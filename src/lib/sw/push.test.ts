import { afterEach, describe, expect, test, vi } from 'vitest';
import type { InboxRecord, ReplicaIdb } from '#lib/shared/idb.ts';
import type { IngestMessage } from '#lib/shared/ingest-protocol.ts';
import { formatOffset } from '#lib/shared/offsets.ts';
import {
	handleNotificationClick,
	handlePush,
	isPushPayload,
	planInboxWrite,
	planPush,
	summarizeNewMessages,
	subscribeToPush,
	type PushPayload
} from './push';

const at = formatOffset;
const message = (id: string, channelId = 'c1', body = `body of ${id}`) => ({
	type: 'message',
	key: id,
	value: { id, channelId, authorId: 'u1', body, createdAt: '2025-01-01T00:00:00.000Z' },
	headers: { operation: 'insert' }
});
const channel = (id: string, name: string) => ({
	type: 'channel',
	key: id,
	value: { id, spaceId: 's1', name },
	headers: { operation: 'insert' }
});

describe('planInboxWrite', () => {
	test('events that start at the cursor become one record, keyed by their end, and move the cursor there', () => {
		expect(planInboxWrite(at(5), at(5), at(7), ['a', 'b'])).toEqual({
			kind: 'append',
			record: { offset: at(7), start: at(5), eventsJson: JSON.stringify(['a', 'b']) },
			cursor: at(7)
		});
	});

	test('the start of the stream is offset -1', () => {
		expect(planInboxWrite('-1', '-1', at(1), ['a'])).toEqual({
			kind: 'append',
			record: { offset: at(1), start: '-1', eventsJson: JSON.stringify(['a']) },
			cursor: at(1)
		});
	});

	test('events the inbox already has are skipped: the record starts at the cursor', () => {
		expect(planInboxWrite(at(6), at(5), at(7), ['a', 'b'])).toEqual({
			kind: 'append',
			record: { offset: at(7), start: at(6), eventsJson: JSON.stringify(['b']) },
			cursor: at(7)
		});
		expect(planInboxWrite(at(7), at(5), at(7), ['a', 'b'])).toEqual({ kind: 'append', cursor: at(7) });
		expect(planInboxWrite(at(9), at(5), at(7), ['a', 'b'])).toEqual({ kind: 'append', cursor: at(9) });
	});

	test('an empty read writes nothing', () => {
		expect(planInboxWrite(at(5), at(5), at(5), [])).toEqual({ kind: 'append', cursor: at(5) });
	});

	test('events that start after the cursor are never written: the gap is fetched from the cursor', () => {
		expect(planInboxWrite(at(4), at(5), at(7), ['a', 'b'])).toEqual({ kind: 'catch-up', from: at(4) });
	});

	test('offsets that do not add up are an error, not a guess', () => {
		expect(() => planInboxWrite(at(5), at(5), at(8), ['a', 'b'])).toThrow(
			/2 events read from offset 0+5 cannot end at 0+8/
		);
		expect(() => planInboxWrite('later', at(5), at(6), ['a'])).toThrow(/cursor "later" is not an offset/);
	});
});

describe('planPush', () => {
	test('a poke past the cursor means a catch-up from the cursor; one at or before it, nothing', () => {
		expect(planPush({ kind: 'poke', head: at(9) }, at(4))).toEqual({ kind: 'catch-up', from: at(4) });
		expect(planPush({ kind: 'poke', head: at(4) }, at(4))).toEqual({ kind: 'append', cursor: at(4) });
	});

	test('events are planned like any read', () => {
		const payload: PushPayload = { kind: 'events', from: at(4), to: at(6), events: ['a', 'b'] };
		expect(planPush(payload, at(5))).toEqual({
			kind: 'append',
			record: { offset: at(6), start: at(5), eventsJson: JSON.stringify(['b']) },
			cursor: at(6)
		});
		expect(planPush(payload, at(3))).toEqual({ kind: 'catch-up', from: at(3) });
	});

	test('only well-formed payloads are taken as such', () => {
		expect(isPushPayload({ kind: 'events', from: at(1), to: at(2), events: [1] })).toBe(true);
		expect(isPushPayload({ kind: 'poke', head: at(2) })).toBe(true);
		expect(isPushPayload({ kind: 'events', from: at(1), to: at(2) })).toBe(false);
		expect(isPushPayload(null)).toBe(false);
	});
});

describe('summarizeNewMessages', () => {
	test('counts message inserts per channel, named by channel events among them, else by id', () => {
		const events = [
			channel('c1', 'general'),
			message('m1'),
			message('m2', 'c2'),
			message('m3', 'c1', 'last'),
			{ junk: 1 }
		];
		expect(summarizeNewMessages(events)).toEqual([
			{ channelId: 'c1', channelName: 'general', count: 2, lastBody: 'last' },
			{ channelId: 'c2', channelName: undefined, count: 1, lastBody: 'body of m2' }
		]);
	});

	test('edits, deletes and reactions are not new messages', () => {
		const edit = { ...message('m1'), headers: { operation: 'update' } };
		expect(summarizeNewMessages([edit, { type: 'reaction', key: 'r', headers: { operation: 'insert' } }])).toEqual([]);
	});
});

/** handlePush over an in-memory stand-in for the IndexedDB inbox and the service worker scope. */
describe('handlePush', () => {
	afterEach(() => vi.unstubAllGlobals());

	function setUp(cursor: string, visible = false) {
		const inbox = new Map<string, InboxRecord>();
		const meta = new Map<string, string>([['cursor', cursor]]);
		const stores = {
			inbox: { put: async (record: InboxRecord) => void inbox.set(record.offset, record) },
			meta: {
				get: async (key: string) => meta.get(key),
				put: async (value: string, key: string) => void meta.set(key, value)
			}
		};
		const idb = {
			transaction: () => ({ objectStore: (name: 'inbox' | 'meta') => stores[name], done: Promise.resolve() })
		};
		const announced: IngestMessage[] = [];
		const shown: { title: string; options: NotificationOptions }[] = [];
		const scope = {
			location: { origin: 'http://replica.test' },
			clients: { matchAll: async () => [{ visibilityState: visible ? 'visible' : 'hidden' }] },
			registration: {
				getNotifications: async ({ tag }: { tag: string }) =>
					shown.filter(({ options }) => options.tag === tag).map(({ options }) => ({ data: options.data })),
				showNotification: async (title: string, options: NotificationOptions) => void shown.push({ title, options })
			}
		} as unknown as ServiceWorkerGlobalScope;
		const deps = {
			idb: async () => idb as unknown as ReplicaIdb,
			ingest: { postMessage: (m: IngestMessage) => announced.push(m) }
		};
		const push = (payload: PushPayload) => {
			const event = { data: { json: () => payload }, waitUntil: () => {} } as unknown as PushEvent;
			return handlePush(scope, event, deps);
		};
		return { inbox, meta, announced, shown, push };
	}

	test('contiguous events land as one record with the cursor, are announced, and notify per channel', async () => {
		const { inbox, meta, announced, shown, push } = setUp(at(1));
		const events = [channel('c1', 'general'), message('m1')];
		await push({ kind: 'events', from: at(1), to: at(3), events });
		expect([...inbox.values()]).toEqual([{ offset: at(3), start: at(1), eventsJson: JSON.stringify(events) }]);
		expect(meta.get('cursor')).toBe(at(3));
		expect(announced).toEqual([{ ns: 'replica-ingest', kind: 'inbox', offset: at(3) }]);
		expect(shown).toEqual([
			{
				title: '1 new message in #general',
				options: { tag: 'channel:c1', body: 'body of m1', data: { url: '/c/c1', count: 1, channelName: 'general' } }
			}
		]);

		await push({ kind: 'events', from: at(3), to: at(4), events: [message('m2')] });
		expect(shown.at(-1)?.title).toBe('2 new messages in #general');
	});

	test('a gap is fetched from the cursor, one record per page, until up to date; nothing shows while a tab is visible', async () => {
		const { inbox, meta, shown, push } = setUp(at(1), true);
		const pages = [
			{ events: [message('m1')], next: at(2), upToDate: false },
			{ events: [message('m2'), message('m3')], next: at(4), upToDate: true }
		];
		const fetched: string[] = [];
		vi.stubGlobal('fetch', async (url: string) => {
			fetched.push(url);
			const page = pages.shift()!;
			const headers = { 'Stream-Next-Offset': page.next, ...(page.upToDate && { 'Stream-Up-To-Date': 'true' }) };
			return Response.json(page.events, { headers });
		});
		await push({ kind: 'events', from: at(3), to: at(4), events: [message('m3')] });
		expect(fetched).toEqual([
			`http://replica.test/v1/stream/chat?offset=${at(1)}`,
			`http://replica.test/v1/stream/chat?offset=${at(2)}`
		]);
		expect([...inbox.values()]).toEqual([
			{ offset: at(2), start: at(1), eventsJson: JSON.stringify([message('m1')]) },
			{ offset: at(4), start: at(2), eventsJson: JSON.stringify([message('m2'), message('m3')]) }
		]);
		expect(meta.get('cursor')).toBe(at(4));
		expect(shown).toEqual([]);
	});

	test('offline, a poke still shows a notification, and the cursor stays where it was', async () => {
		const { meta, shown, push } = setUp(at(1));
		vi.stubGlobal('fetch', async () => Promise.reject(new TypeError('Failed to fetch')));
		vi.spyOn(console, 'warn').mockImplementationOnce(() => {});
		await push({ kind: 'poke', head: at(9) });
		expect(meta.get('cursor')).toBe(at(1));
		expect(shown.map(({ title, options }) => [title, options.tag])).toEqual([['Replica', 'replica:activity']]);
	});
});

describe('handleNotificationClick', () => {
	function click(url: unknown, windows: { url: string; focus: () => Promise<void> }[]) {
		const opened: string[] = [];
		const scope = {
			location: { origin: 'http://replica.test' },
			clients: { matchAll: async () => windows, openWindow: async (to: string) => void opened.push(to) }
		} as unknown as ServiceWorkerGlobalScope;
		const event = {
			notification: { data: { url }, close: () => {} },
			waitUntil: () => {}
		} as unknown as NotificationEvent;
		return handleNotificationClick(scope, event).then(() => opened);
	}

	test('focuses a window already on the channel, else opens one', async () => {
		const focus = vi.fn(async () => {});
		expect(await click('/c/c1', [{ url: 'http://replica.test/c/c1', focus }])).toEqual([]);
		expect(focus).toHaveBeenCalledOnce();
		expect(await click('/c/c2', [{ url: 'http://replica.test/c/c1', focus }])).toEqual(['http://replica.test/c/c2']);
	});

	test('never opens another site', async () => {
		expect(await click('//evil.test/x', [])).toEqual(['http://replica.test/']);
		expect(await click('https://evil.test/', [])).toEqual(['http://replica.test/']);
	});
});

describe('subscribeToPush', () => {
	afterEach(() => vi.unstubAllGlobals());

	test('fails quietly where no push service is reachable (headless Chromium: AbortError)', async () => {
		vi.stubGlobal('fetch', async () => Response.json({ publicKey: 'key' }));
		const debug = vi.spyOn(console, 'debug').mockImplementationOnce(() => {});
		const registration = {
			pushManager: {
				getSubscription: async () => null,
				subscribe: async () => Promise.reject(new DOMException('Registration failed', 'AbortError'))
			}
		} as unknown as ServiceWorkerRegistration;
		expect(await subscribeToPush(registration)).toBe(false);
		expect(debug).toHaveBeenCalledWith(expect.stringMatching(/^\[push\] /), expect.any(DOMException));
	});

	test('registers the subscription with the server', async () => {
		const posted: unknown[] = [];
		vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
			if (url === '/api/push/key') return Response.json({ publicKey: 'key' });
			posted.push(JSON.parse(String(init?.body)));
			return Response.json({ ok: true }, { status: 201 });
		});
		const subscription = { endpoint: 'https://push.example/1', keys: { p256dh: 'p', auth: 'a' } };
		const registration = {
			pushManager: { getSubscription: async () => null, subscribe: async () => ({ toJSON: () => subscription }) }
		} as unknown as ServiceWorkerRegistration;
		expect(await subscribeToPush(registration)).toBe(true);
		expect(posted).toEqual([subscription]);
	});
});
