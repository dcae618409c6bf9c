--liquibase formatted sql

--changeset voxdesk:calls-026-connector-commands
--comment: Several instances (issue 18, point 2): a request to control a call (click-to-call, hang up, hold, transfer, offers) that reaches an instance which does not hold the connection's lease is queued here for the instance that does. The requester inserts and notifies (channel voxdesk_connector_commands), the holder claims it (taken_at, once: a command is never run twice, even by a new holder after a takeover), runs it and writes the answer (done_at, result or failure, notified on voxdesk_connector_replies). A command nobody took before its deadline is abandoned by the requester and never runs. Rows live seconds: the requester deletes its command once answered, and leftovers of a requester that died are purged after an hour. arguments hold what the provider needs (a number to dial), so the table is tenant-scoped like the calls.
CREATE TABLE connector_commands (
  id            UUID NOT NULL PRIMARY KEY,
  tenant_id     VARCHAR(63) NOT NULL,
  connection_id UUID NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
  operation     VARCHAR(40) NOT NULL,
  arguments     JSONB NOT NULL,
  requested_by  VARCHAR(64) NOT NULL,
  requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  deadline      TIMESTAMP WITH TIME ZONE NOT NULL,
  taken_by      VARCHAR(64),
  taken_at      TIMESTAMP WITH TIME ZONE,
  done_at       TIMESTAMP WITH TIME ZONE,
  result        TEXT,
  failure       JSONB
);
CREATE INDEX connector_commands_waiting ON connector_commands (connection_id, requested_at) WHERE taken_at IS NULL;
CREATE INDEX connector_commands_requested_at ON connector_commands (requested_at);
ALTER TABLE connector_commands ENABLE ROW LEVEL SECURITY;
CREATE POLICY connector_commands_isolation ON connector_commands
  USING (current_setting('app.platform', true) = 'on' OR tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (current_setting('app.platform', true) = 'on' OR tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON connector_commands TO ${app_role};
--rollback DROP TABLE connector_commands;
