--liquibase formatted sql

--changeset voxdesk:calls-009-estimated-endings
--comment: Whether a call's end was never reported and ended_at is Voxdesk's estimate (the PBX went away mid-call).
ALTER TABLE calls ADD COLUMN ending_estimated BOOLEAN NOT NULL DEFAULT FALSE;
