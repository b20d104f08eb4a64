/**
 * Other people's devices, over plain HTTP from Node: they send commands (retrying the same command id through
 * server restarts, which the server answers idempotently) and read the chat stream as the server has it. Used by
 * the ingest specs and the soak, which runs outside Playwright.
 */
import { sleep } from '../cdp/wait';

export interface ChatClient {
	userId: string;
	/** Sends a message to `channelId`, retrying until the server answers; resolves with the offset after it. */
	sendMessage(channelId: string, body: string): Promise<string>;
}

export interface StreamRead {
	events: { type: string; value?: { body?: string }; headers: { operation: string } }[];
	/** The offset after the last event read (the stream's head when read). */
	next: string;
}

/** How long a command is retried for: covers a server restart, not a server that is gone. */
const SEND_DEADLINE_MS = 30_000;

export async function chatClient(baseUrl: string, name: string): Promise<ChatClient> {
	const session = await fetch(`${baseUrl}/api/session`);
	const cookie = session.headers.getSetCookie().map((header) => header.split(';')[0]);
	const { userId } = (await session.json()) as { userId: string };
	const headers = { 'content-type': 'application/json', origin: baseUrl, cookie: cookie.join('; ') };

	const send = async (name: string, args: Record<string, unknown>) => {
		const id = crypto.randomUUID();
		const deadline = Date.now() + SEND_DEADLINE_MS;
		for (;;) {
			const answer = await fetch(`${baseUrl}/api/commands`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ id, name, args })
			}).catch((error: unknown) => ({ status: 0, error }) as const);
			if ('json' in answer && answer.status < 500) {
				const result = (await answer.json()) as { ok: boolean; offset?: string; error?: string };
				if (!result.ok || !result.offset) throw new Error(`command ${name} was rejected: ${result.error}`);
				return result.offset;
			}
			if (Date.now() > deadline) throw new Error(`command ${name}: no answer within ${SEND_DEADLINE_MS} ms`);
			await sleep(100); // the server is restarting: try the same id again
		}
	};

	await send('set_display_name', { name });
	return {
		userId,
		sendMessage: (channelId, body) => send('send_message', { messageId: crypto.randomUUID(), channelId, body })
	};
}

/** Sends `count` messages `${prefix} 0..count-1` from `senders` at once; `onSent` sees each acknowledged one. */
export async function sendConcurrently(
	senders: ChatClient[],
	count: number,
	prefix: string,
	onSent: (sent: number) => Promise<void> | void = () => {}
): Promise<void> {
	let next = 0;
	let sent = 0;
	await Promise.all(
		senders.map(async (sender) => {
			for (let i = next++; i < count; i = next++) {
				await sender.sendMessage('general', `${prefix} ${i}`);
				await onSent(++sent);
			}
		})
	);
}

/** The chat stream after `from` (by default all of it), as the server has it now. */
export async function readStream(baseUrl: string, from = '-1'): Promise<StreamRead> {
	const read: StreamRead = { events: [], next: from };
	for (;;) {
		const response = await fetch(`${baseUrl}/v1/stream/chat?offset=${read.next}`);
		if (!response.ok) throw new Error(`GET /v1/stream/chat?offset=${read.next} answered ${response.status}`);
		read.events.push(...((await response.json()) as StreamRead['events']));
		read.next = response.headers.get('Stream-Next-Offset')!;
		if (response.headers.get('Stream-Up-To-Date') === 'true') return read;
	}
}

/** The bodies of the messages sent, in stream order (what `timelineBodies` should show). */
export function messageBodies({ events }: StreamRead): string[] {
	const sent = events.filter((event) => event.type === 'message' && event.headers.operation === 'insert');
	return sent.map((event) => String(event.value?.body));
}

export async function streamHead(baseUrl: string): Promise<string> {
	const response = await fetch(`${baseUrl}/v1/stream/chat`, { method: 'HEAD' });
	return response.headers.get('Stream-Next-Offset')!;
}
