--liquibase formatted sql

--changeset voxdesk:calls-012-inbound-numbers
--comment: The numbers (DIDs, E.164) that reach a tenant through one of its provider connections, each routed to a ticket queue or to one user. A number belongs to one tenant only: the unique index spans tenants, which row-level security does not hide from an insert.
CREATE TABLE inbound_numbers (
  id            UUID NOT NULL PRIMARY KEY,
  tenant_id     VARCHAR(63) NOT NULL,
  connection_id UUID NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
  number        VARCHAR(16) NOT NULL CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
  queue_id      UUID,
  user_id       VARCHAR(64),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  CHECK ((queue_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX inbound_numbers_number_unique ON inbound_numbers (number);
CREATE INDEX inbound_numbers_tenant ON inbound_numbers (tenant_id, number);
ALTER TABLE inbound_numbers ENABLE ROW LEVEL SECURITY;
CREATE POLICY inbound_numbers_isolation ON inbound_numbers
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON inbound_numbers TO ${app_role};
--rollback DROP TABLE inbound_numbers;
