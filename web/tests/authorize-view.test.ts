import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiClient } from '@/api/client';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import { makeI18n } from '@/i18n';
import { leaveTo } from '@/lib/navigation';
import AuthorizeView from '@/views/auth/AuthorizeView.vue';
import { fakeServer, json, problem, type Handler } from './fake-server';

vi.mock('@/lib/navigation', () => ({ leaveTo: vi.fn() }));

const request = {
  response_type: 'code',
  client_id: 'c1',
  redirect_uri: 'https://erp.example.fr/callback',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
  scope: 'openid email offline_access',
  state: 'xyz',
};

async function setup(routes: Record<string, Handler>, query: Record<string, string> = request) {
  const server = fakeServer(routes);
  setApi(new ApiClient({ tokens: new MemoryTokenStore(), fetch: server.fetch, lock: (_n, fn) => fn() }));
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/authorize', component: AuthorizeView }] });
  await router.push({ path: '/authorize', query });
  const w = mount(AuthorizeView, { global: { plugins: [pinia, router, makeI18n('fr')] } });
  await flushPromises();
  return { w, calls: server.calls };
}

describe('the OAuth consent page', () => {
  it("names the application and the scopes, and posts the user's answer with the request", async () => {
    const { w, calls } = await setup({
      'GET /api/v1/oauth-clients/c1': () => json(200, { id: 'c1', client_id: 'c1', name: 'ERP Bâtiment', type: 'public', redirect_uris: [] }),
      'POST /api/v1/oauth2/authorize': () => json(200, { redirect_to: 'https://erp.example.fr/callback?error=access_denied&state=xyz' }),
    });
    expect(w.find('[data-testid="oauth-intro"]').text()).toBe(
      "L'application « ERP Bâtiment » demande à accéder à votre compte Atelier.",
    );
    const scopes = w.findAll('[data-testid="oauth-scopes"] li').map((li) => li.text());
    expect(scopes).toContain('lire votre adresse e-mail');
    expect(scopes).toContain("rester connectée quand vous n'utilisez pas l'application");
    expect(w.text()).toContain('erp.example.fr');
    await w.findAll('button').find((b) => b.text() === 'Refuser')!.trigger('click');
    await flushPromises();
    expect(calls.at(-1)!.body).toEqual({ ...request, approve: false });
    expect(leaveTo).toHaveBeenCalledWith('https://erp.example.fr/callback?error=access_denied&state=xyz');
    expect(w.text()).toContain("Redirection vers l'application…");
  });

  it("names no application it may not read, and says when the client is another organisation's", async () => {
    const { w } = await setup({
      'GET /api/v1/oauth-clients/c1': () => problem(403, 'Forbidden'),
      'POST /api/v1/oauth2/authorize': () => problem(404, 'Not Found'),
    });
    expect(w.find('[data-testid="oauth-intro"]').text()).toContain('« une application »');
    await w.findAll('button').find((b) => b.text() === 'Autoriser')!.trigger('click');
    await flushPromises();
    expect(w.text()).toContain("Cette application n'appartient pas à l'organisation active.");
  });

  it('refuses an incomplete request', async () => {
    const { w, calls } = await setup({}, { client_id: 'c1' });
    expect(w.text()).toContain('Cette demande d\'autorisation est incomplète');
    expect(calls).toHaveLength(0);
  });
});
