-- Row-level security on the OAuth tables, as 0005 does for the others (ADR 0007). Clients and
-- codes found before their organisation is known (the token endpoint) are read cross-tenant.
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['oauth_clients', 'oauth_codes']
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
