/**
 * The read half of the protocol: HEAD, catch-up GET and long-poll GET (SSE is in sse.ts).
 *
 * Caching: a chunk that ends before the tail never changes (offsets are immutable, and a re-created stream has a
 * new id in its ETag), so it is cacheable by shared caches. A read that reached the tail gets `no-cache`: the same
 * URL returns more once the stream grows, and the ETag makes the revalidation a cheap 304.
 */
import { formatOffset, parseOffset, START_OFFSET, TAIL_OFFSET } from '../../shared/offsets.ts';
import type { LogStore, ReadLimits, StreamInfo } from '../log/store.ts';
import { encodeMessages, isJson } from './content.ts';
import { responseCursor } from './cursor.ts';
import {
	CACHE_CHUNK,
	CACHE_NONE,
	CACHE_REVALIDATE,
	HttpError,
	STREAM_CLOSED,
	STREAM_CURSOR,
	STREAM_EXPIRES_AT,
	STREAM_NEXT_OFFSET,
	STREAM_TTL,
	STREAM_UP_TO_DATE
} from './http.ts';

export interface ReadContext {
	store: LogStore;
	path: string;
	request: Request;
	limits: ReadLimits;
	longPollTimeoutMs: number;
}

export type LiveMode = 'long-poll' | 'sse' | undefined;

export interface ReadQuery {
	/** The offset as sent (`-1`, `now` or a 16-digit offset), or undefined for the stream's start. */
	offset: string | undefined;
	live: LiveMode;
	cursor: string | null;
}

export function parseReadQuery(url: URL): ReadQuery {
	const offsets = url.searchParams.getAll('offset');
	if (offsets.length > 1) throw new HttpError(400, 'offset: sent more than once: send one offset');
	const offset = offsets[0];
	if (offset !== undefined && offset !== TAIL_OFFSET && parseOffset(offset) === undefined) {
		throw new HttpError(400, `offset: "${offset}" is not -1, now, or a Stream-Next-Offset of this server`);
	}
	const live = url.searchParams.get('live');
	if (live !== null && live !== 'long-poll' && live !== 'sse') {
		throw new HttpError(400, `live: "${live}" is not a live mode: use long-poll or sse, or leave it out`);
	}
	if (live !== null && offset === undefined) {
		throw new HttpError(400, `offset: required with live=${live}: start from -1, now, or a saved offset`);
	}
	return { offset, live: live ?? undefined, cursor: url.searchParams.get('cursor') };
}

/** The message count a read starts after; an offset past the tail is refused (it was never handed out). */
export function startCount(stream: StreamInfo, offset: string | undefined): number {
	if (offset === TAIL_OFFSET) return stream.messageCount;
	const count = parseOffset(offset ?? START_OFFSET) as number;
	if (count > stream.messageCount) {
		throw new HttpError(
			400,
			`offset: "${offset}" is past the tail ${formatOffset(stream.messageCount)}: resume from an offset this stream returned`
		);
	}
	return count;
}

export function requireStream(store: LogStore, path: string): StreamInfo {
	const stream = store.stream(path);
	if (!stream) throw new HttpError(404, `stream "${path}" does not exist`);
	return stream;
}

export function headStream(store: LogStore, path: string): Response {
	const stream = requireStream(store, path);
	const headers: Record<string, string> = {
		'Content-Type': stream.contentType,
		[STREAM_NEXT_OFFSET]: formatOffset(stream.messageCount),
		'Cache-Control': CACHE_NONE
	};
	if (stream.closed) headers[STREAM_CLOSED] = 'true';
	if (stream.ttlSeconds !== null) headers[STREAM_TTL] = String(stream.ttlSeconds);
	if (stream.expiresAt !== null) headers[STREAM_EXPIRES_AT] = stream.expiresAt;
	return new Response(null, { status: 200, headers });
}

export async function readStream(context: ReadContext, query: ReadQuery): Promise<Response> {
	const { store, path, request } = context;
	let stream = requireStream(store, path);
	store.touch(stream);
	const start = startCount(stream, query.offset);
	const closedHeader: Record<string, string> = stream.closed ? { [STREAM_CLOSED]: 'true' } : {};

	if (query.offset === TAIL_OFFSET && query.live === undefined) {
		return new Response(isJson(stream.contentType) ? '[]' : '', {
			status: 200,
			headers: {
				'Content-Type': stream.contentType,
				[STREAM_NEXT_OFFSET]: formatOffset(stream.messageCount),
				[STREAM_UP_TO_DATE]: 'true',
				'Cache-Control': CACHE_NONE,
				...closedHeader
			}
		});
	}

	const longPoll = query.live === 'long-poll';
	if (longPoll && start === stream.messageCount) {
		if (!stream.closed) {
			await store.waitForAppend(path, formatOffset(start), context.longPollTimeoutMs, request.signal);
			stream = requireStream(store, path);
		}
		if (stream.messageCount === start) {
			return new Response(null, {
				status: 204,
				headers: {
					[STREAM_NEXT_OFFSET]: formatOffset(start),
					[STREAM_UP_TO_DATE]: 'true',
					[STREAM_CURSOR]: responseCursor(query.cursor),
					'Cache-Control': CACHE_NONE,
					...(stream.closed ? { [STREAM_CLOSED]: 'true' } : {})
				}
			});
		}
	}

	const payloads = store.readMessages(stream, start, context.limits);
	const end = start + payloads.length;
	const upToDate = end === stream.messageCount;
	const closedAtEnd = stream.closed && upToDate;
	const etag = `"${stream.id}:${start}:${end}${closedAtEnd ? ':c' : ''}"`;
	const headers: Record<string, string> = {
		'Content-Type': stream.contentType,
		[STREAM_NEXT_OFFSET]: formatOffset(end),
		ETag: etag,
		'Cache-Control': upToDate && !longPoll ? CACHE_REVALIDATE : CACHE_CHUNK
	};
	if (upToDate) headers[STREAM_UP_TO_DATE] = 'true';
	if (closedAtEnd) headers[STREAM_CLOSED] = 'true';
	if (longPoll) headers[STREAM_CURSOR] = responseCursor(query.cursor);

	if (matchesEtag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
	return new Response(encodeMessages(stream.contentType, payloads), { status: 200, headers });
}

/** If-None-Match is a list of entity tags, possibly weak (`W/"..."`), or `*`. */
function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
	if (ifNoneMatch === null) return false;
	return ifNoneMatch.split(',').some((tag) => {
		const trimmed = tag.trim();
		return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
	});
}
