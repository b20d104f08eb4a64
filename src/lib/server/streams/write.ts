/**
 * The write half of the protocol: create (PUT), append and close (POST), delete (DELETE). Each request is judged
 * and applied inside one store transaction, so validation and append are serialized per stream (node:sqlite is
 * synchronous) and a producer's state is saved atomically with the data it deduplicates.
 */
import { formatOffset } from '../../shared/offsets.ts';
import type { LogStore, StreamInfo } from '../log/store.ts';
import { contentTypeForCreate, mediaType, payloadsFromBody } from './content.ts';
import {
	HttpError,
	PRODUCER_EPOCH,
	PRODUCER_SEQ,
	STREAM_CLOSED,
	STREAM_EXPIRES_AT,
	STREAM_NEXT_OFFSET,
	STREAM_SEQ,
	STREAM_TTL,
	readBody
} from './http.ts';
import { judgeProducer, parseProducerClaim, producerRejection } from './producers.ts';

export interface WriteContext {
	store: LogStore;
	path: string;
	request: Request;
	maxBodyBytes: number;
}

/** Headers that describe where a stream stands after a write. */
function positionHeaders(stream: StreamInfo): Record<string, string> {
	return {
		[STREAM_NEXT_OFFSET]: formatOffset(stream.messageCount),
		...(stream.closed ? { [STREAM_CLOSED]: 'true' } : {})
	};
}

function closedError(stream: StreamInfo): HttpError {
	return new HttpError(409, `stream "${stream.path}" is closed: it takes no more appends`, positionHeaders(stream));
}

export async function createStream({ store, path, request, maxBodyBytes }: WriteContext): Promise<Response> {
	const contentType = contentTypeForCreate(request.headers.get('content-type'));
	const ttlHeader = request.headers.get(STREAM_TTL);
	const expiresAt = request.headers.get(STREAM_EXPIRES_AT) ?? undefined;
	if (ttlHeader !== null && expiresAt !== undefined) {
		throw new HttpError(400, `${STREAM_TTL} and ${STREAM_EXPIRES_AT}: send at most one of them`);
	}
	if (ttlHeader !== null && !/^(0|[1-9]\d{0,9})$/.test(ttlHeader)) {
		throw new HttpError(400, `${STREAM_TTL}: "${ttlHeader}" is not a whole number of seconds (no sign, no leading 0)`);
	}
	if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) {
		throw new HttpError(400, `${STREAM_EXPIRES_AT}: "${expiresAt}" is not an RFC 3339 timestamp`);
	}
	const options = {
		contentType,
		ttlSeconds: ttlHeader === null ? undefined : Number(ttlHeader),
		expiresAt,
		closed: request.headers.get(STREAM_CLOSED) === 'true'
	};
	const initial = payloadsFromBody(contentType, await readBody(request, maxBodyBytes), true);

	return store.transaction(() => {
		const existing = store.stream(path);
		if (existing) {
			const same =
				mediaType(existing.contentType) === mediaType(contentType) &&
				existing.ttlSeconds === (options.ttlSeconds ?? null) &&
				(existing.expiresAt === null
					? expiresAt === undefined
					: Date.parse(existing.expiresAt) === Date.parse(expiresAt ?? ''));
			if (!same) {
				throw new HttpError(409, `stream "${path}" exists with another content type, TTL or expiry: use another path`);
			}
			return new Response(null, {
				status: 200,
				headers: { 'Content-Type': existing.contentType, ...positionHeaders(existing) }
			});
		}
		const created = store.createStream(path, options, initial);
		const location = new URL(request.url);
		location.search = '';
		return new Response(null, {
			status: 201,
			headers: { 'Content-Type': contentType, Location: location.href, ...positionHeaders(created) }
		});
	});
}

export async function appendToStream({ store, path, request, maxBodyBytes }: WriteContext): Promise<Response> {
	const close = request.headers.get(STREAM_CLOSED) === 'true';
	const claim = parseProducerClaim(request.headers);
	const writerSeq = request.headers.get(STREAM_SEQ);
	const contentType = request.headers.get('content-type');
	const body = await readBody(request, maxBodyBytes);
	if (body.byteLength === 0 && !close) {
		throw new HttpError(400, `body: empty: send the bytes to append, or ${STREAM_CLOSED}: true to close the stream`);
	}
	if (body.byteLength > 0 && !contentType) {
		throw new HttpError(400, "Content-Type: missing: send the stream's content type");
	}
	const payloads = contentType ? payloadsFromBody(contentType, body, false) : [];

	return store.transaction(() => {
		let stream = store.stream(path);
		if (!stream) throw new HttpError(404, `stream "${path}" does not exist: create it with PUT first`);
		if (payloads.length > 0 && mediaType(stream.contentType) !== mediaType(contentType ?? '')) {
			throw new HttpError(409, `Content-Type: "${contentType}" does not match the stream's "${stream.contentType}"`);
		}
		if (claim) {
			const verdict = judgeProducer(store.producerState(stream.id, claim.id), claim);
			const rejection = producerRejection(verdict);
			if (rejection) throw rejection;
			if (verdict.kind === 'duplicate') {
				return new Response(null, {
					status: 204,
					headers: {
						...positionHeaders(stream),
						[PRODUCER_EPOCH]: String(claim.epoch),
						[PRODUCER_SEQ]: String(verdict.lastSeq)
					}
				});
			}
		}
		if (stream.closed) {
			// Closing twice is idempotent; anything else on a closed stream, even a new producer's close, conflicts.
			if (payloads.length === 0 && !claim) return new Response(null, { status: 204, headers: positionHeaders(stream) });
			throw closedError(stream);
		}
		if (writerSeq !== null && payloads.length > 0) {
			if (stream.writerSeq !== null && writerSeq <= stream.writerSeq) {
				throw new HttpError(409, `${STREAM_SEQ}: "${writerSeq}" is not after the last accepted "${stream.writerSeq}"`);
			}
			store.setWriterSeq(stream.id, writerSeq);
		}
		if (payloads.length > 0) store.appendMessages(path, payloads);
		if (close) store.closeStream(path);
		if (claim) store.saveProducerState(stream.id, claim.id, { epoch: claim.epoch, lastSeq: claim.seq });
		stream = store.stream(path) as StreamInfo;
		const producerHeaders: Record<string, string> = claim
			? { [PRODUCER_EPOCH]: String(claim.epoch), [PRODUCER_SEQ]: String(claim.seq) }
			: {};
		// A producer's new data is 200 so that it can be told from a deduplicated retry (204).
		const status = claim && payloads.length > 0 ? 200 : 204;
		return new Response(null, { status, headers: { ...positionHeaders(stream), ...producerHeaders } });
	});
}

export function deleteStream({ store, path }: Pick<WriteContext, 'store' | 'path'>): Response {
	if (!store.deleteStream(path)) throw new HttpError(404, `stream "${path}" does not exist`);
	return new Response(null, { status: 204 });
}
