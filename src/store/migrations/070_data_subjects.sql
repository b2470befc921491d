-- Data-subject rights (LGPD art. 18) and access records (Marco Civil art. 15): the erasure
-- and anonymization requests with their progress, the log of reads of a person's data, and
-- the two normalizers every match of a phone or a CPF/CNPJ goes through (in SQL and in
-- src/domain/data-subject.ts alike).

-- Phone numbers compared by their digits, without the country code 55 and trunk zeros:
-- "+55 (11) 4000-0000", "011 4000 0000" and "1140000000" are the same key.
CREATE FUNCTION ponte_phone_key(raw text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN d ~ '^55[0-9]{10,11}$' THEN substr(d, 3)
    ELSE ltrim(d, '0')
  END
  FROM (SELECT regexp_replace(coalesce(raw, ''), '[^0-9]', '', 'g') AS d) AS digits
$$;

-- CPF/CNPJ compared by digits and letters (the alphanumeric CNPJ), upper case.
CREATE FUNCTION ponte_tax_key(raw text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(upper(coalesce(raw, '')), '[^0-9A-Z]', '', 'g')
$$;

CREATE TABLE data_subject_erasures (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  mode           text NOT NULL CHECK (mode IN ('anonymize', 'erase')),
  status         text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  -- SHA-256 of the mode and the normalized match: one request of each kind runs at a time.
  request_key    text NOT NULL,
  -- SHA-256 of each normalized identifier asked for ("email:...", "taxId:..."): what was
  -- erased can be checked later without keeping it.
  match_digests  text[] NOT NULL,
  -- The match and the collected scope (ids, names, e-mails) in clear, only while the job
  -- runs: both are cleared when it ends.
  match          jsonb,
  scope          jsonb,
  -- Rows touched per table {table: {deleted, cleaned, scrubbed}}, files removed, and
  -- where a resumed job goes on (the table and the last key done there).
  progress       jsonb NOT NULL DEFAULT '{}'::jsonb,
  files_removed  integer NOT NULL DEFAULT 0,
  step           integer NOT NULL DEFAULT 0,
  cursor         jsonb,
  -- ERP records the admin must handle in the ERP: [{clientCode, erpProcessNumber, integrationId}].
  erp_records    jsonb NOT NULL DEFAULT '[]'::jsonb,
  pseudonym      text NOT NULL,
  requested_by   text NOT NULL,
  error          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz
);
CREATE UNIQUE INDEX data_subject_erasures_running ON data_subject_erasures (request_key) WHERE status IN ('queued', 'running');
CREATE INDEX data_subject_erasures_digests ON data_subject_erasures USING gin (match_digests);

-- Every read of a person's data through the API: who (key and acting agent), what, when,
-- from which address. The person is kept as digests (as above) and the record's id.
CREATE TABLE access_log (
  id               bigserial PRIMARY KEY,
  at               timestamptz NOT NULL DEFAULT now(),
  key_name         text NOT NULL,
  agent_id         text,
  action           text NOT NULL,
  target_type      text NOT NULL,
  target_id        text NOT NULL,
  subject_digests  text[] NOT NULL DEFAULT '{}',
  ip               text,
  request_id       text
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_subject ON access_log USING gin (subject_digests);
CREATE INDEX access_log_target ON access_log (target_id, id DESC);
CREATE INDEX access_log_actor ON access_log (key_name, id DESC);
