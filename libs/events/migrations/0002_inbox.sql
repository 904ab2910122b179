-- Event ids a consumer has handled (or parked), so that a redelivery is handled once.
CREATE TABLE inbox (
  consumer    TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  org_id      TEXT NOT NULL,
  handled_at  TEXT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);

-- Events a consumer gave up on after its retries, kept whole for inspection and replay.
CREATE TABLE dead_letter (
  consumer    TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  org_id      TEXT NOT NULL,
  type        TEXT NOT NULL,
  envelope    TEXT NOT NULL,
  error       TEXT NOT NULL,
  attempts    INTEGER NOT NULL,
  failed_at   TEXT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
