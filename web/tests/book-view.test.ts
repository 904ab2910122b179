import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { DEFAULT_SETTINGS, type Analysis, type Book, type StageState } from '@/api/books';
import { ApiClient } from '@/api/client';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import { makeI18n } from '@/i18n';
import { useAuthStore } from '@/stores/auth';
import BookNewView from '@/views/books/BookNewView.vue';
import BooksView from '@/views/books/BooksView.vue';
import BookView from '@/views/books/BookView.vue';
import { fakeServer, json, problem } from './fake-server';

const STAGES = ['ingestion', 'analysis', 'storyboard', 'narration', 'assembly'] as const;
const stagesAt = (done: number, running?: number): StageState[] =>
  STAGES.map((stage, i) => ({
    stage,
    status: i < done ? 'done' : i === done && running !== undefined ? 'running' : 'pending',
    progress: i < done ? 100 : i === done && running !== undefined ? running : 0,
  }));

const book = (extra: Partial<Book> = {}): Book => ({
  id: 'b1',
  title: 'La fête du village',
  author: 'Claire Martin',
  settings: { ...DEFAULT_SETTINGS },
  status: 'idle',
  stages: stagesAt(0),
  run_from: null,
  current_version: 0,
  error: null,
  created_by: 'u1',
  created_at: '2026-12-06T10:00:00Z',
  updated_at: '2026-12-06T10:00:00Z',
  source: { name: 'fete.txt', format: 'text', size: 551, sha256: 'a'.repeat(64) },
  ...extra,
});

const analysis: Analysis = {
  language: 'fr',
  sentences: 8,
  words: 94,
  characters: [
    { id: 'c1', name: 'Marie', aliases: ['la boulangère'], mentions: 4, lines_spoken: 1, gender: 'female' },
    { id: 'c2', name: 'Paul', aliases: [], mentions: 4, lines_spoken: 2, gender: null },
  ],
  places: [],
  time_markers: ['le soir'],
  scenes: [
    {
      index: 0,
      chapter: 0,
      first_paragraph: 0,
      last_paragraph: 2,
      place: 'la place',
      time_marker: 'le soir',
      cast: ['c1', 'c2'],
      summary: ['Marie poussa la porte.'],
      tone: { emotions: { joy: 0.6, fear: 0.4 }, valence: 0.2, arousal: 0.7, dominant: 'joy' },
      flags: ['violence'],
      break_reason: 'chapter',
      words: 94,
    },
  ],
  classification: { genre_hints: [], flags: [] },
  summary: ['Marie poussa la porte de la boulangerie.'],
};

const doneBook = book({ status: 'done', stages: stagesAt(5), current_version: 1 });
const resultRoutes = {
  'GET /api/v1/books/b1/versions': () => json(200, { items: [] }),
  'GET /api/v1/books/b1/files': () =>
    json(200, { items: [{ name: 'analysis.json', stage: 'analysis', content_type: 'application/json', size: 10, sha256: '0' }] }),
  'GET /api/v1/books/b1/files/analysis.json': () => json(200, analysis),
};

function router() {
  return createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] });
}

async function setup(component: unknown, routes: Parameters<typeof fakeServer>[0], props: Record<string, unknown> = {}) {
  const server = fakeServer(routes);
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
  const r = router();
  await r.push('/books');
  const w = mount(component as never, { props: props as never, global: { plugins: [pinia, r, makeI18n('fr')] }, attachTo: document.body });
  await flushPromises();
  return { w, calls: server.calls, router: r };
}

const gets = (calls: { method: string; path: string }[]) => calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/books/b1').length;

