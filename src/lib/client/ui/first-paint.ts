/**
 * The first paint, remembered: when the user leaves a channel's page (tab hidden or closed), its rendered HTML is
 * kept in localStorage; on the next open, an inline script in app.html paints it before any of the app's JavaScript
 * has loaded (the app's boot costs 200-300 ms, sqlite-wasm and the OPFS pool more). It is a picture, not the app:
 * inert and hidden from assistive technology, and removed in the frame where the app mounts (its timeline then shows
 * the rows of first-screen.ts until the live query answers).
 *
 * app.html reads the same key and only paints when the page is the same path and every stylesheet the picture was
 * taken with is linked (another build would style it wrongly). Keep both sides in step.
 */
export const FIRST_PAINT_KEY = 'replica:first-paint';
/** A bigger picture is not kept: parsing it would cost more than it saves. */
const MAX_HTML_CHARS = 400_000;
const SCROLL_ATTRIBUTE = 'data-first-paint-scroll';
const RENAMED_IN_PICTURE = [
	['data-testid', 'data-first-paint-testid'],
	['elementtiming', 'data-first-paint-elementtiming']
] as const;

export interface FirstPaint {
	path: string;
	styles: string[];
	html: string;
}

/** Keeps the picture of `root` whenever the tab is hidden or left, while on a channel's page. */
export function rememberFirstPaintOf(root: HTMLElement): () => void {
	const onPageHide = () => saveFirstPaint(root);
	const onVisibilityChange = () => document.visibilityState === 'hidden' && saveFirstPaint(root);
	addEventListener('pagehide', onPageHide);
	document.addEventListener('visibilitychange', onVisibilityChange);
	return () => {
		removeEventListener('pagehide', onPageHide);
		document.removeEventListener('visibilitychange', onVisibilityChange);
	};
}

/** Removes the picture app.html painted, if any: the app is mounted. */
export function dropFirstPaint() {
	document.getElementById('first-paint')?.remove();
}

function saveFirstPaint(root: HTMLElement) {
	// Only a channel's page, without an open dialog: that is the screen worth showing again.
	if (!location.pathname.startsWith('/c/') || root.querySelector('dialog[open], [role="dialog"]')) return;
	const picture = pictureOf(root);
	const html = picture.outerHTML;
	const styles = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((link) =>
		link.getAttribute('href')
	);
	try {
		if (html.length > MAX_HTML_CHARS) return localStorage.removeItem(FIRST_PAINT_KEY);
		const saved: FirstPaint = {
			path: location.pathname,
			styles: styles.filter((href): href is string => href !== null),
			html
		};
		localStorage.setItem(FIRST_PAINT_KEY, JSON.stringify(saved));
	} catch {
		// Storage full or disabled: the next open waits for the app, as without a picture.
	}
}

/**
 * A copy of `root` as it is on screen, with its scroll positions (app.html restores them). What cannot be seen is
 * left out: elements not rendered, and out-of-flow ones that are transparent, hidden or outside the view (a row's
 * hover toolbar, the virtual list's rows beyond its viewport); without them no other box moves, and the new tab's
 * first style, layout and raster pass, its slowest (cold font and glyph caches), has less to do.
 */
function pictureOf(root: HTMLElement): HTMLElement {
	const picture = root.cloneNode(true) as HTMLElement;
	// A deep clone has the same elements in the same document order.
	const copies = picture.querySelectorAll('*');
	root.querySelectorAll('*').forEach((original, index) => {
		const copy = copies[index];
		if (unseen(original)) return copy.remove();
		if (original.scrollTop > 0) copy.setAttribute(SCROLL_ATTRIBUTE, String(original.scrollTop));
		// Test ids and Element Timing stay with the live app: the picture is never what a test (or a person)
		// interacts with, and the paint of the app's own rows is timed apart from the picture's (bench P5).
		for (const [name, renamed] of RENAMED_IN_PICTURE) {
			const value = copy.getAttribute(name);
			if (value === null) continue;
			copy.setAttribute(renamed, value);
			copy.removeAttribute(name);
		}
	});
	return picture;
}

function unseen(element: Element): boolean {
	if (!element.checkVisibility()) return true;
	const { position } = getComputedStyle(element);
	if (position !== 'absolute' && position !== 'fixed') return false;
	return !element.checkVisibility({ opacityProperty: true, visibilityProperty: true }) || !inView(element);
}

/** Whether some of the element's box is inside the window and inside every ancestor that clips it. */
function inView(element: Element): boolean {
	const box = element.getBoundingClientRect();
	const overlaps = (area: DOMRect) =>
		box.bottom > area.top && box.top < area.bottom && box.right > area.left && box.left < area.right;
	if (!overlaps(new DOMRect(0, 0, innerWidth, innerHeight))) return false;
	for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
		const { overflowX, overflowY } = getComputedStyle(ancestor);
		const clips = overflowX !== 'visible' || overflowY !== 'visible';
		if (clips && !overlaps(ancestor.getBoundingClientRect())) return false;
	}
	return true;
}
