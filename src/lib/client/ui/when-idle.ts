/**
 * Work that must not delay showing a change (remembering the first screen, marking a channel read) runs once the
 * browser is idle, after the frame that shows it; `timeout` bounds the wait on a busy page. Safari has no
 * requestIdleCallback: a timer stands in.
 */
export function whenIdle(task: () => void, timeout = 500) {
	if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout });
	else setTimeout(task, 50);
}
