-- Row-level security, the second wall behind the repository's org filter (ADR 0007). The worker
-- that claims the next queued book looks across organisations on purpose (cross_tenant).
DO $$
DECLARE
  t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['books', 'book_versions', 'book_files']
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
