/**
 * Web Push, both ends in the browser: the service worker's `push` and `notificationclick` handlers, and the page's
 * subscribeToPush. The pure part (planPush, planInboxWrite, summarizeNewMessages) is unit-tested in Node.
 *
 * Invariant (shared with the live tail): the inbox cursor only ever advances over events that are written into the
 * inbox in the same IndexedDB transaction, and only contiguously from the stored cursor. A push that starts past
 * the cursor (a missed push, a poke) is never written as is: the gap is fetched from the stream first.
 */
import type { InboxRecord, ReplicaIdb } from '#lib/shared/idb.ts';
import type { IngestMessage } from '#lib/shared/ingest-protocol.ts';
import { CHAT_STREAM } from '#lib/shared/events.ts';
import { parseOffset, START_OFFSET } from '#lib/shared/offsets.ts';

/** Server → service worker, the plaintext of every push (src/lib/server/push/fanout.ts). */
export type PushPayload =
	/** The events after `from` up to `to`, in stream order: event i ends at from + i + 1. */
	| { kind: 'events'; from: string; to: string; events: unknown[] }
	/** The stream has grown to `head`; the events did not fit into a push, fetch them. */
	| { kind: 'poke'; head: string };

export function isPushPayload(value: unknown): value is PushPayload {
	const payload = value as Partial<Record<string, unknown>> | null;
	if (payload?.kind === 'poke') return typeof payload.head === 'string';
	return (
		payload?.kind === 'events' &&
		typeof payload.from === 'string' &&
		typeof payload.to === 'string' &&
		Array.isArray(payload.events)
	);
}

/**
 * `append`: put `record`, if any, and set the cursor to its end (the record ends at `cursor`); without a record the
 * inbox already has everything and nothing is written.
 */
export type InboxWrite = { kind: 'append'; record?: InboxRecord; cursor: string } | { kind: 'catch-up'; from: string };

/**
 * Events read from `from` to `to`, against the stored `cursor`: the ones after the cursor become one record, the
 * ones the inbox already has are skipped; if they start after the cursor, the gap must be fetched first.
 */
export function planInboxWrite(cursor: string, from: string, to: string, events: readonly unknown[]): InboxWrite {
	const at = parseOffset(cursor);
	const start = parseOffset(from);
	const end = parseOffset(to);
	if (at === undefined) throw new Error(`[sw] inbox cursor "${cursor}" is not an offset; clear the site's data`);
	if (start === undefined || end === undefined || end - start !== events.length) {
		throw new Error(`[sw] ${events.length} events read from offset ${from} cannot end at ${to}`);
	}
	if (start > at) return { kind: 'catch-up', from: cursor };
	if (end <= at) return { kind: 'append', cursor };
	// The record starts at the cursor, so records never overlap what the inbox already holds.
	const eventsJson = JSON.stringify(events.slice(at - start));
	return { kind: 'append', record: { offset: to, start: cursor, eventsJson }, cursor: to };
}

/** What a push means for an inbox whose cursor is `cursor`. */
export function planPush(payload: PushPayload, cursor: string): InboxWrite {
	if (payload.kind === 'events') return planInboxWrite(cursor, payload.from, payload.to, payload.events);
	const head = parseOffset(payload.head) ?? Infinity;
	return head <= (parseOffset(cursor) ?? 0) ? { kind: 'append', cursor } : { kind: 'catch-up', from: cursor };
}

export interface NewMessages {
	channelId: string;
	/** Known only if a channel event is among the events; the replica's tables are out of the worker's reach. */
	channelName?: string;
	count: number;
	lastBody: string;
}

