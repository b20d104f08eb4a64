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
	measureElement,
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

type Core = Virtualizer<HTMLElement, HTMLElement>;

/**
 * An item's first measure, when it mounts, is its cached size or its estimate rather than a read of its height:
 * that read forces a layout in the middle of the update (measured: a new message in another tab spent about a
 * third of its flush there). The core observes the item at the same time, and the ResizeObserver reports the real
 * size after the browser's own layout and before paint, where the core corrects the offsets.
 */
function measureWithoutForcedLayout(element: HTMLElement, entry: ResizeObserverEntry | undefined, core: Core) {
	if (entry) return measureElement(element, entry, core);
	const index = core.indexFromElement(element);
	return core.itemSizeCache.get(core.options.getItemKey(index)) ?? core.options.estimateSize(index);
}

export class VirtualList {
	/** Bumped whenever the core says its range, sizes or scroll state changed: what `items` and `totalSize` follow. */
	#changes = $state(0);
	/** Where the list itself last scrolled its element to (a command, or a correction for a resized row). */
	#written: number | null = null;
	readonly core: Core;

	/** `options` is read reactively: every change (a new count, new keys, a new range extractor) reaches the core. */
	constructor(options: () => VirtualListOptions) {
		const resolve = (): VirtualizerOptions<HTMLElement, HTMLElement> => ({
			observeElementRect,
			observeElementOffset,
			scrollToFn: (offset, options, core) => {
				this.#written = offset + (options.adjustments ?? 0);
				elementScroll(offset, options, core);
			},
			measureElement: measureWithoutForcedLayout,
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

	/**
	 * Call on every scroll event: whether the one that finds the element at `offset` comes from the list's own last
	 * write rather than from the reader (a row above the view measured shorter than its estimate moves the view up by
	 * the difference). A write explains one scroll event only: kept longer, the write made when the list mounted (at
	 * 0) passed the reader's own scroll back to the top for the list's.
	 */
	tookOwnWrite(offset: number): boolean {
		const written = this.#written;
		this.#written = null;
		return written !== null && Math.abs(offset - written) < 1.5;
	}

	/** An attachment for each rendered item: it carries `data-index`; the core observes its size from now on. */
	readonly measure = (element: HTMLElement) => {
		this.core.measureElement(element);
		// The core lets go of elements only when asked, and then of those already out of the document.
		return () => queueMicrotask(() => this.core.measureElement(null));
	};
}
