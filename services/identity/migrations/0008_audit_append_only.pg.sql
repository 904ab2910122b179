-- The audit log is append-only: rows are inserted, never changed or removed, so that whoever gets
-- to run SQL as the service cannot cover their tracks by editing it. The trigger refuses UPDATE
-- and DELETE row by row and TRUNCATE for the table; the 0008 .sqlite.sql twin does the same on
-- SQLite.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
