--liquibase formatted sql logicalFilePath:db/changelog/calls/018-recording-link-keys.sql

--changeset voxdesk:calls-028-recording-link-keys splitStatements:false
--comment: Issue 19, point 2: each tenant's key for signing short-lived links to its calls' recordings (call.recording_available webhooks), made on first use, encrypted with the tenant's key.
CREATE TABLE recording_link_keys (
  tenant_id  VARCHAR(63) NOT NULL PRIMARY KEY,
  secret     TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE recording_link_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY recording_link_keys_isolation ON recording_link_keys
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON recording_link_keys TO ${app_role};
