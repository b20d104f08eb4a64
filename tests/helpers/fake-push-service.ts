/**
 * A push service on loopback for tests: it hands out subscriptions with real keys (a P-256 key pair and a 16-byte
 * auth secret, as a browser makes them), accepts web-push POSTs on their endpoints, checks the VAPID header
 * (RFC 8292: ES256 JWT signed by the key in `k=`, audience = this origin), and decrypts the aes128gcm body
 * (RFC 8291) with the subscription's private key, as the browser would.
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSubscription {
	endpoint: string;
	keys: { p256dh: string; auth: string };
}

export interface ReceivedPush {
	endpoint: string;
	headers: IncomingMessage['headers'];
	/** The VAPID public key the JWT was verified with (base64url). */
	vapidPublicKey: string;
	plaintext: string;
}

export interface FakePushService {
	origin: string;
	subscribe(): FakeSubscription;
	/** From now on, answer pushes to `endpoint` with `status` (e.g. 410 Gone) instead of 201. */
	answer(endpoint: string, status: number): void;
	/** The next push received (or one already received and not yet taken). */
	nextPush(timeoutMs?: number): Promise<ReceivedPush>;
	/** Pushes received and not yet taken. */
	pending(): ReceivedPush[];
	close(): Promise<void>;
}

interface Subscriber {
	ecdh: ECDH;
	auth: Buffer;
	status: number;
}

export async function startFakePushService(): Promise<FakePushService> {
	const subscribers = new Map<string, Subscriber>();
	const received: ReceivedPush[] = [];
	const waiters: ((push: ReceivedPush) => void)[] = [];

	const server = createServer(async (request, response) => {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const endpoint = `${origin}${request.url}`;
		const subscriber = subscribers.get(endpoint);
		if (request.method !== 'POST' || !subscriber) return void response.writeHead(404).end();
		try {
			const vapidPublicKey = verifyVapid(request.headers.authorization, origin);
			if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding: not aes128gcm');
			if (!request.headers.ttl) throw new Error('TTL: missing');
			const plaintext = decrypt(Buffer.concat(chunks), subscriber).toString('utf8');
			const push = { endpoint, headers: request.headers, vapidPublicKey, plaintext };
			const waiter = waiters.shift();
			if (waiter) waiter(push);
			else received.push(push);
			response.writeHead(subscriber.status).end();
		} catch (error) {
			response.writeHead(400).end(String(error));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		origin,
		subscribe() {
			const ecdh = createECDH('prime256v1');
			ecdh.generateKeys();
			const auth = randomBytes(16);
			const endpoint = `${origin}/push/${randomBytes(8).toString('hex')}`;
			subscribers.set(endpoint, { ecdh, auth, status: 201 });
			return {
				endpoint,
				keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') }
			};
		},
		answer(endpoint, status) {
			subscribers.get(endpoint)!.status = status;
		},
		nextPush(timeoutMs = 5000) {
			const ready = received.shift();
			if (ready) return Promise.resolve(ready);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no push within ${timeoutMs} ms`)), timeoutMs);
				waiters.push((push) => {
					clearTimeout(timer);
					resolve(push);
				});
			});
		},
		pending: () => [...received],
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}

/** `Authorization: vapid t=<JWT>, k=<public key>`; returns the key once the JWT verifies against it. */
function verifyVapid(header: string | undefined, audience: string): string {
	const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
	if (!match) throw new Error(`Authorization: "${header}" is not "vapid t=<jwt>, k=<key>"`);
	const [, jwt, key] = match;
	const [head, body, signature] = jwt.split('.');
	const point = Buffer.from(key, 'base64url');
	const publicKey = createPublicKey({
		key: {
			kty: 'EC',
			crv: 'P-256',
			x: point.subarray(1, 33).toString('base64url'),
			y: point.subarray(33).toString('base64url')
		},
		format: 'jwk'
	});
	const signed = Buffer.from(`${head}.${body}`);
	const valid = verify(
		'sha256',
		signed,
		{ key: publicKey, dsaEncoding: 'ieee-p1363' },
		Buffer.from(signature, 'base64url')
	);
	if (!valid) throw new Error('Authorization: the VAPID JWT signature does not verify with k=');
	const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { aud?: string; exp?: number };
	if (claims.aud !== audience) throw new Error(`Authorization: JWT aud "${claims.aud}" is not ${audience}`);
	if (!claims.exp || claims.exp * 1000 < Date.now()) throw new Error('Authorization: JWT has expired');
	return key;
}

/** RFC 8291 section 3.4 and RFC 8188: one aes128gcm record with a 16-byte salt and the sender's key as keyid. */
function decrypt(body: Buffer, subscriber: Subscriber): Buffer {
	const salt = body.subarray(0, 16);
	const idLength = body[20];
	const senderKey = body.subarray(21, 21 + idLength);
	const record = body.subarray(21 + idLength);
	const sharedSecret = subscriber.ecdh.computeSecret(senderKey);
	const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), subscriber.ecdh.getPublicKey(), senderKey]);
	const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, subscriber.auth, keyInfo, 32));
	const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
	const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(record.subarray(record.length - 16));
	const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
	// The plaintext is followed by the delimiter 0x02 (last record) and zero padding.
	const end = padded.findLastIndex((byte) => byte !== 0);
	if (padded[end] !== 2) throw new Error('aes128gcm: the last record does not end with the 0x02 delimiter');
	return padded.subarray(0, end);
}