beforeEach(() => {
  document.body.innerHTML = '';
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the book page', () => {
  it('follows a run every second until it is done, then stops and shows the characters', async () => {
    vi.useFakeTimers();
    const answers = [
      book({ status: 'running', stages: stagesAt(1, 40), run_from: 'ingestion' }),
      book({ status: 'running', stages: stagesAt(3, 10), run_from: 'ingestion' }),
      doneBook,
    ];
    let n = 0;
    const { w, calls } = await setup(
      BookView,
      { 'GET /api/v1/books/b1': () => json(200, answers[Math.min(n++, answers.length - 1)], { ETag: `"v${n}"` }), ...resultRoutes },
      { id: 'b1' },
    );
    expect(w.find('[data-testid="run-progress"]').attributes('data-status')).toBe('running');
    expect(w.find('li[data-stage="analysis"] progress').attributes('value')).toBe('40');
    expect(w.text()).toContain('La génération est en cours');

    await vi.advanceTimersByTimeAsync(1000);
    await flushPromises();
    expect(w.find('li[data-stage="narration"]').attributes('data-status')).toBe('running');

    await vi.advanceTimersByTimeAsync(1000);
    await flushPromises();
    expect(w.find('[data-testid="run-progress"]').attributes('data-status')).toBe('done');
    expect(w.text()).toContain('Génération terminée : version 1.');
    const rows = w.findAll('[data-testid="characters"] tbody tr');
    expect(rows.map((r) => r.find('th').text())).toEqual(['Marie', 'Paul']);
    expect(rows[0]!.text()).toContain('la boulangère');

    // Done: no more reads of the book.
    const before = gets(calls);
    await vi.advanceTimersByTimeAsync(5000);
    expect(gets(calls)).toBe(before);

    // The scenes name the cast instead of their ids.
    await w.find('#tab-scenes').trigger('click');
    expect(w.find('[data-testid="scenes"]').text()).toContain('Marie, Paul');
    expect(w.find('[data-testid="scenes"]').text()).toContain('Joie');
    w.unmount();
  });

  it('stops following the run when the page goes away', async () => {
    vi.useFakeTimers();
    const { w, calls } = await setup(
      BookView,
      { 'GET /api/v1/books/b1': () => json(200, book({ status: 'queued', run_from: 'ingestion' })), ...resultRoutes },
      { id: 'b1' },
    );
    await vi.advanceTimersByTimeAsync(1000);
    await flushPromises();
    const before = gets(calls);
    expect(before).toBe(2);
    w.unmount();
    await vi.advanceTimersByTimeAsync(5000);
    expect(gets(calls)).toBe(before);
  });

  it('starts a run, and redoes from a stage; a 409 says why', async () => {
    let conflict = false;
    const { w, calls } = await setup(
      BookView,
      {
        'GET /api/v1/books/b1': () => json(200, doneBook),
        'POST /api/v1/books/b1/runs': () =>
          conflict
            ? problem(409, 'Conflict', { detail: 'A run is already queued or running.' })
            : json(202, book({ status: 'queued', run_from: 'narration', stages: stagesAt(3), current_version: 1 })),
        ...resultRoutes,
      },
      { id: 'b1', pollMs: 60_000 },
    );
    const select = w.find<HTMLSelectElement>('#redo-from');
    expect(select.findAll('option').map((o) => o.attributes('value'))).toEqual(['analysis', 'storyboard', 'narration', 'assembly']);
    expect(select.element.value).toBe('narration');
    await w.find('form.redo').trigger('submit');
    await flushPromises();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ from: 'narration' });
    expect(w.find('[data-testid="book-status"]').text()).toBe("En file d'attente");
    expect(w.find('[data-testid="generate"]').attributes('disabled')).toBeDefined();
    w.unmount();

    conflict = true;
    const again = await setup(
      BookView,
      {
        'GET /api/v1/books/b1': () => json(200, doneBook),
        'POST /api/v1/books/b1/runs': () => problem(409, 'Conflict', { detail: 'A run is already queued or running.' }),
        ...resultRoutes,
      },
      { id: 'b1', pollMs: 60_000 },
    );
    await again.w.find('[data-testid="generate"]').trigger('click');
    await flushPromises();
    expect(again.calls.find((c) => c.method === 'POST')!.body).toEqual({});
    expect(again.w.find('[role="alert"]').text()).toContain('A run is already queued or running.');
    again.w.unmount();
  });

  it('saves the settings with If-Match and suggests the stage to redo; a 412 reloads and says so', async () => {
    let stale = false;
    const { w, calls } = await setup(
      BookView,
      {
        'GET /api/v1/books/b1': () => json(200, doneBook, { ETag: '"v9"' }),
        'PATCH /api/v1/books/b1': () =>
          stale
            ? problem(412, 'Precondition Failed')
            : json(200, { ...doneBook, settings: { ...DEFAULT_SETTINGS, pacing: 'slow' } }, { ETag: '"v10"' }),
        ...resultRoutes,
      },
      { id: 'b1', pollMs: 60_000 },
    );
    await w.findAll('button').find((b) => b.text() === 'Modifier')!.trigger('click');
    await w.find('#edit-pacing').setValue('slow');
    await w.find('form.form').trigger('submit');
    await flushPromises();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe('"v9"');
    expect(patch.body).toEqual({ settings: { pacing: 'slow' } });
    expect(w.text()).toContain('Réglages enregistrés.');
    expect(w.text()).toContain('refaites à partir de « Narration »');
    expect(w.find('[data-testid="settings"]').text()).toContain('Lent');

    stale = true;
    await w.findAll('button').find((b) => b.text() === 'Modifier')!.trigger('click');
    await w.find('#edit-style').setValue('noir');
    await w.find('form.form').trigger('submit');
    await flushPromises();
    expect(w.text()).toContain('Ce livre a changé entre-temps');
    expect(w.find('#edit-style').exists()).toBe(false);
    expect(calls.filter((c) => c.method === 'GET' && c.path === '/api/v1/books/b1')).toHaveLength(2);
    w.unmount();
  });

  it('says there is nothing yet before the first run', async () => {
    const { w } = await setup(
      BookView,
      { 'GET /api/v1/books/b1': () => json(200, book({ status: 'draft', source: null })), 'GET /api/v1/books/b1/versions': () => json(200, { items: [] }) },
      { id: 'b1' },
    );
    expect(w.text()).toContain('Aucun texte déposé');
    expect(w.text()).toContain('Rien à montrer pour l\'instant');
    expect(w.find('[data-testid="generate"]').attributes('disabled')).toBeDefined();
    expect(w.find('[data-testid="source-input"]').exists()).toBe(true);
    w.unmount();
  });
});

