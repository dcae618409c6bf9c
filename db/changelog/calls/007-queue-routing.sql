--liquibase formatted sql

--changeset voxdesk:calls-014-queue-routing
--comment: How each ticket queue distributes its calls, kept by the calls module and keyed by the queue's id (no foreign key into the tickets module's tables). A queue without a row has the defaults: ring-all, 20 s ring, 5 min wait, 10 s wrap-up, then a goodbye.
CREATE TABLE queue_routing (
  queue_id         UUID NOT NULL PRIMARY KEY,
  tenant_id        VARCHAR(63) NOT NULL,
  strategy         VARCHAR(20) NOT NULL CHECK (strategy IN ('ring-all', 'round-robin', 'longest-idle', 'fewest-calls', 'random')),
  ring_seconds     INTEGER NOT NULL CHECK (ring_seconds BETWEEN 5 AND 120),
  max_wait_seconds INTEGER NOT NULL CHECK (max_wait_seconds BETWEEN 10 AND 3600),
  wrap_up_seconds  INTEGER NOT NULL CHECK (wrap_up_seconds BETWEEN 0 AND 600),
  music_class      VARCHAR(80) NOT NULL,
  greeting         VARCHAR(80),
  overflow_target  VARCHAR(10) NOT NULL CHECK (overflow_target IN ('hang-up', 'queue', 'user')),
  overflow_queue   UUID,
  overflow_user    VARCHAR(64),
  overflow_message VARCHAR(80),
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  CHECK ((overflow_target = 'queue') = (overflow_queue IS NOT NULL)),
  CHECK ((overflow_target = 'user') = (overflow_user IS NOT NULL))
);
CREATE INDEX queue_routing_tenant ON queue_routing (tenant_id);
ALTER TABLE queue_routing ENABLE ROW LEVEL SECURITY;
CREATE POLICY queue_routing_isolation ON queue_routing
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON queue_routing TO ${app_role};
--rollback DROP TABLE queue_routing;
