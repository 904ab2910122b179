-- Full-text search over names and (once OCR has run) the text of documents. The documents are
-- French and English: the vector holds both stemmings, names weighted above the body, kept by
-- PostgreSQL itself as a generated column, with a GIN index. In names, dots, dashes and
-- underscores separate words ("devis_lot-3.pdf"): the parser would otherwise read
-- "charpente.pdf" as one host or file name token.
CREATE TABLE document_search (
  document_id  TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  name         TEXT NOT NULL,
  body         TEXT NOT NULL DEFAULT '',
  search       tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('french'::regconfig, translate(name, '._-', '   ')), 'A') ||
                 setweight(to_tsvector('english'::regconfig, translate(name, '._-', '   ')), 'A') ||
                 setweight(to_tsvector('french'::regconfig, body), 'B') ||
                 setweight(to_tsvector('english'::regconfig, body), 'B')) STORED
);
CREATE INDEX document_search_vector ON document_search USING GIN (search);
CREATE INDEX document_search_org ON document_search (org_id);

ALTER TABLE document_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_search FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON document_search
  USING (org_id = current_setting('app.org_id', true)
         OR current_setting('app.cross_tenant', true) = 'on')
  WITH CHECK (org_id = current_setting('app.org_id', true)
              OR current_setting('app.cross_tenant', true) = 'on');
