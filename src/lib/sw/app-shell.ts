/**
 * The app shell cache, so the app opens with the network off (it then reads from the replica). Build files are
 * immutable and served cache-first; navigations go to the network first and fall back to the cached shell (no
 * network, a server error, no answer in time), which every successful navigation refreshes. The shell is one
 * document for every route (the app renders client-side).
 */
import { assets, immutable } from '$app/manifest';
import { version } from '$app/env';

const CACHE = `replica-shell-${version}`;
const SHELL_URL = '/';

const buildFiles = () => [...immutable, ...assets].map(({ path }) => (path.startsWith('/') ? path : `/${path}`));

export async function precacheShell(): Promise<void> {
	const cache = await caches.open(CACHE);
	await cache.addAll([...buildFiles(), SHELL_URL]);
}

/** SvelteKit's content-hashed build output (its default appDir), never changed under one name. */
const IMMUTABLE_FILES = '/_app/immutable/*';

type StaticRoute = {
	condition: { urlPattern?: string; requestMethod?: string; requestMode?: RequestMode };
	source: { cacheName: string } | 'race-network-and-fetch-handler';
};

/**
 * Static routes (Chromium 123+), which the browser follows without waiting for this worker:
 * - The immutable build files come from the shell cache: through the fetch handler, the page's scripts and
 *   stylesheets started queued one after the other on this worker's thread, and the first paint waited for the
 *   stylesheets. Every file under the pattern is precached by the same install, before the route can serve anything.
 * - A navigation races the network against the fetch handler: the document's request leaves at once instead of after
 *   the worker has started (~50 ms on a cold open: the browser stops an idle worker ~30 s after the last tab), and
 *   with the network down the fetch handler still answers from the shell cache. The handler still runs, so a page
 *   opening still wakes the live tail and refreshes the cached shell.
 * Where the API is missing, the fetch handler does both (cacheFirst, networkFirstShell).
 */
export async function addStaticRoutes(event: ExtendableEvent): Promise<void> {
	const install = event as ExtendableEvent & { addRoutes?: (routes: StaticRoute[]) => Promise<void> };
	if (typeof install.addRoutes !== 'function') return;
	await install.addRoutes([
		{ condition: { urlPattern: IMMUTABLE_FILES, requestMethod: 'GET' }, source: { cacheName: CACHE } },
		{ condition: { requestMode: 'navigate' }, source: 'race-network-and-fetch-handler' }
	]);
}

export async function dropOldShells(): Promise<void> {
	for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
}

/** Answers from the shell cache where that is the right thing to do; returns undefined to let the request pass. */
export function shellResponse(event: FetchEvent, url: URL): Promise<Response> | undefined {
	const { request } = event;
	if (request.method !== 'GET') return undefined;
	if (request.mode === 'navigate') return networkFirstShell(event);
	if (buildFiles().includes(url.pathname)) return cacheFirst(request);
	return undefined;
}

/**
 * A navigation waits this long for the network before the app opens from the cached shell and its replica: a
 * server that takes the connection and never answers (a captive portal, a stalled proxy) must not keep the person
 * from data they already have. The network's answer still refreshes the shell when it comes.
 */
const NAVIGATION_PATIENCE_MS = 4_000;

/**
 * The page gets the network's answer at once; keeping a copy as the shell happens after it (waitUntil). No
 * network, a server error (a proxy's 502 while the app's server is down) or no answer in NAVIGATION_PATIENCE_MS
 * open the cached shell instead, where there is one.
 */
async function networkFirstShell(event: FetchEvent): Promise<Response> {
	const cachedShell = () => caches.open(CACHE).then((cache) => cache.match(SHELL_URL));
	const network = fetch(event.request).then((response) => {
		if (response.ok && response.headers.get('content-type')?.includes('text/html')) {
			const copy = response.clone();
			event.waitUntil(caches.open(CACHE).then((cache) => cache.put(SHELL_URL, copy)));
		}
		return response;
	});
	// The worker stays up until the network has answered (and the copy is kept), even when the shell went first.
	event.waitUntil(network.then(noop, noop));
	const patience = new Promise<'no answer'>((resolve) => setTimeout(resolve, NAVIGATION_PATIENCE_MS, 'no answer'));
	try {
		const answer = await Promise.race([network, patience]);
		if (answer !== 'no answer' && answer.status < 500) return answer;
		return (await cachedShell()) ?? (await network);
	} catch (error) {
		const shell = await cachedShell();
		if (shell) return shell;
		throw error;
	}
}

const noop = () => {};

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request);
	return cached ?? fetch(request);
}
