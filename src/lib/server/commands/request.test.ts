import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { MAX_COMMAND_BYTES } from '../../shared/commands';
import { createCommandHandler, type CommandHandler } from './handler';
import { handleCommandRequest } from './request';
import { tempStore, type TempStore } from './testing';

const URL = 'http://replica.test/api/commands';
const command = { id: 'c1', name: 'set_display_name', args: { name: 'Alice' } };

let temp: TempStore;
let handler: CommandHandler;
let execute: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
	temp = tempStore();
	handler = createCommandHandler(temp.store);
	execute = vi.spyOn(handler, 'execute');
});
afterEach(() => temp.dispose());

function post(body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }) {
	return new Request(URL, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

/** Sends the request as alice (or, with null, without a session) and returns status and JSON body. */
async function send(request: Request, userId: string | null = 'alice') {
	const response = await handleCommandRequest(request, userId ?? undefined, handler);
	return { status: response.status, body: await response.json() };
}

/** A body of `size` bytes that is streamed, so no content-length tells its size up front. */
function streamed(size: number) {
	const chunk = new Uint8Array(1024).fill(0x20);
	let sent = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (sent >= size) return controller.close();
			controller.enqueue(chunk.subarray(0, Math.min(chunk.length, size - sent)));
			sent += chunk.length;
		}
	});
	return { body, sentBytes: () => sent };
}

test('a valid command is executed and answered 200 with CommandAccepted', async () => {
	const request = post(JSON.stringify(command), {
		'content-type': 'application/json; charset=utf-8',
		origin: 'http://replica.test'
	});
	expect(await send(request)).toEqual({ status: 200, body: { ok: true, commandId: 'c1', offset: '0000000000000001' } });
	expect(temp.events()).toHaveLength(1);
});

test('a rejected command is answered with its status and appends nothing', async () => {
	const edit = { id: 'c2', name: 'edit_message', args: { messageId: 'nope', body: 'x' } };
	expect(await send(post(JSON.stringify(edit)))).toMatchObject({
		status: 404,
		body: { ok: false, field: 'args.messageId' }
	});
	expect(temp.events()).toEqual([]);
});

describe('refused before the handler runs', () => {
	/** Like `send`, and checks that the handler never ran, so nothing was appended. */
	async function refuse(request: Request, userId: string | null = 'alice') {
		const answer = await send(request, userId);
		expect(execute).not.toHaveBeenCalled();
		expect(temp.events()).toEqual([]);
		return answer;
	}

	test('an oversized body is 413, by content-length', async () => {
		const body = JSON.stringify({ ...command, args: { name: 'x'.repeat(MAX_COMMAND_BYTES) } });
		expect(await refuse(post(body))).toMatchObject({ status: 413, body: { ok: false, status: 413, field: 'body' } });
	});

	test('an oversized streamed body is 413, without reading it all', async () => {
		const { body, sentBytes } = streamed(MAX_COMMAND_BYTES * 4);
		expect(await refuse(post(body))).toMatchObject({ status: 413 });
		expect(sentBytes()).toBeLessThan(MAX_COMMAND_BYTES * 2);
	});

	test('a non-JSON content type is 415', async () => {
		const request = post(JSON.stringify(command), { 'content-type': 'text/plain' });
		expect(await refuse(request)).toMatchObject({
			status: 415,
			body: { ok: false, status: 415, field: 'content-type' }
		});
	});

	test('a missing content type is 415', async () => {
		expect(await refuse(post(new Blob([JSON.stringify(command)]), {}))).toMatchObject({ status: 415 });
	});

	test('invalid JSON is 400 naming the body', async () => {
		expect(await refuse(post('{"id": '))).toEqual({
			status: 400,
			body: {
				ok: false,
				status: 400,
				error: 'body: is not valid UTF-8 JSON; send the command as a JSON object',
				field: 'body'
			}
		});
	});

	test('an empty body is 400 naming the body', async () => {
		expect(await refuse(post(''))).toMatchObject({
			status: 400,
			body: { field: 'body', error: 'body: is empty; send the command as a JSON object' }
		});
	});

	test('no session is 401', async () => {
		expect(await refuse(post(JSON.stringify(command)), null)).toMatchObject({
			status: 401,
			body: { ok: false, status: 401 }
		});
	});

	test('a foreign Origin is 403', async () => {
		const request = post(JSON.stringify(command), { 'content-type': 'application/json', origin: 'https://evil.test' });
		expect(await refuse(request)).toEqual({
			status: 403,
			body: { ok: false, status: 403, error: 'cross-origin commands are not accepted' }
		});
	});
});

test('a body that is valid JSON but not a command is 400 naming the field', async () => {
	expect(await send(post('{}'))).toMatchObject({ status: 400, body: { field: 'name' } });
	expect(temp.events()).toEqual([]);
});