/** The message inserts among `events`, per channel, in order of first appearance. */
export function summarizeNewMessages(events: readonly unknown[]): NewMessages[] {
	const names = new Map<string, string>();
	const perChannel = new Map<string, NewMessages>();
	for (const event of events as {
		type?: unknown;
		value?: Record<string, unknown>;
		headers?: { operation?: unknown };
	}[]) {
		const value = event?.value;
		if (event?.type === 'channel' && typeof value?.id === 'string' && typeof value.name === 'string') {
			names.set(value.id, value.name);
		}
		if (event?.type !== 'message' || event.headers?.operation !== 'insert' || typeof value?.channelId !== 'string')
			continue;
		const summary = perChannel.get(value.channelId) ?? { channelId: value.channelId, count: 0, lastBody: '' };
		summary.count++;
		summary.lastBody = typeof value.body === 'string' ? value.body.slice(0, 200) : '';
		perChannel.set(value.channelId, summary);
	}
	return [...perChannel.values()].map((summary) => ({ ...summary, channelName: names.get(summary.channelId) }));
}

export interface PushDeps {
	idb(): Promise<ReplicaIdb>;
	/** INGEST_CHANNEL, told about every write so that the active DB worker drains the inbox. */
	ingest: Pick<BroadcastChannel, 'postMessage'>;
}

/** The `push` handler: news into the inbox first, then the notification Chrome requires unless a tab is visible. */
export function handlePush(scope: ServiceWorkerGlobalScope, event: PushEvent, deps: PushDeps): Promise<void> {
	const done = ingestAndNotify(scope, readPayload(event), deps);
	event.waitUntil(done);
	return done;
}

function readPayload(event: PushEvent): PushPayload | undefined {
	try {
		const payload: unknown = event.data?.json();
		if (isPushPayload(payload)) return payload;
	} catch {
		// Not JSON: handled like a poke below.
	}
	console.debug('[sw] push without a Replica payload; catching up from the stream instead');
	return undefined;
}

async function ingestAndNotify(scope: ServiceWorkerGlobalScope, payload: PushPayload | undefined, deps: PushDeps) {
	let news: readonly unknown[] = payload?.kind === 'events' ? payload.events : [];
	try {
		const idb = await deps.idb();
		const write = await writeToInbox(idb, deps, (cursor) =>
			payload ? planPush(payload, cursor) : { kind: 'catch-up', from: cursor }
		);
		if (write.kind === 'catch-up') news = await catchUp(scope.location.origin, idb, deps, write.from);
	} catch (error) {
		console.warn('[sw] push: the inbox is behind; the next push or tab catches up from its cursor', error);
	}
	await notify(scope, news);
}

/** Reads the cursor, plans and writes in ONE transaction, so that the live tail cannot interleave. */
async function writeToInbox(
	idb: ReplicaIdb,
	deps: PushDeps,
	plan: (cursor: string) => InboxWrite
): Promise<InboxWrite> {
	const tx = idb.transaction(['inbox', 'meta'], 'readwrite');
	const cursor = (await tx.objectStore('meta').get('cursor')) ?? START_OFFSET;
	const write = plan(cursor);
	if (write.kind === 'append' && write.record) {
		void tx.objectStore('inbox').put(write.record);
		void tx.objectStore('meta').put(write.cursor, 'cursor');
	}
	await tx.done;
	if (write.kind === 'append' && write.record) {
		deps.ingest.postMessage({ ns: 'replica-ingest', kind: 'inbox', offset: write.cursor } satisfies IngestMessage);
	}
	return write;
}

/** Plain catch-up reads from `from` until the stream says we are up to date; returns the events read. */
async function catchUp(origin: string, idb: ReplicaIdb, deps: PushDeps, from: string): Promise<unknown[]> {
	const read: unknown[] = [];
	for (let offset = from; ;) {
		const url = `${origin}/v1/stream/${CHAT_STREAM}?offset=${offset}`;
		const response = await fetch(url);
		const next = response.headers.get('Stream-Next-Offset');
		if (!response.ok || !next) throw new Error(`[sw] catch-up: GET ${url} answered ${response.status}`);
		const events: unknown = await response.json();
		if (!Array.isArray(events)) throw new Error(`[sw] catch-up: GET ${url} did not return a JSON array`);
		const write = await writeToInbox(idb, deps, (cursor) => planInboxWrite(cursor, offset, next, events));
		// The cursor moved back under us (a replica asked for a refetch): the live tail that asked refills it.
		if (write.kind === 'catch-up') return read;
		read.push(...events);
		offset = next;
		// An empty page that is not up to date would repeat forever; the next push or tab picks up from the cursor.
		if (response.headers.get('Stream-Up-To-Date') === 'true' || events.length === 0) return read;
	}
}

