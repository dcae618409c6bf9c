--liquibase formatted sql

--changeset voxdesk:calls-019-callbacks
--comment: Callback tasks: an inbound caller nobody answered, to be called back by an agent of the queue they called (or the one user their number routes to). One task per number is open or taken at a time: a repeat call joins it. calls.callback_id links a callback call to its task, which closes when the customer answers it.
CREATE TABLE callbacks (
  id             UUID NOT NULL PRIMARY KEY,
  tenant_id      VARCHAR(63) NOT NULL,
  number         VARCHAR(40) NOT NULL,
  caller_name    VARCHAR(100),
  contact_id     UUID,
  ticket_id      UUID,
  queue_id       UUID,
  user_id        VARCHAR(64),
  missed_calls   INTEGER NOT NULL CHECK (missed_calls > 0),
  first_call_id  UUID NOT NULL,
  last_call_id   UUID NOT NULL,
  last_missed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_outcome   VARCHAR(20) NOT NULL,
  state          VARCHAR(8) NOT NULL CHECK (state IN ('open', 'taken', 'closed')),
  taken_by       VARCHAR(64),
  taken_by_name  VARCHAR(255),
  taken_at       TIMESTAMP WITH TIME ZONE,
  closed_at      TIMESTAMP WITH TIME ZONE,
  closed_by      VARCHAR(64),
  close_reason   VARCHAR(200),
  answered_call  UUID,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  CHECK ((state = 'open') = (taken_by IS NULL) OR state = 'closed')
);
CREATE UNIQUE INDEX callbacks_one_open_per_number ON callbacks (tenant_id, number) WHERE state <> 'closed';
CREATE INDEX callbacks_tenant_missed ON callbacks (tenant_id, last_missed_at DESC);
ALTER TABLE callbacks ENABLE ROW LEVEL SECURITY;
CREATE POLICY callbacks_isolation ON callbacks
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON callbacks TO ${app_role};
ALTER TABLE calls ADD COLUMN callback_id UUID;
--rollback ALTER TABLE calls DROP COLUMN callback_id; DROP TABLE callbacks;
