// Seller-time-zone arithmetic for reports: periods and date filters are in the seller's zone
// (PRODUCT.md §3), timestamps are stored in UTC. Pure: Intl only, no I/O.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Minutes to add to UTC to get local wall time in `tz` at `instantMs`. */
export function offsetMinutes(tz: string, instantMs: number): number {
  const parts = formatter(tz).formatToParts(new Date(instantMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const floored = instantMs - (((instantMs % 1000) + 1000) % 1000);
  return Math.round((wall - floored) / 60000);
}

/** "YYYY-MM-DD" → ms of that day's 00:00 UTC. */
export function dayMs(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(dayMs(s));
  return d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, n: number): string {
  return new Date(dayMs(date) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The UTC instant at which local wall time `date`T`hh:mm` happens in tz (first occurrence). */
export function localToUtcMs(tz: string, date: string, minutesOfDay = 0): number {
  const wall = dayMs(date) + minutesOfDay * 60_000;
  // Two passes settle DST edges: guess with the offset at the wall time read as UTC, then correct.
  let guess = wall - offsetMinutes(tz, wall) * 60_000;
  guess = wall - offsetMinutes(tz, guess) * 60_000;
  return guess;
}

/** "YYYY-MM-DDTHH:MM:SS" (UTC, no zone letter): compares correctly as text with stored timestamps. */
export function utcKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** The local calendar date of a UTC ISO timestamp in tz. */
export function localDate(tz: string, iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + offsetMinutes(tz, ms) * 60_000).toISOString().slice(0, 10);
}

export interface OffsetSpan {
  /** First UTC instant (utcKey form) with this offset. */
  fromKey: string;
  offsetMinutes: number;
}

/**
 * The offsets in force between two UTC instants, as spans starting at each change, found by a daily
 * scan and a binary search to the minute. Zones change offset a few times a year at most.
 */
export function offsetSpans(tz: string, fromMs: number, toMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ fromKey: utcKey(fromMs), offsetMinutes: offsetMinutes(tz, fromMs) }];
  let prevMs = fromMs;
  let prevOff = spans[0]!.offsetMinutes;
  for (let t = fromMs + 86_400_000; ; t += 86_400_000) {
    const at = Math.min(t, toMs);
    const off = offsetMinutes(tz, at);
    if (off !== prevOff) {
      let lo = prevMs;
      let hi = at;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetMinutes(tz, mid) === prevOff) lo = mid;
        else hi = mid;
      }
      spans.push({ fromKey: utcKey(hi), offsetMinutes: off });
      prevOff = off;
    }
    prevMs = at;
    if (at >= toMs) break;
  }
  return spans;
}

/** ISO 8601 week label ("2026-W40") of the week containing a date. */
export function isoWeek(date: string): string {
  const ms = dayMs(date);
  const dow = (new Date(ms).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = ms + (3 - dow) * 86_400_000;
  const year = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday - jan1) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
