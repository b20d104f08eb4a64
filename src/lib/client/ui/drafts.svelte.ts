/**
 * What a person has typed and not sent: per channel (the composer's) and per message being edited. Each change is
 * written to localStorage at once, so switching channels, reloading, closing the tab or the timeline letting go of
 * a row loses nothing, and a draft never follows the person into another channel.
 * Other tabs of the app see the change through the `storage` event. Storage that refuses (a private window, a full
 * quota) keeps the draft in this page only: typing is never held up by it.
 */
import { SvelteMap } from 'svelte/reactivity';

export const DRAFT_KEY_PREFIX = 'replica:draft:';

/** The draft of an edit of one message (channel ids have no colon). */
export const editDraftOf = (messageId: string) => `edit:${messageId}`;

/** The part of the Web Storage API drafts use (localStorage in the page; a Map-backed stand-in in unit tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Drafts by place: a channel id for its composer, or editDraftOf(messageId) for an edit. */
export class Drafts {
	readonly #texts = new SvelteMap<string, string>();
	readonly #storage: DraftStorage | undefined;

	constructor(storage: DraftStorage | undefined) {
		this.#storage = storage;
	}

	/** Reads state only (templates call it): what storage held is taken as it is until the first change. */
	get(place: string): string {
		return this.#texts.get(place) ?? this.#read(place);
	}

	set(place: string, text: string): void {
		this.#texts.set(place, text);
		try {
			if (text) this.#storage?.setItem(DRAFT_KEY_PREFIX + place, text);
			else this.#storage?.removeItem(DRAFT_KEY_PREFIX + place);
		} catch (error) {
			console.debug('[drafts] not kept in storage; this page still has it', error);
		}
	}

	/** Takes in another tab's change (a `storage` event of the same origin). */
	takeStorageEvent({ key, newValue }: Pick<StorageEvent, 'key' | 'newValue'>): void {
		if (key === null) this.#texts.clear();
		else if (key.startsWith(DRAFT_KEY_PREFIX)) this.#texts.set(key.slice(DRAFT_KEY_PREFIX.length), newValue ?? '');
	}

	#read(place: string): string {
		try {
			return this.#storage?.getItem(DRAFT_KEY_PREFIX + place) ?? '';
		} catch {
			return '';
		}
	}
}

let pageDrafts: Drafts | undefined;

/** The page's drafts, kept in localStorage and in step with the other tabs. */
export function drafts(): Drafts {
	if (pageDrafts) return pageDrafts;
	let storage: DraftStorage | undefined;
	try {
		storage = localStorage;
	} catch {
		storage = undefined;
	}
	const created = new Drafts(storage);
	window.addEventListener('storage', (event) => created.takeStorageEvent(event));
	return (pageDrafts = created);
}
