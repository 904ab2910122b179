-- The project's code (projects.ProjectCreated.v1 and ProjectUpdated.v1 carry it), for what a
-- planner recognises a plan by outside Atelier: the name of an exported MS Project file. NULL for
-- plans projected before this column existed, until their project next changes.
ALTER TABLE plans ADD COLUMN code TEXT;
