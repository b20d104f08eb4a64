import type { RequestHandler } from './$types';

/** Normally answered by the service worker; this answers workers that it does not control yet. */
export const GET: RequestHandler = () => new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
