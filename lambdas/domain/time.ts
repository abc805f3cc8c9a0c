/**
 * How Parley writes a moment for a model to read: always UTC, spelled out
 * the same way whatever the runtime's locale, so a prompt is reproducible.
 */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const pad = (n: number): string => String(n).padStart(2, '0');

const dateOf = (at: number | string): Date | undefined => {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** `2026-12-06 14:03`: a message's time on its line, to the minute; '' for an unreadable time. */
export function compactTime(at: number | string): string {
  const d = dateOf(at);
  if (!d) return '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** `Sunday 6 December 2026, 14:05 UTC`: the present, as a person would say it. */
export function spokenTime(at: number | string): string {
  const d = dateOf(at);
  if (!d) return '';
  return (
    `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
  );
}

/** `[2026-12-06 14:03] ` before a line, or nothing when the time is unknown. */
export const timeStamp = (at: number | string | undefined): string => {
  const time = at === undefined ? '' : compactTime(at);
  return time === '' ? '' : `[${time}] `;
};