interface ChannelNotificationData {
	url: string;
	count: number;
	channelName: string;
}

async function notify(scope: ServiceWorkerGlobalScope, news: readonly unknown[]): Promise<void> {
	const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
	if (windows.some((client) => client.visibilityState === 'visible')) return;
	const summaries = summarizeNewMessages(news);
	if (summaries.length === 0) {
		// userVisibleOnly: Chrome would show a generic notice of its own; ours at least collapses into one.
		await scope.registration.showNotification('Replica', {
			body: 'New activity',
			tag: 'replica:activity',
			data: { url: '/' }
		});
		return;
	}
	for (const summary of summaries) {
		// One notification per channel (the tag), counting on from the one still shown, if any.
		const tag = `channel:${summary.channelId}`;
		const [shown] = await scope.registration.getNotifications({ tag });
		const previous = shown?.data as Partial<ChannelNotificationData> | undefined;
		const count = summary.count + (previous?.count ?? 0);
		const channelName = summary.channelName ?? previous?.channelName ?? summary.channelId;
		const data: ChannelNotificationData = { url: `/c/${encodeURIComponent(summary.channelId)}`, count, channelName };
		const title = `${count} new message${count === 1 ? '' : 's'} in #${channelName}`;
		await scope.registration.showNotification(title, { tag, body: summary.lastBody, data });
	}
}

/** The `notificationclick` handler: focus a window already showing the notification's page, or open one. */
export function handleNotificationClick(scope: ServiceWorkerGlobalScope, event: NotificationEvent): Promise<void> {
	event.notification.close();
	const path = (event.notification.data as { url?: unknown } | null)?.url;
	// Only our own paths: a notification must never open another site.
	const url = new URL(typeof path === 'string' && /^\/(?!\/)/.test(path) ? path : '/', scope.location.origin).href;
	const done = focusOrOpen(scope, url);
	event.waitUntil(done);
	return done;
}

async function focusOrOpen(scope: ServiceWorkerGlobalScope, url: string): Promise<void> {
	const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const showing = windows.find((client) => client.url === url);
	if (showing) await showing.focus();
	else await scope.clients.openWindow(url);
}

/**
 * Page side: subscribes this browser (reusing a subscription made for the current server key) and registers it
 * with the server. Resolves false, quietly, where push is unavailable: permission denied, or no push service
 * reachable (headless test Chromium fails `subscribe` with AbortError).
 */
export async function subscribeToPush(registration: ServiceWorkerRegistration): Promise<boolean> {
	try {
		const keyResponse = await fetch('/api/push/key');
		if (!keyResponse.ok) throw new Error(`GET /api/push/key answered ${keyResponse.status}`);
		const { publicKey } = (await keyResponse.json()) as { publicKey: string };
		const existing = await registration.pushManager.getSubscription();
		const current = existing && base64url(existing.options.applicationServerKey) === publicKey ? existing : undefined;
		if (existing && !current) await existing.unsubscribe(); // made for a replaced key: it can never deliver again
		const subscription =
			current ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
		const saved = await fetch('/api/push/subscriptions', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(subscription)
		});
		if (!saved.ok) throw new Error(`POST /api/push/subscriptions answered ${saved.status}: ${await saved.text()}`);
		return true;
	} catch (error) {
		console.debug('[push] push is unavailable here; the app works without it:', error);
		return false;
	}
}

function base64url(key: ArrayBuffer | null): string | undefined {
	if (!key) return undefined;
	const binary = String.fromCharCode(...new Uint8Array(key));
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
