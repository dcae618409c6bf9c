--liquibase formatted sql

--changeset voxdesk:calls-015-call-offers
--comment: The agents Voxdesk rang for an inbound call, one row per offer. Two invariants of distribution are the database's: an agent is offered one caller at a time (one ringing offer per user), and a caller is taken by one agent (one answered offer per call). queued_at is when the call started waiting for an agent in its current queue (or for the one user its number routes to, routed_user), from which its wait is measured.
CREATE TABLE call_offers (
  call_id    UUID NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL CHECK (seq > 0),
  tenant_id  VARCHAR(63) NOT NULL,
  user_id    VARCHAR(64) NOT NULL,
  extension  VARCHAR(40) NOT NULL,
  state      VARCHAR(10) NOT NULL CHECK (state IN ('ringing', 'answered', 'missed', 'declined', 'cancelled', 'failed')),
  offered_at TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at   TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (call_id, seq)
);
CREATE UNIQUE INDEX call_offers_one_ringing_per_agent ON call_offers (tenant_id, user_id) WHERE state = 'ringing';
CREATE UNIQUE INDEX call_offers_one_answer_per_call ON call_offers (call_id) WHERE state = 'answered';
CREATE INDEX call_offers_user ON call_offers (tenant_id, user_id, offered_at DESC);
ALTER TABLE call_offers ENABLE ROW LEVEL SECURITY;
CREATE POLICY call_offers_isolation ON call_offers
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON call_offers TO ${app_role};
ALTER TABLE calls ADD COLUMN queued_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE calls ADD COLUMN routed_user VARCHAR(64);
ALTER TABLE calls ADD COLUMN overflows INTEGER NOT NULL DEFAULT 0;
CREATE INDEX calls_waiting ON calls (tenant_id, queued_at) WHERE direction = 'inbound' AND ended_at IS NULL AND agent_id IS NULL;
--rollback DROP INDEX calls_waiting; ALTER TABLE calls DROP COLUMN overflows; ALTER TABLE calls DROP COLUMN routed_user; ALTER TABLE calls DROP COLUMN queued_at; DROP TABLE call_offers;

--changeset voxdesk:calls-016-waiting-tenants splitStatements:false
--comment: The tenants with callers waiting in a queue or agents being rung: what the distribution tick visits. Row-level security hides other tenants' calls from the application role, so a definer function lists tenant ids only.
CREATE FUNCTION tenants_with_waiting_calls()
RETURNS TABLE (tenant_id VARCHAR)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT DISTINCT c.tenant_id
    FROM calls c
   WHERE c.direction = 'inbound' AND c.ended_at IS NULL AND c.agent_id IS NULL AND c.queued_at IS NOT NULL
$$;
REVOKE ALL ON FUNCTION tenants_with_waiting_calls() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenants_with_waiting_calls() TO ${app_role};
--rollback DROP FUNCTION tenants_with_waiting_calls();

--changeset voxdesk:calls-017-inbound-policies
--comment: What inbound calls create in a tenant: a contact for a new caller or not, and which ticket a call lands on. A tenant without a row has the default: contacts created, the contact's open ticket.
CREATE TABLE inbound_policies (
  tenant_id       VARCHAR(63) NOT NULL PRIMARY KEY,
  create_contacts BOOLEAN NOT NULL,
  tickets         VARCHAR(12) NOT NULL CHECK (tickets IN ('open-ticket', 'new-ticket', 'none')),
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE inbound_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY inbound_policies_isolation ON inbound_policies
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON inbound_policies TO ${app_role};
--rollback DROP TABLE inbound_policies;
