/**
 * Many tabs, one writer. Each test reproduces a way the active tab (the one whose DB worker has the SQLite file
 * open) disappears or stops answering while other tabs depend on it, and checks that no read is lost, no message
 * is lost or doubled, and exactly one tab ends up active.
 */
import type { Page } from '@playwright/test';
import { expect, messages, sendMessage, test, timelineBodies, waitForReplica } from './fixtures';

/** Runs `count` reads (and a send every tenth) in the page; resolves with how many were answered and the errors. */
function readAndSend(page: Page, count: number, label: string) {
	return page.evaluate(
		async ({ count, label }) => {
			const errors: string[] = [];
			let answered = 0;
			for (let i = 0; i < count; i++) {
				try {
					await window.replica!.query('SELECT count(*) AS n FROM timeline_items');
					answered++;
				} catch (error) {
					errors.push(String(error));
				}
				if (i % 10 === 0) {
					const id = crypto.randomUUID();
					await window.replica!.send({
						id,
						name: 'send_message',
						args: { messageId: id, channelId: 'general', body: `${label} ${i / 10}` }
					});
				}
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			return { answered, errors };
		},
		{ count, label }
	);
}

/** Any open tab of the same browser other than `tab`. */
function anotherTab(tab: Page): Page {
	return tab
		.context()
		.pages()
		.find((page) => page !== tab)!;
}

async function serverBodies(url: string): Promise<string[]> {
	const events = (await (await fetch(`${url}/v1/stream/chat?offset=-1`)).json()) as {
		type: string;
		value?: { body?: string };
	}[];
	return events.filter((event) => event.type === 'message').map((event) => String(event.value?.body));
}

test('closing the active tab while a follower reads and sends: every read answered, every message once', async ({
	openTab,
	activeTab,
	server
}) => {
	await openTab();
	await openTab();
	await openTab();
	const leader = await activeTab();
	const follower = anotherTab(leader);

	const run = readAndSend(follower, 200, 'during failover');
	await follower.waitForTimeout(150);
	await leader.close();
	const { answered, errors } = await run;

	expect(errors).toEqual([]);
	expect(answered).toBe(200);
	const expected = Array.from({ length: 20 }, (_, i) => `during failover ${i}`);
	await expect.poll(() => timelineBodies(follower)).toEqual(expected);
	expect(await serverBodies(server.url)).toEqual(expected);
	expect(await activeTab()).not.toBe(leader);
});

test('reloading the active tab keeps every message and every tab readable', async ({ openTab, activeTab }) => {
	await openTab();
	await openTab();
	const leader = await activeTab();
	await sendMessage(leader, 'before reload');
	await leader.reload();
	await waitForReplica(leader);
	const active = await activeTab();
	for (const tab of active.context().pages()) await expect.poll(() => timelineBodies(tab)).toEqual(['before reload']);
	await sendMessage(leader, 'after reload');
	await expect(messages(active).filter({ hasText: 'after reload' })).toHaveCount(1);
});

/** Races that must end the same way whichever election runs: the coordinator, or the tabs among themselves. */
function specsForEitherElection() {
	/** Failover after failover, with tabs opening meanwhile: each new leader must have every message. */
	test('closing tabs in a random order 20 times always leaves one active tab that has every message', async ({
		openTab,
		activeTab,
		context
	}) => {
		// 20 failovers and 20 tabs opened: ~30 s alone, twice that beside another test on two cores.
		test.setTimeout(150_000);
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let i = 0; i < 3; i++) await openTab();
		const sent: string[] = [];
		for (let round = 0; round < 20; round++) {
			const tabs = context.pages();
			await tabs[Math.floor(random() * tabs.length)].close();
			await openTab();
			const active = await activeTab();
			sent.push(`round ${round}`);
			await sendMessage(active, `round ${round}`);
			for (const tab of context.pages()) await expect.poll(() => timelineBodies(tab)).toEqual(sent);
		}
	});

	/** The startup race: both tabs see no leader and both try to become it (a known LiveStore race). */
	test('two tabs booting at the same instant elect exactly one leader', async ({ context, server, activeTab }) => {
		const [a, b] = await Promise.all([context.newPage(), context.newPage()]);
		await Promise.all([a.goto(`${server.url}/c/general`), b.goto(`${server.url}/c/general`)]);
		await Promise.all([waitForReplica(a), waitForReplica(b)]);
		await activeTab();
		const roles = await Promise.all([a, b].map((page) => page.evaluate(() => window.replica!.role())));
		expect(roles.sort()).toEqual(['active', 'follower']);
		const activeIds = await Promise.all(
			[a, b].map((page) => page.evaluate(async () => (await window.replica!.status()).activeTabId))
		);
		expect(activeIds[0]).toBe(activeIds[1]);
	});

	/** A leader whose DB worker spins forever still holds the lock and the file: it must be fenced, not waited for. */
	test('a hung leader is detected, fenced, and another tab takes over', async ({ openTab, activeTab }) => {
		await openTab();
		await openTab();
		const leader = await activeTab();
		const follower = anotherTab(leader);
		const dbWorker = leader.workers().find((worker) => worker.url().includes('db.worker'));
		expect(dbWorker, 'the active tab runs a DB worker').toBeDefined();

		// Started from a timer, not inside the evaluation, so that the spin is the worker's own (DevTools would
		// otherwise hold the worker until its evaluation returns, which a real hang does not do).
		await dbWorker!.evaluate(() => {
			setTimeout(() => {
				for (;;);
			});
		});
		const rows = await follower.evaluate(() => window.replica!.query('SELECT count(*) AS n FROM channels'));
		expect(Number(rows[0].n)).toBeGreaterThan(0);
		await expect.poll(() => follower.evaluate(() => window.replica!.role())).toBe('active');
		await expect.poll(() => leader.evaluate(() => window.replica!.role())).toBe('follower');
		await sendMessage(follower, 'after the hang');
		await expect.poll(() => timelineBodies(leader)).toEqual(['after the hang']);
	});
}

