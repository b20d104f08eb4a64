/**
 * P5: a new tab (no other tab of the app open) → the first timeline rows painted, with the backlog stored: the
 * render time of the frame that painted them, from navigation start. The remembered picture of the page
 * (first-paint.ts) is the page's first content, so its frame is the first contentful paint (when app.html marked
 * the picture in place before it); the app's own rows are timed by the Element Timing API (message bodies carry
 * `elementtiming`, which the picture's copies do not).
 *
 * The tabs are opened over raw CDP, in the same person's browser reopened without Playwright: Playwright attaches
 * DevTools to each page it opens before the page runs (every script context reported to it, a utility world of its
 * own, the page held until it is resumed), which made a static page's first paint ~40 ms later here (176 → 208 ms
 * at p50 on 2026-12-08) and is not what a person's browser does. It also keeps service workers from stopping.
 *
 * Its baseline is the browser's own floor for that picture: app.html with the same picture and stylesheet, served as
 * a static page by a server of the bench's (no service worker, no app), opened in a new tab of the same browser,
 * alternating with the app's opens so that both meet the same moments of a shared machine.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { launchChromium, type CdpBrowser } from '../tests/cdp/chromium.ts';
import { sleep, waitUntil } from '../tests/cdp/wait.ts';
import { FIRST_PAINT_KEY, type FirstPaint } from '../src/lib/client/ui/first-paint.ts';
import type { AppUnderTest } from './app-under-test.ts';
import { progress, summarise, type BenchRow } from './report.ts';

const COLD_OPENS = 12;
/** A cold open: the previous tab's page, workers and storage have wound down. */
const SETTLE_MS = 1000;
/** How often a tab is asked whether it has painted: rarely, since each question is a task on its main thread. */
const POLL_MS = 250;

/** Render times from navigation start, in ms: the picture's frame, and the frame of the app's own first rows. */
type Painted = Record<'picture' | 'app', number | undefined>;

/** `profile`: the browser profile that holds the replica (its browser closed); it is reopened here and closed again. */
export async function coldOpenBench(app: AppUnderTest, profile: string): Promise<BenchRow[]> {
	progress(`P5: ${COLD_OPENS} cold opens of the app, each followed by one of app.html and its picture alone`);
	const browser = await launchChromium({ userDataDir: profile });
	const channel = `${app.server.url}/c/general`;
	const firstRows: number[] = [];
	const appRows: number[] = [];
	const floorRows: number[] = [];
	let floor: StaticPicture | undefined;
	try {
		// The browser itself starts cold (its caches and the worker's registration are read from disk): not timed.
		await openAndClose(browser, channel, 'app');
		for (let run = 0; run < COLD_OPENS; run++) {
			const { painted, picture } = await openAndClose(browser, channel, 'app');
			firstRows.push(Math.min(painted.app!, painted.picture ?? Infinity));
			appRows.push(painted.app!);
			floor ??= await staticPicture(browser, app.server.url, picture);
			floorRows.push((await openAndClose(browser, floor.url, 'picture')).painted.picture!);
		}
	} finally {
		floor?.server.close();
		await browser.close();
	}
	const baseline = { name: 'app.html and its picture as a static page (this run)', value: summarise(floorRows).p50 };
	return [
		{ area: 'P5', name: 'new tab → first timeline rows painted', unit: 'ms', ...summarise(firstRows), baseline },
		{ area: 'P5', name: "new tab → the app's own rows painted (mounted)", unit: 'ms', ...summarise(appRows) },
		{
			area: 'P5',
			name: 'app.html and its picture as a static page: new tab → painted',
			unit: 'ms',
			...summarise(floorRows)
		}
	];
}

/** Opens `url` in a new tab until `paint` is known, then closes it and lets it wind down. */
async function openAndClose(browser: CdpBrowser, url: string, paint: keyof Painted) {
	const page = await browser.openPage(url);
	const painted = await waitUntil(
		() => page.evaluate<Painted | false>(`(${paintedSoFar})(${JSON.stringify(url)}, ${JSON.stringify(paint)})`),
		{ what: `the ${paint} of ${url} to be painted`, intervalMs: POLL_MS }
	);
	const picture = await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(FIRST_PAINT_KEY)})`);
	await page.close();
	await sleep(SETTLE_MS);
	return { painted, picture };
}

/** In the page: its paint times so far, or false until `awaited` is known (or while the tab is still blank). */
async function paintedSoFar(url: string, awaited: keyof Painted): Promise<Painted | false> {
	if (location.href !== url) return false;
	const contentful = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
	const pictured = performance.getEntriesByName('replica:picture')[0]?.startTime;
	// Element Timing entries are only read through an observer; a buffered one gets those already reported.
	const rows = await new Promise<number[]>((resolve) => {
		const times: number[] = [];
		const observer = new PerformanceObserver((list) => {
			for (const entry of list.getEntries() as (PerformanceEntry & { renderTime: number })[])
				times.push(entry.renderTime || entry.startTime);
		});
		observer.observe({ type: 'element', buffered: true });
		setTimeout(() => (observer.disconnect(), resolve(times)), 50);
	});
	const painted: Painted = {
		picture: pictured !== undefined && contentful !== undefined && pictured <= contentful ? contentful : undefined,
		app: rows.length ? Math.min(...rows) : undefined
	};
	return painted[awaited] !== undefined && painted;
}

interface StaticPicture {
	server: Server;
	url: string;
}

/**
 * app.html as the app serves it, less the app: the stylesheet the picture was taken with, and the picture in the
 * static origin's localStorage, so that app.html's own script paints it.
 */
async function staticPicture(browser: CdpBrowser, appUrl: string, picture: string | null): Promise<StaticPicture> {
	if (!picture) throw new Error('bench: the app kept no picture of /c/general (first-paint.ts)');
	const { path, styles } = JSON.parse(picture) as FirstPaint;
	const stylesheets = new Map<string, string>();
	for (const href of styles) stylesheets.set(href, await (await fetch(appUrl + href)).text());
	const head = styles.map((href) => `<link href="${href}" rel="stylesheet">`).join('\n');
	const html = readFileSync('src/app.html', 'utf8').replace('%sveltekit.head%', head).replace('%sveltekit.body%', '');
	const server = createServer((request, response) => {
		const url = request.url ?? '';
		const css = stylesheets.get(url);
		response.setHeader('content-type', css === undefined ? 'text/html' : 'text/css');
		response.statusCode = css !== undefined || url === path ? 200 : 404;
		response.end(css ?? (url === path ? html : ''));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	const url = `http://127.0.0.1:${port}${path}`;
	const setup = await browser.openPage(url);
	await waitUntil(() => setup.evaluate<boolean>(`location.href === ${JSON.stringify(url)}`), { what: url });
	await setup.evaluate(`localStorage.setItem(${JSON.stringify(FIRST_PAINT_KEY)}, ${JSON.stringify(picture)})`);
	await setup.close();
	return { server, url };
}
