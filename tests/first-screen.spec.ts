/**
 * A cold start paints the channel's newest messages before the replica is up: the remembered first screen. The
 * race reproduced: the page renders while sqlite-wasm is still loading (here: never, its worker is stubbed out).
 */
import { expect, messages, sendMessage, test, stubOutDbWorker } from './fixtures';

test('the last viewed channel is painted from the remembered first screen before the replica answers', async ({
	openTab,
	context,
	server
}) => {
	const page = await openTab();
	await sendMessage(page, 'remembered');
	await expect(messages(page).filter({ hasText: 'remembered' })).toHaveCount(1);
	await expect
		.poll(() => page.evaluate(() => localStorage.getItem('replica:first-screen') ?? ''))
		.toContain('remembered');
	await page.close();

	const cold = await context.newPage();
	await stubOutDbWorker(cold);
	await cold.goto(`${server.url}/c/general`);
	await expect(messages(cold).filter({ hasText: 'remembered' })).toHaveCount(1);
	expect(await cold.evaluate(() => window.replica!.role())).toBe('follower');
});

/** What app.html painted, read when the picture is inserted (before the app exists). */
interface Painted {
	rows: string[];
	toolbars: number;
	dialogs: number;
	lastInView: boolean;
}

test('the picture is what was on screen: rows beyond the view and hover toolbars are left out', async ({
	openTab,
	apiUser,
	context,
	server
}) => {
	await (await apiUser('Bea')).sendMessages(40, 'general', 'pictured');
	const page = await openTab();
	await expect(messages(page).filter({ hasText: 'pictured 39' })).toBeInViewport();
	const shown = await page.getByRole('log').evaluate(async (log) => {
		await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
		const area = log.getBoundingClientRect();
		const rows = [...log.querySelectorAll<HTMLElement>('[data-message-id]')];
		const inView = rows.filter((row) => {
			const box = row.getBoundingClientRect();
			return box.bottom > area.top && box.top < area.bottom;
		});
		return { rendered: rows.length, inView: inView.map((row) => row.dataset.messageId!) };
	});
	// Otherwise there would be nothing to leave out: the list renders a few rows beyond the view, each with a toolbar.
	expect(shown.rendered).toBeGreaterThan(shown.inView.length);
	expect(await page.getByRole('toolbar', { name: 'Message actions' }).count()).toBe(shown.rendered);
	await page.close();

	const cold = await context.newPage();
	await cold.addInitScript(() => {
		new MutationObserver((_, observer) => {
			const picture = document.getElementById('first-paint');
			if (!picture?.querySelector('[data-message-id]')) return;
			observer.disconnect();
			const rows = [...picture.querySelectorAll<HTMLElement>('[data-message-id]')];
			const last = rows.at(-1)!.getBoundingClientRect();
			const area = picture.querySelector('[role="log"]')!.getBoundingClientRect();
			const painted: Painted = {
				rows: rows.map((row) => row.dataset.messageId!),
				toolbars: picture.querySelectorAll('[role="toolbar"]').length,
				dialogs: picture.querySelectorAll('dialog').length,
				lastInView: last.top >= area.top && last.bottom <= area.bottom + 1
			};
			Object.assign(window, { painted });
		}).observe(document, { childList: true, subtree: true });
	});
	await cold.goto(`${server.url}/c/general`);
	const painted = (await cold
		.waitForFunction(() => (window as unknown as { painted?: Painted }).painted)
		.then((handle) => handle.jsonValue())) as Painted;
	expect(painted).toEqual({ rows: shown.inView, toolbars: 0, dialogs: 0, lastInView: true });
});

test.describe('the remembered picture', () => {
	// The app's code is held back by routing it, which a service worker would answer first.
	test.use({ serviceWorkers: 'block' });

	/**
	 * The race reproduced: the app's JavaScript has not arrived yet (held here until the checks are done), and the
	 * page still shows the channel as it was left, as an inert picture that the app replaces when it mounts.
	 */
	test('a reopened channel is painted before the app code loads, then replaced by the app', async ({
		openTab,
		context,
		server
	}) => {
		const page = await openTab();
		await sendMessage(page, 'pictured');
		await expect(messages(page).filter({ hasText: 'pictured' })).toHaveCount(1);
		await page.close();

		const cold = await context.newPage();
		let release = () => {};
		const released = new Promise<void>((resolve) => (release = resolve));
		await cold.route('**/_app/immutable/bundle.*.js', async (route) => {
			await released;
			await route.continue();
		});
		await cold.goto(`${server.url}/c/general`, { waitUntil: 'commit' });
		const picture = cold.locator('#first-paint');
		await expect(picture.getByText('pictured')).toBeVisible();
		await expect(picture).toHaveAttribute('inert');
		await expect(picture).toHaveAttribute('aria-hidden', 'true');
		await expect(messages(cold)).toHaveCount(0);
		// Only the app's own rows are timed by Element Timing; the picture's place is a User Timing mark (bench P5).
		await expect(picture.locator('[elementtiming]')).toHaveCount(0);
		await expect(picture.locator('[data-first-paint-elementtiming="message"]').first()).toBeAttached();
		expect(await cold.evaluate(() => performance.getEntriesByName('replica:picture').length)).toBe(1);

		release();
		await expect(messages(cold).filter({ hasText: 'pictured' })).toHaveCount(1);
		await expect(picture).toHaveCount(0);
	});
});
