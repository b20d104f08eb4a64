/**
 * Browser figures, in one server's lifetime (order matters: the raw page runs while the stream is still empty,
 * because the app's root layout starts a replica on every page, the bench page included):
 * raw sqlite-wasm vs the core in a worker → P1 through the real pipeline → P6 backlog, the app closed → timeline
 * query, size and memory at the resulting size → P6 backlog, the app open and offline → P5 cold open (cold-open.ts) → the replica
 * grown to 1M messages, and its query, size and memory.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { RANDOM_IDS, type BenchFigure, type BenchReport } from '../src/lib/bench/protocol.ts';
import { headCount, seedWhileStopped, signIn, waitForReplica, type AppUnderTest } from './app-under-test.ts';
import { progress, summarise, type BenchRow } from './report.ts';
import { coldOpenBench } from './cold-open.ts';
import { storedStateBench } from './stored-state.ts';

export const P1_MESSAGES = 30_000;
export const P6_BACKLOG = 100_000;
/** Stored messages for the memory figure: the replica must stay on OPFS, its page cache bounded. */
const MILLION = 1_000_000;
const CATCH_UP_TIMEOUT_MS = 240_000;
/** The goal's case is timed on several backlogs: one is a single sample of a figure the VM moves by ±30%. */
const RECONNECTS = 3;

/** ENVIRONMENT.md "Measured baselines": sqlite-wasm in Chromium, 100k 5-column rows, rows/s. */
const ENVIRONMENT_BASELINES: Record<string, number> = {
	'raw insert memory, one transaction': 50_000,
	'raw insert memory, 1000 per transaction': 55_000,
	'raw insert opfs, one transaction': 26_000,
	'raw insert opfs, 1000 per transaction': 12_000
};

async function runRawSqlitePage(context: BrowserContext, app: AppUnderTest, query = ''): Promise<BenchFigure[]> {
	const page = await context.newPage();
	await page.goto(`${app.server.url}/bench/raw-sqlite${query}`);
	await page.waitForFunction(() => window.replicaBench !== undefined, null, { timeout: 300_000 });
	const report = (await page.evaluate(() => window.replicaBench)) as BenchReport;
	await context.close();
	if (!report.figures) throw new Error(`bench: /bench/raw-sqlite failed: ${report.error}`);
	return report.figures;
}

/**
 * Rows of the /bench/raw-sqlite page on a profile on disk, then its OPFS figures in an incognito context (see
 * app-under-test.ts); also returns the raw OPFS rate, the baseline of the pipeline's P1 figure.
 */
export async function rawSqliteInBrowser(app: AppUnderTest): Promise<{ rows: BenchRow[]; rawOpfs: number }> {
	progress('P1 browser: raw sqlite-wasm and core applyBatch in a worker (/bench/raw-sqlite)');
	const figures = await runRawSqlitePage(await app.newContext(), app);
	progress('P1 browser: the same on OPFS in an incognito context');
	const incognito = await runRawSqlitePage(await app.newIncognitoContext(), app, '?storage=opfs');
	const rows = [...figureRows(figures, 'Chromium worker'), ...figureRows(incognito, 'incognito Chromium worker')];
	const rawOpfs = figures.find((figure) => figure.name === 'raw insert opfs, 1000 per transaction')?.value ?? 0;
	return { rows, rawOpfs };
}

function figureRows(figures: BenchFigure[], where: string): BenchRow[] {
	const byName = new Map(figures.map((figure) => [figure.name, figure.value]));
	return figures.map((figure): BenchRow => {
		const name = `${where}: ${figure.name}`;
		if (figure.unit === 'ms') return { area: 'query', name, unit: 'ms', p50: figure.value };
		if (figure.name.startsWith('raw')) {
			const baseline = { name: 'ENVIRONMENT.md', value: ENVIRONMENT_BASELINES[figure.name] };
			return { area: 'P1', name, unit: figure.unit, p50: figure.value, baseline };
		}
		// "core applyBatch opfs, 1000 per batch" is compared with "raw insert opfs, 1000 per transaction", and its
		// random-id twin with it.
		const rawName = figure.name.endsWith(RANDOM_IDS)
			? figure.name.slice(0, -RANDOM_IDS.length)
			: figure.name.replace('core applyBatch', 'raw insert').replace(/batch$/, 'transaction');
		const raw = byName.get(rawName);
		const baseline = raw === undefined ? undefined : { name: `${rawName} (this run)`, value: raw };
		return { area: 'P1', name, unit: figure.unit, p50: figure.value, baseline };
	});
}

interface CatchUp {
	events: number;
	/** From navigation until every event up to the head was in the inbox or applied. */
	fetchedSeconds: number;
	/** From navigation until the applied offset reached the head. */
	appliedSeconds: number;
	/** From navigation until the search index held them too (a catch-up indexes once it is applied). */
	searchableSeconds: number;
}

/** Opens the app and polls window.replica.status() until the applied offset reaches the server's head. */
async function timeCatchUp(
	context: BrowserContext,
	app: AppUnderTest,
	from: number
): Promise<{ page: Page } & CatchUp> {
	const head = await headCount(app.server);
	const page = await context.newPage();
	const started = performance.now();
	await page.goto(`${app.server.url}/c/general`);
	await waitForReplica(page);
	return { page, ...(await untilApplied(page, head, head - from, started)) };
}

/**
 * An open app whose network was off while the server's log grew: from the network's return until the applied
 * offset reaches the head.
 */