describe('the books list and the new book form', () => {
  it('says when there is no book yet', async () => {
    const { w } = await setup(BooksView, { 'GET /api/v1/books': () => json(200, { items: [], next_cursor: null }) });
    expect(w.text()).toContain("Aucun livre pour l'instant.");
    expect(w.find('a[href="/books/new"]').exists()).toBe(true);
    w.unmount();
  });

  it('lists books with their status and the progress of a run', async () => {
    const { w } = await setup(BooksView, {
      'GET /api/v1/books': () =>
        json(200, { items: [doneBook, book({ id: 'b2', title: 'Le Puits', author: '', status: 'running', stages: stagesAt(2, 50) })], next_cursor: null }),
      'GET /api/v1/books/b2': () => json(200, book({ id: 'b2', status: 'running', stages: stagesAt(2, 50) })),
    });
    const rows = w.findAll('tbody tr');
    expect(rows[0]!.text()).toContain('Terminé');
    expect(rows[0]!.find('progress').attributes('value')).toBe('100');
    expect(rows[1]!.text()).toContain('En cours');
    expect(rows[1]!.find('progress').attributes('value')).toBe('50');
    expect(rows[1]!.find('a').attributes('href')).toBe('/books/b2');
    w.unmount();
  });

  it('checks the length here, then shows the server\'s field messages next to their fields', async () => {
    const { w, calls, router: r } = await setup(BookNewView, {
      'POST /api/v1/books': (c) =>
        (c.body as { title: string }).title === 'Doublon'
          ? problem(422, 'Unprocessable Content', {
              detail: 'Some fields are missing or invalid.',
              errors: [
                { field: 'settings.voice', message: 'One of m1..m5 or f1..f5.' },
                { field: 'title', message: 'Too long.' },
              ],
            })
          : json(201, book({ id: 'b9', status: 'draft', source: null })),
    });
    await w.find('#book-target').setValue('0');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(w.text()).toContain('Obligatoire.');
    expect(w.text()).toContain('Un nombre entier de minutes, entre 1 et 120.');
    expect(calls).toHaveLength(0);

    await w.find('#book-title').setValue('Doublon');
    await w.find('#book-target').setValue('3');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(w.find('#book-voice-error').text()).toBe('One of m1..m5 or f1..f5.');
    expect(w.find('#book-title-error').text()).toBe('Too long.');
    expect(w.find('#book-voice').attributes('aria-invalid')).toBe('true');

    await w.find('#book-title').setValue('La fête');
    await w.find('#book-pacing').setValue('fast');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(calls.at(-1)!.body).toEqual({
      title: 'La fête',
      settings: { style: 'sketch', aspect: '16:9', pacing: 'fast', language: null, voice: '', target_minutes: 3 },
    });
    expect(r.currentRoute.value.path).toBe('/books/b9');
    w.unmount();
  });
});

