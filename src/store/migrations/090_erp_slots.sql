-- ERP_MAX_CONCURRENT across every process of one installation: each ERP call holds one of the
-- slots 0..cap-1 for its duration. A slot whose lease ran out (its process died) is free again;
-- holders renew their leases while their calls run.

CREATE TABLE erp_slots (
  slot   integer PRIMARY KEY,
  -- The process holding it (renews every lease it holds) and this one hold of it.
  owner  uuid NOT NULL,
  token  uuid NOT NULL,
  until  timestamptz NOT NULL
);
