/**
 * Race reproduced: news arrives while no tab of the app is open, so no live tail runs (the browser stopped the idle
 * service worker); only a push wakes the worker. Then the network goes away before the app is opened again. The
 * push must have put the news into the inbox (or fetched it, for a poke) and shown a notification, so that the
 * app opened offline shows the messages.
 *
 * Pushes are delivered over CDP (`ServiceWorker.deliverPushMessage`; no push service is reachable here), from an
 * about:blank page, with the payload the server's fan-out would send (src/lib/server/push/fanout.ts).
 */
import type { BrowserContext, CDPSession } from '@playwright/test';
import type { PushPayload } from '../src/lib/sw/push';
import { expect, test, timelineBodies, waitForReplica, waitForServiceWorker, type Fixtures } from './fixtures';
import { readStream, streamHead } from './soak/chat-client';

const SENT_WHILE_CLOSED = ['while closed 0', 'while closed 1', 'while closed 2'];

test.use({ permissions: ['notifications'] });

test('a push with the events, delivered with no tab open, shows them in the app opened offline', async ({
	context,
	openTab,
	apiUser,
	server
}) => {
	const { devtools, registrationId, closedAt } = await closeEveryTabAndStopTheWorker(context, openTab, server.url);
	await (await apiUser('Author')).sendMessages(3, 'general', 'while closed');

	const { events, next } = await readStream(server.url, closedAt);
	const payload: PushPayload = { kind: 'events', from: closedAt, to: next, events };
	await deliverPush(context, devtools, server.url, registrationId, payload);
	await context.setOffline(true);

	const app = await reopenApp(context, server.url);
	await expect.poll(() => timelineBodies(app)).toEqual(SENT_WHILE_CLOSED);
});

test('a poke, delivered with no tab open, makes the worker fetch the news before the network goes', async ({
	context,
	openTab,
	apiUser,
	server
}) => {
	const { devtools, registrationId } = await closeEveryTabAndStopTheWorker(context, openTab, server.url);
	await (await apiUser('Author')).sendMessages(3, 'general', 'while closed');

	const payload: PushPayload = { kind: 'poke', head: await streamHead(server.url) };
	await deliverPush(context, devtools, server.url, registrationId, payload);
	await context.setOffline(true);

	const app = await reopenApp(context, server.url);
	await expect.poll(() => timelineBodies(app)).toEqual(SENT_WHILE_CLOSED);
});

/**
 * Leaves the context with one about:blank page and a stopped service worker whose cursor is the stream's head.
 * Playwright keeps service workers alive (its DevTools session switches their timeouts off); a real browser stops
 * an idle one ~30 s after the last tab closes, and this is that stop.
 */
async function closeEveryTabAndStopTheWorker(context: BrowserContext, openTab: Fixtures['openTab'], origin: string) {
	const app = await openTab();
	await waitForServiceWorker(app);
	const closedAt = await streamHead(origin);
	await expect.poll(() => app.evaluate(async () => (await window.replica!.status()).appliedOffset)).toBe(closedAt);
	await app.close();

	const devtools = await context.newCDPSession(await context.newPage());
	const registered = new Promise<string>((resolve) =>
		devtools.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const ours = registrations.find((registration) => registration.scopeURL === `${origin}/`);
			if (ours && !ours.isDeleted) resolve(ours.registrationId);
		})
	);
	const stopped = new Promise<void>((resolve) =>
		devtools.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
			if (versions.every((version) => version.runningStatus === 'stopped')) resolve();
		})
	);
	await devtools.send('ServiceWorker.enable');
	const registrationId = await registered;
	await devtools.send('ServiceWorker.stopAllWorkers');
	await stopped;
	return { devtools, registrationId, closedAt };
}

/**
 * Delivers `payload` and waits until the worker has handled it, which ends with its notification (asked through
 * the worker Playwright attaches to: a page of the origin would be a window client, and suppress it).
 */
async function deliverPush(
	context: BrowserContext,
	devtools: CDPSession,
	origin: string,
	registrationId: string,
	payload: PushPayload
) {
	await devtools.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
	const notificationTitles = () =>
		context.serviceWorkers()[0].evaluate(async () => {
			const scope = self as unknown as ServiceWorkerGlobalScope;
			return (await scope.registration.getNotifications()).map((notification) => notification.title);
		});
	await expect.poll(notificationTitles).toEqual(['3 new messages in #general']);
}

async function reopenApp(context: BrowserContext, origin: string) {
	const app = await context.newPage();
	await app.goto(`${origin}/c/general`);
	await waitForReplica(app);
	return app;
}
