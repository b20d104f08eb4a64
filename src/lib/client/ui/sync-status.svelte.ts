/**
 * Catch-up progress for the status bar: how many received events the active tab has not applied yet. The inbox
 * has no live form, so `replica.status()` is polled, and only while the page is visible (a hidden tab shows
 * nothing and should cost nothing).
 */
import type { Replica } from '$lib/client/replica.svelte';

const POLL_MS = 1000;

export class SyncStatus {
	inboxPending = $state(0);

	constructor(private readonly replica: Replica) {}

	/** Polls while the page is visible; returns the stop function (for $effect). */
	watch(): () => void {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const poll = async () => {
			clearTimeout(timer);
			if (document.visibilityState !== 'visible') return;
			try {
				this.inboxPending = (await this.replica.status()).inboxPending;
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
