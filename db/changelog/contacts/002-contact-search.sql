--liquibase formatted sql

--changeset voxdesk:contacts-002-search-function splitStatements:false
--comment: Contact search. Under row-level security PostgreSQL will not use an index for a non-leakproof
--comment: predicate such as ILIKE, so the trigram indexes would sit idle and every search would scan the
--comment: tenant's rows. This function runs as the table owner (no RLS) and applies the same tenant predicate
--comment: as the policies, so a tenant still only ever sees its own contacts, now through the indexes.
CREATE FUNCTION contact_search(text_pattern TEXT, digits_pattern TEXT) RETURNS SETOF UUID
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM contacts
   WHERE tenant_id = current_setting('app.tenant_id', true)
     AND (name ILIKE text_pattern ESCAPE '!' OR email ILIKE text_pattern ESCAPE '!')
  UNION
  SELECT contact_id FROM contact_phones
   WHERE tenant_id = current_setting('app.tenant_id', true)
     AND digits_pattern <> '' AND e164 LIKE digits_pattern
$$;
REVOKE ALL ON FUNCTION contact_search(TEXT, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION contact_search(TEXT, TEXT) TO ${app_role};
