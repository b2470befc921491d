-- Fewer indexes on integrations: every change of a row's status writes a new entry in each of
-- them (no HOT update), so each costs the claim and the end of every job and every row of a
-- bulk replay. integrations_error was covered by integrations_error_created; connector has one
-- value per deployment as a rule, so its index repeated integrations_created (a connector
-- filter walks that one); the error-code index keeps only rows that have an error code (the
-- filter always names one), so a row that succeeds or is replayed adds no entry to it.

DROP INDEX integrations_error;
DROP INDEX integrations_connector;
DROP INDEX integrations_error_created;
CREATE INDEX integrations_error_created ON integrations (error_code, created_at DESC, id DESC) WHERE error_code IS NOT NULL;
