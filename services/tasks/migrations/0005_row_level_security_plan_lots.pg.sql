-- Row-level security on the lots' projection, as on every table of the service (0002).
ALTER TABLE plan_lots ENABLE ROW LEVEL SECURITY;
ALTER TABLE plan_lots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON plan_lots
  USING (org_id = current_setting('app.org_id', true)
         OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true)
              OR current_setting('app.cross_tenant', true) = 'on');
