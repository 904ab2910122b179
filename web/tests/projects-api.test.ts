import { describe, expect, it } from 'vitest';
import { allowedFromConflict, nextStatuses } from '@/api/projects';

describe('project life cycle', () => {
  it('offers the moves of projects.yaml', () => {
    expect(nextStatuses('draft')).toEqual(['planned', 'cancelled']);
    expect(nextStatuses('in_progress')).toEqual(['on_hold', 'completed', 'cancelled']);
    expect(nextStatuses('completed')).toEqual([]);
  });

  it("reads the allowed statuses from a 409's detail", () => {
    expect(
      allowedFromConflict('A project cannot go from draft to completed: allowed: planned, cancelled.'),
    ).toEqual(['planned', 'cancelled']);
    expect(allowedFromConflict('A project cannot go from completed to draft: completed is final, no status change is allowed.')).toEqual([]);
    expect(allowedFromConflict(null)).toEqual([]);
  });
});
