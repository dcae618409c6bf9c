--liquibase formatted sql

--changeset voxdesk:calls-022-offer-order
--comment: Round-robin asks, on every distribution pass, who was offered a call of the queue last. It joined every offer to its call and sorted them all by time: a pass read the queue's whole history (and one pass offers several callers at the same instant, each as its call's first offer, so time and seq tied and the last agent was whichever row came first). Each offer now keeps the queue it was made for (the call may move on to another queue later) and an always-increasing number, so the question is one index entry.
ALTER TABLE call_offers ADD COLUMN made BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE call_offers ADD COLUMN queue_id UUID;
UPDATE call_offers o SET queue_id = c.queue_id FROM calls c WHERE c.id = o.call_id;
CREATE INDEX call_offers_queue_turns ON call_offers (tenant_id, queue_id, made DESC) WHERE queue_id IS NOT NULL;
--rollback DROP INDEX call_offers_queue_turns; ALTER TABLE call_offers DROP COLUMN queue_id; ALTER TABLE call_offers DROP COLUMN made;

--changeset voxdesk:calls-023-agent-history-indexes
--comment: What a distribution pass asks of agents' calls: when their last call ended (longest-idle), how many they answered today (fewest-calls), who is on a call now. Through the agent's index by start time each of the first two read every call the agent ever had, and the last one read every open call, the waiting callers included, on every pass.
CREATE INDEX calls_agent_ended ON calls (tenant_id, agent_id, ended_at DESC) WHERE ended_at IS NOT NULL;
CREATE INDEX calls_agent_answered ON calls (tenant_id, agent_id, answered_at) WHERE answered_at IS NOT NULL;
CREATE INDEX calls_agents_busy ON calls (tenant_id, agent_id) WHERE ended_at IS NULL AND agent_id IS NOT NULL;
--rollback DROP INDEX calls_agents_busy; DROP INDEX calls_agent_answered; DROP INDEX calls_agent_ended;
