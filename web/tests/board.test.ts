import { describe, expect, it } from 'vitest';
import type { BoardColumn, Task, TaskStatus } from '@/api/types';
import { dropIndex, findCard, moveCard, statusMoveFor } from '@/lib/board';

const task = (id: string, status: TaskStatus): Task => ({
  id,
  org_id: 'o1',
  project_id: 'p1',
  name: id,
  description: '',
  duration_days: 1,
  milestone: false,
  lot_id: null,
  assignees: [],
  constraint: null,
  status,
  rank: 0,
  progress_percent: 0,
  actual_start: null,
  actual_finish: null,
  checklist: [],
  version: 1,
  created_at: '',
  updated_at: '',
});

const board = (): BoardColumn[] => [
  { status: 'todo', tasks: [task('a', 'todo'), task('b', 'todo'), task('c', 'todo')] },
  { status: 'in_progress', tasks: [task('d', 'in_progress')] },
  { status: 'blocked', tasks: [] },
  { status: 'done', tasks: [] },
];
const ids = (cols: BoardColumn[], s: TaskStatus) => cols.find((c) => c.status === s)!.tasks.map((t) => t.id);

describe('board moves', () => {
  it('moves a card to another column without touching the original', () => {
    const before = board();
    const after = moveCard(before, 'b', { status: 'in_progress', index: 0 });
    expect(ids(after, 'todo')).toEqual(['a', 'c']);
    expect(ids(after, 'in_progress')).toEqual(['b', 'd']);
    expect(after[1]!.tasks[0]!.status).toBe('in_progress');
    expect(ids(before, 'todo')).toEqual(['a', 'b', 'c']);
    expect(findCard(after, 'b')).toEqual({ status: 'in_progress', index: 0 });
  });

  it('reorders within a column', () => {
    const after = moveCard(board(), 'a', { status: 'todo', index: 2 });
    expect(ids(after, 'todo')).toEqual(['b', 'c', 'a']);
  });

  it('names the neighbour the server needs', () => {
    let after = moveCard(board(), 'b', { status: 'in_progress', index: 0 });
    expect(statusMoveFor(after[1]!, 'b')).toEqual({ status: 'in_progress', before_id: 'd' });
    after = moveCard(board(), 'b', { status: 'in_progress', index: 5 });
    expect(statusMoveFor(after[1]!, 'b')).toEqual({ status: 'in_progress', after_id: 'd' });
    after = moveCard(board(), 'b', { status: 'blocked', index: 0 });
    expect(statusMoveFor(after[2]!, 'b')).toEqual({ status: 'blocked' });
  });

  it('finds the drop place from the pointer', () => {
    expect(dropIndex([10, 50, 90], 0)).toBe(0);
    expect(dropIndex([10, 50, 90], 60)).toBe(2);
    expect(dropIndex([10, 50, 90], 200)).toBe(3);
    expect(dropIndex([], 5)).toBe(0);
  });
});
