-- Grants for running callin as a PostgreSQL role that owns no tables
-- (see docs/deploy-roles.md). The owner role runs `manage.py migrate` and then this
-- script, again after every migrate (it is idempotent; new tables need their grants):
--
--   psql "postgres://callin_owner@HOST/callin" -X -v app=callin_app -f deploy/app-role.sql
--   make pg-app-role OWNER_URL=postgres://callin_owner@HOST/callin APP_ROLE=callin_app
--
-- The app role gets rows, never tables: it cannot TRUNCATE, ALTER (so not disable a
-- trigger), DROP or add triggers, and it only appends to the moderation log.
\set ON_ERROR_STOP on

BEGIN;

GRANT USAGE ON SCHEMA public TO :"app";

-- Everything the app reads and writes.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- The moderation log: read and append, nothing else.
REVOKE UPDATE, DELETE ON moderation_moderationevent FROM :"app";
-- Its chain head: advanced with each event (a trigger lets it move forward only), never removed.
REVOKE DELETE ON moderation_loghead FROM :"app";

-- Which migrations ran is the owner's business.
REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM :"app";

COMMIT;
