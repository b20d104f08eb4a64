/**
 * Catch-up progress and storage health for the status bar: how many received events the active tab has not
 * applied yet, and whether the replica could be stored. The inbox
 * has no live form, so `replica.status()` is polled, and only while the page is visible (a hidden tab shows
 * nothing and should cost nothing).
 */
import type { Replica } from '#lib/client/replica.svelte.ts';

const POLL_MS = 1000;

export class SyncStatus {
	inboxPending = $state(0);
	/** In-memory mode or a storage failure, from the active tab: shown as a banner until it clears. */
	storageProblem = $state<string | null>(null);

	constructor(private readonly replica: Replica) {}

	/** Polls while the page is visible; returns the stop function (for $effect). */
	watch(): () => void {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const poll = async () => {
			clearTimeout(timer);
			if (document.visibilityState !== 'visible') return;
			try {
				const status = await this.replica.status();
				this.inboxPending = status.inboxPending;
				this.storageProblem = status.storageProblem;
			} catch {
				// No active tab answered yet: keep the last number; the next poll tries again.
			}
			timer = setTimeout(poll, POLL_MS);
		};
		const onVisibility = () => void poll();
		document.addEventListener('visibilitychange', onVisibility);
		void poll();
		return () => {
			clearTimeout(timer);
			document.removeEventListener('visibilitychange', onVisibility);
		};
	}
}
