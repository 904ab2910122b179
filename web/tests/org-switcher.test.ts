import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '@/api/client';
import type { Me } from '@/api/types';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import OrgSwitcher from '@/components/OrgSwitcher.vue';
import { makeI18n } from '@/i18n';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler } from './fake-server';

const me = (orgId: string): Me => ({
  id: 'u1',
  email: 'marie@example.fr',
  name: 'Marie',
  locale: 'fr',
  email_verified: true,
  org_id: orgId,
  roles: ['owner'],
  memberships: [
    { org_id: 'o1', org_name: 'Durand Bâtiment', role: 'owner' },
    { org_id: 'o2', org_name: 'Durand Rénovation', role: 'admin' },
  ],
});

function setup(routes: Record<string, Handler>) {
  const server = fakeServer(routes);
  const tokens = new MemoryTokenStore();
  tokens.save({ access_token: 'access-1', refresh_token: 'refresh-1' });
  setApi(new ApiClient({ tokens, fetch: server.fetch, lock: (_n, fn) => fn() }));
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().me = me('o1');
  const w = mount(OrgSwitcher, { global: { plugins: [pinia, makeI18n('fr')] }, attachTo: document.body });
  return { w, calls: server.calls };
}

beforeEach(() => {
  window.sessionStorage.clear();
  document.body.innerHTML = '';
});

describe('the organisation switcher', () => {
  it('switches to another organisation of the user', async () => {
    const { w, calls } = setup({
      'POST /api/v1/auth/switch-org': () =>
        json(200, { access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 900, org_id: 'o2' }),
      'GET /api/v1/me': () => json(200, me('o2')),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    expect(w.find('[data-testid="org-name"]').text()).toBe('Durand Bâtiment');
    await w.find('.org-button').trigger('click');
    await w.find('.org-item').trigger('click');
    await flushPromises();
    expect(calls[0]!.body).toEqual({ org_id: 'o2' });
    expect(w.find('[data-testid="org-name"]').text()).toBe('Durand Rénovation');
    expect(w.emitted('switched')).toHaveLength(1);
    w.unmount();
  });

  it('says when the server has no such route yet, then shows the name alone', async () => {
    const { w } = setup({ 'POST /api/v1/orgs': () => problem(405, 'Method Not Allowed') });
    await w.find('.org-button').trigger('click');
    await w.find('.create-link').trigger('click');
    await w.find('#new-org-name').setValue('Atelier Sud');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(w.find('[data-testid="org-unavailable"]').exists()).toBe(true);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await flushPromises();
    expect(w.find('.org-button').exists()).toBe(false);
    expect(w.find('[data-testid="org-name"]').text()).toBe('Durand Bâtiment');
    w.unmount();
  });
});
