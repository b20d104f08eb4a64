/**
 * P5: a new tab (no other tab of the app open) → the first timeline rows painted, with the backlog stored: the
 * render time of the frame that painted them, from navigation start. The remembered picture of the page
 * (first-paint.ts) is the page's first content, so its frame is the first contentful paint (when the picture had
 * rows by then); the app's own rows are timed by the Element Timing API (message bodies carry `elementtiming`).
 *
 * Its baseline is the browser's own floor for that picture: app.html with the same picture and stylesheet, served as
 * a static page by a server of the bench's (no service worker, no app), opened in a new tab of the same browser,
 * alternating with the app's opens so that both meet the same moments of a shared machine.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { FIRST_PAINT_KEY, type FirstPaint } from '../src/lib/client/ui/first-paint.ts';
import type { AppUnderTest } from './app-under-test.ts';
import { progress, summarise, type BenchRow } from './report.ts';

const COLD_OPENS = 12;
/** A cold open: the previous tab's page, workers and storage have wound down. */
const SETTLE_MS = 1000;

type Painted = Record<'app' | 'picture' | 'pictureInserted', number | undefined>;

export async function coldOpenBench(context: BrowserContext, app: AppUnderTest): Promise<BenchRow[]> {
	progress(`P5: ${COLD_OPENS} cold opens of the app, each followed by one of app.html and its picture alone`);
	await context.addInitScript(watchFirstRows);
	const channel = `${app.server.url}/c/general`;
	/** Opens `url` in a new tab until `window.painted[paint]` is known, then closes it and lets it wind down. */
	const open = async (url: string, paint: 'app' | 'picture') => {
		const page = await context.newPage();
		await page.goto(url);
		const painted = (await page
			.waitForFunction((paint) => {
				const { painted } = window as unknown as { painted: Painted };
				return (painted[paint] ?? 0) > 0 && painted;
			}, paint)
			.then((handle) => handle.jsonValue())) as Painted;
		const picture = await page.evaluate((key) => localStorage.getItem(key), FIRST_PAINT_KEY);
		await page.close();
		await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
		return { painted, picture };
	};

	const firstRows: number[] = [];
	const appRows: number[] = [];
	const floorRows: number[] = [];
	let floor: StaticPicture | undefined;
	try {
		for (let run = 0; run < COLD_OPENS; run++) {
			const { painted, picture } = await open(channel, 'app');
			firstRows.push(Math.min(painted.app!, painted.picture ?? Infinity));
			appRows.push(painted.app!);
			floor ??= await staticPicture(context, app, picture);
			const alone = await open(floor.url, 'picture');
			floorRows.push(alone.painted.picture!);
		}
	} finally {
		floor?.server.close();
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

/** In each page of the context: when the picture, then the app's own rows, were painted (`window.painted`). */
function watchFirstRows() {
	const painted: Painted = ((window as unknown as { painted: Painted }).painted = {
		app: undefined,
		picture: undefined,
		pictureInserted: undefined
	});
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries() as (PerformanceEntry & { renderTime: number; element: Element | null })[]) {
			// Chromium reports some of the picture's copies too; the picture is removed when the app mounts.
			const inApp = entry.element?.isConnected && !entry.element.closest('#first-paint');
			if (inApp) painted.app ??= entry.renderTime || entry.startTime;
		}
	}).observe({ type: 'element', buffered: true });
	// The picture is the page's first content: app.html paints it before the app exists, in one script.
	new PerformanceObserver((list) => {
		const contentful = list.getEntriesByName('first-contentful-paint')[0];
		const inserted = painted.pictureInserted;
		if (contentful && inserted !== undefined && inserted <= contentful.startTime)
			painted.picture = contentful.startTime;
	}).observe({ type: 'paint', buffered: true });
	new MutationObserver(() => {
		if (document.querySelector('#first-paint [data-message-id]')) painted.pictureInserted ??= performance.now();
	}).observe(document, { childList: true, subtree: true });
}

interface StaticPicture {
	server: Server;
	url: string;
}

/**
 * app.html as the app serves it, less the app: the stylesheet the picture was taken with, and the picture in the
 * static origin's localStorage, so that app.html's own script paints it.
 */
async function staticPicture(
	context: BrowserContext,
	app: AppUnderTest,
	picture: string | null
): Promise<StaticPicture> {
	if (!picture) throw new Error('bench: the app kept no picture of /c/general (first-paint.ts)');
	const { path, styles } = JSON.parse(picture) as FirstPaint;
	const stylesheets = new Map<string, string>();
	for (const href of styles) stylesheets.set(href, await (await fetch(app.server.url + href)).text());
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
	const setup = await context.newPage();
	await setup.goto(url);
	await setup.evaluate(([key, picture]) => localStorage.setItem(key, picture), [FIRST_PAINT_KEY, picture]);
	await setup.close();
	return { server, url };
}
