/**
 * The active tab's lifecycle in a real browser. Playwright keeps every page visible and unfreezable and turns
 * bfcache off, so these drive Chromium over raw CDP (tests/cdp), attached to pages only. Races reproduced:
 *
 * - **Frozen leader**: Chrome freezes a hidden tab while its DB worker holds the writer lock and the OPFS access
 *   handles. A frozen tab keeps both (a lock steal would fence it but never free the file), so the page must let go
 *   in its `freeze` handler, synchronously, or no other tab can open the database until it is unfrozen. And the
 *   coordinator's messages to the frozen page (a claim, once it is the only tab left) wait until it thaws: they
 *   must reach the DB worker the page starts on `resume`, or no tab would ever lead again.
 * - **Hidden leader**: the user switches away from the active tab while another tab of the app stays visible;
 *   leadership moves to the visible tab, while changes that leave the leader visible move nothing.
 * - **Back/forward cache**: the active tab navigates away and is cached with its locks held; the coordinator's
 *   pending request on its liveness lock evicts it, and `pagehide` has already let go of the database. (Headless
 *   Chromium does cache the page; so far it was always evicted, by the coordinator's next message, before the
 *   test went back, so the restored-from-cache path (`pageshow` with `persisted`) is accepted but not forced.)
 *
 * The freeze and handover specs run twice: with the coordinator, and without SharedWorker, where the tabs elect
 * among themselves (BroadcastElection) and must keep the same rules.
 */
import { test, openReplica, timelineBodies } from './cdp/test';
import type { CdpBrowser, CdpPage } from './cdp/chromium';
import { sleep, waitUntil } from './cdp/wait';
import { expect } from './fixtures';

/**
 * How long another tab may take to be active and answer a read once the leader froze, hid or left. Measured
 * 115–180 ms alone and up to ~650 ms with two test workers on a 2-core machine; mostly opening the OPFS pool.
 */
const FAILOVER_BOUND_MS = 2_000;

const role = (page: CdpPage) => page.evaluate<string>('window.replica.role()');
const tabId = (page: CdpPage) => page.evaluate<string>('window.replica.tabId');
/** A read through whichever worker is active: the status names the active tab and where the replica lives. */
const status = (page: CdpPage) => page.evaluate<{ activeTabId: string; storage: string }>('window.replica.status()');
const countRows = (page: CdpPage) =>
	page.evaluate<number>(`window.replica.query('SELECT count(*) AS n FROM timeline_items').then((rows) => rows[0].n)`);

/** Waits until exactly one of `pages` is active and every page's reads name it; returns it. */
async function activeOf(pages: CdpPage[], timeoutMs = 10_000): Promise<CdpPage> {
	return waitUntil(
		async () => {
			const roles = await Promise.all(pages.map(role));
			const active = pages.filter((_, index) => roles[index] === 'active');
			if (active.length !== 1) return undefined;
			const id = await tabId(active[0]);
			const named = await Promise.all(pages.map(async (page) => (await status(page)).activeTabId));
			return named.every((activeTabId) => activeTabId === id) && active[0];
		},
		{ what: 'exactly one active tab that every tab reads through', timeoutMs, intervalMs: 20 }
	);
}

async function setMinimized(page: CdpPage, minimized: boolean) {
	const { windowId } = await page.cdp.send<{ windowId: number }>('Browser.getWindowForTarget', {
		targetId: page.targetId
	});
	await page.cdp.send('Browser.setWindowBounds', {
		windowId,
		bounds: { windowState: minimized ? 'minimized' : 'normal' }
	});
	const wanted = minimized ? 'hidden' : 'visible';
	await waitUntil(async () => (await page.visibilityState()) === wanted, { what: `the tab to turn ${wanted}` });
}

/** Records the page's lifecycle events, with the visibility at each, in `window.__lifecycle` (readable while frozen). */
function recordLifecycle(page: CdpPage) {
	return page.evaluate(`(() => {
		window.__lifecycle = [];
		for (const type of ['freeze', 'resume', 'pagehide', 'pageshow', 'visibilitychange'])
			addEventListener(type, () => __lifecycle.push(type + ':' + document.visibilityState), { capture: true });
		return true;
	})()`);
}

