--liquibase formatted sql

--changeset voxdesk:webhooks-001-endpoints splitStatements:false
--comment: Outbound webhooks (issue 19): a tenant admin's endpoints, each with the event types it wants and its signing secrets (per-tenant ciphertext; the previous one stays valid until previous_secret_until after a rotation). disabled_at and disabled_reason say that Voxdesk disabled it after a whole retry window of failures.
CREATE TABLE webhook_endpoints (
  id                    UUID NOT NULL PRIMARY KEY,
  tenant_id             VARCHAR(63) NOT NULL,
  url                   VARCHAR(2000) NOT NULL,
  description           VARCHAR(200),
  event_types           TEXT[] NOT NULL,
  enabled               BOOLEAN NOT NULL,
  disabled_at           TIMESTAMP WITH TIME ZONE,
  disabled_reason       VARCHAR(500),
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_secret_until TIMESTAMP WITH TIME ZONE,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id);
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY webhook_endpoints_isolation ON webhook_endpoints
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints TO ${app_role};

-- The transactional outbox of deliveries: one row per event and endpoint, written by the event's listener (event_key makes a republished event a no-op). seq orders the deliveries of one ordering_key (a call) on one endpoint: a later one waits while an earlier one is pending. leased_until keeps one instance's attempt from being made by another meanwhile. round_start: the attempts made before the last "send again", whose retries start over.
CREATE TABLE webhook_deliveries (
  id              UUID NOT NULL PRIMARY KEY,
  seq             BIGSERIAL NOT NULL,
  tenant_id       VARCHAR(63) NOT NULL,
  endpoint_id     UUID NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_type      VARCHAR(60) NOT NULL,
  event_key       VARCHAR(200) NOT NULL,
  ordering_key    VARCHAR(200) NOT NULL,
  payload         TEXT NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  state           VARCHAR(20) NOT NULL,
  attempts        INT NOT NULL DEFAULT 0,
  round_start     INT NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP WITH TIME ZONE,
  leased_until    TIMESTAMP WITH TIME ZONE,
  last_attempt_at TIMESTAMP WITH TIME ZONE,
  last_status     INT,
  delivered_at    TIMESTAMP WITH TIME ZONE,
  failure         VARCHAR(500),
  CONSTRAINT webhook_deliveries_once UNIQUE (endpoint_id, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, ordering_key, seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY webhook_deliveries_isolation ON webhook_deliveries
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO ${app_role};
GRANT USAGE ON SEQUENCE webhook_deliveries_seq_seq TO ${app_role};

-- Each attempt as the delivery log shows it: HTTP status, latency, the first 1 KB of the response, or the error.
CREATE TABLE webhook_attempts (
  delivery_id      UUID NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt          INT NOT NULL,
  tenant_id        VARCHAR(63) NOT NULL,
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  latency_ms       INT NOT NULL,
  status_code      INT,
  response_excerpt VARCHAR(1024),
  error            VARCHAR(500),
  PRIMARY KEY (delivery_id, attempt)
);
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY webhook_attempts_isolation ON webhook_attempts
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_attempts TO ${app_role};

-- The dispatcher takes due deliveries across tenants without reading their payloads: ids only, leased for p_lease_seconds (the lease is returned: an attempt's outcome is written only while it still holds it); at most p_per_endpoint in flight per endpoint (one slow host holds only its own), and never one whose call has an earlier delivery still pending on the same endpoint (in order per call). Claims are taken one at a time (a transaction-scoped advisory lock), so each sees the leases the previous one wrote; the update checks the lease again all the same.
CREATE FUNCTION claim_webhook_deliveries(p_limit INT, p_per_endpoint INT, p_lease_seconds INT)
RETURNS TABLE (id UUID, tenant_id VARCHAR, leased_until TIMESTAMP WITH TIME ZONE)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('voxdesk.webhook-claims'));
  RETURN QUERY
  WITH in_flight AS (
    SELECT f.endpoint_id, count(*) AS n FROM webhook_deliveries f
    WHERE f.state = 'pending' AND f.leased_until > now()
    GROUP BY f.endpoint_id),
  due AS (
    SELECT d.id, d.endpoint_id, d.seq,
      row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.seq) AS rank
    FROM webhook_deliveries d
    JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
    WHERE d.state = 'pending' AND d.next_attempt_at <= now()
      AND (d.leased_until IS NULL OR d.leased_until <= now())
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries b
        WHERE b.endpoint_id = d.endpoint_id AND b.ordering_key = d.ordering_key AND b.state = 'pending'
          AND b.seq < d.seq)),
  chosen AS (
    SELECT due.id FROM due LEFT JOIN in_flight ON in_flight.endpoint_id = due.endpoint_id
    WHERE due.rank <= p_per_endpoint - coalesce(in_flight.n, 0)
    ORDER BY due.seq
    LIMIT p_limit)
  UPDATE webhook_deliveries w SET leased_until = now() + p_lease_seconds * interval '1 second'
  WHERE w.id IN (SELECT c.id FROM chosen c)
    AND w.state = 'pending' AND (w.leased_until IS NULL OR w.leased_until <= now())
  RETURNING w.id, w.tenant_id, w.leased_until;
END
$$;
REVOKE ALL ON FUNCTION claim_webhook_deliveries(INT, INT, INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_webhook_deliveries(INT, INT, INT) TO ${app_role};
-- Delivered and failed deliveries older than the retention, in every tenant: deleted without being read (their payloads hold numbers and names).
CREATE FUNCTION purge_webhook_deliveries(p_older_than_seconds BIGINT) RETURNS INT
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH purged AS (DELETE FROM webhook_deliveries WHERE state <> 'pending'
    AND created_at < now() - p_older_than_seconds * interval '1 second' RETURNING 1)
  SELECT count(*)::INT FROM purged
$$;
REVOKE ALL ON FUNCTION purge_webhook_deliveries(BIGINT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_webhook_deliveries(BIGINT) TO ${app_role};
--rollback DROP FUNCTION purge_webhook_deliveries(BIGINT); DROP FUNCTION claim_webhook_deliveries(INT, INT, INT); DROP TABLE webhook_attempts; DROP TABLE webhook_deliveries; DROP TABLE webhook_endpoints;
