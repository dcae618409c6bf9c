--liquibase formatted sql

--changeset voxdesk:campaigns-001-campaigns
--comment: Voice campaigns (issue 17, point 4): what is played (message_audio_id, an item of the audio library), to whom (tags and query of the contacts module, fixed into campaign_contacts when it starts), on which connection, how many calls at once, when (window in time_zone), retries per outcome, and the state draft -> scheduled -> running <-> paused -> completed | cancelled.
CREATE TABLE campaigns (
  id                  UUID NOT NULL PRIMARY KEY,
  tenant_id           VARCHAR(63) NOT NULL,
  name                VARCHAR(120) NOT NULL,
  connection_id       UUID NOT NULL,
  message_audio_id    UUID NOT NULL,
  caller_id           VARCHAR(21) NOT NULL,
  tags                TEXT[] NOT NULL DEFAULT '{}',
  query               VARCHAR(200) NOT NULL DEFAULT '',
  concurrency         INT NOT NULL CHECK (concurrency BETWEEN 1 AND 1000),
  window_days         VARCHAR(27) NOT NULL,
  window_from         TIME NOT NULL,
  window_until        TIME NOT NULL CHECK (window_until > window_from),
  time_zone           VARCHAR(64) NOT NULL,
  busy_attempts       INT NOT NULL,
  busy_delay          INT NOT NULL,
  no_answer_attempts  INT NOT NULL,
  no_answer_delay     INT NOT NULL,
  failed_attempts     INT NOT NULL,
  failed_delay        INT NOT NULL,
  machine_attempts    INT NOT NULL,
  machine_delay       INT NOT NULL,
  machines            VARCHAR(20) NOT NULL CHECK (machines IN ('hang-up', 'leave-message')),
  state               VARCHAR(10) NOT NULL CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
  scheduled_at        TIMESTAMP WITH TIME ZONE,
  started_at          TIMESTAMP WITH TIME ZONE,
  finished_at         TIMESTAMP WITH TIME ZONE,
  total_contacts      INT NOT NULL DEFAULT 0,
  created_by          VARCHAR(100) NOT NULL,
  created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX campaigns_tenant_created ON campaigns (tenant_id, created_at DESC);
CREATE INDEX campaigns_due ON campaigns (state, scheduled_at) WHERE state IN ('scheduled', 'running');
ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_isolation ON campaigns
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON campaigns TO ${app_role};

--changeset voxdesk:campaigns-002-campaign-contacts
--comment: The contacts a campaign calls, fixed when it starts (a running campaign's contacts do not change): the number to call, and how far its attempts got.
CREATE TABLE campaign_contacts (
  tenant_id    VARCHAR(63) NOT NULL,
  campaign_id  UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  contact_id   UUID NOT NULL,
  number       VARCHAR(16) NOT NULL,
  position     INT NOT NULL,
  attempts     INT NOT NULL DEFAULT 0,
  state        VARCHAR(12) NOT NULL DEFAULT 'pending',
  PRIMARY KEY (campaign_id, contact_id)
);
CREATE INDEX campaign_contacts_next ON campaign_contacts (campaign_id, state, position);
ALTER TABLE campaign_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_contacts_isolation ON campaign_contacts
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON campaign_contacts TO ${app_role};