async function timeReconnect(page: Page, app: AppUnderTest, from: number): Promise<CatchUp> {
	const head = await headCount(app.server);
	const started = performance.now();
	await page.context().setOffline(false);
	return untilApplied(page, head, head - from, started);
}

async function untilApplied(page: Page, head: number, events: number, started: number): Promise<CatchUp> {
	const untilIndexed = async () => {
		const queued = async () =>
			(await page.evaluate(() => window.replica!.query('SELECT count(*) AS n FROM search_queue')))[0].n;
		while ((await queued()) !== 0) {
			if (performance.now() - started > CATCH_UP_TIMEOUT_MS) throw new Error('bench: the search index never caught up');
			await page.waitForTimeout(50);
		}
		return { searchableSeconds: (performance.now() - started) / 1000 };
	};
	let fetchedSeconds: number | undefined;
	while (performance.now() - started < CATCH_UP_TIMEOUT_MS) {
		const status = await page.evaluate(() => window.replica!.status());
		const applied = Number(status.appliedOffset);
		const seconds = (performance.now() - started) / 1000;
		if (fetchedSeconds === undefined && applied + status.inboxPending >= head) fetchedSeconds = seconds;
		if (applied >= head) {
			return { events, fetchedSeconds: fetchedSeconds ?? seconds, appliedSeconds: seconds, ...(await untilIndexed()) };
		}
		await page.waitForTimeout(100);
	}
	throw new Error(`bench: the replica did not reach the head ${head} within ${CATCH_UP_TIMEOUT_MS / 1000} s`);
}

export async function pipelineBench(app: AppUnderTest, rawOpfs: number): Promise<BenchRow[]> {
	progress(`P1 pipeline: seeding ${P1_MESSAGES} messages, then a fresh browser catches up`);
	await seedWhileStopped(app.server, P1_MESSAGES);
	const context = await app.newContext();
	await signIn(context.request, app.server);
	const first = await timeCatchUp(context, app, 0);
	const rows: BenchRow[] = [
		{
			area: 'P1',
			name: `pipeline catch-up of ${first.events} events: events/s`,
			unit: 'events/s',
			p50: first.events / first.appliedSeconds,
			baseline: { name: 'raw sqlite-wasm OPFS 1000/tx (this run)', value: rawOpfs }
		},
		{
			area: 'P1',
			name: `pipeline: navigation → all ${first.events} events fetched`,
			unit: 's',
			p50: first.fetchedSeconds
		},
		{
			area: 'P1',
			name: `pipeline: navigation → all ${first.events} events applied`,
			unit: 's',
			p50: first.appliedSeconds
		}
	];
	await first.page.close();

	progress(`P6: seeding a ${P6_BACKLOG} backlog while the app is closed, then reopening`);
	const before = await headCount(app.server);
	await seedWhileStopped(app.server, P6_BACKLOG);
	const backlog = await timeCatchUp(context, app, before);
	rows.push(
		{
			area: 'P6',
			name: `backlog of ${backlog.events} events, the app closed: navigation → applied`,
			unit: 's',
			p50: backlog.appliedSeconds
		},
		{ area: 'P6', name: 'backlog: navigation → all fetched', unit: 's', p50: backlog.fetchedSeconds },
		{ area: 'P6', name: 'backlog: navigation → all searchable', unit: 's', p50: backlog.searchableSeconds },
		{ area: 'P6', name: 'backlog apply rate', unit: 'events/s', p50: backlog.events / backlog.appliedSeconds }
	);
	rows.push(...(await storedStateBench(backlog.page, app)));

	progress(`P6: ${RECONNECTS} backlogs of ${P6_BACKLOG} while the open app is offline, then back online`);
	const reconnects: CatchUp[] = [];
	for (let round = 0; round < RECONNECTS; round++) {
		const offlineFrom = await headCount(app.server);
		await context.setOffline(true);
		await seedWhileStopped(app.server, P6_BACKLOG);
		reconnects.push(await timeReconnect(backlog.page, app, offlineFrom));
	}
	const ofReconnects = (seconds: (catchUp: CatchUp) => number) => summarise(reconnects.map(seconds));
	rows.push(
		{
			area: 'P6',
			name: `backlog of ${reconnects[0].events} events, the app open: back online → applied (${RECONNECTS} backlogs)`,
			unit: 's',
			...ofReconnects((catchUp) => catchUp.appliedSeconds)
		},
		{
			area: 'P6',
			name: 'that backlog: back online → all fetched',
			unit: 's',
			...ofReconnects((catchUp) => catchUp.fetchedSeconds)
		},
		{
			area: 'P6',
			name: 'that backlog: back online → all searchable',
			unit: 's',
			...ofReconnects((catchUp) => catchUp.searchableSeconds)
		}
	);
	await backlog.page.close();
	// P5 reopens the same person's browser without Playwright (cold-open.ts says why), then Playwright reopens it.
	const profile = app.profileOf(context);
	await context.close();
	rows.push(...(await coldOpenBench(app, profile)));
	const reopened = await app.newContext(profile);

	progress(`memory: growing the replica to ${MILLION.toLocaleString('en')} messages`);
	const grown = await headCount(app.server);
	await seedWhileStopped(app.server, MILLION - grown);
	const million = await timeCatchUp(reopened, app, grown);
	rows.push(
		{ area: 'P6', name: `catch-up of ${million.events} events → applied`, unit: 's', p50: million.appliedSeconds },
		...(await storedStateBench(million.page, app))
	);
	await reopened.close();
	return rows;
}
