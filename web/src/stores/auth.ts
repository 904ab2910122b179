// Who is signed in, and the session's life: log-in (with its second step when the account has an
// authenticator), sign-up, restoring the session after a reload, log-out.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import * as identity from '@/api/identity';
import { api } from '@/api/instance';
import type { Registration } from '@/api/identity';
import type { Me, Membership } from '@/api/types';

export type LoginResult = 'signed_in' | 'mfa_required';

export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null);
  /** Set between the password step and the code step of a log-in. */
  const mfaToken = ref<string | null>(null);
  let restoring: Promise<void> | null = null;

  const isAuthenticated = computed(() => me.value !== null);
  const membership = computed<Membership | null>(
    () => me.value?.memberships.find((m) => m.org_id === me.value?.org_id) ?? null,
  );
  const orgId = computed(() => me.value?.org_id ?? null);
  const orgName = computed(() => membership.value?.org_name ?? '');
  const role = computed(() => membership.value?.role ?? null);
  /** Owners and admins manage members and invitations. */
  const canManageMembers = computed(() => role.value === 'owner' || role.value === 'admin');
  /** Guests read; everyone else writes projects. */
  const canWrite = computed(() => role.value !== null && role.value !== 'guest');

  async function loadMe(): Promise<void> {
    me.value = await identity.getMe();
  }

  /**
   * After a reload only the refresh token is left (the access token lived in memory): renew the
   * pair and load the profile. Runs once; later calls wait for the same attempt.
   */
  function restore(): Promise<void> {
    restoring ??= (async () => {
      if (me.value || api().tokens.refresh() === null) return;
      try {
        if (await api().refreshSession()) await loadMe();
      } catch {
        // Unreachable server or refused token: start signed out; the log-in page says the rest.
        me.value = null;
      }
    })();
    return restoring;
  }

  async function login(email: string, password: string): Promise<LoginResult> {
    const answer = await identity.login(email, password);
    if (identity.isMfaChallenge(answer)) {
      mfaToken.value = answer.mfa_token;
      return 'mfa_required';
    }
    api().startSession(answer);
    await loadMe();
    return 'signed_in';
  }

  async function loginWithCode(code: string): Promise<void> {
    if (!mfaToken.value) throw new Error('no log-in waiting for a code');
    const tokens = await identity.loginMfa(mfaToken.value, code.replace(/\s/g, ''));
    mfaToken.value = null;
    api().startSession(tokens);
    await loadMe();
  }

  function cancelMfa(): void {
    mfaToken.value = null;
  }

  /** Creates the account and its organisation, then signs in. */
  async function signUp(form: Registration): Promise<LoginResult> {
    await identity.register(form);
    return login(form.email, form.password);
  }

  /** Ends the session on the server (best effort) and here. */
  async function logout(): Promise<void> {
    const refreshToken = api().tokens.refresh();
    api().clearSession();
    me.value = null;
    mfaToken.value = null;
    restoring = null;
    if (refreshToken) {
      try {
        await identity.logout(refreshToken);
      } catch {
        // the token dies on its own; the user is signed out here either way
      }
    }
  }

  /**
   * Acts in another organisation of the same person: new tokens (a new session for that
   * organisation), then the profile again. The old refresh token is let go on the server.
   */
  async function switchOrg(orgId: string): Promise<void> {
    const previous = api().tokens.refresh();
    const tokens = await identity.switchOrg(orgId);
    api().startSession(tokens);
    await loadMe();
    if (previous && previous !== tokens.refresh_token) {
      void identity.logout(previous).catch(() => undefined);
    }
  }

  /** Creates an organisation owned by this person, then switches to it. */
  async function createOrg(name: string): Promise<{ id: string; name: string }> {
    const created = await identity.createOrg(name);
    await switchOrg(created.id);
    return created;
  }

  /** The API ended the session (refresh refused): forget the user without calling the server. */
  function sessionEnded(): void {
    me.value = null;
    mfaToken.value = null;
    restoring = null;
  }

  return {
    me,
    mfaToken,
    isAuthenticated,
    membership,
    orgId,
    orgName,
    role,
    canManageMembers,
    canWrite,
    loadMe,
    restore,
    login,
    loginWithCode,
    cancelMfa,
    signUp,
    logout,
    switchOrg,
    createOrg,
    sessionEnded,
  };
});
