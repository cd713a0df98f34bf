-- Gongzhi's two PostgreSQL roles (docs/deployment.md). Run once as a superuser, connected to the
-- application's database, naming the two roles:
--
--   psql -U postgres -d gongzhi -v owner=gongzhi_owner -v app=gongzhi_app -f scripts/database_roles.sql
--
-- The owner role owns the database, the schema and every table: migrations run as it. The
-- application's role may only read and write rows (SELECT, INSERT, UPDATE, DELETE): no TRUNCATE, no
-- DDL, no ownership, so it cannot empty the append-only ledgers nor drop or disable their triggers.
-- Running it again changes nothing. Give both roles a password afterwards (\password gongzhi_owner).
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', :'app')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec

SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner') \gexec
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";

-- Tables and sequences that exist already, then those the owner's migrations create later.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
