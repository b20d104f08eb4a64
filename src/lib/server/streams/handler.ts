/**
 * The Durable Streams endpoint as one function from a standard `Request` to a `Response`, so the SvelteKit route,
 * the conformance test's node:http server and the benchmark all run the same code.
 *
 * Writes (PUT/POST/DELETE) are closed unless `publicWrites` is on: clients change the chat through
 * POST /api/commands, which validates and authorizes before the server appends.
 */
import type { LogStore, ReadLimits } from '../log/store.ts';
import { HttpError, READ_METHODS, baseHeaders, errorBody, preflightHeaders } from './http.ts';
import { headStream, parseReadQuery, readStream } from './read.ts';
import { streamEvents } from './sse.ts';
import { appendToStream, createStream, deleteStream } from './write.ts';

export interface StreamHandlerOptions {
	store: LogStore;
	/** Lets any client create, append to, close and delete streams (the conformance run); off in production. */
	publicWrites: boolean;
	/** How long a long-poll (and an idle SSE connection between keep-alives) waits for news. */
	longPollTimeoutMs: number;
	/** Where stream paths begin in the URL. */
	basePath?: string;
	sseConnectionMs?: number;
	maxBodyBytes?: number;
	readLimits?: ReadLimits;
}

export type StreamHandler = (request: Request) => Promise<Response>;

const DEFAULT_READ_LIMITS: ReadLimits = { maxMessages: 10_000, maxBytes: 1024 * 1024 };
/** Path segments of letters, digits and `-._~`; `.` and `..` are refused so that paths stay canonical. */
const STREAM_PATH = /^(?!\.{1,2}(\/|$))[A-Za-z0-9._~-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._~-]+)*$/;

export function createStreamHandler(options: StreamHandlerOptions): StreamHandler {
	const basePath = options.basePath ?? '/v1/stream/';
	const limits = options.readLimits ?? DEFAULT_READ_LIMITS;
	const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
	const { store, publicWrites, longPollTimeoutMs } = options;

	async function route(request: Request): Promise<Response> {
		const url = new URL(request.url);
		if (!url.pathname.startsWith(basePath)) throw new HttpError(404, `${url.pathname} is not under ${basePath}`);
		const path = url.pathname.slice(basePath.length);
		if (!STREAM_PATH.test(path) || path.length > 512) {
			throw new HttpError(
				400,
				`stream path "${path}": use up to 512 characters of A-Z a-z 0-9 - . _ ~ in /-separated segments`
			);
		}
		const method = request.method.toUpperCase();
		if (method === 'OPTIONS') return new Response(null, { status: 204, headers: preflightHeaders(publicWrites) });
		if (method === 'GET') {
			const query = parseReadQuery(url);
			if (query.live === 'sse') {
				const sseConnectionMs = options.sseConnectionMs ?? 60_000;
				return streamEvents(
					{ store, path, request, limits, keepAliveMs: longPollTimeoutMs, connectionMs: sseConnectionMs },
					query
				);
			}
			return readStream({ store, path, request, limits, longPollTimeoutMs }, query);
		}
		if (method === 'HEAD') return headStream(store, path);
		if (method !== 'PUT' && method !== 'POST' && method !== 'DELETE') {
			throw new HttpError(405, `method ${method}: streams answer ${READ_METHODS}, PUT, POST and DELETE`);
		}
		if (!publicWrites) {
			throw new HttpError(405, 'streams are read-only over HTTP: change data through POST /api/commands', {
				Allow: READ_METHODS
			});
		}
		const context = { store, path, request, maxBodyBytes };
		if (method === 'PUT') return createStream(context);
		if (method === 'POST') return appendToStream(context);
		return deleteStream(context);
	}

	return async function handleStreamRequest(request: Request): Promise<Response> {
		let response: Response;
		try {
			response = await route(request);
		} catch (error) {
			if (!(error instanceof HttpError)) {
				console.error('[streams] request failed', request.method, request.url, error);
			}
			const failure = error instanceof HttpError ? error : new HttpError(500, 'internal error: the server logged it');
			const { status, message, headers } = failure;
			const body = request.method === 'HEAD' ? null : errorBody(message);
			response = new Response(body, { status, headers: { 'Content-Type': 'application/json', ...headers } });
		}
		for (const [name, value] of Object.entries(baseHeaders())) response.headers.set(name, value);
		return response;
	};
}