specsForEitherElection();

test.describe('without SharedWorker (older Android Chrome)', () => {
	test.beforeEach(async ({ context }) => {
		await context.addInitScript(() => Object.defineProperty(window, 'SharedWorker', { value: undefined }));
	});

	test('tabs elect among themselves, share messages, and fail over', async ({ openTab, activeTab }) => {
		const a = await openTab();
		const b = await openTab();
		expect(await a.evaluate(() => typeof SharedWorker)).toBe('undefined');
		await sendMessage(a, 'no shared worker');
		await expect(messages(b).filter({ hasText: 'no shared worker' })).toHaveCount(1);

		const leader = await activeTab();
		const follower = leader === a ? b : a;
		const run = readAndSend(follower, 100, 'fallback');
		await follower.waitForTimeout(100);
		await leader.close();
		const { answered, errors } = await run;
		expect(errors).toEqual([]);
		expect(answered).toBe(100);
		await expect.poll(() => follower.evaluate(() => window.replica!.role())).toBe('active');
		await expect
			.poll(() => timelineBodies(follower))
			.toEqual(['no shared worker', ...Array.from({ length: 10 }, (_, i) => `fallback ${i}`)]);
	});

	specsForEitherElection();

	/**
	 * Here the leader's page relays every other tab's requests, so a page that hangs (its worker alive) must be
	 * fenced too: a follower steals the lock, and the live worker closes the file when it sees the steal.
	 */
	test('a leader whose page hangs is fenced, and another tab takes over', async ({ openTab, activeTab }) => {
		await openTab();
		await openTab();
		const leader = await activeTab();
		const follower = anotherTab(leader);
		await leader.evaluate(() => {
			setTimeout(() => {
				for (;;);
			});
		});
		const rows = await follower.evaluate(() => window.replica!.query('SELECT count(*) AS n FROM channels'));
		expect(Number(rows[0].n)).toBeGreaterThan(0);
		expect(await follower.evaluate(() => window.replica!.role())).toBe('active');
		await sendMessage(follower, 'after the hang');
		await expect.poll(() => timelineBodies(follower)).toEqual(['after the hang']);
	});
});
