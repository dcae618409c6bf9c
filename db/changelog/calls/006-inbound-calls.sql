--liquibase formatted sql

--changeset voxdesk:calls-013-inbound-calls
--comment: Inbound calls. Until an agent takes one it has no agent, so the agent columns are only required of outbound calls; the caller's number may be what the network gave (a national spelling, an extension, "anonymous"), so it is wider; dialled is the number they called, queue_id where the number sent them. A provider's call arrives once per connection: a repeated arrival is the same record.
ALTER TABLE calls ALTER COLUMN agent_id DROP NOT NULL;
ALTER TABLE calls ALTER COLUMN agent_name DROP NOT NULL;
ALTER TABLE calls ALTER COLUMN agent_extension DROP NOT NULL;
ALTER TABLE calls ADD CONSTRAINT calls_outbound_has_agent CHECK (direction = 'inbound' OR agent_id IS NOT NULL);
ALTER TABLE calls ALTER COLUMN number TYPE VARCHAR(40);
ALTER TABLE calls ALTER COLUMN status TYPE VARCHAR(20);
ALTER TABLE calls ALTER COLUMN outcome TYPE VARCHAR(20);
ALTER TABLE calls ALTER COLUMN hangup_outcome TYPE VARCHAR(20);
ALTER TABLE calls ADD COLUMN caller_name VARCHAR(100);
ALTER TABLE calls ADD COLUMN dialled VARCHAR(40);
ALTER TABLE calls ADD COLUMN queue_id UUID;
CREATE UNIQUE INDEX calls_inbound_arrival ON calls (connection_id, provider_call_id) WHERE direction = 'inbound';
--rollback DROP INDEX calls_inbound_arrival; ALTER TABLE calls DROP COLUMN queue_id; ALTER TABLE calls DROP COLUMN dialled; ALTER TABLE calls DROP COLUMN caller_name; ALTER TABLE calls DROP CONSTRAINT calls_outbound_has_agent;
