// The Gantt chart's geometry, kept apart from Vue so that it can be tested and so that the chart
// computes it once per data or zoom change, not on every frame: the project's working calendar,
// a day axis (one column per calendar day, non-working days shaded), the bars, the orthogonal
// dependency arrows of the four link types, and the window of rows worth rendering.
import type { GanttCalendar, LinkType, Weekday } from '@/api/types';

const DAY_MS = 86_400_000;
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Days since 1970-01-01 of an ISO date (YYYY-MM-DD), whatever the reader's time zone. */
export function dayNumber(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(day: number): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((day + 4) % 7) + 7) % 7] as Weekday;
}

/** Working days as tasks.yaml's Gantt data gives them: weekdays, holidays, extra days. */
export class WorkCalendar {
  private readonly weekdays: ReadonlySet<Weekday>;
  private readonly closed: ReadonlySet<number>;
  private readonly opened: ReadonlySet<number>;

  constructor(calendar: GanttCalendar) {
    this.weekdays = new Set(calendar.working_weekdays.length ? calendar.working_weekdays : ['mon', 'tue', 'wed', 'thu', 'fri']);
    this.closed = new Set(calendar.non_working_days.map(dayNumber));
    this.opened = new Set(calendar.extra_working_days.map(dayNumber));
  }

  isWorking(day: number): boolean {
    if (this.opened.has(day)) return true;
    if (this.closed.has(day)) return false;
    return this.weekdays.has(weekdayOf(day));
  }

  isHoliday(day: number): boolean {
    return this.closed.has(day);
  }

  /** The first working day on or after `day` (on or before it when `direction` is -1). */
  snap(day: number, direction: 1 | -1 = 1): number {
    let d = day;
    for (let i = 0; i < 3660 && !this.isWorking(d); i++) d += direction;
    return d;
  }

  /** Working days from `start` to `finish`, both included (0 when finish is before start). */
  workingDaysBetween(start: number, finish: number): number {
    let n = 0;
    for (let d = start; d <= finish; d++) if (this.isWorking(d)) n++;
    return n;
  }

  /** The finish of a task of `duration` working days starting on the working day `start`. */
  finishOf(start: number, duration: number): number {
    if (duration <= 0) return start;
    let d = start;
    let left = duration;
    for (let i = 0; i < 40_000; i++, d++) {
      if (this.isWorking(d) && --left === 0) return d;
    }
    return d;
  }
}

export type Zoom = 'day' | 'week' | 'month';

/** Width of one calendar day at each zoom, in CSS pixels. */
export const DAY_WIDTH: Record<Zoom, number> = { day: 28, week: 9, month: 3 };

/** A day axis: day `first` at x = 0, each day `dayWidth` wide. */
export class DayAxis {
  constructor(
    readonly first: number,
    readonly last: number,
    readonly dayWidth: number,
  ) {}

  get days(): number {
    return this.last - this.first + 1;
  }

  get width(): number {
    return this.days * this.dayWidth;
  }

  /** The left edge of a day's column. */
  x(day: number): number {
    return (day - this.first) * this.dayWidth;
  }

  xOf(iso: string): number {
    return this.x(dayNumber(iso));
  }

  /** The day whose column holds `x` (clamped to the axis). */
  dayAt(x: number): number {
    const d = this.first + Math.floor(x / this.dayWidth);
    return Math.max(this.first, Math.min(this.last, d));
  }

  /** The days whose columns meet [x0, x1]. */
  daysIn(x0: number, x1: number): [number, number] {
    return [this.dayAt(x0), this.dayAt(x1)];
  }
}

export interface Bar {
  /** Left edge (start of the start day) and right edge (end of the inclusive finish day). */
  x0: number;
  x1: number;
}

/**
 * A bar from its start to its inclusive finish. A milestone is a point at the end of its day: the
 * schedule dates it on the finish day of what leads to it.
 */
export function barOf(axis: DayAxis, start: string, finish: string, milestone: boolean): Bar {
  const x0 = axis.xOf(start);
  if (milestone) return { x0: x0 + axis.dayWidth, x1: x0 + axis.dayWidth };
  return { x0, x1: Math.max(x0 + axis.dayWidth, axis.xOf(finish) + axis.dayWidth) };
}

/** Room an arrow keeps beside a bar before it turns. */
export const ARROW_STUB = 8;

/**
 * The orthogonal path of a link between two bars: it leaves the predecessor at its start (SS, SF)
 * or end (FS, FF), and enters the successor at its start (FS, SS, from the left) or end (FF, SF,
 * from the right), with an arrowhead there. When the way in is behind the way out, the path runs
 * between the two rows (at `rowGap`, half a row from the predecessor's middle) to turn back.
 */
