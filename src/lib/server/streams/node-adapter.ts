/**
 * Serves a `Request → Response` handler from a plain node:http server: the conformance test and the benchmark
 * use it to run the stream handler without a SvelteKit build. The request's signal aborts when the client goes
 * away, which ends long-polls and SSE loops.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export interface RunningServer {
	server: Server;
	/** `http://127.0.0.1:<port>` */
	origin: string;
	close(): Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (Array.isArray(value)) for (const item of value) headers.append(name, item);
		else if (value !== undefined) headers.set(name, value);
	}
	const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
	return new Request(new URL(req.url ?? '/', origin), {
		method: req.method,
		headers,
		signal,
		body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
		// @ts-expect-error Node's fetch needs `duplex` for a streamed request body; the DOM typings lack it.
		duplex: 'half'
	});
}

async function writeResponse(response: Response, res: ServerResponse, signal: AbortSignal): Promise<void> {
	res.writeHead(response.status, Object.fromEntries(response.headers));
	if (!response.body) {
		res.end();
		return;
	}
	const reader = response.body.getReader();
	signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			res.write(value);
		}
	} finally {
		res.end();
	}
}

export async function serveOnNode(handler: (request: Request) => Promise<Response>, port = 0): Promise<RunningServer> {
	let origin = '';
	const server = createServer((req, res) => {
		const gone = new AbortController();
		res.on('close', () => gone.abort());
		handler(toRequest(req, origin, gone.signal))
			.then((response) => writeResponse(response, res, gone.signal))
			.catch((error: unknown) => {
				console.error('[node-adapter] request failed', error);
				if (!res.headersSent) res.writeHead(500);
				res.end();
			});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		server,
		origin,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}