function sendMessage(page: CdpPage, body: string) {
	return page.evaluate<{ ok: boolean }>(`(() => {
		const id = crypto.randomUUID();
		return window.replica.send({ id, name: 'send_message', args: { messageId: id, channelId: 'general', body: ${JSON.stringify(body)} } });
	})()`);
}

/** Runs reads in the page until `stop` is set; resolves with how many were answered and the errors. */
function startReading(page: CdpPage) {
	return page.evaluate(`(() => {
		window.__reads = { answered: 0, errors: [], stop: false };
		window.__reading = (async () => {
			while (!__reads.stop) {
				try { await window.replica.query('SELECT count(*) AS n FROM channels'); __reads.answered++; }
				catch (error) { __reads.errors.push(String(error)); }
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		})();
		return true;
	})()`);
}
const stopReading = (page: CdpPage) =>
	page.evaluate<{ answered: number; errors: string[] }>(
		`(__reads.stop = true, __reading.then(() => ({ answered: __reads.answered, errors: __reads.errors })))`
	);

/**
 * Two app tabs behind a third one: no tab of the app is visible, so hiding alone moves nothing and a freeze is
 * what has to move leadership.
 */
async function twoHiddenAppTabs(cdpBrowser: CdpBrowser, url: string, withoutSharedWorker: boolean) {
	const a = await openReplica(cdpBrowser, url, { withoutSharedWorker });
	const b = await openReplica(cdpBrowser, url, { withoutSharedWorker });
	await cdpBrowser.openPage('about:blank');
	await waitUntil(async () => (await a.visibilityState()) === 'hidden' && (await b.visibilityState()) === 'hidden', {
		what: 'both app tabs to be hidden'
	});
	const leader = await activeOf([a, b]);
	return { leader, other: leader === a ? b : a };
}

for (const withoutSharedWorker of [false, true]) {
	const mode = withoutSharedWorker ? ' (no SharedWorker: the tabs elect among themselves)' : '';
	test(`a frozen leader lets go at once: another tab takes over, and the thawed tab rejoins as a follower${mode}`, async ({
		cdpBrowser,
		server
	}) => {
		const { leader, other } = await twoHiddenAppTabs(cdpBrowser, `${server.url}/c/general`, withoutSharedWorker);
		expect((await status(other)).storage, 'the database must be in OPFS, or no file handle is at stake').toBe('opfs');
		await recordLifecycle(leader);

		const frozenAt = Date.now();
		await cdpBrowser.cdp.send('Page.setWebLifecycleState', { state: 'frozen' }, leader.sessionId);
		// Runtime.evaluate still runs in a frozen page (none of the page's own tasks do): the handler has run.
		await waitUntil(async () => (await leader.evaluate<string[]>('window.__lifecycle')).includes('freeze:hidden'), {
			what: 'the freeze event',
			intervalMs: 5
		});
		const readInFlight = countRows(other).then(() => Date.now() - frozenAt);
		await waitUntil(async () => (await role(other)) === 'active', {
			what: 'the other tab to become active',
			intervalMs: 10
		});
		const activeAfterMs = Date.now() - frozenAt;
		const answeredAfterMs = await readInFlight;
		console.log(
			`[leader-lifecycle] freeze → other tab active ${activeAfterMs} ms, read answered ${answeredAfterMs} ms`
		);
		expect(answeredAfterMs).toBeLessThan(FAILOVER_BOUND_MS);
		expect(activeAfterMs).toBeLessThan(FAILOVER_BOUND_MS);

		expect(await sendMessage(other, 'while frozen')).toEqual({ ok: true });
		await waitUntil(async () => (await timelineBodies(other)).includes('while frozen'), {
			what: 'the message in the new leader’s replica'
		});
		expect(await timelineBodies(other)).toEqual(['while frozen']);
		expect(await leader.evaluate('window.__lifecycle'), 'still frozen').toEqual(['freeze:hidden']);
		expect(await role(leader)).toBe('follower');

		await cdpBrowser.cdp.send('Page.setWebLifecycleState', { state: 'active' }, leader.sessionId);
		await leader.show();
		await waitUntil(async () => (await timelineBodies(leader)).includes('while frozen'), {
			what: 'the thawed tab to read the message'
		});
		expect(await leader.evaluate('window.__lifecycle')).toEqual([
			'freeze:hidden',
			'resume:hidden',
			'visibilitychange:visible'
		]);
		expect(await activeOf([leader, other])).toBe(other);
		expect(await role(leader)).toBe('follower');

		// The thawed tab's new DB worker (the standby started on `resume`) can take the file when the leader goes.
		const closedAt = Date.now();
		await other.close();
		await waitUntil(async () => (await role(leader)) === 'active', {
			what: 'the thawed tab to take over',
			intervalMs: 10
		});
		console.log(`[leader-lifecycle] close → thawed tab active ${Date.now() - closedAt} ms`);
		expect(await timelineBodies(leader)).toEqual(['while frozen']);
	});
}

