-- Row-level security, the second wall behind the repositories' org filters (ADR 0007): a
-- transaction sees and writes only the rows of the organisation it was started for (app.org_id),
-- unless it is declared cross-tenant (app.cross_tenant, see db::TxOptions) for the look-ups that
-- precede knowing the organisation. FORCE applies the policies to the tables' owner as well.
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['orgs', 'memberships', 'refresh_tokens', 'audit_log',
                                      'invitations', 'api_keys', 'user_tokens', 'mfa_challenges']
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
