--liquibase formatted sql

--changeset voxdesk:campaigns-003-campaign-attempts
--comment: Every call a campaign places (issue 17, point 5), written before it is placed: the PBX channel carries its id (vx-k-<id> on Asterisk), so a call is never placed without its row and a restart finds each attempt's call. ended_at NULL means in progress.
CREATE TABLE campaign_attempts (
  id           UUID NOT NULL PRIMARY KEY,
  tenant_id    VARCHAR(63) NOT NULL,
  campaign_id  UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  contact_id   UUID NOT NULL,
  number       VARCHAR(16) NOT NULL,
  attempt_no   INT NOT NULL,
  placed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  answered_at  TIMESTAMP WITH TIME ZONE,
  ended_at     TIMESTAMP WITH TIME ZONE,
  outcome      VARCHAR(12) CHECK (outcome IN ('answered', 'busy', 'no-answer', 'failed')),
  cause        VARCHAR(100)
);
CREATE INDEX campaign_attempts_open ON campaign_attempts (campaign_id) WHERE ended_at IS NULL;
CREATE INDEX campaign_attempts_campaign ON campaign_attempts (campaign_id, placed_at);
ALTER TABLE campaign_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_attempts_isolation ON campaign_attempts
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON campaign_attempts TO ${app_role};
ALTER TABLE campaign_contacts ADD COLUMN next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE campaign_contacts ADD COLUMN last_outcome VARCHAR(12);
ALTER TABLE campaigns ADD COLUMN dialer_note VARCHAR(300);

--changeset voxdesk:campaigns-004-active-campaigns splitStatements:false
--comment: Lets the dialer find the campaigns to pace in every tenant (running, or scheduled and due): ids only, read as the table owner because row-level security hides other tenants' rows from the application.
CREATE FUNCTION active_campaigns()
RETURNS TABLE (tenant_id VARCHAR, id UUID)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.tenant_id, c.id
    FROM campaigns c
   WHERE c.state = 'running' OR (c.state = 'scheduled' AND c.scheduled_at <= now())
   ORDER BY c.created_at
$$;
REVOKE ALL ON FUNCTION active_campaigns() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION active_campaigns() TO ${app_role};

--changeset voxdesk:campaigns-005-open-attempts splitStatements:false
--comment: Lets the dialer's reconciliation find attempts whose end was never reported, in every tenant (a restart, a lost event): ids only, read as the table owner because row-level security hides other tenants' rows from the application.
CREATE FUNCTION open_campaign_attempts(placed_before TIMESTAMP WITH TIME ZONE)
RETURNS TABLE (tenant_id VARCHAR, id UUID, connection_id UUID)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT a.tenant_id, a.id, c.connection_id
    FROM campaign_attempts a
    JOIN campaigns c ON c.id = a.campaign_id
   WHERE a.ended_at IS NULL AND a.placed_at < placed_before
   ORDER BY a.placed_at
   LIMIT 1000
$$;
REVOKE ALL ON FUNCTION open_campaign_attempts(TIMESTAMP WITH TIME ZONE) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION open_campaign_attempts(TIMESTAMP WITH TIME ZONE) TO ${app_role};

--changeset voxdesk:campaigns-006-withdraw-attempts
--comment: The dialer takes back attempts it decided but did not place (it backs off after the PBX refused a call): their rows go, as no call carries their id.
GRANT DELETE ON campaign_attempts TO ${app_role};

--changeset voxdesk:campaigns-007-ivr
--comment: A campaign's IVR menu (issue 17, point 6) as JSON (prompt, timeout, invalid keys allowed, an action per key), and on each attempt the keys pressed, in order, and how many were not in the menu.
ALTER TABLE campaigns ADD COLUMN ivr TEXT;
ALTER TABLE campaign_attempts ADD COLUMN keys VARCHAR(50) NOT NULL DEFAULT '';
ALTER TABLE campaign_attempts ADD COLUMN invalid_keys INT NOT NULL DEFAULT 0;

--changeset voxdesk:campaigns-008-machines-and-silences
--comment: Answering machines (issue 17, point 7): who answered each attempt as talk detection judged it (human, machine, unknown), and the outcomes machine (hung up on) and voicemail (message left after the greeting). Silences in the IVR are counted on the attempt like keys outside the menu (point 6).
ALTER TABLE campaign_attempts ADD COLUMN answered_by VARCHAR(7) CHECK (answered_by IN ('human', 'machine', 'unknown'));
ALTER TABLE campaign_attempts ADD COLUMN timeouts INT NOT NULL DEFAULT 0;
ALTER TABLE campaign_attempts DROP CONSTRAINT campaign_attempts_outcome_check;
ALTER TABLE campaign_attempts ADD CONSTRAINT campaign_attempts_outcome_check
  CHECK (outcome IN ('answered', 'machine', 'voicemail', 'busy', 'no-answer', 'failed'));

--changeset voxdesk:campaigns-009-in-progress splitStatements:false
--comment: Lets the live monitor feed (issue 17, point 10) find the campaigns whose figures still move in every tenant (running, paused, or ended in the last 10 seconds): ids only, read as the table owner because row-level security hides other tenants' rows from the application.
CREATE FUNCTION campaigns_in_progress()
RETURNS TABLE (tenant_id VARCHAR, id UUID)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.tenant_id, c.id
    FROM campaigns c
   WHERE c.state IN ('running', 'paused')
      OR (c.state IN ('completed', 'cancelled') AND c.finished_at > now() - interval '10 seconds')
   ORDER BY c.created_at
$$;
REVOKE ALL ON FUNCTION campaigns_in_progress() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION campaigns_in_progress() TO ${app_role};

--changeset voxdesk:campaigns-010-call-records
--comment: The call record of an attempt that reached a person (issue 17, point 11): direction campaign in the calls module, ended with the attempt, or handed over to an agent by a key.
ALTER TABLE campaign_attempts ADD COLUMN call_id UUID;

--changeset voxdesk:campaigns-011-fenced-attempts
--comment: Issue 18, point 1: a campaign's calls are placed and followed by the instance holding its connection's lease; an attempt written by an instance whose lease was taken over is refused (refuse_stale_fence, calls-025).
CREATE TRIGGER campaign_attempts_fenced BEFORE INSERT OR UPDATE ON campaign_attempts FOR EACH ROW EXECUTE FUNCTION refuse_stale_fence();
--rollback DROP TRIGGER campaign_attempts_fenced ON campaign_attempts;
