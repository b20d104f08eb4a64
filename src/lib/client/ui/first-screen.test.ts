/**
 * The remembered first screen against the page's lifecycle. The race reproduced (it emptied a cold start's
 * timeline in CI): a save is waiting for idle, the tab closes and pagehide writes it, then the idle callback
 * still runs, with nothing left to write.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const KEY = 'replica:first-screen';

let storage: Map<string, string>;
let idleTasks: (() => void)[];
let pageHide: () => void;

beforeEach(() => {
	vi.resetModules();
	storage = new Map();
	idleTasks = [];
	vi.stubGlobal('window', globalThis);
	vi.stubGlobal('localStorage', {
		getItem: (key: string) => storage.get(key) ?? null,
		setItem: (key: string, value: string) => storage.set(key, String(value))
	});
	vi.stubGlobal('requestIdleCallback', (task: () => void) => idleTasks.push(task));
	vi.stubGlobal('addEventListener', (type: string, listener: () => void) => {
		if (type === 'pagehide') pageHide = listener;
	});
});

afterEach(() => vi.unstubAllGlobals());

const runIdleTasks = () => idleTasks.splice(0).forEach((task) => task());

describe('the remembered first screen', () => {
	it('is written once the page is idle, with only the latest rows of the channel', async () => {
		const { saveFirstScreen, readFirstScreen, FIRST_SCREEN_ROWS } = await import('./first-screen');
		saveFirstScreen('general', [{ body: 'old' }]);
		const rows = Array.from({ length: FIRST_SCREEN_ROWS + 5 }, (_, index) => ({ body: `m${index}` }));
		saveFirstScreen('general', rows);
		expect(idleTasks).toHaveLength(1);
		expect(storage.has(KEY)).toBe(false);

		runIdleTasks();
		expect(readFirstScreen('general')).toEqual(rows.slice(-FIRST_SCREEN_ROWS));
		expect(readFirstScreen('random')).toBeUndefined();
	});

	it('is written by pagehide when the tab closes first, and the late idle callback keeps it', async () => {
		const { saveFirstScreen, readFirstScreen } = await import('./first-screen');
		saveFirstScreen('general', [{ body: 'remembered' }]);

		pageHide();
		expect(readFirstScreen('general')).toEqual([{ body: 'remembered' }]);
		runIdleTasks();
		expect(storage.get(KEY)).not.toBe('undefined');
		expect(readFirstScreen('general')).toEqual([{ body: 'remembered' }]);
	});

	it('is not touched by a pagehide with nothing new to save', async () => {
		const { saveFirstScreen, readFirstScreen } = await import('./first-screen');
		saveFirstScreen('general', [{ body: 'kept' }]);
		runIdleTasks();

		pageHide();
		expect(readFirstScreen('general')).toEqual([{ body: 'kept' }]);
	});
});
