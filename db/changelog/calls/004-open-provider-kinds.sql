--liquibase formatted sql

--changeset voxdesk:calls-011-open-provider-kinds
--comment: Provider kinds are named by the installed connectors, no longer a fixed list: the column keeps their format only.
ALTER TABLE provider_connections DROP CONSTRAINT provider_connections_kind_check;
ALTER TABLE provider_connections ADD CONSTRAINT provider_connections_kind_format CHECK (kind ~ '^[a-z][a-z0-9-]{1,19}$');
--rollback ALTER TABLE provider_connections DROP CONSTRAINT provider_connections_kind_format;
--rollback ALTER TABLE provider_connections ADD CONSTRAINT provider_connections_kind_check CHECK (kind IN ('asterisk', 'api4com'));
