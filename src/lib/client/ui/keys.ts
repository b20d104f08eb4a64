/**
 * Keys that mean something to a text box while an input method may be composing text (Japanese, Chinese, Korean...).
 * The Enter or Escape that ends a composition belongs to the input method: Chromium and Firefox flag its keydown
 * with `isComposing`; Safari fires `compositionend` first, then a keydown with `isComposing` false and the legacy
 * keyCode 229 ("the input method handled it").
 */
type Key = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'isComposing' | 'keyCode'>;

export const isComposing = (event: Key): boolean => event.isComposing || event.keyCode === 229;

/** Enter alone (Shift+Enter is a new line), not the one that confirms a composition: send or save. */
export const isPlainEnter = (event: Key): boolean => event.key === 'Enter' && !event.shiftKey && !isComposing(event);

/** Escape, not the one that cancels a composition: close or cancel. */
export const isPlainEscape = (event: Key): boolean => event.key === 'Escape' && !isComposing(event);
