/**
 * Offline use: the app shell opens without a network, writes go to the durable outbox and show at once as
 * pending, survive the tab closing, and are sent exactly once when the network returns.
 */
import { createServer } from 'node:http';
import {
	expect,
	messages,
	pendingCount,
	sendMessage,
	test,
	timelineBodies,
	waitForReplica,
	waitForServiceWorker
} from './fixtures';

test('messages sent offline survive a closed tab and are confirmed exactly once when back online', async ({
	context,
	openTab,
	newUser,
	server
}) => {
	const page = await openTab();
	await waitForServiceWorker(page);

	await context.setOffline(true);
	await page.reload();
	await waitForReplica(page);
	await expect(page.getByTestId('network')).toHaveText('offline');
	for (const n of [1, 2, 3]) await sendMessage(page, `offline ${n}`);
	await expect.poll(() => pendingCount(page)).toBe(3);

	await page.close();
	const reopened = await context.newPage();
	await reopened.goto(`${server.url}/c/general`);
	await waitForReplica(reopened);
	await expect.poll(() => pendingCount(reopened)).toBe(3);

	await context.setOffline(false);
	await expect.poll(() => pendingCount(reopened)).toBe(0);
	await expect.poll(() => timelineBodies(reopened)).toEqual(['offline 1', 'offline 2', 'offline 3']);

	const sent = (await (await fetch(`${server.url}/v1/stream/chat?offset=-1`)).json()) as {
		type: string;
		value?: { body?: string };
	}[];
	const bodies = sent.filter((event) => event.type === 'message').map((event) => event.value?.body);
	expect(bodies).toEqual(['offline 1', 'offline 2', 'offline 3']);

	const other = await (await newUser('Other')).openTab();
	await expect.poll(() => timelineBodies(other)).toEqual(['offline 1', 'offline 2', 'offline 3']);
});

test('a rejected command is rolled back and the reason is shown, with retry and discard', async ({
	openTab,
	apiUser
}) => {
	const author = await apiUser('Author');
	const theirs = crypto.randomUUID();
	await author.send('send_message', { messageId: theirs, channelId: 'general', body: 'not yours to edit' });
	const page = await openTab();
	await expect.poll(() => timelineBodies(page)).toEqual(['not yours to edit']);

	await page.evaluate(
		([editId, lostId]) =>
			Promise.all([
				window.replica!.send({
					id: crypto.randomUUID(),
					name: 'edit_message',
					args: { messageId: editId, body: 'mine now' }
				}),
				window.replica!.send({
					id: crypto.randomUUID(),
					name: 'send_message',
					args: { messageId: lostId, channelId: 'no-such-channel', body: 'into the void' }
				})
			]),
		[theirs, crypto.randomUUID()]
	);

	const notices = page.getByTestId('outbox-notice');
	await expect(notices.filter({ hasText: 'only the author can edit this message' })).toHaveCount(1);
	await expect(notices.filter({ hasText: 'no-such-channel' })).toHaveCount(1);
	// The refused text is nowhere else on screen any more: the notice shows it before Discard drops it.
	await expect(notices.filter({ hasText: 'no-such-channel' })).toContainText('into the void');
	await expect(notices.filter({ hasText: 'only the author' })).toContainText('mine now');
	await expect.poll(() => pendingCount(page)).toBe(0);
	expect(await timelineBodies(page)).toEqual(['not yours to edit']);

	await notices.filter({ hasText: 'only the author' }).getByRole('button', { name: 'Retry' }).click();
	await expect(notices.filter({ hasText: 'only the author can edit this message' })).toHaveCount(1);
	await notices.first().getByRole('button', { name: 'Discard' }).click();
	await expect(notices).toHaveCount(1);
	await notices.first().getByRole('button', { name: 'Discard' }).click();
	await expect(notices).toHaveCount(0);
	expect((await page.evaluate(() => window.replica!.status())).outboxPending).toBe(0);
});

/**
 * The app's build files are answered by the browser from the shell cache, without running the service worker
 * (a static route): through the fetch handler they queued on the worker's thread and held the first paint back.
 */
test('the build files of a reopened page come from the shell cache without the service worker', async ({ openTab }) => {
	const page = await openTab();
	await waitForServiceWorker(page);
	await page.reload();
	await waitForReplica(page);
	const sources = await page.evaluate(() =>
		performance
			.getEntriesByType('resource')
			.filter((entry) => new URL(entry.name).pathname.startsWith('/_app/immutable/'))
			.map(
				(entry) => (entry as PerformanceResourceTiming & { workerMatchedSourceType?: string }).workerMatchedSourceType
			)
	);
	expect(sources.length).toBeGreaterThan(0);
	expect(new Set(sources)).toEqual(new Set(['cache']));
});

/**
 * A navigation does not wait for the service worker to start (a static route races the network against its fetch
 * handler); with the network gone, the handler answers from the shell cache.
 */
test('a navigation goes to the network without waiting for the service worker, and offline to the shell', async ({
	openTab,
	context
}) => {
	const page = await openTab();
	await waitForServiceWorker(page);
	const sources = () =>
		page.evaluate(() => {
			const [navigation] = performance.getEntriesByType('navigation') as (PerformanceNavigationTiming & {
				workerMatchedSourceType?: string;
				workerFinalSourceType?: string;
			})[];
			return { matched: navigation.workerMatchedSourceType, final: navigation.workerFinalSourceType };
		});
	await page.reload();
	await waitForReplica(page);
	expect(await sources()).toEqual({ matched: 'race-network-and-fetch-handler', final: 'network' });

	await context.setOffline(true);
	await page.reload();
	await waitForReplica(page);
	expect(await sources()).toEqual({ matched: 'race-network-and-fetch-handler', final: 'fetch-event' });
	await expect(page.getByTestId('network')).toHaveText(/offline/);
});

/**
 * Lie-fi: the network is up but the server does not answer as it should (a proxy's 502 while the app's server is
 * down, or a connection taken and never answered). The app opens from the cached shell and its replica anyway.
 */
test('the app opens from its replica when the server answers 502, or nothing at all', async ({ openTab, server }) => {
	const page = await openTab();
	await waitForServiceWorker(page);
	await sendMessage(page, 'already here');
	await expect(messages(page).filter({ hasText: 'already here' })).not.toContainText('Sending…');
	await server.stop();
	const port = Number(new URL(server.url).port);
	try {
		for (const answer of ['502', 'none'] as const) {
			const standIn = createServer((_request, response) => {
				if (answer === '502') response.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway');
			});
			await new Promise<void>((resolve) => standIn.listen(port, '127.0.0.1', resolve));
			try {
				await page.reload();
				await waitForReplica(page);
				await expect(messages(page).filter({ hasText: 'already here' })).toHaveCount(1);
			} finally {
				standIn.closeAllConnections();
				await new Promise((resolve) => standIn.close(resolve));
			}
		}
	} finally {
		await server.start();
	}
});
