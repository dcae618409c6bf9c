--liquibase formatted sql

--changeset voxdesk:calls-021-agent-connections splitStatements:false
--comment: Which application instances have an agent's webphone connected (a STOMP session), refreshed by each instance while it lasts. An agent's presence becomes offline after a disconnect only when no instance saw them lately, so an agent whose tab moved to another instance behind a load balancer stays as they are; an instance that died stops refreshing, and its rows go stale. stale_agent_connections lists the agents all of whose rows are stale, across tenants (row-level security hides other tenants' rows from the application role), for the instance that reaps them.
CREATE TABLE agent_connections (
  tenant_id   VARCHAR(63) NOT NULL,
  user_id     VARCHAR(64) NOT NULL,
  instance_id VARCHAR(64) NOT NULL,
  seen_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant_id, user_id, instance_id)
);
ALTER TABLE agent_connections ENABLE ROW LEVEL SECURITY;
CREATE POLICY agent_connections_isolation ON agent_connections
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON agent_connections TO ${app_role};
CREATE FUNCTION stale_agent_connections(stale_before TIMESTAMP WITH TIME ZONE)
RETURNS TABLE (tenant_id VARCHAR, user_id VARCHAR, last_seen TIMESTAMP WITH TIME ZONE)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.tenant_id, c.user_id, max(c.seen_at)
    FROM agent_connections c
   GROUP BY c.tenant_id, c.user_id
  HAVING max(c.seen_at) < stale_before
$$;
REVOKE ALL ON FUNCTION stale_agent_connections(TIMESTAMP WITH TIME ZONE) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stale_agent_connections(TIMESTAMP WITH TIME ZONE) TO ${app_role};
--rollback DROP FUNCTION stale_agent_connections(TIMESTAMP WITH TIME ZONE); DROP TABLE agent_connections;
