/**
 * Dates as the timeline and search show them, in the reader's locale. The formatters are made once: a
 * `toLocale…String` call with options builds a new Intl.DateTimeFormat each time, and the timeline formats two
 * dates for every row it renders.
 */
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "14:05": next to a message. */
export const formatTimeOfDay = (date: Date) => timeOfDay.format(date);
/** "1 Dec 2026, 14:05": a message's full time, on hover. */
export const formatDateAndTime = (date: Date) => dateAndTime.format(date);
/** "1 Dec 2026": a search result's day. */
export const formatDate = (date: Date) => dateOnly.format(date);
