/**
 * The service worker: the app's network ingress for the stream, and the app shell cache. It runs the live tail while tabs keep it awake
 * (every DB worker fetches KEEPALIVE_PATH periodically; each such fetch also restarts a stopped tail and flushes
 * the outbox).
 */
import { INGEST_CHANNEL, openReplicaIdb } from '#lib/shared/idb.ts';
import { isIngestMessage, KEEPALIVE_PATH } from '#lib/shared/ingest-protocol.ts';
import { BACKGROUND_SYNC_TAG, flushOutbox, postCommand } from '#lib/shared/outbox.ts';
import { dropOldShells, precacheShell, addStaticRoutes, shellResponse } from './app-shell';
import { LiveTail } from './live-tail';
import { handleNotificationClick, handlePush } from './push';

export function startServiceWorker(scope: ServiceWorkerGlobalScope) {
	const tail = new LiveTail(scope.location.origin);
	// One IndexedDB connection for the worker's life: keepalives and pushes come every few seconds.
	const idb = openReplicaIdb();
	const flush = async () => flushOutbox(await idb, postCommand);

	scope.addEventListener('install', (event) => {
		// Routes can only be added during install; one the browser refuses leaves the fetch handler in charge.
		const routed = addStaticRoutes(event).catch((error) => console.warn('[sw] no static routes', error));
		event.waitUntil(Promise.all([precacheShell(), routed]).then(() => scope.skipWaiting()));
	});
	scope.addEventListener('activate', (event) => {
		event.waitUntil(dropOldShells().then(() => scope.clients.claim()));
	});

	scope.addEventListener('fetch', (event) => {
		const url = new URL(event.request.url);
		if (url.origin === scope.location.origin && url.pathname === KEEPALIVE_PATH) {
			tail.ensureRunning();
			void flush().catch((error) => console.debug('[sw] outbox flush failed', error));
			event.respondWith(new Response(null, { status: 204 }));
			return;
		}
		if (url.origin !== scope.location.origin) return;
		// A page is opening: its events are fetched while it boots, before its DB worker's first keepalive.
		if (event.request.mode === 'navigate') tail.ensureRunning();
		const response = shellResponse(event, url);
		if (response) event.respondWith(response);
	});

	scope.addEventListener('message', () => tail.ensureRunning());

	// With no tab open, pushes bring the news (or a poke to catch up) into the same inbox.
	const pushDeps = { idb: () => idb, ingest: new BroadcastChannel(INGEST_CHANNEL) };
	scope.addEventListener('push', (event) => void handlePush(scope, event, pushDeps));
	scope.addEventListener('notificationclick', (event) => void handleNotificationClick(scope, event));

	// Background Sync: the browser wakes the worker when the network is back, even with no tab open.
	scope.addEventListener('sync', (event) => {
		const sync = event as ExtendableEvent & { tag: string };
		if (sync.tag !== BACKGROUND_SYNC_TAG) return;
		sync.waitUntil(
			flush().then((queuedRemain) => {
				if (queuedRemain) throw new Error('commands still queued: let the browser retry the sync');
			})
		);
	});

	new BroadcastChannel(INGEST_CHANNEL).addEventListener('message', ({ data }) => {
		if (isIngestMessage(data) && data.kind === 'refetch') void tail.refetchFrom(data.from);
	});
}
