-- Share links are rows of an organisation like the rest. The public download looks a link up by
-- its token's hash before the organisation is known, and so runs cross-tenant on purpose.
ALTER TABLE document_shares ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_shares FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_shares
  USING (org_id = current_setting('app.org_id', true)
         OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true)
              OR current_setting('app.cross_tenant', true) = 'on');
