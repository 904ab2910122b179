-- Full-text search over names and (once OCR has run) the text of documents: FTS5, with accents
-- folded so that "beton" finds "béton". Kept by the repository beside the documents table.
CREATE VIRTUAL TABLE document_search USING fts5(
  document_id UNINDEXED,
  org_id UNINDEXED,
  name,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);
