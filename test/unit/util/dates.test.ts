import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  calendarDay,
  formatDay,
  isoInZone,
  isValidTimeZone,
  parseSiteDate,
  today,
  zonedInstant,
  type SiteDate,
} from '../../../src/util/dates.js';

const LONDON = 'Europe/London';
const HONOLULU = 'Pacific/Honolulu';

/** Wall-clock fields as isoInZone shows them, e.g. `[2024, 3, 31, 2, 30, 0]`. */
function wallFields(instant: number, timeZone: string): number[] {
  return isoInZone(instant, timeZone).slice(0, 19).split(/[-T:]/).map(Number);
}

describe('parseSiteDate', () => {
  it.each<[string, string, SiteDate]>([
    // A plain day is midnight in the site's zone, and its day is the day as written.
    ['2012-08-16', LONDON, { instant: Date.UTC(2012, 7, 15, 23), day: '2012-08-16', hasTime: false }],
    ['2012-08-16', 'UTC', { instant: Date.UTC(2012, 7, 16), day: '2012-08-16', hasTime: false }],
    ['2012-08-16', HONOLULU, { instant: Date.UTC(2012, 7, 16, 10), day: '2012-08-16', hasTime: false }],
    ['2024-02-29', 'UTC', { instant: Date.UTC(2024, 1, 29), day: '2024-02-29', hasTime: false }],
    ['  2024-01-01  ', 'UTC', { instant: Date.UTC(2024, 0, 1), day: '2024-01-01', hasTime: false }],
    // Z and explicit offsets fix the instant; the day is the one in the site's zone.
    ['2012-08-16T10:00:00Z', LONDON, { instant: Date.UTC(2012, 7, 16, 10), day: '2012-08-16', hasTime: true }],
    ['2012-08-16T23:30:00-05:00', LONDON, { instant: Date.UTC(2012, 7, 17, 4, 30), day: '2012-08-17', hasTime: true }],
    ['2012-08-16T23:30:00-05:00', HONOLULU, { instant: Date.UTC(2012, 7, 17, 4, 30), day: '2012-08-16', hasTime: true }],
    ['2012-08-16T23:30:00+0530', LONDON, { instant: Date.UTC(2012, 7, 16, 18, 0), day: '2012-08-16', hasTime: true }],
    ['2012-08-16T23:30:00+05', LONDON, { instant: Date.UTC(2012, 7, 16, 18, 30), day: '2012-08-16', hasTime: true }],
    // Offsets at the ends of what real zones use (Kiribati, Baker Island) and odd ones (Nepal).
    ['2024-03-01T10:00:00+14:00', 'UTC', { instant: Date.UTC(2024, 1, 29, 20), day: '2024-02-29', hasTime: true }],
    ['2024-03-01T10:00:00-12:00', 'UTC', { instant: Date.UTC(2024, 2, 1, 22), day: '2024-03-01', hasTime: true }],
    ['2024-03-01T10:00:00+05:45', 'UTC', { instant: Date.UTC(2024, 2, 1, 4, 15), day: '2024-03-01', hasTime: true }],
    ['2024-03-01T10:00:00-00:00', 'UTC', { instant: Date.UTC(2024, 2, 1, 10), day: '2024-03-01', hasTime: true }],
    ['2012-08-16T23:30:00.123456Z', LONDON, { instant: Date.UTC(2012, 7, 16, 23, 30, 0, 123), day: '2012-08-17', hasTime: true }],
    // Without an offset the time is wall-clock time in the site's zone.
    ['2012-08-16 23:30', LONDON, { instant: Date.UTC(2012, 7, 16, 22, 30), day: '2012-08-16', hasTime: true }],
    ['2012-08-16T09:30:00', HONOLULU, { instant: Date.UTC(2012, 7, 16, 19, 30), day: '2012-08-16', hasTime: true }],
    ['2024-01-15T09:30', LONDON, { instant: Date.UTC(2024, 0, 15, 9, 30), day: '2024-01-15', hasTime: true }],
  ])('%j in %s', (value, timeZone, expected) => {
    expect(parseSiteDate(value, timeZone)).toEqual(expected);
  });

  it.each([
    ['2023-02-29', /not a real calendar date/],
    ['2024-13-01', /not a real calendar date/],
    ['2024-00-10', /not a real calendar date/],
    ['2024-04-31', /not a real calendar date/],
    ['2024-01-00', /not a real calendar date/],
    ['yesterday', /is not a date; write YYYY-MM-DD/],
    ['', /is not a date/],
    ['2024-3-1', /is not a date/],
    ['01/03/2024', /is not a date/],
    ['2024-01-01T10', /is not a date/],
    ['2024-01-01T25:00', /impossible time of day/],
    ['2024-01-01T24:00:00Z', /impossible time of day/],
    ['2024-01-01T23:60', /impossible time of day/],
    ['2024-01-01T12:00:60', /impossible time of day/],
    ['2024-03-01T10:00:00+99:00', /impossible offset from UTC \(\+99:00\); offsets run from -12:00 to \+14:00/],
    ['2024-03-01T10:00:00+14:30', /impossible offset/],
    ['2024-03-01T10:00:00-12:30', /impossible offset/],
    ['2024-03-01T10:00:00-13', /impossible offset/],
    ['2024-03-01T10:00:00+05:60', /impossible offset/],
    ['2024-03-01T10:00:00+0599', /impossible offset/],
    ['2024-03-01 10:00 +23:59', /impossible offset/],
  ])('rejects %j with a reason', (value, reason) => {
    const result = parseSiteDate(value, LONDON);
    expect(typeof result).toBe('string');
    expect(result).toMatch(reason);
    expect(result).toContain(`"${value}"`);
  });
});

