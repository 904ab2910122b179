import { flushPromises, mount } from '@vue/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gantt, GanttTask } from '@/api/types';
import GanttChart from '@/components/planning/GanttChart.vue';
import { makeI18n } from '@/i18n';
import { dayNumber, isoOfDay } from '@/lib/gantt';

beforeAll(() => {
  // jsdom has no layout: no media queries, and boxes of zero size.
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  })) as unknown as typeof window.matchMedia;
});

function plan(count: number): Gantt {
  const first = dayNumber('2026-09-01');
  const tasks: GanttTask[] = Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    name: `Tâche ${i}`,
    lot_id: null,
    start: isoOfDay(first + i),
    finish: isoOfDay(first + i + 2),
    duration_days: i % 10 === 9 ? 0 : 3,
    progress_percent: 0,
    milestone: i % 10 === 9,
    critical: i % 2 === 0,
    total_float: 0,
    status: 'todo',
    baseline_start: isoOfDay(first + i),
    baseline_finish: isoOfDay(first + i + 1),
  }));
  const links = tasks.slice(1).map((t, i) => ({ id: `l${i}`, from: `t${i}`, to: t.id, type: 'FS' as const, lag_days: 0 }));
  return {
    project: { id: 'p1', name: 'Grand ensemble', start: '2026-09-01', finish: null, deadline: null },
    calendar: { working_weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], non_working_days: ['2026-11-11'], extra_working_days: [] },
    tasks,
    links,
    version: 1,
    input_version: 1,
    stale: false,
  };
}

describe('GanttChart', () => {
  it('renders only a window of a 2,000-task plan, and the arrows that touch it', async () => {
    const w = mount(GanttChart, {
      props: { data: plan(2000), zoom: 'day', canWrite: true, lotCode: new Map() },
      global: { plugins: [makeI18n('fr')] },
    });
    await flushPromises(); // the window is measured once mounted
    const rows = w.findAll('.grid-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(w.findAll('[data-testid="gantt-bar"]').length).toBe(rows.length);
    expect(w.findAll('path.link').length).toBeLessThanOrEqual(rows.length);
    // The canvas is as tall as all the rows: the scroll bar tells the plan's size.
    expect(w.find('.gantt-body').attributes('style')).toContain(`height: ${2000 * 28}px`);
    w.unmount();
  });

  it('draws critical bars, milestones as diamonds and baseline ghosts', async () => {
    const w = mount(GanttChart, {
      props: { data: plan(12), zoom: 'week', canWrite: false, lotCode: new Map() },
      global: { plugins: [makeI18n('fr')] },
    });
    await flushPromises(); // the window is measured once mounted
    const bar = (name: string) => w.find(`[data-testid="gantt-bar"][data-name="${name}"]`);
    expect(bar('Tâche 0').classes()).toContain('bar-critical');
    expect(bar('Tâche 1').attributes('data-critical')).toBe('false');
    expect(bar('Tâche 9').element.tagName).toBe('polygon');
    expect(w.findAll('[data-testid="gantt-baseline"]').length).toBe(11);
    expect(w.findAll('path.link.critical').length).toBe(0); // a critical task never follows another here
    expect(w.findAll('path.link').length).toBe(11);
    w.unmount();
  });

  it('opens a task from its bar with the keyboard', async () => {
    const w = mount(GanttChart, {
      props: { data: plan(3), zoom: 'day', canWrite: true, lotCode: new Map() },
      global: { plugins: [makeI18n('fr')] },
    });
    await flushPromises(); // the window is measured once mounted
    await w.find('.bar-group').trigger('keydown', { key: 'Enter' });
    expect(w.emitted('open')?.[0]).toEqual(['t0']);
    await w.find('.bar-group').trigger('keydown', { key: 'ArrowRight' });
    // Tuesday 1 September 2026 + one working day.
    expect(w.emitted('move')?.[0]).toEqual(['t0', '2026-09-02']);
    await w.find('.bar-group').trigger('keydown', { key: 'ArrowRight', shiftKey: true });
    expect(w.emitted('resize')?.[0]).toEqual(['t0', 4]);
    w.unmount();
  });
});
