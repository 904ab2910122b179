// Shapes of the API's resources, as contracts/openapi describes them (identity.yaml,
// projects.yaml, including the project's participants, lots and milestones).

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type OrgRole = 'owner' | 'admin' | 'member' | 'guest';

export interface Tokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  org_id: string;
  roles: string[];
}

export interface MfaChallenge {
  mfa_required: true;
  mfa_token: string;
  methods: ('totp' | 'recovery_code')[];
}

export interface Membership {
  org_id: string;
  org_name: string;
  role: OrgRole;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  locale: string;
  email_verified: boolean;
  org_id: string;
  roles: string[];
  memberships: Membership[];
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: OrgRole;
  joined_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: OrgRole;
  invited_by: string;
  created_at: string;
  expires_at: string;
  /** Only in the answer to the creation. */
  token?: string;
}

export const PROJECT_STATUSES = [
  'draft',
  'planned',
  'in_progress',
  'on_hold',
  'completed',
  'cancelled',
] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface Project {
  id: string;
  org_id: string;
  code: string;
  name: string;
  address: string;
  client: string;
  start_date: string;
  end_date: string | null;
  /** Left out for callers who may not read budgets (not the project's managers). */
  budget_minor?: number | null;
  currency: string;
  status: ProjectStatus;
  version: number;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export interface NewProject {
  code: string;
  name: string;
  client?: string | null;
  address?: string | null;
  start_date: string;
  end_date?: string | null;
  budget_minor?: number | null;
  currency?: string;
}

export type ProjectPatch = Partial<Omit<NewProject, 'currency'>> & {
  currency?: string;
  status?: ProjectStatus;
};

export interface Lot {
  id: string;
  project_id: string;
  code: string;
  name: string;
  trade: string | null;
  /** Left out for callers who may not read budgets. */
  budget_minor?: number | null;
  currency: string;
  position: number;
  version: number;
}

export interface Milestone {
  id: string;
  project_id: string;
  name: string;
  due_date: string;
  lot_id: string | null;
  reached_on: string | null;
  description: string;
  version: number;
}

export type ParticipantRole = 'manager' | 'contributor' | 'viewer';

export interface Company {
  name: string;
  email: string | null;
  phone: string | null;
  siret: string | null;
}

export interface Participant {
  id: string;
  kind: 'user' | 'company';
  user_id: string | null;
  company: Company | null;
  role: ParticipantRole;
  trade: string | null;
  version: number;
}
