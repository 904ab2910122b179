-- Row-level security, the second wall behind the repository's org filter (ADR 0007): a
-- transaction sees and writes only the rows of the organisation it was started for. The purge
-- job, which removes expired documents of every organisation and checks whether another one still
-- refers to a blob, runs cross-tenant on purpose.
DO $$
DECLARE
  t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['documents', 'document_versions', 'document_tags', 'projects',
                           'project_roles']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
                   'USING (org_id = current_setting(''app.org_id'', true) '
                   'OR current_setting(''app.cross_tenant'', true) = ''on'') '
                   'WITH CHECK (org_id = current_setting(''app.org_id'', true) '
                   'OR current_setting(''app.cross_tenant'', true) = ''on'')', t);
  END LOOP;
END
$$;
