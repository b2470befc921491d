-- ERP pushes (delinquency markers, product versions) and outbound webhooks to the helpdesk.

-- Every event the ERP pushed, once: the primary key is the ERP's event id, so a repeated
-- push finds its row and changes nothing. `outcome`: applied | stale | pending_client.
CREATE TABLE erp_events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  client_code  text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  data         jsonb NOT NULL,
  outcome      text NOT NULL,
  applied_at   timestamptz
);
-- The pending sweep looks only at events waiting for their client.
CREATE INDEX erp_events_pending ON erp_events (client_code, occurred_at) WHERE outcome = 'pending_client';

-- Current delinquency marker per client (read by the chat details panel).
CREATE TABLE client_markers (
  client_code  text PRIMARY KEY,
  delinquent   boolean NOT NULL,
  since        date,
  reason       text,
  occurred_at  timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Product versions per client and system (read by the chat details panel).
CREATE TABLE client_product_versions (
  client_code  text NOT NULL,
  system       text NOT NULL,
  used         text,
  entitled     text,
  downloaded   text,
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (client_code, system)
);

CREATE TABLE webhook_subscriptions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url              text NOT NULL,
  events           text[] NOT NULL,
  -- Needed in clear to sign deliveries; never returned after creation, never logged.
  secret           text NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason  text,
  disabled_at      timestamptz,
  -- First failed attempt since the last success; reset by a success.
  failing_since    timestamptz,
  last_success_at  timestamptz,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  deleted_at       timestamptz
);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'retrying', 'delivered', 'failed', 'cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  replays          integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC);

CREATE TABLE webhook_attempts (
  id                bigserial PRIMARY KEY,
  delivery_id       uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt           integer NOT NULL,
  replay            integer NOT NULL DEFAULT 0,
  started_at        timestamptz NOT NULL,
  duration_ms       integer NOT NULL,
  status_code       integer,
  response_excerpt  text,
  error_code        text,
  error_message     text,
  outcome           text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed'))
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