describe('the upload of the text', () => {
  it('sends the file as the raw body of a PUT, with a progress bar, then shows the source', async () => {
    const sent: { method: string; url: string; headers: Record<string, string>; x: Record<string, unknown> }[] = [];
    const xhr = () => {
      const x = {
        status: 0,
        statusText: '',
        responseText: '',
        upload: { onprogress: null as null | ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) },
        onload: null as null | (() => void),
        onerror: null,
        onabort: null,
        open(method: string, url: string) {
          sent.push({ method, url, headers: {}, x });
        },
        setRequestHeader(name: string, value: string) {
          sent.at(-1)!.headers[name] = value;
        },
        send() {},
        abort() {},
        getResponseHeader: () => 'application/json',
      };
      return x;
    };
    const uploaded = book({ source: { name: 'conte.txt', format: 'text', size: 18, sha256: 'b'.repeat(64) } });
    let stored = false;
    const { w, calls } = await setup(
      BookView,
      {
        'GET /api/v1/books/b1': () => json(200, stored ? uploaded : book({ status: 'draft', source: null }), { ETag: stored ? '"v2"' : '"v1"' }),
        'GET /api/v1/books/b1/versions': () => json(200, { items: [] }),
      },
      { id: 'b1', xhr },
    );
    const input = w.find<HTMLInputElement>('[data-testid="source-input"]');
    const file = new File(['Il était une fois.'], 'conte.txt', { type: 'text/plain' });
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
    expect(sent[0]!.method).toBe('PUT');
    expect(sent[0]!.url).toBe('/api/v1/books/b1/source?name=conte.txt');
    const x = sent[0]!.x as { upload: { onprogress: (e: object) => void }; onload: () => void; status: number; responseText: string };
    x.upload.onprogress({ loaded: 9, total: 18, lengthComputable: true });
    await flushPromises();
    expect(w.find('.sending progress').attributes('value')).toBe('50');
    x.status = 200;
    x.responseText = JSON.stringify(uploaded);
    stored = true;
    x.onload();
    await flushPromises();
    // Read again, for the ETag that a change of settings will send.
    expect(calls.filter((c) => c.path === '/api/v1/books/b1')).toHaveLength(2);
    expect(w.find('.sending').exists()).toBe(false);
    expect(w.find('[data-testid="source"]').text()).toContain('conte.txt');
    expect(w.text()).toContain('Texte déposé : conte.txt.');
    expect(w.find('[data-testid="generate"]').attributes('disabled')).toBeUndefined();
    w.unmount();
  });
});
