import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { handleSubscribe, handleUnsubscribe, MAX_SUBSCRIPTION_BYTES, pushKeyResponse, type PushRoutes } from './http';
import { PushSubscriptions } from './subscriptions';
import { loadVapidKeys } from './vapid';

const ORIGIN = 'http://replica.test';
const endpoint = 'https://push.example/send/abc';
const keys = { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: Buffer.alloc(16, 1).toString('base64url') };

let routes: PushRoutes & { subscriptions: PushSubscriptions };
beforeEach(() => {
	routes = {
		publicKey: 'key',
		subscriptions: new PushSubscriptions(new DatabaseSync(':memory:')),
		allowLoopbackHttp: false
	};
});

function request(method: string, body: unknown, headers: Record<string, string> = {}) {
	return new Request(`${ORIGIN}/api/push/subscriptions`, {
		method,
		headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

describe('POST /api/push/subscriptions', () => {
	test('stores a subscription; sending it again replaces its keys', async () => {
		expect((await handleSubscribe(request('POST', { endpoint, expirationTime: null, keys }), routes)).status).toBe(201);
		const auth = Buffer.alloc(16, 2).toString('base64url');
		await handleSubscribe(request('POST', { endpoint, keys: { ...keys, auth } }), routes);
		expect(routes.subscriptions.all()).toEqual([{ endpoint, keys: { ...keys, auth } }]);
	});

	test.each([
		[{ keys }, 'endpoint', /endpoint: is missing/],
		[{ endpoint: 'not a url', keys }, 'endpoint', /endpoint: is not a URL/],
		[{ endpoint: 'http://push.example/x', keys }, 'endpoint', /endpoint: must be an https URL/],
		[{ endpoint: 'http://127.0.0.1:9/x', keys }, 'endpoint', /endpoint: must be an https URL/],
		[{ endpoint }, 'keys', /keys: is missing/],
		[{ endpoint, keys: { auth: keys.auth } }, 'keys.p256dh', /keys\.p256dh: is missing/],
		[{ endpoint, keys: { ...keys, p256dh: 'a+b/' } }, 'keys.p256dh', /keys\.p256dh: is not base64url/],
		[
			{ endpoint, keys: { ...keys, auth: 'AAAA' } },
			'keys.auth',
			/keys\.auth: must be an authentication secret \(16 bytes\)/
		],
		[{ endpoint: 42, keys }, 'endpoint', /endpoint: must be a string/],
		[{ endpoint, keys: 'k' }, 'keys', /keys: must be a JSON object; send PushSubscription.toJSON\(\)/],
		['"text"', 'body', /body: must be a JSON object/],
		['{"endpoint":', 'body', /body: is not valid JSON/]
	])('refuses %j with 400 naming %s', async (body, field, error) => {
		const response = await handleSubscribe(request('POST', body), routes);
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ ok: false, field, error: expect.stringMatching(error) });
		expect(routes.subscriptions.all()).toEqual([]);
	});

	test('accepts a loopback http endpoint only when told to (tests with a fake push service)', async () => {
		const loopback = { endpoint: 'http://127.0.0.1:9/x', keys };
		expect((await handleSubscribe(request('POST', loopback), { ...routes, allowLoopbackHttp: true })).status).toBe(201);
	});

	test('refuses other origins, other content types and oversized bodies before parsing', async () => {
		const body = { endpoint, keys };
		expect((await handleSubscribe(request('POST', body, { origin: 'http://evil.test' }), routes)).status).toBe(403);
		expect((await handleSubscribe(request('POST', body, { 'content-type': 'text/plain' }), routes)).status).toBe(415);
		const padded = { ...body, padding: 'x'.repeat(MAX_SUBSCRIPTION_BYTES) };
		expect((await handleSubscribe(request('POST', padded), routes)).status).toBe(413);
		expect(routes.subscriptions.all()).toEqual([]);
	});
});

describe('DELETE /api/push/subscriptions', () => {
	test('removes the subscription, and is idempotent', async () => {
		routes.subscriptions.save({ endpoint, keys });
		expect(await (await handleUnsubscribe(request('DELETE', { endpoint }), routes)).json()).toEqual({
			ok: true,
			removed: true
		});
		expect(await (await handleUnsubscribe(request('DELETE', { endpoint }), routes)).json()).toEqual({
			ok: true,
			removed: false
		});
		expect(routes.subscriptions.all()).toEqual([]);
	});

	test('names the missing field', async () => {
		const response = await handleUnsubscribe(request('DELETE', {}), routes);
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({
			field: 'endpoint',
			error: expect.stringMatching(/^endpoint: is missing/)
		});
	});
});

describe('VAPID keys', () => {
	let dataDir: string;
	beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'replica-vapid-'))));
	afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

	test('are made once, kept readable only by the owner, and served by GET /api/push/key', async () => {
		const keys = loadVapidKeys(dataDir);
		expect(statSync(join(dataDir, 'vapid.json')).mode & 0o777).toBe(0o600);
		expect(loadVapidKeys(dataDir)).toEqual(keys);
		expect(await pushKeyResponse(keys).json()).toEqual({ publicKey: keys.publicKey });
	});

	test('a damaged key file is an error that says how to fix it, and is left for inspection', () => {
		writeFileSync(join(dataDir, 'vapid.json'), '{"publicKey":"abc"}');
		expect(() => loadVapidKeys(dataDir)).toThrow(
			/delete it to make a new pair \(every browser must then subscribe again\)/
		);
		expect(readFileSync(join(dataDir, 'vapid.json'), 'utf8')).toBe('{"publicKey":"abc"}');
	});
});
