import { describe, expect, it } from 'vitest';
import {
  ARROW_STUB,
  DayAxis,
  WorkCalendar,
  barOf,
  dayNumber,
  isoOfDay,
  isoWeek,
  linkPath,
  rowWindow,
  scaleCells,
  weekdayOf,
} from '@/lib/gantt';

const calendar = new WorkCalendar({
  working_weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  non_working_days: ['2026-05-01', '2026-05-08'],
  extra_working_days: ['2026-05-09'],
});

describe('working calendar', () => {
  it('reads ISO dates as days, whatever the time zone', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(isoOfDay(dayNumber('2026-03-02'))).toBe('2026-03-02');
    expect(weekdayOf(dayNumber('2026-03-02'))).toBe('mon');
    expect(weekdayOf(dayNumber('2026-03-08'))).toBe('sun');
  });

  it('closes weekends and holidays, opens extra days', () => {
    expect(calendar.isWorking(dayNumber('2026-04-30'))).toBe(true); // Thursday
    expect(calendar.isWorking(dayNumber('2026-05-01'))).toBe(false); // Friday, holiday
    expect(calendar.isHoliday(dayNumber('2026-05-01'))).toBe(true);
    expect(calendar.isWorking(dayNumber('2026-05-02'))).toBe(false); // Saturday
    expect(calendar.isWorking(dayNumber('2026-05-09'))).toBe(true); // Saturday worked
  });

  it('snaps to working days and counts them', () => {
    expect(isoOfDay(calendar.snap(dayNumber('2026-05-01')))).toBe('2026-05-04');
    expect(isoOfDay(calendar.snap(dayNumber('2026-05-03'), -1))).toBe('2026-04-30');
    // Mon 4 to Fri 8 May: the 8th is a holiday.
    expect(calendar.workingDaysBetween(dayNumber('2026-05-04'), dayNumber('2026-05-08'))).toBe(4);
    expect(isoOfDay(calendar.finishOf(dayNumber('2026-05-04'), 5))).toBe('2026-05-09');
    expect(calendar.finishOf(dayNumber('2026-05-04'), 0)).toBe(dayNumber('2026-05-04'));
  });
});

describe('day axis', () => {
  const axis = new DayAxis(dayNumber('2026-03-02'), dayNumber('2026-03-31'), 20);

  it('puts a date at its column and back', () => {
    expect(axis.xOf('2026-03-02')).toBe(0);
    expect(axis.xOf('2026-03-09')).toBe(140);
    expect(axis.width).toBe(30 * 20);
    expect(isoOfDay(axis.dayAt(145))).toBe('2026-03-09');
    expect(axis.dayAt(-50)).toBe(axis.first);
    expect(axis.dayAt(1e6)).toBe(axis.last);
  });

  it('draws a bar to the end of its inclusive finish day, a milestone as a point at the end of its day', () => {
    expect(barOf(axis, '2026-03-03', '2026-03-05', false)).toEqual({ x0: 20, x1: 80 });
    expect(barOf(axis, '2026-03-03', '2026-03-03', false)).toEqual({ x0: 20, x1: 40 });
    expect(barOf(axis, '2026-03-10', '2026-03-10', true)).toEqual({ x0: 180, x1: 180 });
  });

  it('labels months over days, weeks or months', () => {
    const { top, bottom } = scaleCells(axis, 'day', axis.first, axis.first + 2, 'fr');
    expect(top[0]).toMatchObject({ x: 0, width: 600, label: 'mars 2026' });
    expect(bottom.map((c) => c.label)).toEqual(['2', '3', '4']);
    const weeks = scaleCells(axis, 'week', axis.first, axis.first + 8, 'fr').bottom;
    expect(weeks.map((c) => c.label)).toEqual(['10', '11']);
    expect(isoWeek(dayNumber('2026-01-01'))).toBe(1);
    expect(isoWeek(dayNumber('2027-01-01'))).toBe(53);
  });
});

describe('dependency arrows', () => {
  const pred = { x0: 100, x1: 200 };
  const S = ARROW_STUB;

  it('FS: from the end of the predecessor to the start of the successor', () => {
    expect(linkPath('FS', pred, 10, { x0: 240, x1: 300 }, 40, 15)).toBe(`M200,10H${200 + S}V40H240`);
    // The successor starts before the predecessor ends: out, between the rows, back, in.
    expect(linkPath('FS', pred, 10, { x0: 150, x1: 300 }, 40, 15)).toBe(
      `M200,10H${200 + S}V25H${150 - S}V40H150`,
    );
  });

  it('SS: start to start, turning left of both', () => {
    expect(linkPath('SS', pred, 10, { x0: 160, x1: 300 }, 40, 15)).toBe(`M100,10H${100 - S}V40H160`);
    expect(linkPath('SS', pred, 10, { x0: 50, x1: 300 }, 40, 15)).toBe(`M100,10H${50 - S}V40H50`);
  });

  it('FF: end to end, turning right of both', () => {
    expect(linkPath('FF', pred, 10, { x0: 120, x1: 260 }, 40, 15)).toBe(`M200,10H${260 + S}V40H260`);
    expect(linkPath('FF', pred, 10, { x0: 120, x1: 180 }, 40, 15)).toBe(`M200,10H${200 + S}V40H180`);
  });

  it('SF: from the start of the predecessor to the end of the successor', () => {
    // The successor ends before the predecessor starts: straight in from the right.
    expect(linkPath('SF', pred, 10, { x0: 20, x1: 60 }, 40, 15)).toBe(`M100,10H${100 - S}V40H60`);
    // Otherwise around, between the rows.
    expect(linkPath('SF', pred, 10, { x0: 20, x1: 150 }, 40, 15)).toBe(
      `M100,10H${100 - S}V25H${150 + S}V40H150`,
    );
  });

  it('goes up when the successor is above', () => {
    expect(linkPath('FS', pred, 40, { x0: 150, x1: 300 }, 10, 15)).toBe(
      `M200,40H${200 + S}V25H${150 - S}V10H150`,
    );
  });
});

describe('row window', () => {
  it('renders the rows in view plus a margin', () => {
    expect(rowWindow(0, 280, 28, 2000, 5)).toEqual({ start: 0, end: 15 });
    expect(rowWindow(28 * 100, 280, 28, 2000, 5)).toEqual({ start: 95, end: 115 });
    expect(rowWindow(28 * 100 + 14, 280, 28, 2000, 5)).toEqual({ start: 95, end: 116 });
  });

  it('stays within the rows', () => {
    expect(rowWindow(28 * 1995, 280, 28, 2000, 5)).toEqual({ start: 1990, end: 2000 });
    expect(rowWindow(-40, 280, 28, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(rowWindow(0, 280, 28, 0)).toEqual({ start: 0, end: 0 });
    expect(rowWindow(1e9, 280, 28, 10, 2)).toEqual({ start: 10, end: 10 });
  });
});
