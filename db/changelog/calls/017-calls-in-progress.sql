--liquibase formatted sql logicalFilePath:db/changelog/calls/017-calls-in-progress.sql

--changeset voxdesk:calls-027-calls-in-progress splitStatements:false
--comment: Issue 18, point 8: the figure operators watch, calls in progress in every tenant, as counts per status only (row-level security hides other tenants' rows from the application; no tenant and no call is named). calls_open_idx covers it.
CREATE FUNCTION calls_in_progress()
RETURNS TABLE (status VARCHAR, calls BIGINT)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT c.status, count(*) FROM calls c WHERE c.ended_at IS NULL GROUP BY c.status
$$;
REVOKE ALL ON FUNCTION calls_in_progress() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION calls_in_progress() TO ${app_role};
--rollback DROP FUNCTION calls_in_progress();
