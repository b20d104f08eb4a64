/** `GET /api/push/key`: the server's VAPID public key (base64url), for `pushManager.subscribe`. */
import { pushState } from '../../../../lib/server/push';
import { pushKeyResponse } from '../../../../lib/server/push/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => pushKeyResponse(pushState());
