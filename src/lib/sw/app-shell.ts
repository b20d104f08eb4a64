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

export async function dropOldShells(): Promise<void> {
	for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
}

/** Answers from the shell cache where that is the right thing to do; returns undefined to let the request pass. */
export function shellResponse(request: Request, url: URL): Promise<Response> | undefined {
	if (request.method !== 'GET') return undefined;
	if (request.mode === 'navigate') return networkFirstShell(request);
	if (buildFiles().includes(url.pathname)) return cacheFirst(request);
	return undefined;
}

async function networkFirstShell(request: Request): Promise<Response> {
	const cache = await caches.open(CACHE);
	try {
		const response = await fetch(request);
		if (response.ok && response.headers.get('content-type')?.includes('text/html')) {
			await cache.put(SHELL_URL, response.clone());
		}
		return response;
	} catch (error) {
		const shell = await cache.match(SHELL_URL);
		if (shell) return shell;
		throw error;
	}
}

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request);
	return cached ?? fetch(request);
}
