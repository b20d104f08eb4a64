/**
 * The multi-tab goals, each on a fresh server and browser of its own (a small chat: these measure latency, not
 * volume): P2 failover, the cross-tab query round trip, P3 a local write → DOM in another tab with 50 live queries
 * subscribed, and P4 a command accepted by the server → visible in every open tab.
 *
 * The browser is driven over raw CDP, as bench P5's cold opens are (cold-open.ts): Playwright attaches DevTools to
 * every page and worker it sees (each new worker held until it is resumed, network and console events from all of
 * them), which on these two cores took a share of the very CPU being measured: P3 was 11 / 24 ms under Playwright
 * and 8 / 14 ms without it, in runs of the same build on 2026-12-08. Each tab has a window of its own, so
 * that all are visible, as Playwright's pages are.
 */
import { request } from '@playwright/test';
import { launchChromium, type CdpBrowser, type CdpPage } from '../tests/cdp/chromium.ts';
import { waitUntil } from '../tests/cdp/wait.ts';
import { startTestServer, type TestServer } from '../tests/server.ts';
import { signIn } from './app-under-test.ts';
import { progress, summarise, type BenchRow } from './report.ts';

const FAILOVER_RUNS = 30;
const ROUND_TRIPS = 300;
const REMOTE_COMMAND_RUNS = 30;
const TABS = 3;

interface Session {
	server: TestServer;
	/** The open tabs, oldest first. */
	tabs: CdpPage[];
	openTab(): Promise<CdpPage>;
	closeTab(tab: CdpPage): Promise<void>;
	close(): Promise<void>;
}

/** Runs `script(arg)` in the tab and returns its JSON value: `script` is sent as source, so it closes over nothing. */
function inTab<T, A = undefined>(tab: CdpPage, script: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
	return tab.evaluate<T>(`(${script})(${JSON.stringify(arg ?? null)})`);
}

async function openSession(): Promise<Session> {
	const server = await startTestServer();
	const browser: CdpBrowser = await launchChromium();
	await signInBrowser(browser, server);
	const tabs: CdpPage[] = [];
	const openTab = async () => {
		const tab = await browser.openPage(`${server.url}/c/general`, { newWindow: true });
		await waitUntil(() => inTab(tab, () => window.replica !== undefined), { what: 'the app to mount' });
		await inTab(tab, () => window.replica!.query('SELECT 1').then(() => null));
		tabs.push(tab);
		return tab;
	};
	const closeTab = async (tab: CdpPage) => {
		tabs.splice(tabs.indexOf(tab), 1);
		await tab.close();
	};
	return { server, tabs, openTab, closeTab, close: async () => (await browser.close(), await server.stop()) };
}

/** A session cookie and a display name for the browser, as the tests' API user has, so no name prompt shows. */
async function signInBrowser(browser: CdpBrowser, server: TestServer) {
	const tab = await browser.openPage(`${server.url}/api/session`);
	await waitUntil(() => inTab(tab, () => document.readyState === 'complete' && location.pathname === '/api/session'), {
		what: 'the session to be issued'
	});
	const status = await inTab(tab, async () => {
		const id = crypto.randomUUID();
		const body = JSON.stringify({ id, name: 'set_display_name', args: { name: 'Bench' } });
		const response = await fetch('/api/commands', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body
		});
		return response.status;
	});
	if (status !== 200) throw new Error(`bench: sign-in failed: ${status}`);
	await tab.close();
}

const roleOf = (tab: CdpPage) => inTab(tab, () => window.replica!.role());