describe('calendarDay', () => {
  it.each([
    [Date.UTC(2012, 7, 15, 23, 30), LONDON, '2012-08-16'],
    [Date.UTC(2012, 7, 15, 23, 30), 'UTC', '2012-08-15'],
    [Date.UTC(2012, 7, 16, 5), HONOLULU, '2012-08-15'],
    [Date.UTC(2012, 7, 15, 15), 'Asia/Tokyo', '2012-08-16'],
    [Date.UTC(2024, 2, 31, 0, 59), LONDON, '2024-03-31'],
    [Date.UTC(2024, 9, 26, 23, 30), LONDON, '2024-10-27'],
  ])('%i in %s is %s', (instant, timeZone, day) => {
    expect(calendarDay(instant, timeZone)).toBe(day);
  });
});

describe('zonedInstant around daylight-saving changes (Europe/London, 2024)', () => {
  it.each([
    ['the day before clocks go forward', [2024, 3, 30, 12, 0], Date.UTC(2024, 2, 30, 12)],
    ['just before clocks go forward (GMT)', [2024, 3, 31, 0, 30], Date.UTC(2024, 2, 31, 0, 30)],
    ['the first minute of summer time', [2024, 3, 31, 2, 0], Date.UTC(2024, 2, 31, 1, 0)],
    ['just after clocks go forward (BST)', [2024, 3, 31, 2, 30], Date.UTC(2024, 2, 31, 1, 30)],
    ['noon on the day clocks go forward', [2024, 3, 31, 12, 0], Date.UTC(2024, 2, 31, 11)],
    ['the last minute before midnight, summer time', [2024, 10, 26, 23, 59], Date.UTC(2024, 9, 26, 22, 59)],
    ['just after midnight before clocks go back (BST)', [2024, 10, 27, 0, 30], Date.UTC(2024, 9, 26, 23, 30)],
    ['just after clocks go back (GMT)', [2024, 10, 27, 2, 30], Date.UTC(2024, 9, 27, 2, 30)],
    ['noon on the day clocks go back', [2024, 10, 27, 12, 0], Date.UTC(2024, 9, 27, 12)],
    ['seconds and milliseconds', [2024, 7, 1, 9, 15, 30, 250], Date.UTC(2024, 6, 1, 8, 15, 30, 250)],
  ])('%s', (_, fields, instant) => {
    expect(zonedInstant(fields, LONDON)).toBe(instant);
  });

  it('places a time inside the spring-forward gap (01:30 does not exist) within the hour of the change', () => {
    const instant = zonedInstant([2024, 3, 31, 1, 30], LONDON);
    expect([Date.UTC(2024, 2, 31, 0, 30), Date.UTC(2024, 2, 31, 1, 30)]).toContain(instant);
  });

  it('reads a repeated time (01:30 happens twice) as one of its two instants', () => {
    const instant = zonedInstant([2024, 10, 27, 1, 30], LONDON);
    expect([Date.UTC(2024, 9, 27, 0, 30), Date.UTC(2024, 9, 27, 1, 30)]).toContain(instant);
    expect(isoInZone(instant, LONDON).slice(0, 19)).toBe('2024-10-27T01:30:00');
  });

  it.each([
    [LONDON, Date.UTC(2024, 2, 30, 12), Date.UTC(2024, 2, 31, 12)],
    [LONDON, Date.UTC(2024, 9, 26, 12), Date.UTC(2024, 9, 27, 12)],
    ['America/New_York', Date.UTC(2024, 2, 10), Date.UTC(2024, 2, 11)],
    ['America/New_York', Date.UTC(2024, 10, 3), Date.UTC(2024, 10, 4)],
    ['Australia/Lord_Howe', Date.UTC(2024, 3, 6), Date.UTC(2024, 3, 7)],
  ])('round-trips every wall-clock quarter hour in %s from %i to %i', (timeZone, from, to) => {
    for (let t = from; t < to; t += 15 * 60_000) {
      const fields = wallFields(t, timeZone);
      expect(wallFields(zonedInstant(fields, timeZone), timeZone)).toEqual(fields);
    }
  });
});

