-- Accent-insensitive search on PostgreSQL, as FTS5 already is on SQLite: "beton" finds "béton"
-- and "béton" finds "beton". The unaccent extension (trusted: the database owner may create it)
-- provides a dictionary that strips accents; two text search configurations put it in front of
-- the French and English stemmers. The vector, the query and ts_headline all use them, so the
-- words match once folded while the snippet still shows, and marks, the original text.
--
-- The extension goes into public, once per database, whichever service schema comes first:
-- created in a service schema it would vanish with that schema and take the other schemas'
-- search columns with it. Concurrent migrators of other schemas wait for each other here.
SELECT pg_advisory_xact_lock(hashtext('atelier.extension:unaccent'));
DO $$
DECLARE
  dictionary TEXT;
BEGIN
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
      CREATE EXTENSION unaccent WITH SCHEMA public;
    END IF;
  EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    -- All in the primary message: that is the part the migrator reports.
    RAISE EXCEPTION 'documents search needs the PostgreSQL extension unaccent (%): install '
                    'postgresql-contrib, then run the migrations as a role with CREATE on the '
                    'database, such as its owner (unaccent is trusted since PostgreSQL 13), or '
                    'have a superuser run CREATE EXTENSION unaccent WITH SCHEMA public once',
                    SQLERRM;
  END;
  -- Wherever an earlier install put it.
  SELECT format('%I.unaccent', n.nspname) INTO STRICT dictionary
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'unaccent';
  CREATE TEXT SEARCH CONFIGURATION documents_french (COPY = pg_catalog.french);
  CREATE TEXT SEARCH CONFIGURATION documents_english (COPY = pg_catalog.english);
  -- Only words with a letter outside ASCII can carry an accent.
  EXECUTE format('ALTER TEXT SEARCH CONFIGURATION documents_french '
                 'ALTER MAPPING FOR word, hword, hword_part WITH %s, pg_catalog.french_stem',
                 dictionary);
  EXECUTE format('ALTER TEXT SEARCH CONFIGURATION documents_english '
                 'ALTER MAPPING FOR word, hword, hword_part WITH %s, pg_catalog.english_stem',
                 dictionary);
END
$$;

-- A generated column's expression cannot be changed in place before PostgreSQL 17: dropped (its
-- GIN index with it) and added again, computed for the rows already there.
ALTER TABLE document_search DROP COLUMN search;
ALTER TABLE document_search ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('documents_french'::regconfig, translate(name, '._-', '   ')), 'A') ||
  setweight(to_tsvector('documents_english'::regconfig, translate(name, '._-', '   ')), 'A') ||
  setweight(to_tsvector('documents_french'::regconfig, body), 'B') ||
  setweight(to_tsvector('documents_english'::regconfig, body), 'B')) STORED;
CREATE INDEX document_search_vector ON document_search USING GIN (search);
