// The Kanban board's moves as pure functions: where a card lands, and what to tell the server
// (PATCH /tasks/{id}/status names a neighbour in the target column, tasks.yaml's StatusMove).
import type { BoardColumn, StatusMove, Task, TaskStatus } from '@/api/types';

export interface CardPlace {
  status: TaskStatus;
  index: number;
}

export function findCard(columns: readonly BoardColumn[], taskId: string): CardPlace | null {
  for (const c of columns) {
    const index = c.tasks.findIndex((t) => t.id === taskId);
    if (index >= 0) return { status: c.status, index };
  }
  return null;
}

/**
 * The board after moving a task to `to.status`, at `to.index` of that column as it reads once the
 * task has left its old place. Returns new column arrays; the input is left as it was (the copy
 * to roll back to).
 */
export function moveCard(columns: readonly BoardColumn[], taskId: string, to: CardPlace): BoardColumn[] {
  const from = findCard(columns, taskId);
  if (!from) return columns.map((c) => ({ ...c, tasks: [...c.tasks] }));
  const moving = columns.find((c) => c.status === from.status)?.tasks[from.index] as Task;
  const next = columns.map((c) => ({ ...c, tasks: c.tasks.filter((t) => t.id !== taskId) }));
  const target = next.find((c) => c.status === to.status);
  if (!target) return columns.map((c) => ({ ...c, tasks: [...c.tasks] }));
  const index = Math.max(0, Math.min(to.index, target.tasks.length));
  target.tasks.splice(index, 0, { ...moving, status: to.status });
  return next;
}

/**
 * The request body for a task now at `index` of `column` (the column as it reads after the
 * move): after the card above it, else before the card below it, else just the column (empty).
 */
export function statusMoveFor(column: BoardColumn, taskId: string): StatusMove {
  const index = column.tasks.findIndex((t) => t.id === taskId);
  const above = index > 0 ? column.tasks[index - 1] : undefined;
  if (above) return { status: column.status, after_id: above.id };
  const below = column.tasks[index + 1];
  if (below) return { status: column.status, before_id: below.id };
  return { status: column.status };
}

/**
 * The index a dragged card takes in a column from the pointer's height: before the first card
 * whose middle is below the pointer. `middles` are the cards' vertical middles, the dragged card
 * left out.
 */
export function dropIndex(middles: readonly number[], pointerY: number): number {
  const i = middles.findIndex((m) => pointerY < m);
  return i < 0 ? middles.length : i;
}
