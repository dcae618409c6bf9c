--liquibase formatted sql

--changeset voxdesk:contacts-003-imports
--comment: CSV imports: the uploaded file (kept until the import ends, so a crash resumes), progress counters
--comment: with a checkpoint, and the per-row error report.
CREATE TABLE contact_imports (
  id            UUID NOT NULL PRIMARY KEY,
  tenant_id     VARCHAR(63) NOT NULL,
  file_name     VARCHAR(255) NOT NULL,
  status        VARCHAR(20) NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
  charset       VARCHAR(20),
  delimiter     VARCHAR(1),
  columns       TEXT,
  rows_total    INT,
  rows_read     INT NOT NULL DEFAULT 0,
  rows_imported INT NOT NULL DEFAULT 0,
  rows_rejected INT NOT NULL DEFAULT 0,
  failure       VARCHAR(1000),
  created_by    VARCHAR(255) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE,
  finished_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX contact_imports_tenant_idx ON contact_imports (tenant_id, created_at DESC);
CREATE TABLE contact_import_files (
  import_id UUID NOT NULL PRIMARY KEY REFERENCES contact_imports (id) ON DELETE CASCADE,
  tenant_id VARCHAR(63) NOT NULL,
  content   BYTEA NOT NULL
);
CREATE TABLE contact_import_errors (
  import_id  UUID NOT NULL REFERENCES contact_imports (id) ON DELETE CASCADE,
  tenant_id  VARCHAR(63) NOT NULL,
  row_number INT NOT NULL,
  column_name VARCHAR(255),
  reason     VARCHAR(1000) NOT NULL,
  PRIMARY KEY (import_id, row_number, reason)
);
ALTER TABLE contact_imports ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_import_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_import_errors ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_imports_isolation ON contact_imports
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY contact_import_files_isolation ON contact_import_files
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
CREATE POLICY contact_import_errors_isolation ON contact_import_errors
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON contact_imports TO ${app_role};
GRANT SELECT, INSERT, DELETE ON contact_import_files TO ${app_role};
GRANT SELECT, INSERT ON contact_import_errors TO ${app_role};
-- Match keys as plain columns: under row-level security PostgreSQL cannot use an expression index on
-- lower(email) for a join (lower is not leakproof), but it can use an index on a stored column with '='.
ALTER TABLE contacts ADD COLUMN email_key TEXT GENERATED ALWAYS AS (lower(email)) STORED;
ALTER TABLE contacts ADD COLUMN name_key TEXT GENERATED ALWAYS AS (lower(name)) STORED;
CREATE INDEX contacts_tenant_email_key_idx ON contacts (tenant_id, email_key);
CREATE INDEX contacts_tenant_name_key_idx ON contacts (tenant_id, name_key);
