--liquibase formatted sql

--changeset voxdesk:tickets-001-queues
--comment: Queues (departments) of a tenant and their member agents.
CREATE TABLE ticket_queues (
  id         UUID NOT NULL PRIMARY KEY,
  tenant_id  VARCHAR(63) NOT NULL,
  name       VARCHAR(100) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  version    BIGINT NOT NULL
);
CREATE UNIQUE INDEX ticket_queues_name_unique ON ticket_queues (tenant_id, lower(name));
ALTER TABLE ticket_queues ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_queues_isolation ON ticket_queues
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_queues TO ${app_role};

-- The tenant defaults to the session's tenant, so rows written as a JPA element collection carry it too.
CREATE TABLE ticket_queue_members (
  tenant_id VARCHAR(63) NOT NULL DEFAULT current_setting('app.tenant_id', true),
  queue_id  UUID NOT NULL REFERENCES ticket_queues (id) ON DELETE CASCADE,
  user_id   VARCHAR(64) NOT NULL,
  PRIMARY KEY (queue_id, user_id)
);
CREATE INDEX ticket_queue_members_user_idx ON ticket_queue_members (tenant_id, user_id);
ALTER TABLE ticket_queue_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_queue_members_isolation ON ticket_queue_members
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON ticket_queue_members TO ${app_role};

--changeset voxdesk:tickets-002-tickets
--comment: Tickets. contact_id names a contact of the contacts module, checked through its API (no cross-module foreign key).
CREATE TABLE tickets (
  id             UUID NOT NULL PRIMARY KEY,
  tenant_id      VARCHAR(63) NOT NULL,
  subject        VARCHAR(200) NOT NULL,
  status         VARCHAR(10) NOT NULL CHECK (status IN ('pending', 'open', 'closed')),
  priority       SMALLINT NOT NULL CHECK (priority BETWEEN 1 AND 4),
  contact_id     UUID,
  queue_id       UUID REFERENCES ticket_queues (id),
  assignee_id    VARCHAR(64),
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  closed_at      TIMESTAMP WITH TIME ZONE,
  last_entry_seq BIGINT NOT NULL DEFAULT 0,
  version        BIGINT NOT NULL,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX tickets_status_idx ON tickets (tenant_id, status, updated_at DESC);
CREATE INDEX tickets_queue_idx ON tickets (tenant_id, queue_id, status);
CREATE INDEX tickets_assignee_idx ON tickets (tenant_id, assignee_id, status);
CREATE INDEX tickets_contact_idx ON tickets (tenant_id, contact_id, status);
ALTER TABLE tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tickets_isolation ON tickets
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON tickets TO ${app_role};

--changeset voxdesk:tickets-003-timeline
--comment: The ticket timeline: append-only (the application may only read and insert), ordered by seq per ticket.
CREATE TABLE ticket_timeline (
  id              UUID NOT NULL PRIMARY KEY,
  tenant_id       VARCHAR(63) NOT NULL,
  ticket_id       UUID NOT NULL REFERENCES tickets (id),
  seq             BIGINT NOT NULL,
  type            VARCHAR(50) NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.-]*$'),
  occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  actor_id        VARCHAR(64) NOT NULL,
  actor_name      VARCHAR(255) NOT NULL,
  summary         VARCHAR(500) NOT NULL,
  data            JSONB NOT NULL DEFAULT '{}',
  idempotency_key VARCHAR(200),
  CONSTRAINT ticket_timeline_seq_unique UNIQUE (ticket_id, seq),
  CONSTRAINT ticket_timeline_key_unique UNIQUE (ticket_id, idempotency_key)
);
ALTER TABLE ticket_timeline ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_timeline_isolation ON ticket_timeline
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON ticket_timeline TO ${app_role};

--changeset voxdesk:tickets-004-policy
--comment: Per-tenant ticket policy: what finding the open ticket of a contact does when the latest one is closed.
CREATE TABLE ticket_policies (
  tenant_id        VARCHAR(63) NOT NULL PRIMARY KEY,
  when_last_closed VARCHAR(20) NOT NULL CHECK (when_last_closed IN ('reopen', 'create-new')),
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE ticket_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_policies_isolation ON ticket_policies
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON ticket_policies TO ${app_role};
