--liquibase formatted sql

--changeset voxdesk:api4com-001-webhooks
--comment: One webhook registration per API4COM connection. API4COM signs nothing, so the URL carries a random token; only its SHA-256 hash is kept, and a failed registration keeps the hash API4COM still has. problem is the last failure in words, for "Test connection".
CREATE TABLE api4com_webhooks (
  tenant_id       VARCHAR(63) NOT NULL,
  connection_id   UUID NOT NULL PRIMARY KEY,
  token_hash      VARCHAR(64),
  integration_id  VARCHAR(100),
  public_base_url VARCHAR(500),
  registered_at   TIMESTAMP WITH TIME ZONE,
  attempted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  problem         VARCHAR(500)
);
CREATE UNIQUE INDEX api4com_webhooks_token_unique ON api4com_webhooks (token_hash);
ALTER TABLE api4com_webhooks ENABLE ROW LEVEL SECURITY;
CREATE POLICY api4com_webhooks_isolation ON api4com_webhooks
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON api4com_webhooks TO ${app_role};

--changeset voxdesk:api4com-002-webhook-target splitStatements:false
--comment: A webhook arrives without a tenant scope, and row-level security hides every tenant's rows from it; this definer function names the tenant and connection of one token hash and nothing else.
CREATE FUNCTION api4com_webhook_target(p_token_hash VARCHAR)
RETURNS TABLE (tenant_id VARCHAR, connection_id UUID)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT w.tenant_id, w.connection_id FROM api4com_webhooks w WHERE w.token_hash = p_token_hash
$$;
REVOKE ALL ON FUNCTION api4com_webhook_target(VARCHAR) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api4com_webhook_target(VARCHAR) TO ${app_role};

--changeset voxdesk:api4com-003-calls
--comment: API4COM's id of each Voxdesk call, learnt from its webhooks (the dialer's answer carries another id); hanging up needs it.
CREATE TABLE api4com_calls (
  tenant_id       VARCHAR(63) NOT NULL,
  call_id         UUID NOT NULL PRIMARY KEY,
  api4com_call_id VARCHAR(200) NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE api4com_calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY api4com_calls_isolation ON api4com_calls
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON api4com_calls TO ${app_role};
