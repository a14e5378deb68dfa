/**
 * Calendar dates and instants in the site's time zone. Nothing here reads the machine's local
 * time zone: a date means the same day on every machine that builds the site.
 */

/** A parsed front matter date. */
export interface SiteDate {
  /** Milliseconds since the epoch. */
  instant: number;
  /** The calendar day in the site's time zone, `YYYY-MM-DD`. */
  day: string;
  /** Whether the source named a time of day. */
  hasTime: boolean;
}

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** True when the time zone name is one Intl knows (e.g. `Europe/London`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timeZone: string): number[] {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return [fields.year!, fields.month!, fields.day!, fields.hour!, fields.minute!, fields.second!];
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function zoneOffset(instant: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = wallClock(instant, timeZone);
  const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows the given fields. */
export function zonedInstant(fields: number[], timeZone: string): number {
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0] = fields;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  let instant = guess - zoneOffset(guess, timeZone);
  // A second pass settles instants near a daylight-saving change.
  instant = guess - zoneOffset(instant, timeZone);
  return instant;
}

function isRealDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The calendar day (`YYYY-MM-DD`) of an instant in a time zone. */
export function calendarDay(instant: number, timeZone: string): string {
  const [y, mo, d] = wallClock(instant, timeZone);
  return `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}`;
}

/** Offsets that time zones on Earth use: ISO 8601 would allow ±23:59, but nothing beyond these is a real place. */
const MIN_OFFSET = -12 * 60;
const MAX_OFFSET = 14 * 60;

/** Minutes east of UTC of an offset as matched by `DATE_RE` (`Z`, `+05`, `+0530`, `-05:00`), or null when impossible. */
function offsetMinutes(zone: string): number | null {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || 0);
  const offset = sign * (hours * 60 + minutes);
  return minutes > 59 || offset < MIN_OFFSET || offset > MAX_OFFSET ? null : offset;
}

/**
 * Parses `YYYY-MM-DD` or an ISO 8601 date-time. A value without an offset is read as wall-clock
 * time in `timeZone`. Returns a reason string when the value is not a real date, or its offset
 * from UTC lies outside -12:00..+14:00.
 */
export function parseSiteDate(value: string, timeZone: string): SiteDate | string {
  const m = DATE_RE.exec(value.trim());
  if (!m) return `"${value}" is not a date; write YYYY-MM-DD or an ISO 8601 date-time such as 2024-03-01T09:30:00+01:00`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isRealDay(y, mo, d)) return `"${value}" is not a real calendar date`;
  const hasTime = m[4] !== undefined;
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  if (h > 23 || mi > 59 || s > 59) return `"${value}" has an impossible time of day`;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const zone = m[8];
  let instant: number;
  if (zone) {
    const offset = offsetMinutes(zone);
    if (offset === null) {
      return `"${value}" has an impossible offset from UTC (${zone}); offsets run from -12:00 to +14:00, e.g. +01:00 or -05:00`;
    }
    instant = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
  } else {
    instant = zonedInstant([y, mo, d, h, mi, s, ms], timeZone);
  }
  const day = hasTime ? calendarDay(instant, timeZone) : `${m[1]}-${m[2]}-${m[3]}`;
  return { instant, day, hasTime };
}

/** An instant as ISO 8601 with the site zone's offset, e.g. `2012-08-16T00:00:00+01:00`. */
export function isoInZone(instant: number, timeZone: string): string {
  const [y, mo, d, h, mi, s] = wallClock(instant, timeZone);
  const offsetMinutes = Math.round(zoneOffset(instant, timeZone) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${pad(mi!)}:${pad(s!)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant in the RFC 822 form RSS wants, in UTC. */
export function rfc822(instant: number): string {
  return new Date(instant).toUTCString();
}

const monthNames = new Map<string, string>();

/** The month's name as it stands in a date in `language` (e.g. German "August", Russian "августа"). */
function monthName(language: string, month: number, style: 'long' | 'short'): string {
  const key = `${language}|${style}|${month}`;
  let name = monthNames.get(key);
  if (name === undefined) {
    const f = new Intl.DateTimeFormat(language, { timeZone: 'UTC', day: 'numeric', month: style });
    const part = f.formatToParts(new Date(Date.UTC(2000, month - 1, 15))).find((p) => p.type === 'month');
    name = part?.value ?? String(month);
    monthNames.set(key, name);
  }
  return name;
}

function weekdayName(language: string, day: string): string {
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', weekday: 'long' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

const TOKEN_RE = /\[([^\]]*)\]|YYYY|MMMM|MMM|MM|M|DD|D|dddd/g;

/**
 * Formats a calendar day with a pattern: `YYYY`, `MMMM` (month name), `MMM` (short name), `MM`,
 * `M`, `DD`, `D`, `dddd` (weekday); text in `[brackets]` is literal. Names follow `language`.
 */
export function formatDay(day: string, pattern: string, language: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return pattern.replace(TOKEN_RE, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY':
        return pad(y, 4);
      case 'MMMM':
        return monthName(language, m, 'long');
      case 'MMM':
        return monthName(language, m, 'short');
      case 'MM':
        return pad(m);
      case 'M':
        return String(m);
      case 'DD':
        return pad(d);
      case 'D':
        return String(d);
      default:
        return weekdayName(language, day);
    }
  });
}

/** Today's calendar day in a time zone. */
export function today(timeZone: string, now: number = Date.now()): string {
  return calendarDay(now, timeZone);
}
