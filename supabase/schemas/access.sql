-- supabase/schemas/access.sql: the current definition of every object of the access capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

create schema if not exists private;
comment on schema private is
  'Internal tables no API role may use (no USAGE for anon or authenticated); reached only through security definer functions.';
revoke all on schema private from public;

-- ---------------------------------------------------------------------------
-- The dispatch table (no API role may read or write it).
create table private.access_rules (
  hub text not null check (hub in ('topic', 'read_thread', 'post_in_thread')),
  -- topic: the topic's prefix (space in space:<uuid>); thread hubs: the capability's name
  key text not null check (key ~ '^[a-z_]{1,40}$'),
  mode text not null default 'grant' check (mode in ('grant', 'widen', 'narrow')),
  -- A function (uuid) returns boolean, security definer, set search_path = ''.
  rule regprocedure not null,
  -- The capability that owns the rule: supabase/schemas/<capability>.sql.
  capability text not null,
  primary key (hub, key),
  check ((hub = 'topic') = (mode = 'grant'))
);
comment on table private.access_rules is
  'What the access hubs dispatch to: for each Realtime topic prefix the function that decides who may use it (hub topic); for threads, the rules that widen or narrow who may read one or post in one (hubs read_thread, post_in_thread). One row per capability rule; adding a row never rewrites a hub.';
revoke all on private.access_rules from public, anon, authenticated;