for (const withoutSharedWorker of [false, true]) {
	const mode = withoutSharedWorker ? ' (no SharedWorker: the tabs elect among themselves)' : '';
	test(`a leader hidden while another tab is visible hands over; changes that keep it visible move nothing${mode}`, async ({
		cdpBrowser,
		server
	}) => {
		const url = `${server.url}/c/general`;
		// Two windows: both tabs visible at once.
		const a = await openReplica(cdpBrowser, url, { newWindow: true, withoutSharedWorker });
		const b = await openReplica(cdpBrowser, url, { newWindow: true, withoutSharedWorker });
		if (withoutSharedWorker) expect(await a.evaluate('typeof SharedWorker')).toBe('undefined');
		const leader = await activeOf([a, b]);
		const other = leader === a ? b : a;
		const leaderId = await tabId(leader);

		// Focus moves back and forth, and the follower hides and shows again: the leader stays visible throughout.
		await cdpBrowser.cdp.send('Target.activateTarget', { targetId: other.targetId });
		await cdpBrowser.cdp.send('Target.activateTarget', { targetId: leader.targetId });
		await setMinimized(other, true);
		await setMinimized(other, false);
		await expectLeaderStays([a, b], leader, leaderId, 2_000);

		await Promise.all([startReading(leader), startReading(other)]);
		const hiddenAt = Date.now();
		await setMinimized(leader, true);
		await waitUntil(async () => (await role(other)) === 'active', {
			what: 'the visible tab to take over',
			intervalMs: 10
		});
		const handoverMs = Date.now() - hiddenAt;
		console.log(`[leader-lifecycle] leader hidden → visible tab active ${handoverMs} ms`);
		expect(handoverMs).toBeLessThan(FAILOVER_BOUND_MS);
		expect(await activeOf([a, b])).toBe(other);
		for (const page of [leader, other]) {
			await countRows(page); // at least one read after the handover
			const { answered, errors } = await stopReading(page);
			expect(errors).toEqual([]);
			expect(answered).toBeGreaterThan(0);
		}
		expect(await role(leader)).toBe('follower');
		expect(await sendMessage(leader, 'from the hidden tab')).toEqual({ ok: true });
		for (const page of [leader, other]) {
			await waitUntil(async () => (await timelineBodies(page)).includes('from the hidden tab'), {
				what: 'the message in both tabs'
			});
		}
	});
}

/** Polls for `ms` that `leader` stays the one active tab that every page reads through. */
async function expectLeaderStays(pages: CdpPage[], leader: CdpPage, leaderId: string, ms: number) {
	const until = Date.now() + ms;
	while (Date.now() < until) {
		const roles = await Promise.all(pages.map(role));
		expect(roles.filter((r) => r === 'active')).toHaveLength(1);
		expect(await role(leader)).toBe('active');
		for (const page of pages) expect((await status(page)).activeTabId).toBe(leaderId);
		await sleep(100);
	}
}

