--liquibase formatted sql

--changeset voxdesk:calls-001-provider-connections
--comment: A tenant's connections to its telephony providers. The secret (ARI password, API4COM token) is ciphertext of the tenant's SecretCipher; at most one connection per tenant is enabled, and that one carries its calls.
CREATE TABLE provider_connections (
  id         UUID NOT NULL PRIMARY KEY,
  tenant_id  VARCHAR(63) NOT NULL,
  kind       VARCHAR(20) NOT NULL CHECK (kind IN ('asterisk', 'api4com')),
  name       VARCHAR(100) NOT NULL,
  enabled    BOOLEAN NOT NULL,
  settings   JSONB NOT NULL DEFAULT '{}',
  secret     TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  version    BIGINT NOT NULL
);
CREATE UNIQUE INDEX provider_connections_name_unique ON provider_connections (tenant_id, lower(name));
CREATE UNIQUE INDEX provider_connections_one_enabled ON provider_connections (tenant_id) WHERE enabled;
ALTER TABLE provider_connections ENABLE ROW LEVEL SECURITY;
CREATE POLICY provider_connections_isolation ON provider_connections
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON provider_connections TO ${app_role};

--changeset voxdesk:calls-002-agent-extensions
--comment: Minimal personal extensions: which extension rings when an agent clicks to call. The extensions module replaces it later, keeping the data.
CREATE TABLE agent_extensions (
  tenant_id  VARCHAR(63) NOT NULL,
  user_id    VARCHAR(64) NOT NULL,
  extension  VARCHAR(40) NOT NULL,
  active     BOOLEAN NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
CREATE UNIQUE INDEX agent_extensions_extension_unique ON agent_extensions (tenant_id, extension);
ALTER TABLE agent_extensions ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_extensions_isolation ON agent_extensions
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_extensions TO ${app_role};

--changeset voxdesk:calls-003-calls
--comment: Call records. The status is derived from the facts (answer, hold and end times, the cause) so that provider events applied twice or out of order give the same record. ticket_id and contact_id name other modules' rows through their APIs (no cross-module foreign keys).
CREATE TABLE calls (
  id                UUID NOT NULL PRIMARY KEY,
  tenant_id         VARCHAR(63) NOT NULL,
  direction         VARCHAR(10) NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  status            VARCHAR(12) NOT NULL,
  outcome           VARCHAR(10),
  connection_id     UUID NOT NULL,
  provider_kind     VARCHAR(20) NOT NULL,
  provider_call_id  VARCHAR(200),
  agent_id          VARCHAR(64) NOT NULL,
  agent_name        VARCHAR(255) NOT NULL,
  agent_extension   VARCHAR(40) NOT NULL,
  number            VARCHAR(20) NOT NULL,
  contact_id        UUID,
  ticket_id         UUID,
  record            BOOLEAN NOT NULL,
  requested_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  ringing_at        TIMESTAMP WITH TIME ZONE,
  agent_answered_at TIMESTAMP WITH TIME ZONE,
  answered_at       TIMESTAMP WITH TIME ZONE,
  ended_at          TIMESTAMP WITH TIME ZONE,
  end_leg           VARCHAR(10),
  hold_started_at   TIMESTAMP WITH TIME ZONE,
  hold_seconds      BIGINT NOT NULL DEFAULT 0,
  talk_seconds      BIGINT NOT NULL DEFAULT 0,
  hangup_code       VARCHAR(40),
  hangup_text       VARCHAR(100),
  hangup_outcome    VARCHAR(10),
  cancel_requested  BOOLEAN NOT NULL DEFAULT false,
  ending_revised    BOOLEAN NOT NULL DEFAULT false,
  failure_reason    VARCHAR(500),
  recording         VARCHAR(500),
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  version           BIGINT NOT NULL
);
CREATE INDEX calls_ticket_idx ON calls (tenant_id, ticket_id, requested_at DESC);
CREATE INDEX calls_agent_idx ON calls (tenant_id, agent_id, requested_at DESC);
CREATE INDEX calls_open_idx ON calls (connection_id, requested_at) WHERE ended_at IS NULL;
ALTER TABLE calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY calls_isolation ON calls
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON calls TO ${app_role};

--changeset voxdesk:calls-004-call-events
--comment: Every provider event applied to a call, once: the key makes a repeated event a no-op.
CREATE TABLE call_events (
  tenant_id   VARCHAR(63) NOT NULL DEFAULT current_setting('app.tenant_id', true),
  call_id     UUID NOT NULL REFERENCES calls (id),
  event_key   VARCHAR(200) NOT NULL,
  type        VARCHAR(30) NOT NULL,
  leg         VARCHAR(10) NOT NULL,
  occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (call_id, event_key)
);
ALTER TABLE call_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY call_events_isolation ON call_events
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON call_events TO ${app_role};

--changeset voxdesk:calls-005-enabled-connections splitStatements:false
--comment: Lets connectors find every tenant's enabled connection at start-up. Row-level security hides other tenants' rows from the application, so this definer function returns ids only; the connector then reads each connection in its own tenant's scope.
CREATE FUNCTION enabled_provider_connections(p_kind VARCHAR)
RETURNS TABLE (tenant_id VARCHAR, id UUID)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.tenant_id, c.id FROM provider_connections c WHERE c.enabled AND c.kind = p_kind
$$;
REVOKE ALL ON FUNCTION enabled_provider_connections(VARCHAR) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION enabled_provider_connections(VARCHAR) TO ${app_role};

--changeset voxdesk:calls-006-stale-calls splitStatements:false
--comment: Lets the sweeper find open calls without news in every tenant: ids and timestamps only, read as the table owner because row-level security hides other tenants' rows from the application.
CREATE FUNCTION stale_calls(ringing_before TIMESTAMP WITH TIME ZONE, answered_before TIMESTAMP WITH TIME ZONE)
RETURNS TABLE (tenant_id VARCHAR, id UUID, connection_id UUID, answered BOOLEAN, last_news TIMESTAMP WITH TIME ZONE)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.tenant_id, c.id, c.connection_id, c.answered_at IS NOT NULL, c.updated_at
    FROM calls c
   WHERE c.ended_at IS NULL
     AND ((c.answered_at IS NULL AND c.updated_at < ringing_before)
       OR (c.answered_at IS NOT NULL AND c.updated_at < answered_before))
   ORDER BY c.updated_at
   LIMIT 500
$$;
REVOKE ALL ON FUNCTION stale_calls(TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stale_calls(TIMESTAMP WITH TIME ZONE, TIMESTAMP WITH TIME ZONE) TO ${app_role};

--changeset voxdesk:calls-007-call-notes
--comment: The agent's note and disposition after a call.
ALTER TABLE calls ADD COLUMN note VARCHAR(2000);
ALTER TABLE calls ADD COLUMN disposition VARCHAR(50);

--changeset voxdesk:calls-008-transfers
--comment: Where the agent blind-transferred the customer, if they did.
ALTER TABLE calls ADD COLUMN transferred_to VARCHAR(40);
