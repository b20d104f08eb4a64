/**
 * A Svelte 5 adapter for TanStack Virtual's framework-free core, shaped like its React adapter: options reach the
 * core before the DOM updates (`$effect.pre`, React's render), and the core syncs the scroll element after it
 * (`$effect`, React's layout effect: still before paint), which is where prepend anchoring and follow-to-end land.
 * `@tanstack/svelte-virtual` is a Svelte 3 store wrapper that lags the core by several releases; see the README.
 *
 * Create it during component initialisation: it owns effects.
 */
import {
	Virtualizer,
	elementScroll,
	observeElementOffset,
	observeElementRect,
	type VirtualItem,
	type VirtualizerOptions
} from '@tanstack/virtual-core';
import { untrack } from 'svelte';

export type VirtualListOptions = Omit<
	VirtualizerOptions<HTMLElement, HTMLElement>,
	'observeElementRect' | 'observeElementOffset' | 'scrollToFn' | 'onChange'
>;

export class VirtualList {
	/** Bumped whenever the core says its range, sizes or scroll state changed: what `items` and `totalSize` follow. */
	#changes = $state(0);
	readonly core: Virtualizer<HTMLElement, HTMLElement>;

	/** `options` is read reactively: every change (a new count, new keys, a new range extractor) reaches the core. */
	constructor(options: () => VirtualListOptions) {
		const resolve = (): VirtualizerOptions<HTMLElement, HTMLElement> => ({
			observeElementRect,
			observeElementOffset,
			scrollToFn: elementScroll,
			...options(),
			onChange: () => this.#changes++
		});
		this.core = new Virtualizer(untrack(resolve));

		$effect.pre(() => {
			const resolved = resolve();
			untrack(() => {
				this.core.setOptions(resolved);
				this.#changes++;
			});
		});
		$effect(() => untrack(() => this.core._didMount()));
		$effect(() => {
			void this.#changes;
			untrack(() => this.core._willUpdate());
		});
	}

	/** The items to render (in index order), each with its offset from the top of the list. */
	get items(): VirtualItem[] {
		void this.#changes;
		return this.core.getVirtualItems();
	}

	/** The height the list's sizer must have, so that the scrollbar covers every item, rendered or not. */
	get totalSize(): number {
		void this.#changes;
		return this.core.getTotalSize();
	}

	/** An attachment for each rendered item: it carries `data-index`; the core measures it now and when it resizes. */
	readonly measure = (element: HTMLElement) => {
		this.core.measureElement(element);
		// The core lets go of elements only when asked, and then of those already out of the document.
		return () => queueMicrotask(() => this.core.measureElement(null));
	};
}
