--liquibase formatted sql

--changeset voxdesk:calls-026-connector-commands splitStatements:false
--comment: Several instances (issue 18, point 2): a request to control a call (click-to-call, hang up, hold, transfer, offers) that reaches an instance which does not hold the connection's lease is queued here for the instance that does. The requester inserts and notifies (channel voxdesk_connector_commands), the holder claims it (taken_at, once: a command is never run twice, even by a new holder after a takeover), runs it and writes the answer (done_at, result or failure, notified on voxdesk_connector_replies). A command nobody took before its deadline is withdrawn by the requester (done_at set while taken_at is null) and never runs. Rows live seconds: the requester deletes its command once answered, and leftovers of a requester that died are purged after an hour. arguments hold what the provider needs (a number to dial), so the table is tenant-scoped like the calls.
CREATE TABLE connector_commands (
  id            UUID NOT NULL PRIMARY KEY,
  tenant_id     VARCHAR(63) NOT NULL,
  connection_id UUID NOT NULL REFERENCES provider_connections (id) ON DELETE CASCADE,
  operation     VARCHAR(40) NOT NULL,
  arguments     JSONB NOT NULL,
  requested_by  VARCHAR(64) NOT NULL,
  requested_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  deadline      TIMESTAMP WITH TIME ZONE NOT NULL,
  taken_by      VARCHAR(64),
  taken_at      TIMESTAMP WITH TIME ZONE,
  done_at       TIMESTAMP WITH TIME ZONE,
  result        TEXT,
  failure       JSONB
);
CREATE INDEX connector_commands_waiting ON connector_commands (connection_id, requested_at) WHERE taken_at IS NULL;
CREATE INDEX connector_commands_requested_at ON connector_commands (requested_at);
ALTER TABLE connector_commands ENABLE ROW LEVEL SECURITY;
CREATE POLICY connector_commands_isolation ON connector_commands
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON connector_commands TO ${app_role};
-- The holder claims across tenants without reading any tenant's data: this function marks the commands waiting for the connections whose live lease p_instance holds as taken and returns ids only (and the time left before each deadline); the holder then reads and answers each command in its tenant's scope. A command withdrawn by its requester (done_at set) or past its deadline is never taken.
CREATE FUNCTION claim_connector_commands(p_instance TEXT, p_limit INT)
RETURNS TABLE (id UUID, tenant_id VARCHAR, connection_id UUID, millis_left BIGINT)
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  UPDATE connector_commands c SET taken_by = p_instance, taken_at = now()
  WHERE c.id IN (
    SELECT w.id FROM connector_commands w
    JOIN connection_leases l ON l.connection_id = w.connection_id
    WHERE w.taken_at IS NULL AND w.done_at IS NULL AND w.deadline > now()
      AND l.holder = p_instance AND l.expires_at > now()
    ORDER BY w.requested_at
    LIMIT p_limit
    FOR UPDATE OF w SKIP LOCKED)
  RETURNING c.id, c.tenant_id, c.connection_id, (extract(epoch FROM c.deadline - now()) * 1000)::BIGINT
$$;
REVOKE ALL ON FUNCTION claim_connector_commands(TEXT, INT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_connector_commands(TEXT, INT) TO ${app_role};
-- What requesters that died left behind, in every tenant: deleted without being read.
CREATE FUNCTION purge_connector_commands() RETURNS INT
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  WITH purged AS (DELETE FROM connector_commands WHERE requested_at < now() - interval '1 hour' RETURNING 1)
  SELECT count(*)::INT FROM purged
$$;
REVOKE ALL ON FUNCTION purge_connector_commands() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_connector_commands() TO ${app_role};
--rollback DROP FUNCTION purge_connector_commands(); DROP FUNCTION claim_connector_commands(TEXT, INT); DROP TABLE connector_commands;
