// Project routes (contracts/openapi/projects.yaml) and the project's lots, milestones and
// participants (/api/v1/projects/{id}/lots, /milestones, /participants).
import { api } from './instance';
import type {
  Lot,
  Milestone,
  NewProject,
  Page,
  Participant,
  Project,
  ProjectPatch,
  ProjectStatus,
} from './types';

const base = '/api/v1/projects';
export const projectPath = (id: string) => `${base}/${encodeURIComponent(id)}`;

export interface ProjectQuery {
  q?: string;
  status?: ProjectStatus | null;
  cursor?: string | null;
  limit?: number;
}

export function listProjects(query: ProjectQuery) {
  return api().get<Page<Project>>(base, {
    query: { limit: query.limit ?? 20, q: query.q?.trim(), status: query.status, cursor: query.cursor },
  });
}

export function createProject(body: NewProject) {
  return api().post<Project>(base, body);
}

export function getProject(id: string) {
  return api().get<Project>(projectPath(id));
}

/** JSON merge patch with If-Match from the last read of the project. */
export function updateProject(id: string, patch: ProjectPatch) {
  return api().patch<Project>(projectPath(id), patch);
}

export function archiveProject(id: string) {
  return api().post<Project>(`${projectPath(id)}/archive`);
}

/** The statuses a project may go to next (the life cycle of projects.yaml). */
export function nextStatuses(from: ProjectStatus): ProjectStatus[] {
  switch (from) {
    case 'draft':
      return ['planned', 'cancelled'];
    case 'planned':
      return ['in_progress', 'on_hold', 'cancelled'];
    case 'in_progress':
      return ['on_hold', 'completed', 'cancelled'];
    case 'on_hold':
      return ['in_progress', 'cancelled'];
    case 'completed':
    case 'cancelled':
      return [];
  }
}

/**
 * The statuses a 409's detail names as allowed ("... allowed: planned, cancelled."), so that the
 * page can offer them when its own idea of the life cycle is out of date.
 */
export function allowedFromConflict(detail: string | null): ProjectStatus[] {
  if (!detail) return [];
  const m = /allowed:\s*([a-z_,\s]+)/i.exec(detail);
  if (!m?.[1]) return [];
  const known: readonly string[] = ['draft', 'planned', 'in_progress', 'on_hold', 'completed', 'cancelled'];
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is ProjectStatus => known.includes(s));
}

// Parts of a project. Items carry a version; If-Match is built from it ("v<version>", the
// projects service's ETag form).
type Part = 'lots' | 'milestones' | 'participants';
const partPath = (projectId: string, part: Part, id?: string) =>
  `${projectPath(projectId)}/${part}${id ? `/${encodeURIComponent(id)}` : ''}`;

export function listParts<T>(projectId: string, part: Part, cursor?: string | null) {
  return api().get<Page<T>>(partPath(projectId, part), { query: { limit: 100, cursor } });
}

export function createPart<T>(projectId: string, part: Part, body: object) {
  return api().post<T>(partPath(projectId, part), body);
}

export function updatePart<T>(projectId: string, part: Part, id: string, version: number, patch: object) {
  return api().patch<T>(partPath(projectId, part, id), patch, { ifMatch: `"v${version}"` });
}

export function deletePart(projectId: string, part: Part, id: string) {
  return api().delete(partPath(projectId, part, id));
}

export type { Lot, Milestone, Participant };
