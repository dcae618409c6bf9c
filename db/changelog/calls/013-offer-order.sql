--liquibase formatted sql

--changeset voxdesk:calls-022-offer-order
--comment: The order in which offers were made, across calls. Round-robin asks who was offered a call of the queue last; one distribution pass offers several callers at the same instant, each as its call's first offer, so offered_at and seq tie and the last agent was whichever row the database returned first. An always-increasing number breaks the tie in the order the pass made them.
ALTER TABLE call_offers ADD COLUMN made BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE INDEX call_offers_made ON call_offers (made DESC);
--rollback DROP INDEX call_offers_made; ALTER TABLE call_offers DROP COLUMN made;
