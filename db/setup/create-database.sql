-- Creates the Voxdesk roles and a database; run as a PostgreSQL superuser, for example:
--   psql -v dbname=voxdesk -v owner_password=... -v app_password=... -f db/setup/create-database.sql
-- voxdesk_owner owns the schema (Liquibase runs as it); voxdesk_app is what the application connects as:
-- it owns no table, so row-level security always applies to it.
\set ON_ERROR_STOP on
SELECT format('CREATE ROLE voxdesk_owner LOGIN PASSWORD %L', :'owner_password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'voxdesk_owner') \gexec
SELECT format('CREATE ROLE voxdesk_app LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD %L', :'app_password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'voxdesk_app') \gexec
SELECT format('CREATE DATABASE %I OWNER voxdesk_owner', :'dbname')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'dbname') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO voxdesk_app', :'dbname') \gexec
