-- Rate-limit counters shared by every ponte process when there is no Redis: one row per
-- bucket (an address's failures or requests, a key's requests, by hash) and fixed window.

CREATE TABLE rate_limit_hits (
  bucket        text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start);
