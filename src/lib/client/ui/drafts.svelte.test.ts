import { describe, expect, it } from 'vitest';
import { DRAFT_KEY_PREFIX, Drafts, type DraftStorage } from './drafts.svelte';

function memoryStorage(entries: Record<string, string> = {}) {
	const items = new Map(Object.entries(entries));
	const storage: DraftStorage = {
		getItem: (key) => items.get(key) ?? null,
		setItem: (key, value) => void items.set(key, value),
		removeItem: (key) => void items.delete(key)
	};
	return { items, storage };
}

describe('Drafts', () => {
	it('keeps one draft per channel, in storage under the channel, and forgets an emptied one', () => {
		const { items, storage } = memoryStorage();
		const drafts = new Drafts(storage);
		drafts.set('general', 'half a thought');
		drafts.set('random', 'another');
		expect([drafts.get('general'), drafts.get('random'), drafts.get('design')]).toEqual([
			'half a thought',
			'another',
			''
		]);
		expect(items.get(`${DRAFT_KEY_PREFIX}general`)).toBe('half a thought');

		drafts.set('general', '');
		expect(items.has(`${DRAFT_KEY_PREFIX}general`)).toBe(false);
		expect(drafts.get('general')).toBe('');
	});

	it('finds what an earlier page kept (a reload)', () => {
		const { storage } = memoryStorage({ [`${DRAFT_KEY_PREFIX}general`]: 'typed before the reload' });
		expect(new Drafts(storage).get('general')).toBe('typed before the reload');
	});

	it('keeps the draft in the page when storage refuses it', () => {
		const refusing: DraftStorage = {
			getItem: () => null,
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			},
			removeItem: () => {}
		};
		const drafts = new Drafts(refusing);
		drafts.set('general', 'still here');
		expect(drafts.get('general')).toBe('still here');
		expect(new Drafts(undefined).get('general')).toBe('');
	});

	it("takes in another tab's change, and a cleared storage, and ignores other keys", () => {
		const { items, storage } = memoryStorage();
		const drafts = new Drafts(storage);
		drafts.set('general', 'mine');
		drafts.takeStorageEvent({ key: `${DRAFT_KEY_PREFIX}general`, newValue: 'from the other tab' });
		drafts.takeStorageEvent({ key: 'replica:first-paint', newValue: '{}' });
		expect(drafts.get('general')).toBe('from the other tab');
		drafts.takeStorageEvent({ key: `${DRAFT_KEY_PREFIX}general`, newValue: null });
		expect(drafts.get('general')).toBe('');
		drafts.set('random', 'x');
		items.clear(); // localStorage.clear() in another tab
		drafts.takeStorageEvent({ key: null, newValue: null });
		expect(drafts.get('random')).toBe('');
	});
});
