// File uploads with progress: one XMLHttpRequest per file (fetch reports no upload progress), the
// raw file as the body, the bearer token and an Idempotency-Key, and one silent retry after the
// token is renewed. UploadQueue sends a few files at a time and keeps each one's progress and
// outcome for the page to show.
import { ApiError, errorFromResponse } from '@/api/errors';
import type { TokenStore } from '@/api/tokens';

/** The part of XMLHttpRequest the upload uses (tests give a fake one). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  getResponseHeader(name: string): string | null;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export type XhrFactory = () => XhrLike;

export interface SendOptions {
  url: string;
  /** POST by default; PUT for a resource's own file (a book's source). */
  method?: 'POST' | 'PUT';
  body: Blob;
  tokens: TokenStore;
  /** The API client's refresh: resolves true once a new access token is stored. */
  refresh: () => Promise<boolean>;
  idempotencyKey: string;
  onProgress?: (loaded: number, total: number) => void;
  xhr?: XhrFactory;
  signal?: AbortSignal;
}

interface RawAnswer {
  status: number;
  statusText: string;
  text: string;
  contentType: string | null;
}

function sendOnce(options: SendOptions, token: string | null): Promise<RawAnswer> {
  const make = options.xhr ?? (() => new XMLHttpRequest() as unknown as XhrLike);
  return new Promise((resolve, reject) => {
    const x = make();
    x.open(options.method ?? 'POST', options.url);
    x.setRequestHeader('Accept', 'application/json, application/problem+json');
    x.setRequestHeader('Content-Type', 'application/octet-stream');
    x.setRequestHeader('Idempotency-Key', options.idempotencyKey);
    if (token) x.setRequestHeader('Authorization', `Bearer ${token}`);
    x.upload.onprogress = (e) => {
      options.onProgress?.(e.loaded, e.lengthComputable ? e.total : options.body.size);
    };
    x.onload = () =>
      resolve({ status: x.status, statusText: x.statusText, text: x.responseText, contentType: x.getResponseHeader('Content-Type') });
    x.onerror = () => reject(ApiError.network(new Error('upload failed')));
    x.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => x.abort(), { once: true });
    x.send(options.body);
  });
}

function asResponse(a: RawAnswer): Response {
  return new Response(a.text === '' ? null : a.text, {
    status: a.status,
    statusText: a.statusText,
    headers: a.contentType ? { 'Content-Type': a.contentType } : {},
  });
}

/** Sends a file; resolves with the server's JSON answer, rejects with an ApiError. */
export async function sendFile<T>(options: SendOptions): Promise<T> {
  const sentWith = options.tokens.access;
  let answer = await sendOnce(options, sentWith);
  if (answer.status === 401 && options.tokens.refresh() !== null) {
    const current = options.tokens.access;
    const renewed = current !== null && current !== sentWith ? true : await options.refresh();
    if (renewed) {
      // Same Idempotency-Key: should the first attempt have gone through after all, a replay.
      answer = await sendOnce(options, options.tokens.access);
    }
  }
  if (answer.status < 200 || answer.status >= 300) throw await errorFromResponse(asResponse(answer));
  return JSON.parse(answer.text) as T;
}

export type UploadState = 'waiting' | 'sending' | 'done' | 'failed';

export interface UploadItem<T> {
  key: number;
  name: string;
  size: number;
  loaded: number;
  state: UploadState;
  error: unknown;
  result: T | null;
}

export interface UploadQueueOptions<T> {
  /** Where one file goes. */
  url: (file: File) => string;
  tokens: TokenStore;
  refresh: () => Promise<boolean>;
  newKey?: () => string;
  xhr?: XhrFactory;
  /** Files sent at the same time. */
  parallel?: number;
  /** Makes the list observable (Vue's reactive); the queue then changes it through the proxy. */
  wrap?: (list: UploadItem<T>[]) => UploadItem<T>[];
  onDone?: (result: T, item: UploadItem<T>) => void;
}

/** The upload's share of the file sent, from 0 to 100. */
export function percent(item: { loaded: number; size: number; state: UploadState }): number {
  if (item.state === 'done') return 100;
  if (item.size <= 0) return 0;
  return Math.min(100, Math.round((item.loaded / item.size) * 100));
}

export class UploadQueue<T> {
  readonly items: UploadItem<T>[];
  private readonly files = new Map<number, File>();
  private readonly options: UploadQueueOptions<T>;
  private nextKey = 1;
  private running = 0;

  constructor(options: UploadQueueOptions<T>) {
    this.options = options;
    this.items = (options.wrap ?? ((l) => l))([]);
  }

  /** Queues files and starts sending; resolves once every file queued so far is settled. */
  add(files: Iterable<File>): Promise<void> {
    for (const file of files) {
      const key = this.nextKey++;
      this.files.set(key, file);
      this.items.push({ key, name: file.name, size: file.size, loaded: 0, state: 'waiting', error: null, result: null });
    }
    return this.pump();
  }

  get busy(): boolean {
    return this.items.some((i) => i.state === 'waiting' || i.state === 'sending');
  }

  /** Forgets the finished uploads (keeps the failed ones: their message is still useful). */
  clearDone(): void {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i];
      if (item?.state === 'done') {
        this.files.delete(item.key);
        this.items.splice(i, 1);
      }
    }
  }

  private async pump(): Promise<void> {
    const limit = this.options.parallel ?? 2;
    const started: Promise<void>[] = [];
    for (const item of this.items) {
      if (this.running >= limit) break;
      if (item.state !== 'waiting') continue;
      started.push(this.run(item));
    }
    await Promise.all(started);
  }

  private async run(item: UploadItem<T>): Promise<void> {
    const file = this.files.get(item.key);
    if (!file) return;
    this.running += 1;
    item.state = 'sending';
    try {
      const result = await sendFile<T>({
        url: this.options.url(file),
        body: file,
        tokens: this.options.tokens,
        refresh: this.options.refresh,
        idempotencyKey: this.options.newKey?.() ?? crypto.randomUUID(),
        xhr: this.options.xhr,
        onProgress: (loaded) => {
          item.loaded = loaded;
        },
      });
      item.loaded = item.size;
      item.state = 'done';
      item.result = result;
      this.options.onDone?.(result, item);
    } catch (e) {
      item.state = 'failed';
      item.error = e;
    } finally {
      this.running -= 1;
    }
    await this.pump();
  }
}
