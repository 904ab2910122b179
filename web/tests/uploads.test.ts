import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/errors';
import { MemoryTokenStore } from '@/api/tokens';
import { percent, sendFile, UploadQueue, type XhrLike } from '@/lib/uploads';

/** An XMLHttpRequest that the test drives: progress events, then an answer. */
class FakeXhr implements XhrLike {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: Blob | null = null;
  status = 0;
  statusText = '';
  responseText = '';
  contentType: string | null = null;
  aborted = false;
  upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(body: Blob): void {
    this.body = body;
  }
  abort(): void {
    this.aborted = true;
    this.onabort?.();
  }
  getResponseHeader(name: string): string | null {
    return name.toLowerCase() === 'content-type' ? this.contentType : null;
  }
  progress(loaded: number, total: number): void {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  answer(status: number, body: unknown, type = 'application/json'): void {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.contentType = type;
    this.onload?.();
  }
}

function harness() {
  const sent: FakeXhr[] = [];
  const tokens = new MemoryTokenStore();
  tokens.save({ access_token: 'old', refresh_token: 'r1' });
  let refreshes = 0;
  const refresh = async () => {
    refreshes += 1;
    tokens.save({ access_token: 'new', refresh_token: 'r2' });
    return true;
  };
  const xhr = () => {
    const x = new FakeXhr();
    sent.push(x);
    return x;
  };
  return { sent, tokens, refresh, xhr, refreshes: () => refreshes };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

describe('file upload', () => {
  it('sends the raw file with the token and an Idempotency-Key, reporting progress', async () => {
    const h = harness();
    const seen: number[] = [];
    const done = sendFile<{ id: string }>({
      url: '/api/v1/documents?name=a.pdf',
      body: file('a.pdf', 100),
      tokens: h.tokens,
      refresh: h.refresh,
      idempotencyKey: 'k1',
      xhr: h.xhr,
      onProgress: (loaded) => seen.push(loaded),
    });
    const x = h.sent[0]!;
    expect(x.method).toBe('POST');
    expect(x.headers).toMatchObject({ Authorization: 'Bearer old', 'Idempotency-Key': 'k1', 'Content-Type': 'application/octet-stream' });
    x.progress(40, 100);
    x.progress(100, 100);
    x.answer(201, { id: 'd1' });
    await expect(done).resolves.toEqual({ id: 'd1' });
    expect(seen).toEqual([40, 100]);
  });

  it('renews an expired token once and sends again with the same key', async () => {
    const h = harness();
    const done = sendFile({ url: '/u', body: file('a', 1), tokens: h.tokens, refresh: h.refresh, idempotencyKey: 'k1', xhr: h.xhr });
    h.sent[0]!.answer(401, { title: 'Unauthorized', status: 401 }, 'application/problem+json');
    await tick();
    expect(h.refreshes()).toBe(1);
    const again = h.sent[1]!;
    expect(again.headers).toMatchObject({ Authorization: 'Bearer new', 'Idempotency-Key': 'k1' });
    again.answer(201, { id: 'd1' });
    await expect(done).resolves.toEqual({ id: 'd1' });
  });

  it('turns a refusal into an ApiError (413: over the quota)', async () => {
    const h = harness();
    const done = sendFile({ url: '/u', body: file('a', 1), tokens: h.tokens, refresh: h.refresh, idempotencyKey: 'k', xhr: h.xhr });
    h.sent[0]!.answer(413, { title: 'Content Too Large', status: 413, detail: 'Quota exceeded.' }, 'application/problem+json');
    const e = await done.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(413);
    expect((e as ApiError).detail).toBe('Quota exceeded.');
  });
});

describe('the upload queue', () => {
  it('sends two files at a time, follows each one, and reports each document stored', async () => {
    const h = harness();
    const stored: string[] = [];
    let key = 0;
    const queue = new UploadQueue<{ id: string }>({
      url: (f) => `/api/v1/documents?name=${f.name}`,
      tokens: h.tokens,
      refresh: h.refresh,
      xhr: h.xhr,
      newKey: () => `k${++key}`,
      onDone: (doc) => stored.push(doc.id),
    });
    const all = queue.add([file('a.png', 200), file('b.pdf', 100), file('c.txt', 50)]);
    expect(h.sent.map((x) => x.url)).toEqual(['/api/v1/documents?name=a.png', '/api/v1/documents?name=b.pdf']);
    expect(queue.items.map((i) => i.state)).toEqual(['sending', 'sending', 'waiting']);
    expect(queue.busy).toBe(true);

    h.sent[0]!.progress(50, 200);
    expect(percent(queue.items[0]!)).toBe(25);
    h.sent[1]!.answer(413, { title: 'Content Too Large', status: 413 }, 'application/problem+json');
    await tick();
    expect(queue.items[1]!.state).toBe('failed');
    expect((queue.items[1]!.error as ApiError).status).toBe(413);
    // The freed slot goes to the third file.
    expect(h.sent).toHaveLength(3);
    expect(h.sent[2]!.headers['Idempotency-Key']).toBe('k3');

    h.sent[0]!.answer(201, { id: 'd-a' });
    h.sent[2]!.answer(201, { id: 'd-c' });
    await all;
    expect(stored).toEqual(['d-a', 'd-c']);
    expect(queue.items.map((i) => i.state)).toEqual(['done', 'failed', 'done']);
    expect(percent(queue.items[0]!)).toBe(100);
    expect(queue.busy).toBe(false);

    queue.clearDone();
    expect(queue.items.map((i) => i.name)).toEqual(['b.pdf']);
  });
});
