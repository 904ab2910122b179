import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Book, type StageState } from '@/api/books';
import RunProgress from '@/components/books/RunProgress.vue';
import { makeI18n } from '@/i18n';

const STAGES = ['ingestion', 'analysis', 'storyboard', 'narration', 'assembly'] as const;

function book(status: Book['status'], states: Partial<StageState>[], extra: Partial<Book> = {}): Book {
  return {
    id: 'b1',
    title: 'T',
    author: '',
    settings: { ...DEFAULT_SETTINGS },
    status,
    stages: STAGES.map((stage, i) => ({ stage, status: 'pending', progress: 0, ...states[i] })),
    run_from: 'ingestion',
    current_version: 0,
    error: null,
    created_by: 'u1',
    created_at: '2026-12-06T10:00:00Z',
    updated_at: '2026-12-06T10:00:00Z',
    source: null,
    ...extra,
  };
}

const mountWith = (b: Book, locale: 'fr' | 'en' = 'fr') => mount(RunProgress, { props: { book: b }, global: { plugins: [makeI18n(locale)] } });

describe('the progress of a run', () => {
  it('lists the five stages in order with their status and progress bar', () => {
    const w = mountWith(
      book('running', [
        { status: 'done', progress: 100 },
        { status: 'done', progress: 100 },
        { status: 'running', progress: 40 },
      ]),
    );
    const rows = w.findAll('li[data-stage]');
    expect(rows.map((r) => r.attributes('data-stage'))).toEqual([...STAGES]);
    expect(rows.map((r) => r.attributes('data-status'))).toEqual(['done', 'done', 'running', 'pending', 'pending']);
    expect(rows[2]!.text()).toContain('Storyboard');
    expect(rows[2]!.text()).toContain('En cours');
    expect(rows[2]!.find('progress').attributes('value')).toBe('40');
    expect(rows[2]!.find('progress').attributes('aria-label')).toBe('Storyboard : 40 %');
    expect(rows[0]!.text()).toContain('Lecture du livre');
    // Two stages done and a third at 40 %: 48 % of the run.
    expect(w.find('.overall progress').attributes('value')).toBe('48');
    expect(w.find('[role="status"]').text()).toBe('En cours · Storyboard');
    expect(w.find('[data-testid="run-error"]').exists()).toBe(false);
  });

  it('counts stages carried over from the previous version as complete', () => {
    const w = mountWith(
      book('running', [
        { status: 'skipped', progress: 0 },
        { status: 'skipped', progress: 0 },
        { status: 'skipped', progress: 0 },
        { status: 'running', progress: 50 },
      ]),
    );
    expect(w.find('li[data-stage="analysis"] progress').attributes('value')).toBe('100');
    expect(w.find('li[data-stage="analysis"]').text()).toContain('Repris');
    expect(w.find('.overall progress').attributes('value')).toBe('70');
  });

  it('names the failed stage and the reason', () => {
    const w = mountWith(
      book(
        'failed',
        [{ status: 'done', progress: 100 }, { status: 'failed', progress: 20, error: 'the text has no sentence' }],
        { error: 'analysis: the text has no sentence' },
      ),
      'en',
    );
    const alert = w.find('[data-testid="run-error"]');
    expect(alert.attributes('role')).toBe('alert');
    expect(alert.text()).toContain('The generation failed');
    expect(alert.text()).toContain('Stage “Story analysis”: the text has no sentence');
    expect(w.find('li[data-stage="analysis"]').classes()).toContain('stage-failed');
  });

  it('falls back on the book\'s error when no stage carries one, and shows 100 % once done', () => {
    const failed = mountWith(book('failed', [], { error: 'The worker stopped.' }));
    expect(failed.find('[data-testid="run-error"]').text()).toContain('The worker stopped.');
    const done = mountWith(book('done', STAGES.map(() => ({ status: 'done' as const, progress: 100 }))));
    expect(done.find('.overall progress').attributes('value')).toBe('100');
    expect(done.attributes('data-status')).toBe('done');
  });
});
