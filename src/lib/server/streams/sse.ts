/**
 * Live reads as Server-Sent Events (protocol §5.7). Every `data` event is followed by a `control` event carrying
 * `streamNextOffset`, so a client that stops after any control event resumes exactly there. Text and JSON streams
 * are sent as text (JSON: one array per batch); other types as base64, announced by Stream-SSE-Data-Encoding.
 *
 * Invariant: the data sent and the `streamClosed` decision come from one synchronous snapshot of the stream, so
 * data appended together with the close is always delivered before the closing control event.
 */
import { formatOffset } from '../../shared/offsets.ts';
import type { LogStore, Payload, ReadLimits } from '../log/store.ts';
import { encodeMessages, isTextual } from './content.ts';
import { responseCursor } from './cursor.ts';
import { STREAM_SSE_DATA_ENCODING } from './http.ts';
import { requireStream, startCount, type ReadQuery } from './read.ts';

export interface SseContext {
	store: LogStore;
	path: string;
	request: Request;
	limits: ReadLimits;
	/** How long to wait for news before a keep-alive control event. */
	keepAliveMs: number;
	/** Connections end after this long so that CDNs can collapse reconnects (protocol §8.2). */
	connectionMs: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One SSE event; every line of the payload gets its own `data:` prefix, so CR/LF cannot inject events. */
function sseEvent(type: 'data' | 'control', payload: string): string {
	return `event: ${type}\n${payload
		.split(/\r\n|\r|\n/)
		.map((line) => `data:${line}`)
		.join('\n')}\n\n`;
}

function dataPayload(contentType: string, payloads: readonly Payload[]): string {
	const body = encodeMessages(contentType, payloads);
	if (typeof body === 'string') return body;
	return isTextual(contentType) ? decoder.decode(body) : Buffer.from(body).toString('base64');
}

export function streamEvents(context: SseContext, query: ReadQuery): Response {
	const { store, path, request } = context;
	const initial = requireStream(store, path);
	store.touch(initial);
	let position = startCount(initial, query.offset);
	const contentType = initial.contentType;
	const stop = new AbortController();
	request.signal.addEventListener('abort', () => stop.abort(), { once: true });
	const deadline = Date.now() + context.connectionMs;

	const body = new ReadableStream<Uint8Array>({
		async start(controller) {
			try {
				while (!stop.signal.aborted) {
					const stream = store.stream(path);
					if (!stream || stream.id !== initial.id) break;
					const payloads = store.readMessages(stream, position, context.limits);
					position += payloads.length;
					const atTail = position === stream.messageCount;
					const closed = stream.closed && atTail;
					const control = closed
						? { streamNextOffset: formatOffset(position), streamClosed: true }
						: {
								streamNextOffset: formatOffset(position),
								streamCursor: responseCursor(query.cursor),
								...(atTail ? { upToDate: true } : {})
							};
					const data = payloads.length > 0 ? sseEvent('data', dataPayload(contentType, payloads)) : '';
					controller.enqueue(encoder.encode(data + sseEvent('control', JSON.stringify(control))));
					if (closed) break;
					if (atTail) {
						const remaining = deadline - Date.now();
						if (remaining <= 0) break;
						const wait = Math.min(context.keepAliveMs, remaining);
						await store.waitForAppend(path, formatOffset(position), wait, stop.signal);
					}
				}
				controller.close();
			} catch {
				// The client went away while we wrote: nothing is left to tell it.
			}
		},
		cancel() {
			stop.abort();
		}
	});

	const headers: Record<string, string> = {
		'Content-Type': 'text/event-stream',
		'Cache-Control': 'no-cache',
		'X-Accel-Buffering': 'no'
	};
	if (!isTextual(contentType)) headers[STREAM_SSE_DATA_ENCODING] = 'base64';
	return new Response(body, { status: 200, headers });
}
