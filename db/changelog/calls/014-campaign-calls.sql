--liquibase formatted sql

--changeset voxdesk:calls-024-campaign-calls
--comment: Voice campaigns (issue 17, point 11): a campaign's call that reaches a person is a call record of its own, direction campaign, with no agent (the PBX played the message); handed to a queue or an agent by a key, the customer waits as an inbound call that names the campaign, like a call an agent transferred to a queue.
ALTER TABLE calls DROP CONSTRAINT calls_direction_check;
ALTER TABLE calls ADD CONSTRAINT calls_direction_check CHECK (direction IN ('outbound', 'inbound', 'campaign'));
ALTER TABLE calls DROP CONSTRAINT calls_outbound_has_agent;
ALTER TABLE calls ADD CONSTRAINT calls_outbound_has_agent CHECK (direction <> 'outbound' OR agent_id IS NOT NULL);
ALTER TABLE calls ADD COLUMN campaign VARCHAR(120);
--rollback ALTER TABLE calls DROP COLUMN campaign;
