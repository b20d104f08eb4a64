/**
 * The service worker: the app's network ingress for the stream, and the app shell cache. It runs the live tail while tabs keep it awake
 * (every DB worker fetches KEEPALIVE_PATH periodically, and each such fetch also restarts a stopped tail).
 */
import { INGEST_CHANNEL } from '$lib/shared/idb';
import { isIngestMessage, KEEPALIVE_PATH } from '$lib/shared/ingest-protocol';
import { dropOldShells, precacheShell, shellResponse } from './app-shell';
import { LiveTail } from './live-tail';

export function startServiceWorker(scope: ServiceWorkerGlobalScope) {
	const tail = new LiveTail(scope.location.origin);

	scope.addEventListener('install', (event) => {
		event.waitUntil(precacheShell().then(() => scope.skipWaiting()));
	});
	scope.addEventListener('activate', (event) => {
		event.waitUntil(dropOldShells().then(() => scope.clients.claim()));
	});

	scope.addEventListener('fetch', (event) => {
		const url = new URL(event.request.url);
		if (url.origin === scope.location.origin && url.pathname === KEEPALIVE_PATH) {
			tail.ensureRunning();
			event.respondWith(new Response(null, { status: 204 }));
			return;
		}
		if (url.origin !== scope.location.origin) return;
		const response = shellResponse(event.request, url);
		if (response) event.respondWith(response);
	});

	scope.addEventListener('message', () => tail.ensureRunning());

	new BroadcastChannel(INGEST_CHANNEL).addEventListener('message', ({ data }) => {
		if (isIngestMessage(data) && data.kind === 'refetch') void tail.refetchFrom(data.from);
	});
}
