--liquibase formatted sql

--changeset voxdesk:contacts-006-drop-redundant-phone-index runInTransaction:false
--comment: Importing into a tenant of a million contacts (issue 18, point 10): every index on contact_phones is written for each imported number, and contact_phones_contact_idx (contact_id) repeats the first column of contact_phones_first_idx (contact_id, position), which serves the same look-ups and the foreign key's cascade. Dropped concurrently, so that an upgrade does not stop the contact tables while a running instance imports.
DROP INDEX CONCURRENTLY IF EXISTS contact_phones_contact_idx;
--rollback CREATE INDEX CONCURRENTLY contact_phones_contact_idx ON contact_phones (contact_id);
