-- The rights one salesperson's role needs on a team's clientcard book (docs/team.md).
--
-- Run it as the book's OWNER role (the role that made the tables with `clientcard db upgrade`),
-- in the book's database, once for each salesperson's role, with psql:
--
--     psql -h DBHOST -U clientcard_owner -d team -v role=li -f docs/team-grants.sql
--
-- It is safe to run again (for a role, or after an upgrade): GRANT of a right held already does
-- nothing. The book lives in the schema `public`.
\set ON_ERROR_STOP on

-- Without a role, stop here rather than grant to a role named ":role".
\if :{?role}
\else
  \echo 'give the role: psql ... -v role=NAME -f docs/team-grants.sql'
  \quit
\endif

-- Find the book's tables (a role without USAGE on the schema sees no table in it).
GRANT USAGE ON SCHEMA public TO :"role";

-- Read and write every card and record. (`import` also locks the client table while it numbers
-- new cards: LOCK TABLE needs UPDATE, granted here.)
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"role";

-- The schema's revision is read by every command and changed only by `db upgrade`, which the
-- owner role runs: a salesperson reads it only.
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM :"role";

-- New records take their ids from sequences (USAGE: nextval); `import` moves a sequence past the
-- ids it gave the cards it added (UPDATE: setval); SELECT: currval.
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO :"role";

-- Tables and sequences that a later `db upgrade` (run by the owner role, which runs this script)
-- creates get the same rights, without running the script again.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"role";