describe('isoInZone', () => {
  const instant = Date.UTC(2012, 7, 15, 23);
  it.each([
    [instant, LONDON, '2012-08-16T00:00:00+01:00'],
    [instant, 'UTC', '2012-08-15T23:00:00+00:00'],
    [instant, 'Asia/Kolkata', '2012-08-16T04:30:00+05:30'],
    [instant, 'America/New_York', '2012-08-15T19:00:00-04:00'],
    [instant, 'America/St_Johns', '2012-08-15T20:30:00-02:30'],
    [instant + 999, 'UTC', '2012-08-15T23:00:00+00:00'],
    [Date.UTC(2024, 0, 15, 12), LONDON, '2024-01-15T12:00:00+00:00'],
    [Date.UTC(2024, 2, 31, 1), LONDON, '2024-03-31T02:00:00+01:00'],
    [Date.UTC(2024, 9, 27, 1), LONDON, '2024-10-27T01:00:00+00:00'],
  ])('%i in %s is %s', (at, timeZone, iso) => {
    expect(isoInZone(at, timeZone)).toBe(iso);
  });

  it('round-trips through parseSiteDate', () => {
    const at = Date.UTC(2024, 9, 27, 0, 45);
    const parsed = parseSiteDate(isoInZone(at, LONDON), 'UTC') as SiteDate;
    expect(parsed.instant).toBe(at);
  });
});

describe('formatDay', () => {
  it.each([
    ['2012-08-16', 'D MMMM YYYY', 'en', '16 August 2012'],
    ['2012-08-16', 'D. MMMM YYYY', 'de', '16. August 2012'],
    ['2012-08-16', '[on] dddd', 'en', 'on Thursday'],
    ['2012-08-16', 'dddd', 'de', 'Donnerstag'],
    // Russian needs the genitive ("of August") in a date, not the nominative "август".
    ['2012-08-16', 'D MMMM YYYY', 'ru', '16 августа 2012'],
    ['2024-03-01', 'D MMMM YYYY', 'ru', '1 марта 2024'],
    ['2012-08-16', 'D MMMM YYYY', 'fr', '16 août 2012'],
    ['2012-08-16', 'MMM D, YYYY', 'en', 'Aug 16, 2012'],
    ['2024-03-05', 'DD.MM.YYYY', 'de', '05.03.2024'],
    ['2024-03-05', 'D/M/YYYY', 'en', '5/3/2024'],
    ['2024-03-05', 'YYYY-MM-DD', 'en', '2024-03-05'],
    ['2012-08-16', '[Posted] D MMMM', 'en', 'Posted 16 August'],
    ['2012-08-16', '[D MMMM YYYY]', 'en', 'D MMMM YYYY'],
  ])('%s as %j in %s is %j', (day, pattern, language, expected) => {
    expect(formatDay(day, pattern, language)).toBe(expected);
  });
});

describe('today', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['UTC', Date.UTC(2024, 0, 1, 23, 30), '2024-01-01'],
    ['Asia/Tokyo', Date.UTC(2024, 0, 1, 23, 30), '2024-01-02'],
    [HONOLULU, Date.UTC(2024, 0, 1, 5), '2023-12-31'],
  ])('in %s at %i is %s', (timeZone, now, day) => {
    expect(today(timeZone, now)).toBe(day);
  });

  it('defaults to the current time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 10, 29, 23, 30));
    expect(today('UTC')).toBe('2026-11-29');
    expect(today('Asia/Tokyo')).toBe('2026-11-30');
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/London', true],
    ['UTC', true],
    ['Pacific/Honolulu', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%j → %s', (timeZone, valid) => {
    expect(isValidTimeZone(timeZone)).toBe(valid);
  });
});

describe('results do not depend on the machine time zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it.each(['UTC', 'Pacific/Honolulu', 'Asia/Tokyo', 'America/New_York', 'Pacific/Kiritimati'])(
    'with process.env.TZ = %s',
    (machineZone) => {
      process.env.TZ = machineZone;
      expect(parseSiteDate('2012-08-16', HONOLULU)).toEqual({
        instant: Date.UTC(2012, 7, 16, 10),
        day: '2012-08-16',
        hasTime: false,
      });
      expect((parseSiteDate('2012-08-16', LONDON) as SiteDate).day).toBe('2012-08-16');
      expect((parseSiteDate('2012-08-16T23:30:00', LONDON) as SiteDate).instant).toBe(Date.UTC(2012, 7, 16, 22, 30));
      expect(calendarDay(Date.UTC(2012, 7, 15, 23, 30), LONDON)).toBe('2012-08-16');
      expect(isoInZone(Date.UTC(2012, 7, 15, 23), LONDON)).toBe('2012-08-16T00:00:00+01:00');
      expect(zonedInstant([2024, 3, 31, 2, 30], LONDON)).toBe(Date.UTC(2024, 2, 31, 1, 30));
      expect(formatDay('2012-08-16', 'dddd D MMMM YYYY', 'en')).toBe('Thursday 16 August 2012');
      expect(today(LONDON, Date.UTC(2012, 7, 15, 23, 30))).toBe('2012-08-16');
    },
  );

  it('really changes the machine zone between runs (sanity check for the table above)', () => {
    process.env.TZ = 'Pacific/Honolulu';
    const honolulu = new Date(Date.UTC(2012, 7, 16)).getHours();
    process.env.TZ = 'Asia/Tokyo';
    const tokyo = new Date(Date.UTC(2012, 7, 16)).getHours();
    expect(honolulu).not.toBe(tokyo);
  });
});
