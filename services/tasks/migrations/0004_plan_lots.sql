-- The lots of each project (projects.LotCreated.v1, LotUpdated.v1, LotDeleted.v1), so that a
-- task's lot_id is checked against the lots of its own project: the projection of the projects
-- service's project_lots, never a join into it. A deleted lot's row goes, and its tasks are
-- untied from it (tasks.lot_id set to NULL), as the projects service unties its milestones.
CREATE TABLE plan_lots (
  lot_id      TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  project_id  TEXT NOT NULL,
  code        TEXT NOT NULL,
  name        TEXT NOT NULL
);
CREATE INDEX plan_lots_project ON plan_lots (org_id, project_id, lot_id);
CREATE INDEX tasks_lot ON tasks (org_id, project_id, lot_id);
