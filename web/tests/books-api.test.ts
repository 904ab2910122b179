import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  bookFilePath,
  createBook,
  DEFAULT_SETTINGS,
  fetchBookFile,
  getBook,
  getBookJson,
  listBookFiles,
  listBooks,
  listBookVersions,
  mediaLink,
  overallProgress,
  panelName,
  redoableStages,
  sourceUrl,
  stageForSettings,
  startRun,
  updateBook,
  type Book,
  type StageState,
} from '@/api/books';
import { ApiClient } from '@/api/client';
import { ApiError } from '@/api/errors';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import { formatDuration, settingsOf, settingsPatch } from '@/lib/books';
import { fakeServer, json, problem } from './fake-server';

const stages = (...list: [string, number][]): StageState[] =>
  (['ingestion', 'analysis', 'storyboard', 'narration', 'assembly'] as const).map((stage, i) => ({
    stage,
    status: (list[i]?.[0] ?? 'pending') as StageState['status'],
    progress: list[i]?.[1] ?? 0,
  }));

const book = (extra: Partial<Book> = {}): Book => ({
  id: 'b1',
  title: 'La fête du village',
  author: 'Claire Martin',
  settings: { ...DEFAULT_SETTINGS },
  status: 'idle',
  stages: stages(),
  run_from: null,
  current_version: 0,
  error: null,
  created_by: 'u1',
  created_at: '2026-12-06T10:00:00Z',
  updated_at: '2026-12-06T10:00:00Z',
  source: { name: 'fete.txt', format: 'text', size: 551, sha256: 'a'.repeat(64) },
  ...extra,
});

function setup(routes: Parameters<typeof fakeServer>[0]) {
  const server = fakeServer(routes);
  const tokens = new MemoryTokenStore();
  tokens.save({ access_token: 'tok', refresh_token: 'r1' });
  setApi(new ApiClient({ tokens, fetch: server.fetch, lock: (_n, fn) => fn(), newIdempotencyKey: () => 'key-1' }));
  return server;
}

describe('the books API', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it('creates a book with its settings (POST, Idempotency-Key) and lists a page', async () => {
    const server = setup({
      'POST /api/v1/books': (c) => json(201, book({ title: (c.body as { title: string }).title, status: 'draft', source: null }), { ETag: '"v1"', Location: '/api/v1/books/b1' }),
      'GET /api/v1/books': () => json(200, { items: [book()], next_cursor: 'n2' }),
    });
    const created = await createBook({ title: 'La fête', settings: { pacing: 'fast', voice: 'f2' } });
    expect(created.status).toBe('draft');
    expect(server.calls[0]).toMatchObject({ method: 'POST', path: '/api/v1/books', body: { title: 'La fête', settings: { pacing: 'fast', voice: 'f2' } } });
    expect(server.calls[0]!.headers.get('Idempotency-Key')).toBe('key-1');
    expect(server.calls[0]!.headers.get('Authorization')).toBe('Bearer tok');
    const page = await listBooks('c1');
    expect(server.calls[1]!.path).toBe('/api/v1/books?cursor=c1&limit=50');
    expect(page.next_cursor).toBe('n2');
  });

  it('patches with If-Match, the ETag of the last read, as a merge patch', async () => {
    const server = setup({
      'GET /api/v1/books/b1': () => json(200, book(), { ETag: '"v7"' }),
      'PATCH /api/v1/books/b1': () => json(200, book({ settings: { ...DEFAULT_SETTINGS, pacing: 'slow' } }), { ETag: '"v8"' }),
    });
    await getBook('b1');
    const changed = await updateBook('b1', { settings: { pacing: 'slow' } });
    expect(changed.settings.pacing).toBe('slow');
    const patch = server.calls[1]!;
    expect(patch.headers.get('If-Match')).toBe('"v7"');
    expect(patch.headers.get('Content-Type')).toBe('application/merge-patch+json');
    expect(patch.body).toEqual({ settings: { pacing: 'slow' } });
  });

  it('a 412 comes back as an ApiError the page can recognise', async () => {
    setup({ 'PATCH /api/v1/books/b1': () => problem(412, 'Precondition Failed', { detail: 'The resource has changed since you read it.' }) });
    const e = await updateBook('b1', { title: 'x' }, '"v1"').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(412);
  });

  it('starts a run, from a stage when asked; a 409 says why', async () => {
    const server = setup({
      'POST /api/v1/books/b1/runs': (c) =>
        (c.body as { from?: string }).from === 'assembly'
          ? problem(409, 'Conflict', { detail: 'The project has no source yet: upload the book first.' })
          : json(202, book({ status: 'queued', run_from: 'narration' })),
    });
    const queued = await startRun('b1', 'narration');
    expect(queued.status).toBe('queued');
    expect(server.calls[0]!.body).toEqual({ from: 'narration' });
    await startRun('b1').catch(() => undefined);
    expect(server.calls[1]!.body).toEqual({});
    const e = await startRun('b1', 'assembly').catch((x: unknown) => x);
    expect((e as ApiError).status).toBe(409);
    expect((e as ApiError).detail).toContain('no source');
  });

  it('reads versions, the files of a version and a JSON file of it', async () => {
    const server = setup({
      'GET /api/v1/books/b1/versions': () => json(200, { items: [] }),
      'GET /api/v1/books/b1/files': () => json(200, { items: [{ name: 'video.mp4', stage: 'assembly', content_type: 'video/mp4', size: 9, sha256: '0' }] }),
      'GET /api/v1/books/b1/files/analysis.json': () => json(200, { characters: [{ name: 'Marie' }] }),
    });
    await listBookVersions('b1');
    const files = await listBookFiles('b1', 2);
    expect(files.items[0]!.name).toBe('video.mp4');
    const a = await getBookJson<{ characters: { name: string }[] }>('b1', 'analysis.json', 2);
    expect(a.characters[0]!.name).toBe('Marie');
    expect(server.calls.map((c) => c.path)).toEqual([
      '/api/v1/books/b1/versions',
      '/api/v1/books/b1/files?version=2',
      '/api/v1/books/b1/files/analysis.json?version=2',
    ]);
  });

  it('fetches a file with the bearer token, for an object URL', async () => {
    const server = setup({});
    const fetchSpy = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      server.calls.push({ method: 'GET', path: String(input), headers: new Headers(init?.headers), body: undefined });
      return new Response(new Uint8Array([137, 80, 78, 71]), { status: 200, headers: { 'Content-Type': 'image/png' } });
    });
    vi.stubGlobal('fetch', fetchSpy);
    const blob = await fetchBookFile('b1', panelName(0), 3);
    expect(blob.size).toBe(4);
    expect(server.calls[0]!.path).toBe('/api/v1/books/b1/files/panels/0001.png?version=3');
    expect(server.calls[0]!.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('asks for a signed link to stream a file, of a version or the current one', async () => {
    const server = setup({
      'POST /api/v1/books/b1/links': () => json(201, { url: '/api/v1/books/media/abc.def', expires_at: '2026-12-07T01:00:00Z' }),
    });
    const link = await mediaLink('b1', 'video.mp4', 2);
    expect(link.url).toBe('/api/v1/books/media/abc.def');
    await mediaLink('b1', 'subtitles.vtt');
    expect(server.calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/api/v1/books/b1/links', { file: 'video.mp4', version: 2 }],
      ['POST', '/api/v1/books/b1/links', { file: 'subtitles.vtt' }],
    ]);
  });

  it('names the URLs of the source and of the files', () => {
    expect(sourceUrl('b1', 'la fête.txt')).toBe('/api/v1/books/b1/source?name=la+f%C3%AAte.txt');
    expect(bookFilePath('b1', 'video.mp4', undefined, true)).toBe('/api/v1/books/b1/files/video.mp4?download=');
    expect(bookFilePath('b1', 'narration/0012.wav', 2)).toBe('/api/v1/books/b1/files/narration/0012.wav?version=2');
    expect(panelName(11)).toBe('panels/0012.png');
  });
});