export function linkPath(type: LinkType, from: Bar, fromY: number, to: Bar, toY: number, rowGap: number): string {
  const leavesAtEnd = type === 'FS' || type === 'FF';
  const entersAtStart = type === 'FS' || type === 'SS';
  const x1 = leavesAtEnd ? from.x1 : from.x0;
  const x2 = entersAtStart ? to.x0 : to.x1;
  // Direction of the way out (+1 to the right) and of the way in (+1: coming from the left).
  const out = leavesAtEnd ? 1 : -1;
  const into = entersAtStart ? 1 : -1;
  const a = x1 + out * ARROW_STUB;
  const b = x2 - into * ARROW_STUB;
  const r = (n: number) => Math.round(n * 10) / 10;
  if (out !== into) {
    // SS turns left of both starts, FF right of both ends: one vertical run.
    const turn = out === -1 ? Math.min(a, b) : Math.max(a, b);
    return `M${r(x1)},${r(fromY)}H${r(turn)}V${r(toY)}H${r(x2)}`;
  }
  // FS and SF: straight down when the way in is ahead of the way out...
  if ((out === 1 && b >= a) || (out === -1 && b <= a)) {
    return `M${r(x1)},${r(fromY)}H${r(a)}V${r(toY)}H${r(x2)}`;
  }
  // ...else out, down between the rows, back, and in.
  const mid = fromY + (toY >= fromY ? rowGap : -rowGap);
  return `M${r(x1)},${r(fromY)}H${r(a)}V${r(mid)}H${r(b)}V${r(toY)}H${r(x2)}`;
}

/** The rows worth rendering: those in view plus `overscan` on each side, end excluded. */
export function rowWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  rowCount: number,
  overscan = 10,
): { start: number; end: number } {
  if (rowCount <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight);
  const start = Math.max(0, Math.min(rowCount, first - overscan));
  const end = Math.max(start, Math.min(rowCount, last + overscan));
  return { start, end };
}

/** A header cell of the time scale: a label over [x, x + width). */
export interface ScaleCell {
  key: string;
  x: number;
  width: number;
  label: string;
}

/** Monday (or the axis's first day) of the week of `day`. */
export function weekStart(day: number): number {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return day - ((dow + 6) % 7);
}

/** ISO 8601 week number of `day`. */
export function isoWeek(day: number): number {
  const thursday = weekStart(day) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Math.round(Date.UTC(year, 0, 1) / DAY_MS);
  return Math.floor((thursday - jan1) / 7) + 1;
}

/** First day of the month of `day`, and of the next month. */
export function monthBounds(day: number): [number, number] {
  const d = new Date(day * DAY_MS);
  const start = Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS);
  const next = Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS);
  return [start, next];
}

/**
 * The two lines of the time scale between days `from` and `to`: months over days (day zoom),
 * months over weeks (week zoom) or years over months (month zoom).
 */
export function scaleCells(axis: DayAxis, zoom: Zoom, from: number, to: number, locale: string): { top: ScaleCell[]; bottom: ScaleCell[] } {
  const monthFmt = new Intl.DateTimeFormat(locale, { month: zoom === 'month' ? 'short' : 'long', year: zoom === 'month' ? undefined : 'numeric', timeZone: 'UTC' });
  const top: ScaleCell[] = [];
  const bottom: ScaleCell[] = [];
  const cell = (key: string, a: number, b: number, label: string): ScaleCell => ({
    key,
    x: axis.x(a),
    width: (b - a) * axis.dayWidth,
    label,
  });
  const lo = Math.max(axis.first, from);
  const hi = Math.min(axis.last, to);
  if (zoom === 'month') {
    for (let y = new Date(lo * DAY_MS).getUTCFullYear(); y <= new Date(hi * DAY_MS).getUTCFullYear(); y++) {
      const a = Math.max(axis.first, Math.round(Date.UTC(y, 0, 1) / DAY_MS));
      const b = Math.min(axis.last + 1, Math.round(Date.UTC(y + 1, 0, 1) / DAY_MS));
      top.push(cell(`y${y}`, a, b, String(y)));
    }
  } else {
    for (let d = monthBounds(lo)[0]; d <= hi; d = monthBounds(d)[1]) {
      const [a, b] = monthBounds(d);
      top.push(cell(`m${a}`, Math.max(axis.first, a), Math.min(axis.last + 1, b), monthFmt.format(new Date(a * DAY_MS))));
    }
  }
  if (zoom === 'day') {
    for (let d = lo; d <= hi; d++) bottom.push(cell(`d${d}`, d, d + 1, String(new Date(d * DAY_MS).getUTCDate())));
  } else if (zoom === 'week') {
    for (let d = weekStart(lo); d <= hi; d += 7) {
      bottom.push(cell(`w${d}`, Math.max(axis.first, d), Math.min(axis.last + 1, d + 7), String(isoWeek(d))));
    }
  } else {
    for (let d = monthBounds(lo)[0]; d <= hi; d = monthBounds(d)[1]) {
      const [a, b] = monthBounds(d);
      bottom.push(cell(`m${a}`, Math.max(axis.first, a), Math.min(axis.last + 1, b), monthFmt.format(new Date(a * DAY_MS))));
    }
  }
  return { top, bottom };
}
