--liquibase formatted sql

--changeset voxdesk:contacts-004-do-not-call
--comment: Each tenant's do-not-call list (issue 17, point 8): numbers in E.164 that campaigns skip and click-to-call warns about; source says how each came in (opt-out from a campaign's IVR, by hand, from a CSV).
CREATE TABLE do_not_call (
  tenant_id  VARCHAR(63) NOT NULL,
  number     VARCHAR(20) NOT NULL,
  source     VARCHAR(10) NOT NULL CHECK (source IN ('opt-out', 'manual', 'import')),
  note       VARCHAR(200),
  added_by   VARCHAR(100) NOT NULL,
  added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, number)
);
CREATE INDEX do_not_call_added ON do_not_call (tenant_id, added_at DESC);
ALTER TABLE do_not_call ENABLE ROW LEVEL SECURITY;
CREATE POLICY do_not_call_isolation ON do_not_call
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, DELETE ON do_not_call TO ${app_role};

--changeset voxdesk:contacts-005-selection-indexes
--comment: Campaigns select contacts by tags and read each one's first number (issue 17, point 16): a 100,000-contact selection was counted with a correlated subquery per phone and a scan of every contact's tags, which took minutes. Tags get a GIN index, and phones one by contact and position, so the first number is one index look-up.
CREATE INDEX contacts_tags_idx ON contacts USING gin (tags);
CREATE INDEX contact_phones_first_idx ON contact_phones (contact_id, position);
