/**
 * The hidden-tab scenario shared by the soak (tests/soak/soak.ts) and its short smoke test
 * (tests/ingest-hidden.spec.ts): the app open in a tab of a Chromium driven over raw CDP (no DevTools session on the
 * service worker, so Chrome stops it as it would for a user), that tab hidden behind another one, while another
 * person sends a message every few seconds. The lag is measured from the replica itself: every probe reads
 * `window.replica.status().appliedOffset` over CDP (Runtime.evaluate works on hidden pages), and a message's lag
 * is the time from the server's acknowledgement to the first probe that finds it applied.
 */
import type { TestServer } from '../server';
import type { CdpBrowser } from '../cdp/chromium';
import { sleep, waitUntil } from '../cdp/wait';
import { chatClient } from './chat-client';

export interface HiddenTailOptions {
	durationMs: number;
	sendEveryMs: number;
	probeEveryMs: number;
	log?: (line: string) => void;
}

export interface HiddenTailReport {
	appended: number;
	/** Messages the replica holds once the tab is shown again. */
	inReplica: number;
	/** The longest time a message waited to be applied while the tab was hidden (upper bound: + one probe). */
	maxLagMs: number;
	/** Probes that found the tab not hidden: must be 0, or the run proved nothing. */
	visibleProbes: number;
	probes: number;
}

export async function runHiddenTail(
	browser: CdpBrowser,
	server: TestServer,
	{ durationMs, sendEveryMs, probeEveryMs, log = () => {} }: HiddenTailOptions
): Promise<HiddenTailReport> {
	const app = await browser.openPage(`${server.url}/c/general`);
	await waitUntil(() => app.evaluate<boolean>('navigator.serviceWorker.controller !== null'), {
		what: 'the service worker to control the app'
	});
	// A returning visit: now the DB worker starts under the service worker, so its keepalive reaches it.
	await app.reload();
	await waitUntil(() => app.evaluate<boolean>(REPLICA_READY), { what: 'the replica to answer after the reload' });
	const cover = await browser.openPage('about:blank');
	await waitUntil(async () => (await app.visibilityState()) === 'hidden', { what: 'the app tab to be hidden' });

	const author = await chatClient(server.url, 'Author');
	const unapplied = new Map<number, number>(); // message count after the message → when it was acknowledged
	const report: HiddenTailReport = { appended: 0, inReplica: 0, maxLagMs: 0, visibleProbes: 0, probes: 0 };
	const settle = (appliedCount: number, now: number) => {
		for (const [count, acknowledgedAt] of unapplied) {
			if (count > appliedCount) continue;
			report.maxLagMs = Math.max(report.maxLagMs, now - acknowledgedAt);
			unapplied.delete(count);
		}
	};

	const end = Date.now() + durationMs;
	const sending = (async () => {
		for (let n = 0; Date.now() < end; n++) {
			const offset = await author.sendMessage('general', `soak ${n}`);
			unapplied.set(Number(offset), Date.now());
			report.appended++;
			await sleep(sendEveryMs);
		}
	})();
	const probing = (async () => {
		while (Date.now() < end) {
			const [visibility, appliedOffset] = await Promise.all([
				app.visibilityState(),
				app.evaluate<string>('window.replica.status().then((status) => status.appliedOffset)')
			]);
			settle(Number(appliedOffset), Date.now());
			report.probes++;
			if (visibility !== 'hidden') report.visibleProbes++;
			const oldest = Math.min(...unapplied.values());
			log(`${visibility}, applied ${appliedOffset}, waiting ${unapplied.size}, oldest ${lagOf(oldest)}`);
			await sleep(probeEveryMs);
		}
	})();
	await Promise.all([sending, probing]);

	await cover.close();
	await app.show();
	const last = Math.max(0, ...unapplied.keys());
	await waitUntil(
		async () => Number(await app.evaluate<string>('window.replica.status().then((s) => s.appliedOffset)')) >= last,
		{ what: 'the shown tab to apply every message', timeoutMs: 30_000 }
	);
	settle(last, Date.now());
	report.inReplica = await app.evaluate<number>(
		`window.replica.query("SELECT count(*) AS n FROM timeline_items WHERE body LIKE 'soak %' AND pending = 0")
			.then((rows) => rows[0].n)`
	);
	return report;
}

const REPLICA_READY = `window.replica !== undefined && window.replica.query('SELECT 1').then(() => true)`;

function lagOf(since: number): string {
	return Number.isFinite(since) ? `${((Date.now() - since) / 1000).toFixed(1)} s` : '-';
}
