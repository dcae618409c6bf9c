--liquibase formatted sql

--changeset voxdesk:extensions-001-extensions
--comment: Every user's own SIP extension, one per user and each number once per tenant. password is ciphertext of the tenant's SecretCipher (NULL until the user sets one); domain and websocket_url are NULL when neither the user nor the provider connection gave them.
CREATE TABLE extensions (
  id            UUID NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
  tenant_id     VARCHAR(63) NOT NULL,
  user_id       VARCHAR(64) NOT NULL,
  extension     VARCHAR(40) NOT NULL,
  username      VARCHAR(64) NOT NULL,
  password      TEXT,
  domain        VARCHAR(253),
  websocket_url VARCHAR(500),
  display_name  VARCHAR(100),
  active        BOOLEAN NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  version       BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX extensions_user_unique ON extensions (tenant_id, user_id);
CREATE UNIQUE INDEX extensions_extension_unique ON extensions (tenant_id, extension);
ALTER TABLE extensions ENABLE ROW LEVEL SECURITY;
CREATE POLICY extensions_isolation ON extensions
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON extensions TO ${app_role};

--changeset voxdesk:extensions-002-copy-agent-extensions
--comment: Takes over the calls module's minimal agent_extensions (calls-002) with its data: the username is the extension, as it was all along; no password, domain or WebSocket server was ever stored there. Runs as the owner, which row-level security does not restrict, so every tenant's rows move.
INSERT INTO extensions (tenant_id, user_id, extension, username, active, updated_at)
SELECT a.tenant_id, a.user_id, a.extension, a.extension, a.active, a.updated_at
  FROM agent_extensions a;

--changeset voxdesk:extensions-003-drop-agent-extensions
--comment: Drops the calls module's agent_extensions, now copied. The drop belongs to calls, but it cannot be a calls changeset: the master changelog applies calls/ before extensions/, so a calls changeset would drop the table before extensions-002 copies it. Here it runs after the copy, on new and existing databases alike.
DROP TABLE agent_extensions;
