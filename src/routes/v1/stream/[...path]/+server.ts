/** Durable Streams under /v1/stream/<path>: a thin adapter onto the shared handler (src/lib/server/streams). */
import { replicaServer } from '#lib/server/app-server.ts';
import type { RequestHandler } from './$types';

const handle: RequestHandler = ({ request }) => replicaServer().handleStream(request);

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
export const OPTIONS = handle;
