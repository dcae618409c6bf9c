--liquibase formatted sql

--changeset voxdesk:tenants-001-tenants
--comment: The tenant registry. A tenant scope sees only its own row; the platform scope sees all.
CREATE TABLE tenants (
  id             VARCHAR(63)  NOT NULL PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name           VARCHAR(200) NOT NULL,
  status         VARCHAR(20)  NOT NULL CHECK (status IN ('ACTIVE', 'DEACTIVATED')),
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by     VARCHAR(255) NOT NULL,
  deactivated_at TIMESTAMP WITH TIME ZONE,
  version        BIGINT NOT NULL
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_scope ON tenants
  USING (current_setting('app.platform', true) = 'on' OR id = current_setting('app.tenant_id', true))
  WITH CHECK (current_setting('app.platform', true) = 'on');
GRANT SELECT, INSERT, UPDATE ON tenants TO ${app_role};

--changeset voxdesk:tenants-002-keys
--comment: Per-tenant data keys (AES-256-GCM), each wrapped under a versioned master key. Tenant scope only.
CREATE TABLE tenant_keys (
  tenant_id          VARCHAR(63) NOT NULL REFERENCES tenants (id),
  version            INT NOT NULL CHECK (version > 0),
  master_key_version INT NOT NULL,
  wrapped_key        BYTEA NOT NULL,
  created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, version)
);
ALTER TABLE tenant_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_keys_isolation ON tenant_keys
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON tenant_keys TO ${app_role};

--changeset voxdesk:tenants-003-master-key-checks
--comment: A value encrypted under each master key version, so a wrong key is caught at start-up.
CREATE TABLE master_key_checks (
  version    INT NOT NULL PRIMARY KEY,
  check_value BYTEA NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
GRANT SELECT, INSERT ON master_key_checks TO ${app_role};

--changeset voxdesk:tenants-004-default-region
--comment: The region (ISO 3166 alpha-2) national phone numbers of the tenant are read in.
ALTER TABLE tenants ADD COLUMN default_region VARCHAR(2) NOT NULL DEFAULT 'BR' CHECK (default_region ~ '^[A-Z]{2}$');
