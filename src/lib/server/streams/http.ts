/**
 * HTTP vocabulary of the Durable Streams protocol (header names, errors) and the headers every response carries.
 */

export const STREAM_NEXT_OFFSET = 'Stream-Next-Offset';
export const STREAM_UP_TO_DATE = 'Stream-Up-To-Date';
export const STREAM_CLOSED = 'Stream-Closed';
export const STREAM_CURSOR = 'Stream-Cursor';
export const STREAM_SEQ = 'Stream-Seq';
export const STREAM_TTL = 'Stream-TTL';
export const STREAM_EXPIRES_AT = 'Stream-Expires-At';
export const STREAM_SSE_DATA_ENCODING = 'Stream-SSE-Data-Encoding';
export const PRODUCER_ID = 'Producer-Id';
export const PRODUCER_EPOCH = 'Producer-Epoch';
export const PRODUCER_SEQ = 'Producer-Seq';
export const PRODUCER_EXPECTED_SEQ = 'Producer-Expected-Seq';
export const PRODUCER_RECEIVED_SEQ = 'Producer-Received-Seq';

/** Shared, non-user-specific chunks that will not change (protocol §8.1). */
export const CACHE_CHUNK = 'public, max-age=60, stale-while-revalidate=300';
/** A read that reached the tail: the same URL will return more once the stream grows, so revalidate (ETag). */
export const CACHE_REVALIDATE = 'no-cache';
export const CACHE_NONE = 'no-store';

/** A request the protocol rejects; `handler.ts` turns it into a JSON error response. */
export class HttpError extends Error {
	readonly status: number;
	readonly headers: Record<string, string>;

	// No constructor parameter properties: plain Node (type stripping) runs this file in the benchmark.
	constructor(status: number, message: string, headers: Record<string, string> = {}) {
		super(message);
		this.status = status;
		this.headers = headers;
	}
}

export const READ_METHODS = 'GET, HEAD, OPTIONS';
const WRITE_METHODS = 'GET, HEAD, OPTIONS, PUT, POST, DELETE';
const READ_REQUEST_HEADERS = 'If-None-Match';
const WRITE_REQUEST_HEADERS = [
	READ_REQUEST_HEADERS,
	'Content-Type',
	STREAM_SEQ,
	STREAM_TTL,
	STREAM_EXPIRES_AT,
	STREAM_CLOSED,
	PRODUCER_ID,
	PRODUCER_EPOCH,
	PRODUCER_SEQ
].join(', ');
const EXPOSED_HEADERS = [
	STREAM_NEXT_OFFSET,
	STREAM_UP_TO_DATE,
	STREAM_CLOSED,
	STREAM_CURSOR,
	STREAM_TTL,
	STREAM_EXPIRES_AT,
	STREAM_SSE_DATA_ENCODING,
	PRODUCER_EPOCH,
	PRODUCER_SEQ,
	PRODUCER_EXPECTED_SEQ,
	PRODUCER_RECEIVED_SEQ,
	'ETag',
	'Location'
].join(', ');

/**
 * CORS: reads are public, from any origin (no credentials, so `*` is safe). Writes are only advertised to
 * preflights when public writes are on; with them off every write is refused anyway.
 * Security headers per protocol §10.7 on every response, errors included.
 */
export function baseHeaders(): Record<string, string> {
	return {
		'Access-Control-Allow-Origin': '*',
		'Access-Control-Expose-Headers': EXPOSED_HEADERS,
		'X-Content-Type-Options': 'nosniff',
		'Cross-Origin-Resource-Policy': 'cross-origin'
	};
}

export function preflightHeaders(publicWrites: boolean): Record<string, string> {
	return {
		'Access-Control-Allow-Methods': publicWrites ? WRITE_METHODS : READ_METHODS,
		'Access-Control-Allow-Headers': publicWrites ? WRITE_REQUEST_HEADERS : READ_REQUEST_HEADERS,
		'Access-Control-Max-Age': '86400'
	};
}

export function errorBody(message: string): string {
	return JSON.stringify({ error: message });
}

/** The request body, refused with 413 past `maxBytes` without buffering the rest. */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
	const tooLarge = () => new HttpError(413, `body: larger than ${maxBytes} bytes: split the append into smaller ones`);
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > maxBytes) throw tooLarge();
	if (!request.body) return new Uint8Array(0);
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			throw tooLarge();
		}
		chunks.push(value);
	}
	return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
