-- OCR rows belong to an organisation like the rest. The OCR workers claim the next queued job of
-- any organisation, and re-queue interrupted ones at start-up, cross-tenant on purpose.
DO $$
DECLARE
  t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['ocr_jobs', 'ocr_pages', 'document_entities']
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
