--liquibase formatted sql

--changeset voxdesk:calls-025-connection-leases splitStatements:false
--comment: Several instances (issue 18, point 1): each connection whose connector keeps a session open (Asterisk's ARI socket) is served by one instance at a time, the holder of its lease. The holder renews it; once expires_at has passed (the database's clock, never an instance's) another instance may take it, which raises token. Rows are never deleted while their connection exists (a released lease only expires), so a token never goes back and an old holder's token never becomes current again. No tenant_id: a lease names ids only, and instances read every tenant's leases to share the work.
CREATE TABLE connection_leases (
  connection_id        UUID NOT NULL PRIMARY KEY REFERENCES provider_connections (id) ON DELETE CASCADE,
  holder               VARCHAR(64) NOT NULL,
  token                BIGINT NOT NULL CHECK (token > 0),
  acquired_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  renewed_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  previous_holder      VARCHAR(64),
  last_takeover_at     TIMESTAMP WITH TIME ZONE,
  last_takeover_cause  VARCHAR(200)
);
-- The token is a key column (this unique index) so that renewals, which change only the times, take a lock that does
-- not conflict with the fenced writes' FOR KEY SHARE below, while a takeover, which changes the token, waits for them.
CREATE UNIQUE INDEX connection_leases_token ON connection_leases (connection_id, token);
GRANT SELECT, INSERT, UPDATE ON connection_leases TO ${app_role};
-- The fence: work done under a lease carries it in the connection setting app.fence ('<connection id>:<token>'); a write it makes to a fenced table is refused unless that token is still the lease's. The lease row is key-share-locked until the write commits, so a takeover (a key update) waits for writes already checked and every later one sees the new token, while renewals pass. Work without a fence (an agent's request, an API4COM webhook) is not checked.
CREATE FUNCTION refuse_stale_fence() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  fence TEXT := current_setting('app.fence', true);
  current_token BIGINT;
BEGIN
  IF fence IS NULL OR fence = '' THEN
    RETURN NEW;
  END IF;
  SELECT token INTO current_token FROM connection_leases
   WHERE connection_id = split_part(fence, ':', 1)::uuid FOR KEY SHARE;
  IF current_token IS DISTINCT FROM split_part(fence, ':', 2)::bigint THEN
    RAISE EXCEPTION 'stale lease: connection % is held under token %, this write carries token %',
      split_part(fence, ':', 1), coalesce(current_token::text, 'none'), split_part(fence, ':', 2)
      USING ERRCODE = 'VXF01';
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION refuse_stale_fence() FROM PUBLIC;
CREATE TRIGGER calls_fenced BEFORE INSERT OR UPDATE ON calls FOR EACH ROW EXECUTE FUNCTION refuse_stale_fence();
CREATE TRIGGER call_events_fenced BEFORE INSERT OR UPDATE ON call_events FOR EACH ROW EXECUTE FUNCTION refuse_stale_fence();
CREATE TRIGGER call_offers_fenced BEFORE INSERT OR UPDATE ON call_offers FOR EACH ROW EXECUTE FUNCTION refuse_stale_fence();
--rollback DROP TRIGGER call_offers_fenced ON call_offers; DROP TRIGGER call_events_fenced ON call_events; DROP TRIGGER calls_fenced ON calls; DROP FUNCTION refuse_stale_fence(); DROP TABLE connection_leases;
