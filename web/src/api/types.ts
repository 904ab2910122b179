// Shapes of the API's resources, as contracts/openapi describes them (identity.yaml,
// projects.yaml, including the project's participants, lots and milestones, and tasks.yaml: the
// plan's tasks, board, links, schedule and Gantt data).

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

// Planning (tasks.yaml). Dates are ISO calendar days; finish dates are inclusive.

export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export type ConstraintKind = 'start_no_earlier_than' | 'must_finish_on' | 'finish_no_later_than';
export interface Constraint {
  kind: ConstraintKind;
  date: string;
}

export interface ChecklistItem {
  id: string;
  text: string;
  done: boolean;
}

export interface Task {
  id: string;
  org_id: string;
  project_id: string;
  name: string;
  description: string;
  duration_days: number;
  milestone: boolean;
  lot_id: string | null;
  assignees: string[];
  constraint: Constraint | null;
  status: TaskStatus;
  rank: number;
  progress_percent: number;
  actual_start: string | null;
  actual_finish: string | null;
  checklist: ChecklistItem[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface NewTask {
  name: string;
  duration_days: number;
  description?: string | null;
  lot_id?: string | null;
  assignees?: string[];
  constraint?: Constraint | null;
}

export interface TaskPatch {
  name?: string;
  description?: string | null;
  duration_days?: number;
  lot_id?: string | null;
  assignees?: string[];
  constraint?: Constraint | null;
  progress_percent?: number;
  actual_start?: string | null;
  actual_finish?: string | null;
}

export interface BoardColumn {
  status: TaskStatus;
  tasks: Task[];
}

export interface Board {
  project_id: string;
  columns: BoardColumn[];
}

/** Where a moved task goes: its column, and the task it lands before or after (not both). */
export interface StatusMove {
  status: TaskStatus;
  before_id?: string;
  after_id?: string;
}

export const LINK_TYPES = ['FS', 'SS', 'FF', 'SF'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface Link {
  id: string;
  project_id: string;
  from: string;
  to: string;
  type: LinkType;
  lag_days: number;
  created_at: string;
}

export interface NewLink {
  from: string;
  to: string;
  type: LinkType;
  lag_days: number;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface Schedule {
  project_id: string;
  version: number;
  input_version: number;
  stale: boolean;
  computed_at: string | null;
  project_finish: string | null;
  critical_paths: string[][];
  critical_paths_truncated: boolean;
}

export interface GanttTask {
  id: string;
  name: string;
  lot_id: string | null;
  /** Null until the schedule has been computed with the task in it. */
  start: string | null;
  finish: string | null;
  duration_days: number;
  progress_percent: number;
  milestone: boolean;
  critical: boolean;
  total_float: number | null;
  status: TaskStatus;
  baseline_start: string | null;
  baseline_finish: string | null;
}

export interface GanttLink {
  id: string;
  from: string;
  to: string;
  type: LinkType;
  lag_days: number;
}

export interface GanttCalendar {
  working_weekdays: Weekday[];
  non_working_days: string[];
  extra_working_days: string[];
}

export interface Gantt {
  project: { id: string; name: string; start: string; finish: string | null; deadline: string | null };
  calendar: GanttCalendar;
  tasks: GanttTask[];
  links: GanttLink[];
  version: number;
  input_version: number;
  stale: boolean;
}

/** What the portal's consent page receives from GET /oauth2/authorize, and sends back. */
export interface AuthorizationRequest {
  response_type: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  code_challenge_method?: string;
  scope?: string;
  state?: string;
  nonce?: string;
}

export interface OAuthClient {
  id: string;
  client_id: string;
  name: string;
  type: 'confidential' | 'public';
  redirect_uris: string[];
}
