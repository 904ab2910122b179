import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiClient } from '@/api/client';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import type { Task, TaskStatus } from '@/api/types';
import { makeI18n } from '@/i18n';
import { useAuthStore } from '@/stores/auth';
import BoardView from '@/views/projects/BoardView.vue';
import { deferred, fakeServer, json, problem, type Handler } from './fake-server';

const task = (id: string, status: TaskStatus, version = 1): Task => ({
  id,
  org_id: 'o1',
  project_id: 'p1',
  name: `Tâche ${id}`,
  description: '',
  duration_days: 2,
  milestone: false,
  lot_id: null,
  assignees: [],
  constraint: null,
  status,
  rank: 0,
  progress_percent: 0,
  actual_start: null,
  actual_finish: null,
  checklist: [],
  version,
  created_at: '',
  updated_at: '',
});
const project = {
  id: 'p1',
  org_id: 'o1',
  code: 'RES',
  name: 'Résidence',
  address: '',
  client: '',
  start_date: '2026-09-01',
  end_date: null,
  currency: 'EUR',
  status: 'planned',
  version: 1,
  created_at: '',
  updated_at: '',
  archived_at: null,
};
const board = () => ({
  project_id: 'p1',
  columns: [
    { status: 'todo', tasks: [task('a', 'todo'), task('b', 'todo')] },
    { status: 'in_progress', tasks: [task('d', 'in_progress')] },
    { status: 'blocked', tasks: [] },
    { status: 'done', tasks: [] },
  ],
});

async function setup(move: Handler) {
  const server = fakeServer({
    'GET /api/v1/projects/p1': () => json(200, project),
    'GET /api/v1/projects/p1/lots': () => json(200, { items: [], next_cursor: null }),
    'GET /api/v1/projects/p1/board': () => json(200, board()),
    'PATCH /api/v1/tasks/a/status': move,
  });
  setApi(new ApiClient({ tokens: new MemoryTokenStore(), fetch: server.fetch, lock: (_n, fn) => fn() }));
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().me = {
    id: 'u1',
    email: 'marie@example.fr',
    name: 'Marie',
    locale: 'fr',
    email_verified: true,
    org_id: 'o1',
    roles: ['owner'],
    memberships: [{ org_id: 'o1', org_name: 'Durand', role: 'owner' }],
  };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] });
  const w = mount(BoardView, { props: { id: 'p1' }, global: { plugins: [pinia, router, makeI18n('fr')] }, attachTo: document.body });
  await flushPromises();
  return { w, calls: server.calls };
}

const namesIn = (w: ReturnType<typeof mount>, status: string) =>
  w.findAll(`section[data-status="${status}"] .card-name`).map((c) => c.text());

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('the Kanban board', () => {
  it('moves a card at once with Alt + arrow, and tells the server its neighbour', async () => {
    const answer = deferred<Response>();
    const { w, calls } = await setup(() => answer.promise);
    expect(namesIn(w, 'todo')).toEqual(['Tâche a', 'Tâche b']);
    await w.find('[data-task-id="a"] .card-open').trigger('keydown', { key: 'ArrowRight', altKey: true });
    expect(namesIn(w, 'in_progress')).toEqual(['Tâche a', 'Tâche d']);
    expect(w.find('[data-testid="board-live"]').text()).toBe('« Tâche a » déplacée dans En cours, position 1 sur 2.');
    const sent = calls.find((c) => c.method === 'PATCH')!;
    expect(sent.body).toEqual({ status: 'in_progress', before_id: 'd' });
    expect(sent.headers.get('If-Match')).toBe('"v1"');
    answer.resolve(json(200, task('a', 'in_progress', 2)));
    await flushPromises();
    expect(namesIn(w, 'in_progress')).toEqual(['Tâche a', 'Tâche d']);
    w.unmount();
  });

  it('puts the card back and says why when the server refuses the move', async () => {
    const { w } = await setup(() => problem(422, 'Unprocessable Content', { detail: 'The task to place it next to is not in that column.' }));
    await w.find('[data-task-id="a"] .card-open').trigger('keydown', { key: 'ArrowDown', altKey: true });
    await flushPromises();
    expect(namesIn(w, 'todo')).toEqual(['Tâche a', 'Tâche b']);
    expect(w.find('[data-testid="move-error"]').text()).toContain('Le déplacement de « Tâche a » a échoué');
    w.unmount();
  });

  it('reloads the board on a conflict (412)', async () => {
    const { w, calls } = await setup(() => problem(412, 'Precondition Failed'));
    await w.find('[data-task-id="a"] .card-open').trigger('keydown', { key: 'ArrowRight', altKey: true });
    await flushPromises();
    expect(w.find('[data-testid="move-error"]').text()).toContain('modifiée par quelqu\'un d\'autre');
    expect(calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/projects/p1/board')).toHaveLength(2);
    expect(namesIn(w, 'todo')).toEqual(['Tâche a', 'Tâche b']);
    w.unmount();
  });

  it('moves through the card menu', async () => {
    const { w, calls } = await setup(() => json(200, task('a', 'blocked', 2)));
    await w.find('[data-task-id="a"] .card-move').trigger('click');
    const to = w.findAll('#move-menu-a button').find((b) => b.text() === 'Vers « Bloqué »')!;
    await to.trigger('click');
    await flushPromises();
    expect(namesIn(w, 'blocked')).toEqual(['Tâche a']);
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ status: 'blocked' });
    w.unmount();
  });
});
