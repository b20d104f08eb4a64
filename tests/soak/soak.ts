/**
 * Soak (`npm run soak`, outside the default test run): the app in a hidden tab of a Chromium with no DevTools
 * session on its service worker, for SOAK_MINUTES (default 10), while another person sends a message every 3 s.
 * Chrome stops an idle service worker after ~30 s and throttles a hidden tab's timers to once a minute, so this
 * shows whether the app's keepalive really keeps the live tail up. Prints the figures; exits 1 if a message is
 * missing, the tab was not hidden, or the tail lagged more than MAX_LAG_MS.
 */
import { launchChromium } from '../cdp/chromium';
import { startTestServer } from '../server';
import { runHiddenTail } from './hidden-tail';

/** "Never down for more than a few seconds": the keepalive period (5 s) plus a probe and a long-poll round trip. */
const MAX_LAG_MS = 8_000;

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
if (!(minutes > 0)) throw new Error(`SOAK_MINUTES: "${process.env.SOAK_MINUTES}" is not a positive number`);

const server = await startTestServer();
const browser = await launchChromium();
try {
	const started = Date.now();
	const log = (line: string) =>
		console.log(`[soak] ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s  ${line}`);
	const report = await runHiddenTail(browser, server, {
		durationMs: minutes * 60_000,
		sendEveryMs: 3_000,
		probeEveryMs: 1_000,
		log
	});
	console.log(JSON.stringify({ minutes, ...report, maxLagSeconds: report.maxLagMs / 1000 }, null, 2));
	const failures = [
		report.inReplica !== report.appended && `the replica holds ${report.inReplica} of ${report.appended} messages`,
		report.visibleProbes > 0 && `the tab was visible at ${report.visibleProbes} of ${report.probes} probes`,
		report.maxLagMs > MAX_LAG_MS && `the tail lagged ${report.maxLagMs} ms (limit ${MAX_LAG_MS})`
	].filter(Boolean);
	for (const failure of failures) console.error(`[soak] FAILED: ${failure}`);
	process.exitCode = failures.length > 0 ? 1 : 0;
} finally {
	await browser.close();
	await server.stop();
}
