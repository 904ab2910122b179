import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiClient } from '@/api/client';
import type { DocumentInfo, SearchHit } from '@/api/documents';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import DocumentList from '@/components/documents/DocumentList.vue';
import { makeI18n } from '@/i18n';
import { useAuthStore } from '@/stores/auth';
import DocumentsView from '@/views/documents/DocumentsView.vue';
import { fakeServer, json } from './fake-server';

const doc = (id: string, name: string, extra: Partial<DocumentInfo> = {}): DocumentInfo => ({
  id,
  name,
  size: 73_300,
  sha256: '0'.repeat(64),
  content_type: 'image/png',
  version: 2,
  project_id: 'p1',
  task_id: null,
  folder: '',
  tags: [],
  ocr_status: 'done',
  created_by: 'u1',
  created_at: '2026-03-02T09:00:00Z',
  updated_at: '2026-03-02T09:00:00Z',
  deleted_at: null,
  ...extra,
});

function router() {
  return createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] });
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('the documents list', () => {
  it('shows each document with its type, size, version and OCR state, and the snippet as text', async () => {
    const hit: SearchHit = {
      ...doc('d1', 'devis.png'),
      snippet: 'pour la <mark>charpente</mark> <img src=x onerror="window.hacked=1">',
    };
    const r = router();
    await r.push('/');
    const w = mount(DocumentList, {
      props: { items: [hit, doc('d2', 'plan.pdf', { content_type: 'application/pdf', ocr_status: 'running' })], query: 'charpente' },
      global: { plugins: [r, makeI18n('fr')] },
    });
    const rows = w.findAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('PNG');
    expect(rows[0]!.text()).toContain('73,3 ko');
    expect(rows[0]!.text()).toContain('v2');
    expect(rows[0]!.find('[data-ocr]').text()).toBe('Texte lu');
    expect(rows[1]!.find('[data-ocr]').text()).toBe('Lecture…');
    const snippet = rows[0]!.find('[data-testid="snippet"]');
    expect(snippet.findAll('mark').map((m) => m.text())).toEqual(['charpente']);
    expect(snippet.find('img').exists()).toBe(false);
    expect(snippet.text()).toContain('<img src=x');
    expect(rows[0]!.find('a').attributes('href')).toBe('/documents/d1?q=charpente');
    expect(rows[1]!.find('[data-testid="snippet"]').exists()).toBe(false);
  });
});

describe('the documents page', () => {
  async function setup(routes: Parameters<typeof fakeServer>[0]) {
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
    await r.push('/documents');
    const w = mount(DocumentsView, { global: { plugins: [pinia, r, makeI18n('fr')] }, attachTo: document.body });
    await flushPromises();
    return { w, calls: server.calls };
  }

  it('says when there is nothing yet, and offers the upload', async () => {
    const { w } = await setup({ 'GET /api/v1/documents': () => json(200, { items: [], next_cursor: null }) });
    expect(w.text()).toContain("Aucun document pour l'instant.");
    expect(w.find('[data-testid="file-input"]').exists()).toBe(true);
    w.unmount();
  });

  it('searches through the search endpoint and pages with "load more"', async () => {
    vi.useFakeTimers();
    try {
      const { w, calls } = await setup({
        'GET /api/v1/documents': () => json(200, { items: [doc('d1', 'a.png')], next_cursor: null }),
        'GET /api/v1/documents/search': (c) =>
          c.path.includes('cursor=')
            ? json(200, { items: [{ ...doc('d3', 'c.png'), snippet: 'c' }], next_cursor: null })
            : json(200, { items: [{ ...doc('d2', 'b.png'), snippet: '<mark>chêne</mark>' }], next_cursor: 'n2' }),
      });
      await w.find('#document-search').setValue('chêne');
      await vi.advanceTimersByTimeAsync(300);
      await flushPromises();
      expect(calls.at(-1)!.path).toBe('/api/v1/documents/search?q=ch%C3%AAne&limit=50');
      expect(w.findAll('tbody tr').map((r) => r.find('a').text())).toEqual(['b.png']);
      await w.findAll('button').find((b) => b.text() === 'Charger plus')!.trigger('click');
      await flushPromises();
      expect(calls.at(-1)!.path).toContain('cursor=n2');
      expect(w.findAll('tbody tr').map((r) => r.find('a').text())).toEqual(['b.png', 'c.png']);
      w.unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});