async function activeAndFollowers(session: Session): Promise<[CdpPage, CdpPage[]]> {
	for (;;) {
		const tabs = [...session.tabs];
		const roles = await Promise.all(tabs.map(roleOf));
		const active = tabs.filter((_, i) => roles[i] === 'active');
		if (active.length === 1) return [active[0], tabs.filter((tab) => tab !== active[0])];
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** How long the tabs stay open before a failover, unless it follows the opening of a tab at once. */
const SETTLED_MS = 1000;

/**
 * P2: `page.close()` of the active tab → a follower's next read answered by the new leader. Each run closes the
 * active tab and opens another; `settled` runs wait SETTLED_MS after that opening (a person closes a tab that has
 * been open a while), the others close the next leader right after it, while the new tab still starts up (its page,
 * sqlite-wasm, its standby's warm-up) on the same two cores.
 */
async function failoverBench(session: Session, settled: boolean): Promise<BenchRow[]> {
	const when = settled ? `tabs open ≥ ${SETTLED_MS / 1000} s` : 'a tab opened just before';
	progress(`P2: ${FAILOVER_RUNS} failovers with ${TABS} tabs, ${when}`);
	while (session.tabs.length < TABS) await session.openTab();
	const times: number[] = [];
	let failedReads = 0;
	for (let run = 0; run < FAILOVER_RUNS; run++) {
		if (settled) await new Promise((resolve) => setTimeout(resolve, SETTLED_MS));
		const [leader, [follower]] = await activeAndFollowers(session);
		const leaderId = await inTab(leader, () => window.replica!.tabId);
		// Reads back to back until one is answered under another leader; errors are counted, not retried away.
		const answered = inTab(
			follower,
			async (oldLeader: string) => {
				let failed = 0;
				for (;;) {
					try {
						const status = await window.replica!.status();
						if (status.activeTabId !== oldLeader) return { at: Date.now(), failed };
					} catch {
						failed++;
					}
				}
			},
			leaderId
		);
		const closedAt = Date.now();
		await session.closeTab(leader);
		const { at, failed } = await answered;
		times.push(at - closedAt);
		failedReads += failed;
		await session.openTab();
	}
	return [
		{
			area: 'P2',
			name: `failover: close active tab → follower's next read answered (${TABS} tabs, ${when})`,
			unit: 'ms',
			...summarise(times)
		},
		{ area: 'P2', name: `failover: worst of the runs (${when})`, unit: 'ms', p50: Math.max(...times) },
		{ area: 'P2', name: `failover: failed reads in ${FAILOVER_RUNS} runs (${when})`, unit: 'reads', p50: failedReads }
	];
}

/** A follower's `SELECT 1` through its direct port to the active DB worker. */
async function roundTripBench(session: Session): Promise<BenchRow[]> {
	progress(`cross-tab query round trip, ${ROUND_TRIPS} reads`);
	const [leader, [follower]] = await activeAndFollowers(session);
	const measure = (tab: CdpPage) =>
		inTab(
			tab,
			async (count: number) => {
				const times: number[] = [];
				for (let i = 0; i < count; i++) {
					const started = performance.now();
					await window.replica!.query('SELECT 1');
					times.push(performance.now() - started);
				}
				return times;
			},
			ROUND_TRIPS
		);
	return [
		{
			area: 'query',
			name: 'round trip: follower tab → active DB worker → back',
			unit: 'ms',
			...summarise(await measure(follower))
		},
		{
			area: 'query',
			name: 'round trip: active tab → its own DB worker → back',
			unit: 'ms',
			...summarise(await measure(leader))
		}
	];
}

/**
 * Records, in every tab, when each message body first appears in the DOM (wall clock, shared by all tabs). seenAt()
 * waits on the same observer rather than polling the page on every animation frame, which kept three renderers
 * busy on the two cores being measured (P3: the other tab's handling of the new row started ~16 → ~8 ms after
 * the commit at p95).
 */
async function watchDom(tab: CdpPage) {
	await inTab(tab, () => {
		const dom: BenchDom = { seen: {}, waiting: {} };
		(window as unknown as { benchDom: BenchDom }).benchDom = dom;
		new MutationObserver(() => {
			for (const body of document.querySelectorAll('[data-testid="message"] .body')) {
				// The body's own text, without the "Sending…" or "(edited)" tags that follow it.
				const text = body.firstChild?.textContent ?? '';
				if (!text.startsWith('bench-') || text in dom.seen) continue;
				dom.seen[text] = Date.now();
				dom.waiting[text]?.(dom.seen[text]);
			}
		}).observe(document.body, { childList: true, subtree: true, characterData: true });
	});
}

interface BenchDom {
	seen: Record<string, number>;
	waiting: Record<string, (at: number) => void>;
}

const seenAt = (tab: CdpPage, marker: string): Promise<number> =>
	inTab(
		tab,
		(m: string) =>
			new Promise<number>((resolve) => {
				const dom = (window as unknown as { benchDom: BenchDom }).benchDom;
				if (m in dom.seen) resolve(dom.seen[m]);
				else dom.waiting[m] = resolve;
			}),
		marker
	);

const liveStats = async (tab: CdpPage) => (await inTab(tab, () => window.replica!.status())).liveQueries;

/** Sends timed for P3; more than P4's runs, since its goal is a p95 and a few slow sends decide that. */
const LOCAL_WRITE_RUNS = 60;
/** Sends before those, not timed: the first one after opening the tabs is reported on its own row. */
const WARM_UP_SENDS = 3;

/**
 * P3: a message written in the active tab → its optimistic row in the DOM of another tab, 50 live queries. Timed
 * from send() (the command made durable in the outbox first), and from the commit of the optimistic row in the
 * active DB worker (the refresh that follows it, reported by status()), which is what the goal names. (Not to the
 * next frame: Chromium throttles animation frames in the tabs that are not in front, ~30 ms at p50 here.) The
 * tabs settle SETTLED_MS first, and the first WARM_UP_SENDS are not in the p50/p95: right after the tabs open, a
 * new tab's page and its standby DB worker are still starting up on the same two cores (without the wait, the
 * first send took 190–280 ms in three runs, the next ones 2–25 ms); the first one has a row of its own.
 */
async function localWriteBench(session: Session): Promise<BenchRow[]> {
	progress(`P3: ${WARM_UP_SENDS} + ${LOCAL_WRITE_RUNS} local writes with 50 live queries subscribed`);
	const [leader, followers] = await activeAndFollowers(session);
	const other = followers[0];
	await Promise.all(session.tabs.map(watchDom));
	// The open tabs already subscribe their UI; the other tab adds the rest, each reading one channel's count.
	const uiQueries = (await liveStats(leader)).subscriptions;
	await inTab(
		other,
		(extra: number) => {
			for (let i = 0; i < extra; i++) {
				window.replica!.subscribe(
					'SELECT count(*) AS n FROM timeline_items WHERE channel_id = ?',
					[`bench-${i}`],
					() => {}
				);
			}
		},
		Math.max(0, 50 - uiQueries)
	);
	await new Promise((resolve) => setTimeout(resolve, SETTLED_MS));
	const sendOne = async (run: number) => {
		const marker = `bench-local-${run}`;
		const before = await liveStats(leader);
		const sentAt = await inTab(
			leader,
			async (body: string) => {
				const id = crypto.randomUUID();
				const at = Date.now();
				await window.replica!.send({ id, name: 'send_message', args: { messageId: id, channelId: 'general', body } });
				return at;
			},
			marker
		);
		const shownAt = await seenAt(other, marker);
		await seenAt(leader, marker);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const after = await liveStats(leader);
		const commit = after.recentRefreshes.find((refresh) => refresh.at >= sentAt);
		if (!commit) throw new Error('bench: P3 found no refresh after the send in status().liveQueries');
		return {
			fromSend: shownAt - sentAt,
			fromCommit: shownAt - commit.at,
			rerunAtCommit: commit.reran,
			postedAtCommit: commit.posted,
			refreshMs: commit.ms,
			reruns: after.reruns - before.reruns,
			posted: after.messagesPosted - before.messagesPosted
		};
	};
	const first = await sendOne(0);
	for (let run = 1; run < WARM_UP_SENDS; run++) await sendOne(run);
	const sends: (typeof first)[] = [];
	for (let run = WARM_UP_SENDS; run < WARM_UP_SENDS + LOCAL_WRITE_RUNS; run++) sends.push(await sendOne(run));
	const subscriptions = (await liveStats(leader)).subscriptions;
	const row = (name: string, unit: string, pick: (send: typeof first) => number): BenchRow => ({
		area: 'P3',
		name,
		unit,
		...summarise(sends.map(pick))
	});
	return [
		row(
			`commit in the active worker → DOM updated in another tab (${subscriptions} live queries)`,
			'ms',
			(send) => send.fromCommit
		),
		{
			area: 'P3',
			name: `the same for the first send, ${SETTLED_MS / 1000} s after the tabs opened`,
			unit: 'ms',
			p50: first.fromCommit
		},
		row('send() → DOM updated in another tab (outbox write, then the commit)', 'ms', (send) => send.fromSend),
		row('live queries re-run by that commit', 'queries', (send) => send.rerunAtCommit),
		row('that refresh in the active DB worker (re-runs and posts)', 'ms', (send) => send.refreshMs),
		row('live-query messages posted after that commit', 'messages', (send) => send.postedAtCommit),
		row(
			'live queries re-run per sent message (optimistic row, then its confirmation)',
			'queries',
			(send) => send.reruns
		),
		row('live-query messages posted per sent message', 'messages', (send) => send.posted)
	];
}

/** P4: another person's command accepted by the server → visible in every open tab. */
async function remoteCommandBench(session: Session): Promise<BenchRow[]> {
	progress(`P4: ${REMOTE_COMMAND_RUNS} commands from another person`);
	const tabs = session.tabs;
	await Promise.all(tabs.map(watchDom));
	const api = await request.newContext();
	await signIn(api, session.server);
	const times: number[] = [];
	for (let run = 0; run < REMOTE_COMMAND_RUNS; run++) {
		const marker = `bench-remote-${run}`;
		const messageId = crypto.randomUUID();
		const response = await api.post(`${session.server.url}/api/commands`, {
			headers: { origin: session.server.url },
			data: { id: crypto.randomUUID(), name: 'send_message', args: { messageId, channelId: 'general', body: marker } }
		});
		const acceptedAt = Date.now();
		if (!response.ok()) throw new Error(`bench: P4 command rejected: ${await response.text()}`);
		const shown = await Promise.all(tabs.map((tab) => seenAt(tab, marker)));
		times.push(Math.max(...shown) - acceptedAt);
	}
	await api.dispose();
	return [
		{
			area: 'P4',
			name: `command accepted → visible in every open tab (${tabs.length} tabs)`,
			unit: 'ms',
			...summarise(times)
		}
	];
}

export async function multiTabBench(): Promise<BenchRow[]> {
	const rows: BenchRow[] = [];
	const failover = await openSession();
	try {
		rows.push(
			...(await failoverBench(failover, true)),
			...(await failoverBench(failover, false)),
			...(await roundTripBench(failover))
		);
	} finally {
		await failover.close();
	}
	const latency = await openSession();
	try {
		for (let i = 0; i < TABS; i++) await latency.openTab();
		rows.push(...(await localWriteBench(latency)), ...(await remoteCommandBench(latency)));
	} finally {
		await latency.close();
	}
	return rows;
}
