--liquibase formatted sql

--changeset voxdesk:audit-001-entries
--comment: Append-only audit log: the application may insert and read, never update or delete.
CREATE TABLE audit_entries (
  id             UUID NOT NULL PRIMARY KEY,
  tenant_id      VARCHAR(63) NOT NULL,
  occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  actor_subject  VARCHAR(255) NOT NULL,
  actor_username VARCHAR(255) NOT NULL,
  action         VARCHAR(100) NOT NULL,
  target_type    VARCHAR(100) NOT NULL,
  target_id      VARCHAR(255) NOT NULL,
  summary        VARCHAR(1000) NOT NULL
);
CREATE INDEX audit_entries_tenant_time_idx ON audit_entries (tenant_id, occurred_at DESC);
CREATE INDEX audit_entries_time_idx ON audit_entries (occurred_at DESC);
ALTER TABLE audit_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_entries_scope ON audit_entries
  USING (current_setting('app.platform', true) = 'on' OR tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (current_setting('app.platform', true) = 'on' OR tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON audit_entries TO ${app_role};
