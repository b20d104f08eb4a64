/** `POST` / `DELETE /api/push/subscriptions`: thin adapters; the checks live in #lib/server/push/http. */
import { pushFanout, pushState } from '#lib/server/push/index.ts';
import { handleSubscribe, handleUnsubscribe } from '#lib/server/push/http.ts';
import type { RequestHandler } from './$types';

// pushFanout() is idempotent: calling it here guarantees that a stored subscription is served even where the
// server start did not start the fan-out.
export const POST: RequestHandler = ({ request }) => {
	pushFanout();
	return handleSubscribe(request, pushState());
};

export const DELETE: RequestHandler = ({ request }) => handleUnsubscribe(request, pushState());
