// Identity routes the portal uses (contracts/openapi/identity.yaml).
import { api } from './instance';
import type { AuthorizationRequest, Invitation, Me, Member, MfaChallenge, OAuthClient, OrgRole, Page, Tokens } from './types';

export interface Registration {
  email: string;
  password: string;
  name: string;
  org_name: string;
  locale?: 'fr' | 'en';
}

export function register(body: Registration) {
  return api().post<{ user_id: string; org_id: string }>('/api/v1/auth/register', body, {
    anonymous: true,
  });
}

export function login(email: string, password: string) {
  return api().post<Tokens | MfaChallenge>(
    '/api/v1/auth/login',
    { email, password },
    { anonymous: true },
  );
}

export function loginMfa(mfaToken: string, code: string) {
  return api().post<Tokens>(
    '/api/v1/auth/login/mfa',
    { mfa_token: mfaToken, code },
    { anonymous: true },
  );
}

export function logout(refreshToken: string) {
  return api().post<void>('/api/v1/auth/logout', { refresh_token: refreshToken }, { anonymous: true });
}

export function verifyEmail(token: string) {
  return api().post<void>('/api/v1/auth/verify-email', { token }, { anonymous: true });
}

export function requestPasswordReset(email: string) {
  return api().post<void>('/api/v1/auth/password-reset', { email }, { anonymous: true });
}

export function resetPassword(token: string, newPassword: string) {
  return api().post<void>(
    '/api/v1/auth/password-reset/confirm',
    { token, new_password: newPassword },
    { anonymous: true },
  );
}

/** Tokens of the same person acting in another of their organisations (answers like a log-in). */
export function switchOrg(orgId: string) {
  return api().post<Tokens>('/api/v1/auth/switch-org', { org_id: orgId });
}

/** Another organisation, owned by the caller. */
export function createOrg(name: string) {
  return api().post<{ id: string; name: string }>('/api/v1/orgs', { name });
}

export function getMe() {
  return api().get<Me>('/api/v1/me');
}

export function changePassword(currentPassword: string, newPassword: string) {
  return api().post<void>('/api/v1/me/password', {
    current_password: currentPassword,
    new_password: newPassword,
  });
}

export function startTotp() {
  return api().post<{ secret: string; otpauth_uri: string }>('/api/v1/me/mfa/totp');
}

export function confirmTotp(code: string) {
  return api().post<{ recovery_codes: string[] }>('/api/v1/me/mfa/totp/confirm', { code });
}

export function disableTotp(code: string) {
  return api().delete('/api/v1/me/mfa/totp', { body: { code } });
}

const org = (orgId: string) => `/api/v1/orgs/${encodeURIComponent(orgId)}`;

export function listMembers(orgId: string, cursor?: string | null) {
  return api().get<Page<Member>>(`${org(orgId)}/members`, { query: { limit: 100, cursor } });
}

export function changeMemberRole(orgId: string, userId: string, role: OrgRole) {
  return api().patch<Member>(`${org(orgId)}/members/${encodeURIComponent(userId)}`, { role });
}

export function removeMember(orgId: string, userId: string) {
  return api().delete(`${org(orgId)}/members/${encodeURIComponent(userId)}`);
}

export function listInvitations(orgId: string, cursor?: string | null) {
  return api().get<Page<Invitation>>(`${org(orgId)}/invitations`, { query: { limit: 100, cursor } });
}

export function createInvitation(orgId: string, email: string, role: OrgRole) {
  return api().post<Invitation>(`${org(orgId)}/invitations`, { email, role });
}

export function cancelInvitation(orgId: string, invitationId: string) {
  return api().delete(`${org(orgId)}/invitations/${encodeURIComponent(invitationId)}`);
}

export function acceptInvitation(token: string) {
  return api().post<{ org_id: string; role: OrgRole }>('/api/v1/invitations/accept', { token });
}

export function isMfaChallenge(r: Tokens | MfaChallenge): r is MfaChallenge {
  return 'mfa_required' in r && r.mfa_required === true;
}

/** An OAuth client of the organisation (owners and admins only: others get 403). */
export function getOAuthClient(clientId: string) {
  return api().get<OAuthClient>(`/api/v1/oauth-clients/${encodeURIComponent(clientId)}`);
}

/** The user's answer on the consent page; the server says where to send the browser. */
export function decideAuthorization(request: AuthorizationRequest, approve: boolean) {
  return api().post<{ redirect_to: string }>('/api/v1/oauth2/authorize', { ...request, approve });
}
