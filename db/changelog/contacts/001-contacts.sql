--liquibase formatted sql

--changeset voxdesk:contacts-001-contacts
--comment: Contacts and their E.164 phone numbers; a number belongs to at most one contact per tenant.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE TABLE contacts (
  id         UUID NOT NULL PRIMARY KEY,
  tenant_id  VARCHAR(63) NOT NULL,
  name       VARCHAR(200) NOT NULL,
  email      VARCHAR(254),
  custom1    VARCHAR(500),
  custom2    VARCHAR(500),
  custom3    VARCHAR(500),
  custom4    VARCHAR(500),
  custom5    VARCHAR(500),
  tags       TEXT[] NOT NULL DEFAULT '{}',
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  version    BIGINT NOT NULL
);
CREATE INDEX contacts_tenant_name_idx ON contacts (tenant_id, lower(name), id);
-- Tenant first in the trigram indexes, so one index scan serves both the RLS predicate and the search.
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (tenant_id, name gin_trgm_ops);
CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (tenant_id, email gin_trgm_ops);
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY contacts_isolation ON contacts
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts TO ${app_role};

CREATE TABLE contact_phones (
  id         UUID NOT NULL PRIMARY KEY,
  tenant_id  VARCHAR(63) NOT NULL,
  contact_id UUID NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  position   INT NOT NULL,
  e164       VARCHAR(16) NOT NULL CHECK (e164 ~ '^\+[1-9][0-9]{1,14}$'),
  raw        VARCHAR(40) NOT NULL,
  label      VARCHAR(40),
  CONSTRAINT contact_phones_number_unique UNIQUE (tenant_id, e164)
);
CREATE INDEX contact_phones_contact_idx ON contact_phones (contact_id);
CREATE INDEX contact_phones_e164_trgm_idx ON contact_phones USING gin (tenant_id, e164 gin_trgm_ops);
ALTER TABLE contact_phones ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_phones_isolation ON contact_phones
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON contact_phones TO ${app_role};
