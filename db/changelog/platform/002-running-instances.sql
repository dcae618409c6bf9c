--liquibase formatted sql

--changeset voxdesk:platform-002-running-instances
--comment: The instances running against this database, each seen every two seconds, so that a starting instance hands unfinished event publications back to their listeners at once only when no other instance may be processing them.
CREATE TABLE running_instances (
  name       TEXT NOT NULL PRIMARY KEY,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  seen_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON running_instances TO ${app_role};
