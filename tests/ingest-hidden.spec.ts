/**
 * Race reproduced: a hidden tab against the browser's own lifetimes. Chrome stops an idle service worker after
 * ~30 s (taking its live tail with it) and runs a hidden tab's timers once a minute; only the DB worker's keepalive
 * fetch keeps waking the worker. Playwright would hide all of this (its DevTools session keeps service workers
 * alive and pages visible), so this drives Chromium over raw CDP, attached to pages only. The short form of
 * `npm run soak` (tests/soak/soak.ts): the time is the scenario, so it runs for a minute.
 */
import { test } from './cdp/test';
import { expect } from './fixtures';
import { runHiddenTail } from './soak/hidden-tail';

/** The keepalive period (5 s) plus a probe and a long-poll round trip. */
const MAX_LAG_MS = 8_000;

test.setTimeout(90_000);

test('a tab hidden for a minute keeps applying each message within seconds', async ({ cdpBrowser, server }) => {
	const report = await runHiddenTail(cdpBrowser, server, {
		durationMs: 60_000,
		sendEveryMs: 3_000,
		probeEveryMs: 1_000
	});

	expect(report.visibleProbes, 'the tab must stay hidden, or this proves nothing').toBe(0);
	expect(report.appended).toBeGreaterThanOrEqual(15);
	expect(report.inReplica).toBe(report.appended);
	expect(report.maxLagMs).toBeLessThan(MAX_LAG_MS);
});
