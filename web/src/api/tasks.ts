// Planning routes (contracts/openapi/tasks.yaml): tasks and their checklist, the Kanban board,
// links, the schedule and the Gantt data. A task's ETag is "v<version>": changes send it back in
// If-Match so that a change made on an old copy is refused (412) instead of overwriting.
import { api } from './instance';
import type { Board, Gantt, Link, NewLink, NewTask, Page, Schedule, StatusMove, Task, TaskPatch } from './types';

const projectPath = (id: string) => `/api/v1/projects/${encodeURIComponent(id)}`;
export const taskPath = (id: string) => `/api/v1/tasks/${encodeURIComponent(id)}`;
const versionTag = (version: number) => `"v${version}"`;

export function getBoard(projectId: string) {
  return api().get<Board>(`${projectPath(projectId)}/board`);
}

export function createTask(projectId: string, body: NewTask) {
  return api().post<Task>(`${projectPath(projectId)}/tasks`, body);
}

export function listTasks(projectId: string, cursor?: string | null) {
  return api().get<Page<Task>>(`${projectPath(projectId)}/tasks`, { query: { limit: 200, cursor } });
}

export function getTask(id: string) {
  return api().get<Task>(taskPath(id));
}

/** JSON merge patch; `version` is the one the change was made on. */
export function updateTask(id: string, version: number, patch: TaskPatch) {
  return api().patch<Task>(taskPath(id), patch, { ifMatch: versionTag(version) });
}

/** Reads the task first (for its current version): for changes made without a copy of it. */
export async function updateTaskLatest(id: string, patch: TaskPatch) {
  const task = await getTask(id);
  return updateTask(id, task.version, patch);
}

export function deleteTask(id: string, version: number) {
  return api().delete(taskPath(id), { ifMatch: versionTag(version) });
}

export function moveTask(id: string, version: number, move: StatusMove) {
  return api().patch<Task>(`${taskPath(id)}/status`, move, { ifMatch: versionTag(version) });
}

export function addChecklistItem(taskId: string, text: string) {
  return api().post<Task>(`${taskPath(taskId)}/checklist`, { text });
}

export function setChecklistItem(taskId: string, itemId: string, change: { text?: string; done?: boolean }) {
  // The item's own route: it takes no version.
  return api().patch<Task>(`${taskPath(taskId)}/checklist/${encodeURIComponent(itemId)}`, change);
}

export function removeChecklistItem(taskId: string, itemId: string) {
  return api()
    .request<Task>('DELETE', `${taskPath(taskId)}/checklist/${encodeURIComponent(itemId)}`)
    .then((r) => r.data);
}

export function listLinks(projectId: string) {
  return api().get<{ items: Link[] }>(`${projectPath(projectId)}/links`).then((r) => r.items);
}

export function createLink(projectId: string, body: NewLink) {
  return api().post<Link>(`${projectPath(projectId)}/links`, body);
}

export function deleteLink(id: string) {
  return api().delete(`/api/v1/links/${encodeURIComponent(id)}`);
}

export function getSchedule(projectId: string) {
  return api().get<Schedule>(`${projectPath(projectId)}/schedule`);
}

export function getGantt(projectId: string) {
  return api().get<Gantt>(`${projectPath(projectId)}/gantt`);
}

/**
 * Waits until the background computation has caught up with the plan's changes (the schedule is
 * no longer stale), asking every `everyMs`; resolves false when it is still stale at the end.
 */
export async function waitForSchedule(
  projectId: string,
  { everyMs = 300, timeoutMs = 20_000, signal }: { everyMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await getSchedule(projectId);
    if (!s.stale && s.version > 0) return true;
    if (Date.now() + everyMs > until || signal?.aborted) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
