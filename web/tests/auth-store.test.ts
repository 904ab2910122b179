import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '@/api/client';
import { setApi } from '@/api/instance';
import { MemoryTokenStore } from '@/api/tokens';
import { useAuthStore } from '@/stores/auth';
import { fakeServer, json, problem, type Handler } from './fake-server';

const me = {
  id: 'u1',
  email: 'marie@example.fr',
  name: 'Marie Durand',
  locale: 'fr',
  email_verified: false,
  org_id: 'o1',
  roles: ['owner'],
  memberships: [{ org_id: 'o1', org_name: 'Durand Bâtiment', role: 'owner' }],
};
const tokens = (n: number) => ({
  access_token: `access-${n}`,
  token_type: 'Bearer',
  expires_in: 900,
  refresh_token: `refresh-${n}`,
  org_id: 'o1',
  roles: ['owner'],
});

function setup(routes: Record<string, Handler>, store = new MemoryTokenStore()) {
  const server = fakeServer({
    'GET /api/v1/me': (c) =>
      c.headers.get('Authorization')?.startsWith('Bearer access-') ? json(200, me) : problem(401, 'Unauthorized'),
    ...routes,
  });
  const client = new ApiClient({ tokens: store, fetch: server.fetch, lock: (_n, fn) => fn() });
  setApi(client);
  return { calls: server.calls, store, client };
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('auth store', () => {
  it('logs in, keeps the tokens and loads the profile', async () => {
    const { store, calls } = setup({ 'POST /api/v1/auth/login': () => json(200, tokens(1)) });
    const auth = useAuthStore();
    await expect(auth.login('marie@example.fr', 'pw')).resolves.toBe('signed_in');
    expect(calls[0]!.body).toEqual({ email: 'marie@example.fr', password: 'pw' });
    expect(store.access).toBe('access-1');
    expect(store.refresh()).toBe('refresh-1');
    expect(auth.isAuthenticated).toBe(true);
    expect(auth.orgName).toBe('Durand Bâtiment');
    expect(auth.role).toBe('owner');
    expect(auth.canManageMembers).toBe(true);
  });

  it('asks for the code when the account has an authenticator, then signs in with it', async () => {
    const { calls } = setup({
      'POST /api/v1/auth/login': () =>
        json(200, { mfa_required: true, mfa_token: 'mfa-1', methods: ['totp', 'recovery_code'] }),
      'POST /api/v1/auth/login/mfa': (c) =>
        (c.body as { code: string }).code === '123456' ? json(200, tokens(1)) : problem(401, 'Unauthorized'),
    });
    const auth = useAuthStore();
    await expect(auth.login('marie@example.fr', 'pw')).resolves.toBe('mfa_required');
    expect(auth.mfaToken).toBe('mfa-1');
    expect(auth.isAuthenticated).toBe(false);

    await expect(auth.loginWithCode('000000')).rejects.toMatchObject({ status: 401 });
    expect(auth.mfaToken).toBe('mfa-1'); // another try is allowed
    await auth.loginWithCode('123 456');
    expect(calls.at(-2)!.body).toEqual({ mfa_token: 'mfa-1', code: '123456' });
    expect(auth.mfaToken).toBeNull();
    expect(auth.me?.email).toBe('marie@example.fr');
  });

  it('signs up then signs in', async () => {
    const { calls } = setup({
      'POST /api/v1/auth/register': () => json(201, { user_id: 'u1', org_id: 'o1' }),
      'POST /api/v1/auth/login': () => json(200, tokens(1)),
    });
    const auth = useAuthStore();
    const form = { email: 'marie@example.fr', password: 'Charpente-Chene-2025', name: 'Marie', org_name: 'Durand', locale: 'fr' as const };
    await expect(auth.signUp(form)).resolves.toBe('signed_in');
    expect(calls[0]!.body).toEqual(form);
    expect(calls[0]!.headers.get('Authorization')).toBeNull();
    expect(auth.isAuthenticated).toBe(true);
  });

  it('restores a session after a reload from the refresh token alone', async () => {
    const store = new MemoryTokenStore();
    store.save({ access_token: 'lost', refresh_token: 'refresh-1' });
    store.access = null; // the access token lived in the page's memory
    const { calls } = setup({ 'POST /api/v1/auth/refresh': () => json(200, tokens(2)) }, store);
    const auth = useAuthStore();
    await Promise.all([auth.restore(), auth.restore()]);
    expect(calls.filter((c) => c.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(auth.me?.id).toBe('u1');
    expect(store.refresh()).toBe('refresh-2');
  });

  it('starts signed out when the stored refresh token is refused', async () => {
    const store = new MemoryTokenStore();
    store.save({ access_token: 'x', refresh_token: 'spent' });
    store.access = null;
    setup({ 'POST /api/v1/auth/refresh': () => problem(401, 'Unauthorized') }, store);
    const auth = useAuthStore();
    await auth.restore();
    expect(auth.isAuthenticated).toBe(false);
    expect(store.refresh()).toBeNull();
  });

  it('logs out: ends the session on the server and forgets the tokens', async () => {
    const logout = vi.fn(() => new Response(null, { status: 204 }));
    const { store, calls } = setup({
      'POST /api/v1/auth/login': () => json(200, tokens(1)),
      'POST /api/v1/auth/logout': logout,
    });
    const auth = useAuthStore();
    await auth.login('marie@example.fr', 'pw');
    await auth.logout();
    expect(logout).toHaveBeenCalledTimes(1);
    expect(calls.at(-1)!.body).toEqual({ refresh_token: 'refresh-1' });
    expect(store.access).toBeNull();
    expect(store.refresh()).toBeNull();
    expect(auth.isAuthenticated).toBe(false);
  });

  it('logs out here even when the server cannot be reached', async () => {
    const { store } = setup({
      'POST /api/v1/auth/login': () => json(200, tokens(1)),
      'POST /api/v1/auth/logout': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const auth = useAuthStore();
    await auth.login('marie@example.fr', 'pw');
    await auth.logout();
    expect(store.refresh()).toBeNull();
    expect(auth.me).toBeNull();
  });

  it('switches organisation: new tokens with the bearer of the old ones, the profile again', async () => {
    const inO2 = { ...me, org_id: 'o2', memberships: [...me.memberships, { org_id: 'o2', org_name: 'Durand Rénovation', role: 'admin' }] };
    const { store, calls } = setup({
      'POST /api/v1/auth/login': () => json(200, tokens(1)),
      'POST /api/v1/auth/switch-org': () => json(200, { ...tokens(2), org_id: 'o2' }),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
      'GET /api/v1/me': (c) => json(200, c.headers.get('Authorization') === 'Bearer access-2' ? inO2 : me),
    });
    const auth = useAuthStore();
    await auth.login('marie@example.fr', 'pw');
    await auth.switchOrg('o2');
    const sw = calls.find((c) => c.path === '/api/v1/auth/switch-org')!;
    expect(sw.body).toEqual({ org_id: 'o2' });
    expect(sw.headers.get('Authorization')).toBe('Bearer access-1');
    expect(store.access).toBe('access-2');
    expect(store.refresh()).toBe('refresh-2');
    expect(auth.orgId).toBe('o2');
    expect(auth.orgName).toBe('Durand Rénovation');
    expect(auth.role).toBe('admin');
    // The session of the first organisation is let go.
    await Promise.resolve();
    expect(calls.at(-1)!.body).toEqual({ refresh_token: 'refresh-1' });
  });

  it('creates an organisation, then switches to it', async () => {
    const sent: unknown[] = [];
    const { store } = setup({
      'POST /api/v1/auth/login': () => json(200, tokens(1)),
      'POST /api/v1/orgs': (c) => {
        sent.push(c.body);
        return json(201, { id: 'o3', name: 'Atelier Sud' });
      },
      'POST /api/v1/auth/switch-org': (c) => {
        sent.push(c.body);
        return json(200, { ...tokens(3), org_id: 'o3' });
      },
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const auth = useAuthStore();
    await auth.login('marie@example.fr', 'pw');
    await expect(auth.createOrg('Atelier Sud')).resolves.toEqual({ id: 'o3', name: 'Atelier Sud' });
    expect(sent).toEqual([{ name: 'Atelier Sud' }, { org_id: 'o3' }]);
    expect(store.access).toBe('access-3');
  });

  it('keeps the session when the server has no organisation switch yet (404)', async () => {
    const { store } = setup({ 'POST /api/v1/auth/login': () => json(200, tokens(1)) });
    const auth = useAuthStore();
    await auth.login('marie@example.fr', 'pw');
    await expect(auth.switchOrg('o2')).rejects.toMatchObject({ status: 404 });
    expect(store.access).toBe('access-1');
    expect(auth.orgId).toBe('o1');
  });
});
