--liquibase formatted sql

--changeset voxdesk:calls-010-bridged-transfers
--comment: Transfers inside Voxdesk's own bridge: the latest attempt of a call, the facts reported about its target, and what came of it.
ALTER TABLE calls ADD COLUMN transfer_attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN transfer_mode VARCHAR(10);
ALTER TABLE calls ADD COLUMN transfer_requested_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE calls ADD COLUMN transfer_answered_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE calls ADD COLUMN transfer_completed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE calls ADD COLUMN transfer_ended_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE calls ADD COLUMN transfer_end_code VARCHAR(40);
ALTER TABLE calls ADD COLUMN transfer_end_text VARCHAR(100);
ALTER TABLE calls ADD COLUMN transfer_end_outcome VARCHAR(20);
ALTER TABLE calls ADD COLUMN transfer_cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calls ADD COLUMN transfer_failure VARCHAR(500);
