/**
 * One push to one subscription. `web-push` encrypts the payload (RFC 8291, aes128gcm) and signs the VAPID JWT
 * (RFC 8292); the request itself goes out with `fetch`, because web-push's own transport speaks only https and we
 * want a timeout per request and a local plain-http fake push service in tests.
 */
import webPush from 'web-push';
import type { VapidKeys } from './vapid.ts';
import type { PushTarget } from './subscriptions.ts';

export interface PushRequest {
	/** The plaintext; at most ~3990 bytes fit into one aes128gcm record of a push message. */
	payload: string;
	ttlSeconds: number;
	urgency: webPush.Urgency;
	/** A push service keeps only the newest undelivered message per topic and subscription. */
	topic?: string;
}

export interface PushSender {
	vapid: VapidKeys;
	/** `mailto:` or `https:`: whom a push service contacts about this sender. */
	subject: string;
	timeoutMs: number;
}

/** `gone`: the push service no longer knows the subscription (404/410); it should be deleted. */
export type PushOutcome = 'delivered' | 'gone' | 'failed';

export async function sendPush(target: PushTarget, request: PushRequest, sender: PushSender): Promise<PushOutcome> {
	const where = new URL(target.endpoint).origin; // the rest of an endpoint is a capability: never logged
	try {
		const details = webPush.generateRequestDetails(target, request.payload, {
			vapidDetails: { subject: sender.subject, ...sender.vapid },
			TTL: request.ttlSeconds,
			urgency: request.urgency,
			...(request.topic && { topic: request.topic })
		});
		const headers = new Headers();
		for (const [name, value] of Object.entries(details.headers)) {
			// fetch computes Content-Length from the body itself and refuses a caller-set one.
			if (name.toLowerCase() !== 'content-length') headers.set(name, String(value));
		}
		const response = await fetch(details.endpoint, {
			method: details.method,
			headers,
			body: details.body && new Uint8Array(details.body), // BodyInit wants ArrayBuffer-backed bytes
			signal: AbortSignal.timeout(sender.timeoutMs)
		});
		if (response.ok) return 'delivered';
		if (response.status === 404 || response.status === 410) return 'gone';
		const text = (await response.text()).slice(0, 200);
		console.warn(`[push] ${where} answered ${response.status}: ${text}`);
		return 'failed';
	} catch (error) {
		console.warn(`[push] sending to ${where} failed:`, error);
		return 'failed';
	}
}
