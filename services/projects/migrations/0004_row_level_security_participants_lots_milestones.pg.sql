-- Row-level security for the tables of 0003, as 0002 does for projects (ADR 0007): a transaction
-- sees and writes only the rows of the organisation it was started for, unless declared
-- cross-tenant. FORCE applies the policies to the tables' owner as well.
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['project_participants', 'project_lots', 'project_milestones']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I '
      'USING (org_id = current_setting(''app.org_id'', true) '
      '       OR current_setting(''app.cross_tenant'', true) = ''on'') '
      'WITH CHECK (org_id = current_setting(''app.org_id'', true) '
      '            OR current_setting(''app.cross_tenant'', true) = ''on'')',
      tenant_table);
  END LOOP;
END
$$;
