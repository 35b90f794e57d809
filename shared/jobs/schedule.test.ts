// The daily job at 2:00 AM Melbourne, every day, whatever daylight saving does.
import { describe, expect, it } from 'vitest';
import { isDailyRunHour, melbourneClock, nextMelbourneRun } from './schedule.ts';

const next = (from: string) => nextMelbourneRun(new Date(from)).toISOString();

describe('the daily job at 2 AM Melbourne', () => {
  it('runs at the coming 2 AM when asked before it, and at the next day’s once it has passed', () => {
    // Summer, AEDT (UTC+11): 2 AM is 15:00 UTC the day before.
    expect(next('2026-12-01T13:30:00Z')).toBe('2026-12-01T15:00:00.000Z'); // 12:30 AM on the 2nd
    expect(next('2026-12-01T00:00:00Z')).toBe('2026-12-01T15:00:00.000Z'); // 11 AM on the 1st
    expect(next('2026-12-01T15:00:00Z')).toBe('2026-12-02T15:00:00.000Z'); // 2:00 AM exactly: the next is tomorrow's
    expect(next('2026-12-01T15:30:00Z')).toBe('2026-12-02T15:00:00.000Z'); // 2:30 AM
    // Winter, AEST (UTC+10): 2 AM is 16:00 UTC.
    expect(next('2026-07-01T00:00:00Z')).toBe('2026-07-01T16:00:00.000Z');
    expect(next('2026-07-01T16:30:00Z')).toBe('2026-07-02T16:00:00.000Z');
  });

  it('runs once on the April night 2 AM happens twice (clocks back at 3:00 AEDT on 5 April 2026)', () => {
    expect(melbourneClock(new Date('2026-04-04T15:30:00Z'))).toEqual({ date: '2026-04-05', hour: 2 }); // AEDT
    expect(melbourneClock(new Date('2026-04-04T16:30:00Z'))).toEqual({ date: '2026-04-05', hour: 2 }); // AEST, again
    expect(next('2026-04-04T12:00:00Z')).toBe('2026-04-04T15:00:00.000Z'); // the first 2 AM
    expect(next('2026-04-04T15:30:00Z')).toBe('2026-04-05T16:00:00.000Z'); // not the repeat an hour later
    expect(next('2026-04-05T12:00:00Z')).toBe('2026-04-05T16:00:00.000Z'); // AEST from then on
  });

  it('still runs on the October night that has no 2 AM (clocks forward at 2:00 AEST on 4 October 2026)', () => {
    expect(melbourneClock(new Date('2026-10-03T15:30:00Z')).hour).toBe(1);
    expect(melbourneClock(new Date('2026-10-03T16:30:00Z')).hour).toBe(3);
    expect(next('2026-10-02T17:00:00Z')).toBe('2026-10-03T16:00:00.000Z'); // 3:00 AEDT on the 4th, 24 h after the 3rd's run
    expect(isDailyRunHour(new Date('2026-10-03T16:30:00Z'))).toBe(true);
    expect(next('2026-10-03T16:30:00Z')).toBe('2026-10-04T15:00:00.000Z'); // 2:00 AEDT on the 5th
    expect(isDailyRunHour(new Date('2026-10-04T16:30:00Z'))).toBe(false); // 3 AM on an ordinary night
  });

  it('is due only in the 2 AM hour on ordinary nights', () => {
    expect(isDailyRunHour(new Date('2026-11-26T15:30:00Z'))).toBe(true); // 2:30 AM AEDT
    expect(isDailyRunHour(new Date('2026-11-26T14:59:59Z'))).toBe(false); // 1:59 AM
    expect(isDailyRunHour(new Date('2026-11-26T16:00:00Z'))).toBe(false); // 3:00 AM
    expect(isDailyRunHour(new Date('2026-11-26T12:00:00Z'))).toBe(false); // 11 PM
  });
});
