/**
 * The app shell cache, so the app opens with the network off (it then reads from the replica). Build files are
 * immutable and served cache-first; navigations go to the network first and fall back to the cached shell, which
 * every successful navigation refreshes. The shell is one document for every route (the app renders client-side).
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

type StaticRoute = { condition: { urlPattern: string; requestMethod: string }; source: { cacheName: string } };

/**
 * Serves the immutable build files from the shell cache without running this worker (the Static Routing API;
 * Chromium 123+): through the fetch handler, the ~25 scripts and stylesheets of a page start queued one after the
 * other on this worker's thread, and the first paint waits for the stylesheets. Every file under the pattern is
 * precached by the same install, before the route can serve anything. Where the API is missing, the fetch handler
 * does the same (cacheFirst).
 */
export async function routeImmutableFilesToCache(event: ExtendableEvent): Promise<void> {
	const install = event as ExtendableEvent & { addRoutes?: (routes: StaticRoute[]) => Promise<void> };
	if (typeof install.addRoutes !== 'function') return;
	await install.addRoutes([
		{ condition: { urlPattern: IMMUTABLE_FILES, requestMethod: 'GET' }, source: { cacheName: CACHE } }
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

/** The page gets the network's answer at once; keeping a copy as the shell happens after it (waitUntil). */
async function networkFirstShell(event: FetchEvent): Promise<Response> {
	try {
		const response = await fetch(event.request);
		if (response.ok && response.headers.get('content-type')?.includes('text/html')) {
			const copy = response.clone();
			event.waitUntil(caches.open(CACHE).then((cache) => cache.put(SHELL_URL, copy)));
		}
		return response;
	} catch (error) {
		const shell = await caches.open(CACHE).then((cache) => cache.match(SHELL_URL));
		if (shell) return shell;
		throw error;
	}
}

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request);
	return cached ?? fetch(request);
}