test('an active tab that navigates away lets go; going back, the app recovers', async ({ cdpBrowser, server }) => {
	const url = `${server.url}/c/general`;
	const a = await openReplica(cdpBrowser, url, { newWindow: true });
	const b = await openReplica(cdpBrowser, url, { newWindow: true });
	const leader = await activeOf([a, b]);
	const other = leader === a ? b : a;
	await recordLifecycle(leader);
	const timeOrigin = await leader.evaluate<number>('performance.timeOrigin');
	await cdpBrowser.cdp.send('Page.enable', {}, leader.sessionId);
	const notRestored: unknown[] = [];
	cdpBrowser.cdp.on('Page.backForwardCacheNotUsed', (params) => notRestored.push(params.notRestoredExplanations));

	const leftAt = Date.now();
	await cdpBrowser.cdp.send('Page.navigate', { url: `${server.url}/api/session` }, leader.sessionId);
	await waitUntil(async () => (await role(other)) === 'active', { what: 'the other tab to take over', intervalMs: 10 });
	await countRows(other);
	const takeoverMs = Date.now() - leftAt;
	console.log(`[leader-lifecycle] navigate away → other tab active and answering ${takeoverMs} ms`);
	expect(takeoverMs).toBeLessThan(FAILOVER_BOUND_MS);

	const history = await leader.cdp.send<{ currentIndex: number; entries: { id: number; url: string }[] }>(
		'Page.getNavigationHistory',
		{},
		leader.sessionId
	);
	expect(history.entries[history.currentIndex].url).toBe(`${server.url}/api/session`);
	const back = history.entries[history.currentIndex - 1];
	expect(back.url).toBe(url);
	await cdpBrowser.cdp.send('Page.navigateToHistoryEntry', { entryId: back.id }, leader.sessionId);
	await waitUntil(() => leader.evaluate<boolean>(`window.replica?.query('SELECT 1').then(() => true)`), {
		what: 'the app to answer after going back'
	});
	const restored = (await leader.evaluate<number>('performance.timeOrigin')) === timeOrigin;
	console.log(
		`[leader-lifecycle] back: ${restored ? 'restored from bfcache' : `not restored: ${JSON.stringify(notRestored)}`}`
	);
	// Headless Chromium does cache the page: it is either restored, or was evicted while cached (a circumstantial
	// reason, e.g. a message from the coordinator or a lock request), never refused the cache outright.
	if (!restored) {
		expect(notRestored.flat()).not.toEqual([]);
		for (const explanation of notRestored.flat() as { type: string }[]) expect(explanation.type).toBe('Circumstantial');
	}
	expect(await activeOf([a, b])).toBe(other); // both tabs are visible: nothing to hand over
	expect(await sendMessage(leader, 'after going back')).toEqual({ ok: true });
	for (const page of [leader, other]) {
		await waitUntil(async () => (await timelineBodies(page)).includes('after going back'), {
			what: 'the message in both tabs'
		});
	}
});

for (const withoutSharedWorker of [false, true]) {
	const mode = withoutSharedWorker ? ' (no SharedWorker: the tabs elect among themselves)' : '';
	test(`the tab that took over closes while the old leader is frozen: the thawed tab takes the database back${mode}`, async ({
		cdpBrowser,
		server
	}) => {
		const { leader, other } = await twoHiddenAppTabs(cdpBrowser, `${server.url}/c/general`, withoutSharedWorker);
		await recordLifecycle(leader);
		await cdpBrowser.cdp.send('Page.setWebLifecycleState', { state: 'frozen' }, leader.sessionId);
		await waitUntil(async () => (await role(other)) === 'active', { what: 'the other tab to become active' });
		expect(await sendMessage(other, 'before closing')).toEqual({ ok: true });
		await waitUntil(async () => (await timelineBodies(other)).includes('before closing'), { what: 'the message' });

		// The coordinator now has only the frozen tab to give the database to: its claim waits in the frozen page.
		await other.close();
		const thawedAt = Date.now();
		await cdpBrowser.cdp.send('Page.setWebLifecycleState', { state: 'active' }, leader.sessionId);
		await waitUntil(async () => (await role(leader)) === 'active', {
			what: 'the thawed tab to take over',
			intervalMs: 10
		});
		console.log(`[leader-lifecycle] thaw → sole tab active ${Date.now() - thawedAt} ms`);
		expect(await leader.evaluate('window.__lifecycle')).toEqual(['freeze:hidden', 'resume:hidden']);
		expect(await timelineBodies(leader)).toEqual(['before closing']);
	});
}
