--liquibase formatted sql

--changeset voxdesk:tenants-005-members
--comment: The users seen signing in to each tenant, with their Voxdesk roles: the directory that assignments and queue memberships are checked against.
CREATE TABLE tenant_members (
  tenant_id     VARCHAR(63)  NOT NULL REFERENCES tenants (id),
  user_id       VARCHAR(64)  NOT NULL,
  username      VARCHAR(255) NOT NULL,
  roles         TEXT[]       NOT NULL,
  first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
ALTER TABLE tenant_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_members_isolation ON tenant_members
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON tenant_members TO ${app_role};
