--liquibase formatted sql

--changeset voxdesk:calls-018-agent-presence
--comment: Agents' chosen presence per tenant (available, away with a reason, offline), which survives restarts and is shared by every instance; on a call and wrap-up are derived from the calls. An agent without a row is available. presence_settings keeps the tenant's list of away reasons.
CREATE TABLE agent_presence (
  tenant_id VARCHAR(63) NOT NULL,
  user_id   VARCHAR(64) NOT NULL,
  state     VARCHAR(10) NOT NULL CHECK (state IN ('available', 'away', 'offline')),
  reason    VARCHAR(100),
  since     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
ALTER TABLE agent_presence ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_presence_isolation ON agent_presence
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_presence TO ${app_role};
CREATE TABLE presence_settings (
  tenant_id    VARCHAR(63) NOT NULL PRIMARY KEY,
  away_reasons VARCHAR(1000) NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE presence_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY presence_settings_isolation ON presence_settings
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON presence_settings TO ${app_role};
--rollback DROP TABLE presence_settings; DROP TABLE agent_presence;
