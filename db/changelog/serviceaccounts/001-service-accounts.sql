--liquibase formatted sql

--changeset voxdesk:serviceaccounts-001 splitStatements:false
--comment: Service accounts (issue 19): a tenant's Keycloak client-credentials clients, created by Voxdesk through Keycloak's admin API. keycloak_id is the client's internal id there; the secret lives in Keycloak only.
CREATE TABLE service_accounts (
  id                UUID NOT NULL PRIMARY KEY,
  tenant_id         VARCHAR(63) NOT NULL,
  client_id         VARCHAR(120) NOT NULL UNIQUE,
  keycloak_id       VARCHAR(64) NOT NULL,
  name              VARCHAR(100) NOT NULL,
  roles             TEXT[] NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by        VARCHAR(255) NOT NULL,
  secret_rotated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX service_accounts_tenant ON service_accounts (tenant_id);
ALTER TABLE service_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_accounts_isolation ON service_accounts
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON service_accounts TO ${app_role};