describe('run helpers', () => {
  it('counts each stage for a fifth of the run', () => {
    expect(overallProgress(stages(['done', 100], ['done', 100], ['running', 50]))).toBe(50);
    expect(overallProgress(stages(['skipped', 0], ['skipped', 0], ['done', 100], ['done', 100], ['done', 100]))).toBe(100);
    expect(overallProgress([])).toBe(0);
  });

  it('offers to redo from a stage only when the stages before it are done', () => {
    expect(redoableStages(stages())).toEqual(['ingestion']);
    expect(redoableStages(stages(['done', 100], ['done', 100], ['failed', 30]))).toEqual(['ingestion', 'analysis', 'storyboard']);
    expect(redoableStages(stages(['done', 100], ['done', 100], ['done', 100], ['done', 100], ['done', 100]))).toHaveLength(5);
  });

  it('tells which stage a change of settings has to redo', () => {
    const s = DEFAULT_SETTINGS;
    expect(stageForSettings(s, { ...s, pacing: 'slow' })).toBe('narration');
    expect(stageForSettings(s, { ...s, voice: 'm1' })).toBe('narration');
    expect(stageForSettings(s, { ...s, style: 'noir', voice: 'm1' })).toBe('storyboard');
    expect(stageForSettings(s, { ...s, language: 'en' })).toBe('ingestion');
    expect(stageForSettings(s, { ...s })).toBeNull();
  });

  it('reads the settings form: a whole number of minutes from 1 to 120, "" for a detected language', () => {
    const form = { style: 'comic', aspect: '9:16', pacing: 'fast', language: '', voice: 'f2', target: ' 12 ' } as const;
    expect(settingsOf({ ...form })).toEqual({ style: 'comic', aspect: '9:16', pacing: 'fast', language: null, voice: 'f2', target_minutes: 12 });
    expect(settingsOf({ ...form, target: 0 })).toBeNull();
    expect(settingsOf({ ...form, target: '121' })).toBeNull();
    expect(settingsOf({ ...form, target: '2.5' })).toBeNull();
    expect(settingsPatch(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, pacing: 'slow', language: 'fr' })).toEqual({ pacing: 'slow', language: 'fr' });
    expect(formatDuration(83.4)).toBe('1:23');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
