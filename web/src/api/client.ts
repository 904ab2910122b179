// The one way the portal talks to the server: adds the bearer token, an Idempotency-Key on POST
// and If-Match on PATCH, turns failures into ApiError, and renews an expired access token once,
// silently, with the refresh token (one renewal for all the requests that hit the same 401).
import { ApiError, errorFromResponse } from './errors';
import type { TokenPair, TokenStore } from './tokens';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** ETag to send in If-Match; PATCH falls back on the last ETag seen for the same path. */
  ifMatch?: string;
  /** POST only: a key of the caller's (to retry the same operation), or false for none. */
  idempotencyKey?: string | false;
  /** Sends no bearer token and never tries a refresh (log-in, sign-up, password reset...). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  etag: string | null;
  headers: Headers;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiClientOptions {
  tokens: TokenStore;
  /** Prefix of every path; '' for the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Called once when the session is over (refresh refused); the app returns to the log-in. */
  onSessionEnded?: () => void;
  newIdempotencyKey?: () => string;
  /**
   * Runs the refresh under a lock shared by the browser's tabs (Web Locks API), so that two tabs
   * never spend the same refresh token: the second reads the rotated one once the first is done.
   */
  lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

const REFRESH_PATH = '/api/v1/auth/refresh';

function browserLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request(name, fn) : fn();
}

export class ApiClient {
  readonly tokens: TokenStore;
  onSessionEnded: (() => void) | undefined;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly newKey: () => string;
  private readonly lock: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  private refreshInFlight: Promise<boolean> | null = null;
  private readonly etags = new Map<string, string>();

  constructor(options: ApiClientOptions) {
    this.tokens = options.tokens;
    this.baseUrl = options.baseUrl ?? '';
    // fetch must be called unbound from window, or some browsers throw "Illegal invocation".
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onSessionEnded = options.onSessionEnded;
    this.newKey = options.newIdempotencyKey ?? (() => crypto.randomUUID());
    this.lock = options.lock ?? browserLock;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options).then((r) => r.data);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body }).then((r) => r.data);
  }

  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body }).then((r) => r.data);
  }

  delete(path: string, options: RequestOptions = {}): Promise<void> {
    return this.request<unknown>('DELETE', path, options).then(() => undefined);
  }

  /** The last ETag the server gave for this path (a GET, POST or PATCH answer). */
  etagOf(path: string): string | null {
    return this.etags.get(path) ?? null;
  }

  /** Stores the tokens of a log-in (or of a refresh done elsewhere). */
  startSession(pair: TokenPair): void {
    this.tokens.save(pair);
  }

  /** Forgets the tokens without telling the server (see auth store's logout for that). */
  clearSession(): void {
    this.tokens.clear();
    this.etags.clear();
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = this.baseUrl + path + queryString(options.query);
    const headers = new Headers({ Accept: 'application/json, application/problem+json' });
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers.set('Content-Type', method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    }
    if (method === 'POST' && options.idempotencyKey !== false) {
      // The same key on the retry after a refresh: the server answers a replay, not a second write.
      headers.set('Idempotency-Key', options.idempotencyKey ?? this.newKey());
    }
    if (method === 'PATCH' || method === 'PUT') {
      const etag = options.ifMatch ?? this.etags.get(path);
      if (etag) headers.set('If-Match', etag);
    }

    const send = async (token: string | null): Promise<Response> => {
      if (token && !options.anonymous) headers.set('Authorization', `Bearer ${token}`);
      else headers.delete('Authorization');
      try {
        return await this.fetchImpl(url, { method, headers, body, signal: options.signal ?? null });
      } catch (e) {
        if (e instanceof DOMException && e.name === 'AbortError') throw e;
        throw ApiError.network(e);
      }
    };

    const sentWith = this.tokens.access;
    let res = await send(sentWith);
    if (res.status === 401 && !options.anonymous && this.tokens.refresh() !== null) {
      // Another request may have renewed the token while this one was on the wire: then retry
      // with the new one instead of spending the refresh token again.
      const current = this.tokens.access;
      const renewed = current !== null && current !== sentWith ? true : await this.refreshSession();
      if (!renewed) throw await errorFromResponse(res);
      res = await send(this.tokens.access);
    }
    if (!res.ok) {
      throw await errorFromResponse(res);
    }
    const etag = res.headers.get('ETag');
    if (etag && (method === 'GET' || method === 'PATCH' || method === 'PUT')) {
      this.etags.set(path, etag);
    }
    if (etag && method === 'POST') {
      const location = res.headers.get('Location');
      if (location) this.etags.set(location, etag);
    }
    return { status: res.status, data: await parseBody<T>(res), etag, headers: res.headers };
  }

  /**
   * Renews the access token with the refresh token. Concurrent callers share one renewal.
   * Resolves false (and ends the session) when the server refuses the refresh token; rejects with
   * a network ApiError, keeping the session, when the server could not be reached.
   */
  refreshSession(): Promise<boolean> {
    if (!this.refreshInFlight) {
      this.refreshInFlight = this.lock('atelier-refresh', () => this.doRefresh()).finally(() => {
        this.refreshInFlight = null;
      });
    }
    return this.refreshInFlight;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.tokens.refresh();
    if (!refreshToken) {
      this.endSession();
      return false;
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + REFRESH_PATH, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
    } catch (e) {
      throw ApiError.network(e);
    }
    if (res.ok) {
      this.tokens.save((await res.json()) as TokenPair);
      return true;
    }
    if (res.status >= 500 || res.status === 429) {
      // The server is in trouble, not the token: keep the session for a later try.
      throw await errorFromResponse(res);
    }
    this.endSession();
    return false;
  }

  private endSession(): void {
    this.clearSession();
    this.onSessionEnded?.();
  }
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function parseBody<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  // The caller states the shape it expects (T); the contract in contracts/openapi is the source.
  return (type.includes('json') ? JSON.parse(text) : text) as T;
}
