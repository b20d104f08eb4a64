/**
 * The timeline is a virtual list over a long channel: only the rows in view (plus a few) are in the DOM, rows of
 * different heights (several lines, reactions, edited) are measured as they render, scrolling up loads older pages
 * without moving what the reader looks at, new messages are followed at the bottom, and a search result far back in
 * the channel is scrolled to, highlighted and focused. Focus and an edit in progress survive being scrolled away.
 * Screenshots of the top, middle and bottom go to /tmp.
 */
import type { Page } from '@playwright/test';
import { expect, messages, messageWithText, pendingCount, sendMessage, test, type ApiUser } from './chat-fixtures';

const CHANNEL_SIZE = 2000;
/** Far fewer than a page of the window (100), let alone the channel. */
const MAX_RENDERED = 60;
/** The one message with the word "needle" in it. */
const NEEDLE = 30;

test.describe.configure({ timeout: 240_000 });

/**
 * Messages `<prefix> <i>` of 1 to 4 lines, every 9th a long paragraph, by two people taking turns every 5 messages
 * (so some rows have a header); a few get reactions or an edit.
 */
async function seedLongChannel(people: ApiUser[], prefix: string) {
	for (let i = 0; i < CHANNEL_SIZE; i++) {
		const user = people[Math.floor(i / 5) % people.length];
		const extra = Array.from({ length: i % 4 }, (_, line) => `line ${line + 2} of ${prefix} ${i}`);
		const long = i % 9 === 0 ? [`${'a long paragraph that wraps over several lines '.repeat(8)}end`] : [];
		const messageId = `${prefix}-${i}`;
		await user.send('send_message', {
			messageId,
			channelId: 'general',
			body: [`${prefix} ${i}${i === NEEDLE ? ' has the needle' : ''}`, ...extra, ...long].join('\n')
		});
		if (i % 13 === 0) await user.send('add_reaction', { messageId, emoji: '🎉' });
		if (i % 17 === 0) await user.send('edit_message', { messageId, body: `${prefix} ${i} (fixed)\nsecond line` });
	}
}

const countNews = (page: Page) =>
	page.evaluate(
		async () => (await window.replica!.query("SELECT count(*) AS n FROM timeline_items WHERE body LIKE 'news%'"))[0].n
	);
const log = (page: Page) => page.getByRole('log');
const message = (page: Page, prefix: string, i: number) => page.locator(`[data-message-id="${prefix}-${i}"]`);

/**
 * Scrolls the log by one screen (up: -1, down: 1), then watches the first row in view for `frames` animation frames:
 * it must stay within 2px of where it was while pages load above or below it. Returns the row and how often the
 * list's height changed meanwhile (a page loaded, or the window slid).
 */
function scrollAndWatch(page: Page, direction: -1 | 1, frames = 40) {
	return log(page).evaluate(
		async (scroller, { direction, frames }) => {
			scroller.scrollBy({ top: direction * scroller.clientHeight });
			const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
			await nextFrame();
			const firstInView = () => {
				const top = scroller.getBoundingClientRect().top;
				const rows = [...scroller.querySelectorAll<HTMLElement>('[data-message-id]')]
					.map((row) => ({ id: row.dataset.messageId!, top: row.getBoundingClientRect().top - top }))
					.filter((row) => row.top >= 0)
					.sort((a, b) => a.top - b.top);
				return rows[0];
			};
			const anchor = firstInView();
			let height = scroller.scrollHeight;
			let resized = 0;
			const moves: string[] = [];
			for (let frame = 0; frame < frames; frame++) {
				await nextFrame();
				const row = scroller.querySelector<HTMLElement>(`[data-message-id="${anchor.id}"]`);
				const top = row ? row.getBoundingClientRect().top - scroller.getBoundingClientRect().top : null;
				if (top === null || Math.abs(top - anchor.top) > 2) moves.push(`frame ${frame}: ${anchor.top} → ${top}`);
				if (scroller.scrollHeight !== height) [height, resized] = [scroller.scrollHeight, resized + 1];
			}
			return { id: anchor.id, moves, resized };
		},
		{ direction, frames }
	);
}

/** Rows that overlap each other, or leave a gap between them, among the rows rendered one after another. */
function layoutFaults(page: Page) {
	return log(page).evaluate((scroller) => {
		const rows = [...scroller.querySelectorAll<HTMLElement>('[data-message-id]')]
			.map((row) => ({ index: Number(row.dataset.index), rect: row.getBoundingClientRect() }))
			.sort((a, b) => a.index - b.index);
		const faults: string[] = [];
		for (let k = 1; k < rows.length; k++) {
			const [above, below] = [rows[k - 1], rows[k]];
			if (below.index !== above.index + 1) continue;
			const gap = below.rect.top - above.rect.bottom;
			if (Math.abs(gap) > 1) faults.push(`rows ${above.index}/${below.index}: ${gap}px`);
		}
		return faults;
	});
}

