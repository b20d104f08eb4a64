/**
 * The live tail is kept alive by every tab's DB worker fetching KEEPALIVE_PATH, which only works if the service
 * worker sees that fetch. The race reproduced: on a first visit the DB worker starts before the service worker is
 * installed, so it begins uncontrolled; the service worker's clients.claim() must take it over too (a dedicated
 * worker's timers, unlike the page's, are not throttled when the tab is hidden).
 */
import { KEEPALIVE_PATH } from '../src/lib/shared/ingest-protocol';
import { expect, test, waitForServiceWorker } from './fixtures';

test("on a first visit, the DB worker's keepalive reaches the service worker once it activates", async ({
	openTab
}) => {
	const page = await openTab();
	await waitForServiceWorker(page);
	const dbWorker = page.workers().find((worker) => worker.url().includes('db.worker'));
	expect(dbWorker, 'the tab runs a DB worker').toBeDefined();
	// The service worker answers 204 without headers; the server's answer carries a Date header.
	const answeredBy = () =>
		dbWorker!.evaluate(async (path) => {
			const response = await fetch(path, { cache: 'no-store' });
			return response.headers.get('date') === null ? 'service worker' : 'server';
		}, KEEPALIVE_PATH);
	await expect.poll(answeredBy).toBe('service worker');
});
