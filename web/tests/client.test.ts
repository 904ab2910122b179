import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '@/api/client';
import { ApiError } from '@/api/errors';
import { MemoryTokenStore } from '@/api/tokens';
import { deferred, fakeServer, json, problem, type Handler } from './fake-server';

function clientWith(routes: Record<string, Handler>, tokens = signedIn()) {
  const server = fakeServer(routes);
  const onSessionEnded = vi.fn();
  let n = 0;
  const client = new ApiClient({
    tokens,
    fetch: server.fetch,
    onSessionEnded,
    newIdempotencyKey: () => `key-${++n}`,
    lock: (_name, fn) => fn(),
  });
  return { client, calls: server.calls, onSessionEnded, tokens };
}

function signedIn(access = 'access-1', refresh = 'refresh-1') {
  const tokens = new MemoryTokenStore();
  tokens.save({ access_token: access, refresh_token: refresh });
  return tokens;
}

const bearer = (h: Headers) => h.get('Authorization');

describe('problem+json', () => {
  it('becomes an ApiError with its title, detail, status and per-field errors', async () => {
    const { client } = clientWith({
      'POST /api/v1/projects': () =>
        problem(422, 'Unprocessable Content', {
          detail: 'The project is not valid: see the fields.',
          request_id: 'req-7',
          errors: [
            { field: 'code', message: 'Use 1 to 32 upper-case letters.' },
            { field: 'start_date', message: 'Write the date as YYYY-MM-DD.' },
            { field: 'code', message: 'second message for code' },
            { nonsense: true },
          ],
        }),
    });
    const error = await client.post('/api/v1/projects', { code: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect(e.status).toBe(422);
    expect(e.title).toBe('Unprocessable Content');
    expect(e.detail).toBe('The project is not valid: see the fields.');
    expect(e.requestId).toBe('req-7');
    expect(e.errors).toHaveLength(3);
    expect(e.fieldErrors).toEqual({
      code: 'Use 1 to 32 upper-case letters.',
      start_date: 'Write the date as YYYY-MM-DD.',
    });
  });

  it('keeps the status of an answer that is not JSON', async () => {
    const { client } = clientWith({
      'GET /api/v1/projects': () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    const e = (await client.get('/api/v1/projects').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(502);
    expect(e.title).toBe('Bad Gateway');
    expect(e.errors).toEqual([]);
  });

  it('reads OAuth errors too', async () => {
    const { client } = clientWith({
      'POST /oauth2/token': () => json(400, { error: 'invalid_grant', error_description: 'spent' }),
    });
    const e = (await client.post('/oauth2/token', {}, { anonymous: true }).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(400);
    expect(e.title).toBe('invalid_grant');
    expect(e.detail).toBe('spent');
  });

  it('reports an unreachable server as a network error (status 0)', async () => {
    const client = new ApiClient({
      tokens: signedIn(),
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const e = (await client.get('/api/v1/me').catch((x: unknown) => x)) as ApiError;
    expect(e.isNetwork).toBe(true);
    expect(e.status).toBe(0);
  });
});

describe('headers', () => {
  it('sends the bearer token, and an Idempotency-Key on POST only', async () => {
    const { client, calls } = clientWith({
      'GET /api/v1/projects': () => json(200, { items: [], next_cursor: null }),
      'POST /api/v1/projects': () => json(201, { id: 'p1' }),
    });
    await client.get('/api/v1/projects', { query: { q: 'tilleuls', status: null, cursor: undefined } });
    await client.post('/api/v1/projects', { code: 'A' });
    expect(calls[0]?.path).toBe('/api/v1/projects?q=tilleuls');
    expect(bearer(calls[0]!.headers)).toBe('Bearer access-1');
    expect(calls[0]!.headers.get('Idempotency-Key')).toBeNull();
    expect(calls[1]!.headers.get('Idempotency-Key')).toBe('key-1');
    expect(calls[1]!.headers.get('Content-Type')).toBe('application/json');
  });

  it('sends If-Match on PATCH with the ETag of the last read, as a merge patch', async () => {
    const { client, calls } = clientWith({
      'GET /api/v1/projects/p1': () => json(200, { id: 'p1', version: 3 }, { ETag: '"v3"' }),
      'PATCH /api/v1/projects/p1': () => json(200, { id: 'p1', version: 4 }, { ETag: '"v4"' }),
    });
    await client.get('/api/v1/projects/p1');
    await client.patch('/api/v1/projects/p1', { status: 'planned' });
    expect(calls[1]!.headers.get('If-Match')).toBe('"v3"');
    expect(calls[1]!.headers.get('Content-Type')).toBe('application/merge-patch+json');
    expect(calls[1]!.body).toEqual({ status: 'planned' });
    // The answer's ETag is the one the next change must carry.
    expect(client.etagOf('/api/v1/projects/p1')).toBe('"v4"');
  });

  it('sends no token on anonymous calls and does not refresh on their 401', async () => {
    const { client, calls } = clientWith({
      'POST /api/v1/auth/login': () => problem(401, 'Unauthorized'),
    });
    const e = (await client.post('/api/v1/auth/login', {}, { anonymous: true }).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(401);
    expect(calls).toHaveLength(1);
    expect(bearer(calls[0]!.headers)).toBeNull();
  });
});

describe('refresh on 401', () => {
  it('renews the token once for concurrent 401s, then retries each request', async () => {
    const refreshAnswer = deferred<Response>();
    const { client, calls, tokens } = clientWith({
      'GET /api/v1/me': (c) =>
        bearer(c.headers) === 'Bearer access-2' ? json(200, { id: 'u1' }) : problem(401, 'Unauthorized'),
      'GET /api/v1/projects': (c) =>
        bearer(c.headers) === 'Bearer access-2' ? json(200, { items: [], next_cursor: null }) : problem(401, 'Unauthorized'),
      'POST /api/v1/auth/refresh': () => refreshAnswer.promise,
    });
    const a = client.get('/api/v1/me');
    const b = client.get('/api/v1/projects');
    const c = client.get('/api/v1/me');
    // Let the three 401s arrive while the refresh is held.
    await vi.waitFor(() => expect(calls.filter((x) => x.path === '/api/v1/auth/refresh')).toHaveLength(1));
    refreshAnswer.resolve(json(200, { access_token: 'access-2', refresh_token: 'refresh-2' }));
    await expect(Promise.all([a, b, c])).resolves.toEqual([{ id: 'u1' }, { items: [], next_cursor: null }, { id: 'u1' }]);
    const refreshes = calls.filter((x) => x.path === '/api/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.body).toEqual({ refresh_token: 'refresh-1' });
    expect(tokens.access).toBe('access-2');
    expect(tokens.refresh()).toBe('refresh-2');
  });

  it('keeps the Idempotency-Key of a POST retried after the refresh', async () => {
    const { client, calls } = clientWith({
      'POST /api/v1/projects': (c) =>
        bearer(c.headers) === 'Bearer access-2' ? json(201, { id: 'p1' }) : problem(401, 'Unauthorized'),
      'POST /api/v1/auth/refresh': () => json(200, { access_token: 'access-2', refresh_token: 'refresh-2' }),
    });
    await client.post('/api/v1/projects', { code: 'A' });
    const posts = calls.filter((x) => x.path === '/api/v1/projects');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers.get('Idempotency-Key')).toBe(posts[1]!.headers.get('Idempotency-Key'));
  });

  it('does not spend the refresh token again when another request already renewed it', async () => {
    const firstMe = deferred<Response>();
    let meCalls = 0;
    const { client, calls } = clientWith({
      'GET /api/v1/me': (c) => {
        meCalls += 1;
        if (meCalls === 1) return firstMe.promise; // a slow request sent with access-1
        return bearer(c.headers) === 'Bearer access-2' ? json(200, { id: 'u1' }) : problem(401, 'Unauthorized');
      },
      'GET /api/v1/projects': (c) =>
        bearer(c.headers) === 'Bearer access-2' ? json(200, { items: [] }) : problem(401, 'Unauthorized'),
      'POST /api/v1/auth/refresh': () => json(200, { access_token: 'access-2', refresh_token: 'refresh-2' }),
    });
    const slow = client.get('/api/v1/me');
    await client.get('/api/v1/projects'); // 401, refresh, retry
    firstMe.resolve(problem(401, 'Unauthorized')); // the slow one's 401 comes after the renewal
    await expect(slow).resolves.toEqual({ id: 'u1' });
    expect(calls.filter((x) => x.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('ends the session when the refresh token is refused', async () => {
    const { client, calls, onSessionEnded, tokens } = clientWith({
      'GET /api/v1/me': () => problem(401, 'Unauthorized'),
      'GET /api/v1/projects': () => problem(401, 'Unauthorized'),
      'POST /api/v1/auth/refresh': () => problem(401, 'Unauthorized', { detail: 'refresh token reused' }),
    });
    const results = await Promise.allSettled([client.get('/api/v1/me'), client.get('/api/v1/projects')]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ status: 401 });
    }
    expect(calls.filter((x) => x.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(tokens.access).toBeNull();
    expect(tokens.refresh()).toBeNull();
  });

  it('keeps the session when the server cannot be reached for the refresh', async () => {
    const tokens = signedIn();
    const onSessionEnded = vi.fn();
    const client = new ApiClient({
      tokens,
      onSessionEnded,
      lock: (_n, fn) => fn(),
      fetch: async (input) => {
        if (String(input).endsWith('/api/v1/auth/refresh')) throw new TypeError('Failed to fetch');
        return problem(401, 'Unauthorized');
      },
    });
    const e = (await client.get('/api/v1/me').catch((x: unknown) => x)) as ApiError;
    expect(e.isNetwork).toBe(true);
    expect(onSessionEnded).not.toHaveBeenCalled();
    expect(tokens.refresh()).toBe('refresh-1');
  });

  it('without a refresh token, a 401 is just an error', async () => {
    const tokens = new MemoryTokenStore();
    const { client, calls } = clientWith({ 'GET /api/v1/me': () => problem(401, 'Unauthorized') }, tokens);
    await expect(client.get('/api/v1/me')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
  });
});
