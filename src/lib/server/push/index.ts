/**
 * The process-wide push state over replicaServer(): the VAPID keys, the subscriptions and the fan-out. Created on
 * first use; `pushFanout()` is meant to be called once at server start (the `init` hook), and is safe to call again.
 *
 * From the environment:
 * - `REPLICA_VAPID_SUBJECT`: the contact push services see in every request (`mailto:` or `https:`).
 * - `REPLICA_PUSH_LOOPBACK_HTTP=1`: accept http://127.0.0.1 / localhost endpoints (tests with a fake push service).
 */
import { replicaServer } from '../app-server.ts';
import { startPushFanout, type PushFanout } from './fanout.ts';
import type { PushRoutes } from './http.ts';
import { PushSubscriptions } from './subscriptions.ts';
import { loadVapidKeys, type VapidKeys } from './vapid.ts';

const DEFAULT_SUBJECT = 'mailto:push@replica.invalid';
const PUSH_TIMEOUT_MS = 10_000;

interface PushState extends PushRoutes {
	vapid: VapidKeys;
	subscriptions: PushSubscriptions;
}

let state: PushState | undefined;
let fanout: PushFanout | undefined;

export function pushState(env: Record<string, string | undefined> = process.env): PushState {
	if (state) return state;
	const { dataDir, store } = replicaServer();
	const vapid = loadVapidKeys(dataDir);
	state = {
		vapid,
		publicKey: vapid.publicKey,
		subscriptions: new PushSubscriptions(store.db),
		allowLoopbackHttp: env.REPLICA_PUSH_LOOPBACK_HTTP === '1'
	};
	return state;
}

/** Starts the fan-out of the chat stream once per process. */
export function pushFanout(env: Record<string, string | undefined> = process.env): PushFanout {
	if (fanout) return fanout;
	const { vapid, subscriptions } = pushState(env);
	const subject = env.REPLICA_VAPID_SUBJECT ?? DEFAULT_SUBJECT;
	if (!/^(mailto:|https:\/\/)/.test(subject)) {
		throw new Error(`REPLICA_VAPID_SUBJECT: "${subject}" is not a mailto: or https:// URL; push services require one`);
	}
	fanout = startPushFanout(replicaServer().store, {
		vapid,
		subscriptions,
		subject,
		timeoutMs: PUSH_TIMEOUT_MS
	});
	return fanout;
}
