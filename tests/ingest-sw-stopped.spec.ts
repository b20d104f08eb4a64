/**
 * Race reproduced: the browser stops the service worker (silently, at any instant) while its live tail is writing
 * a burst into the inbox: during a long-poll, between a read and its IndexedDB transaction, or inside one. Nothing
 * restarts it but the next wake-up (a tab's keepalive), which must resume from the stored cursor: every tab ends
 * with every event exactly once, in stream order.
 *
 * Driven over raw CDP (tests/cdp): with Playwright's DevTools session attached to the service worker, Chromium 156
 * itself crashed (SIGTRAP in the browser process) shortly after `ServiceWorker.stopAllWorkers` in about 1 run of 3.
 */
import type { CdpPage } from './cdp/chromium';
import { openReplica, test, timelineBodies } from './cdp/test';
import { expect } from './fixtures';
import { chatClient, messageBodies, readStream, sendConcurrently } from './soak/chat-client';

const ROUNDS = 10;
const MESSAGES_PER_ROUND = 100;

test.setTimeout(180_000);

test('two tabs get 1,000 messages once each and in order while the service worker is stopped ten times', async ({
	cdpBrowser,
	server
}) => {
	const tabs = [await openReplica(cdpBrowser, `${server.url}/c/general`)];
	tabs.push(await openReplica(cdpBrowser, `${server.url}/c/general`));
	const worker = await watchServiceWorker(tabs[1]);
	const senders = await Promise.all(['Ann', 'Bo', 'Cy', 'Di'].map((name) => chatClient(server.url, name)));

	for (let round = 0; round < ROUNDS; round++) {
		// Each stop hits a worker that a keepalive woke up and whose tail is busy with the burst.
		await expect.poll(() => worker.running, { timeout: 15_000 }).toBe(true);
		await sendConcurrently(senders, MESSAGES_PER_ROUND, `round ${round}`, async (sent) => {
			if (sent === MESSAGES_PER_ROUND / 2) await worker.stop();
		});
	}

	const sent = messageBodies(await readStream(server.url));
	expect(new Set(sent).size).toBe(ROUNDS * MESSAGES_PER_ROUND);
	for (const tab of tabs) await expect.poll(() => timelineBodies(tab), { timeout: 60_000 }).toEqual(sent);
	expect(worker.stops).toBe(ROUNDS);
});

interface VersionsUpdated {
	versions: { runningStatus: string }[];
}

/**
 * The service worker's state as CDP reports it to a page session (no session on the worker itself), and a stop
 * that returns once the worker has stopped.
 */
async function watchServiceWorker(page: CdpPage) {
	const worker = { running: false, stopped: false, stops: 0, stop: async () => {} };
	page.cdp.on('ServiceWorker.workerVersionUpdated', (params) => {
		const { versions } = params as unknown as VersionsUpdated;
		const stopped = versions.every((version) => version.runningStatus === 'stopped');
		if (stopped && !worker.stopped) worker.stops++;
		worker.stopped = stopped;
		worker.running = versions.some((version) => version.runningStatus === 'running');
	});
	worker.stop = async () => {
		const before = worker.stops;
		await page.cdp.send('ServiceWorker.stopAllWorkers', {}, page.sessionId);
		await expect.poll(() => worker.stops, { message: 'the service worker to stop' }).toBeGreaterThan(before);
	};
	await page.cdp.send('ServiceWorker.enable', {}, page.sessionId);
	return worker;
}