async function rendered(page: Page) {
	const count = await messages(page).count();
	expect(count).toBeLessThanOrEqual(MAX_RENDERED);
	expect(await layoutFaults(page)).toEqual([]);
	return count;
}

test('a long channel: few rows in the DOM, the place kept while older pages load, search jumps, news followed', async ({
	openTab,
	apiUser
}) => {
	const bea = await apiUser('Bea');
	await seedLongChannel([bea, await apiUser('Cal')], 'hay');
	const page = await openTab();
	await expect(message(page, 'hay', CHANNEL_SIZE - 1)).toBeInViewport();
	expect(await rendered(page)).toBeGreaterThan(5);
	await page.screenshot({ path: '/tmp/timeline-bottom.png' });

	// Up through more than the 300-row window: each older page appears above what the reader looks at.
	let oldestSeen = CHANNEL_SIZE;
	let loads = 0;
	while (oldestSeen > CHANNEL_SIZE - 500) {
		const watched = await scrollAndWatch(page, -1);
		expect(watched.moves).toEqual([]);
		loads += watched.resized;
		oldestSeen = Math.min(oldestSeen, Number(watched.id.split('-')[1]));
		await rendered(page);
	}
	expect(loads).toBeGreaterThan(0);
	await page.screenshot({ path: '/tmp/timeline-middle.png' });

	// A search result far outside the window: the window moves there, the row is scrolled to, highlighted, focused.
	await page.getByRole('searchbox', { name: 'Search messages' }).fill('needle');
	await page.getByRole('list', { name: 'Search results' }).getByRole('link').click();
	const needle = message(page, 'hay', NEEDLE);
	await expect(needle).toHaveAttribute('aria-current', 'true');
	await expect(needle).toBeInViewport();
	await expect(needle).toBeFocused();
	// The focused row stays rendered while scrolled out of view, so focus stays on it.
	await log(page).evaluate((scroller) => scroller.scrollBy({ top: 3 * scroller.clientHeight }));
	await expect(needle).not.toBeInViewport();
	await expect(needle).toBeFocused();
	await rendered(page);

	// Down, past the window's size: newer pages load below while the rows above slide out, and nothing moves.
	let newestSeen = NEEDLE;
	loads = 0;
	while (newestSeen < NEEDLE + 400) {
		const watched = await scrollAndWatch(page, 1);
		expect(watched.moves).toEqual([]);
		loads += watched.resized;
		newestSeen = Math.max(newestSeen, Number(watched.id.split('-')[1]));
		await rendered(page);
	}
	expect(loads).toBeGreaterThan(0);

	// Up to the first message, page by page.
	await expect
		.poll(async () => {
			await log(page).evaluate((scroller) => scroller.scrollTo({ top: 0 }));
			return message(page, 'hay', 0).count();
		})
		.toBe(1);
	await expect(message(page, 'hay', 0)).toBeInViewport();
	await rendered(page);
	await page.screenshot({ path: '/tmp/timeline-top.png' });

	// News far below the window leaves the reader alone; "Jump to latest" goes down to it, and follows what comes.
	await bea.send('send_message', { messageId: 'news-1', channelId: 'general', body: 'news 1' });
	await expect.poll(() => countNews(page)).toBe(1);
	await expect(message(page, 'hay', 0)).toBeInViewport();
	await page.getByRole('button', { name: 'Jump to latest' }).click();
	await expect(message(page, 'news', 1)).toBeInViewport();
	await bea.send('send_message', { messageId: 'news-2', channelId: 'general', body: 'news 2\nwith\nfour\nlines' });
	await expect(message(page, 'news', 2)).toBeInViewport({ ratio: 1 });
	await rendered(page);
});

test('an edit in progress stays rendered while scrolled out of view, so its draft is kept', async ({
	openTab,
	apiUser
}) => {
	const page = await openTab();
	await sendMessage(page, 'my own words');
	// Confirmed before Bea writes, so it sits above her 80 messages in stream order, not below them.
	await expect.poll(() => pendingCount(page)).toBe(0);
	await (await apiUser('Bea')).sendMessages(80, 'general', 'hay');
	await expect(messages(page).filter({ hasText: /hay 79\b/ })).toBeInViewport();

	await expect
		.poll(async () => {
			await log(page).evaluate((scroller) => scroller.scrollTo({ top: 0 }));
			return messages(page).filter({ hasText: 'my own words' }).count();
		})
		.toBe(1);
	const mine = await messageWithText(page, 'my own words');
	await mine.hover();
	await mine.getByRole('button', { name: 'Edit' }).click();
	await mine.getByRole('textbox', { name: 'Edit message' }).fill('half-written second thought');

	await page.getByRole('button', { name: 'Jump to latest' }).click();
	await expect(messages(page).filter({ hasText: /hay 79\b/ })).toBeInViewport();
	await expect(mine).not.toBeInViewport();
	await rendered(page);
	await log(page).evaluate((scroller) => scroller.scrollTo({ top: 0 }));
	await expect(mine.getByRole('textbox', { name: 'Edit message' })).toHaveValue('half-written second thought');
});
