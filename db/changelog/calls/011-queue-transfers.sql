--liquibase formatted sql

--changeset voxdesk:calls-020-queue-transfers
--comment: A call an agent transferred to a queue: the customer's line waits there as a new inbound call, transferred_from naming the call it came from. That call keeps the line's provider id (the connector follows the line by it), so the one-record-per-arrival rule holds for calls that arrived, not for the ones a transfer made.
ALTER TABLE calls ADD COLUMN transferred_from UUID;
DROP INDEX calls_inbound_arrival;
CREATE UNIQUE INDEX calls_inbound_arrival ON calls (connection_id, provider_call_id) WHERE direction = 'inbound' AND transferred_from IS NULL;
--rollback DROP INDEX calls_inbound_arrival; CREATE UNIQUE INDEX calls_inbound_arrival ON calls (connection_id, provider_call_id) WHERE direction = 'inbound'; ALTER TABLE calls DROP COLUMN transferred_from;
