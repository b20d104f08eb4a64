/** `GET /api/push/key`: the server's VAPID public key (base64url), for `pushManager.subscribe`. */
import { pushState } from '#lib/server/push/index.ts';
import { pushKeyResponse } from '#lib/server/push/http.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => pushKeyResponse(pushState());
