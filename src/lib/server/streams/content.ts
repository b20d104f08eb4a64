/**
 * Content types and message framing. JSON streams (`application/json`) keep message boundaries: a POSTed array
 * appends each element as one message, and reads return a JSON array. Every other type is bytes: each append is
 * one stored message and reads return the messages' bytes concatenated.
 */
import type { Payload } from '../log/store.ts';
import { HttpError } from './http.ts';

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string): string {
	return contentType.split(';')[0].trim().toLowerCase();
}

export function isJson(contentType: string): boolean {
	return mediaType(contentType) === 'application/json';
}

/** SSE carries text as is; everything else is sent base64-encoded (Stream-SSE-Data-Encoding: base64). */
export function isTextual(contentType: string): boolean {
	const type = mediaType(contentType);
	return type.startsWith('text/') || type === 'application/json';
}

/** A usable media type (`type/subtype`), else the protocol's default. */
export function contentTypeForCreate(header: string | null): string {
	return header && /^[\w.+-]+\/[\w.+-]+/.test(header.trim()) ? header.trim() : DEFAULT_CONTENT_TYPE;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The messages one request body appends. JSON bodies are validated and flattened one level; `allowEmptyArray` is
 * true for PUT, where `[]` means "no initial messages", and false for POST, where it is a client bug.
 */
export function payloadsFromBody(contentType: string, body: Uint8Array, allowEmptyArray: boolean): Payload[] {
	if (body.byteLength === 0) return [];
	if (!isJson(contentType)) return [body];
	let value: unknown;
	try {
		value = JSON.parse(decoder.decode(body));
	} catch {
		throw new HttpError(400, 'body: not valid UTF-8 JSON: send one JSON value or an array of values');
	}
	if (!Array.isArray(value)) return [JSON.stringify(value)];
	if (value.length === 0 && !allowEmptyArray) {
		throw new HttpError(400, 'body: an empty JSON array appends nothing: send at least one value');
	}
	return value.map((element) => JSON.stringify(element));
}

/** A read's response body: a JSON array for JSON streams, else the messages' bytes back to back. */
export function encodeMessages(contentType: string, payloads: readonly Payload[]): string | Uint8Array<ArrayBuffer> {
	if (isJson(contentType)) return `[${payloads.join(',')}]`;
	// Stored BLOBs come back from node:sqlite on their own ArrayBuffer, never a shared one.
	if (payloads.length === 1) return payloads[0] as Uint8Array<ArrayBuffer>;
	return Buffer.concat(payloads as Uint8Array[]);
}
