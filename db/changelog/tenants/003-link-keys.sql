--liquibase formatted sql

--changeset voxdesk:tenants-006-link-keys splitStatements:false
--comment: Each tenant's keys for signing the links Voxdesk hands out, one per purpose (audio.link-key for PBXs, calls.recording-link-key for hosts), encrypted with the tenant's key (TenantLinkKeys). The audio module's own table moves here in audio-003.
CREATE TABLE tenant_link_keys (
  tenant_id  VARCHAR(63) NOT NULL,
  purpose    VARCHAR(100) NOT NULL,
  secret     TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, purpose)
);
ALTER TABLE tenant_link_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_link_keys_isolation ON tenant_link_keys
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON tenant_link_keys TO ${app_role};
