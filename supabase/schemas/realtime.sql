-- supabase/schemas/realtime.sql: the current definition of every object of the realtime capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Live updates through Supabase Realtime (private channels).
--
-- Topics:
--   space:<space id>    the database tells members that something changed in
--                       the space (a thread, a post, a reaction). Only ids go
--                       out; clients refetch through the API, so RLS decides
--                       what they see and nothing leaks through Realtime.
--   thread:<thread id>  people reading a thread: presence ("3 here"), shared
--                       by the clients themselves, and typing notices sent
--                       through the database (thread_typing), which stamps
--                       the sender.
--   dialogue:<id>, draft:<id>  the dialogues' and drafts' own topics
--                       (dialogues.sql, drafts.sql).
--
-- Which topic is whose: can_use_topic() dispatches by prefix through
-- private.access_rules (access.sql) to one function per topic.
--
-- Realtime asks realtime.messages' RLS policies, with realtime.topic() set to
-- the channel's topic: SELECT to receive, INSERT to send. Both go through
-- can_use_topic(), which reuses the membership helpers, so a removed member is
-- refused at the next check and a dialogue guest will come in through
-- can_read_thread() like everywhere else.

-- ---------------------------------------------------------------------------
-- Realtime topics: one function per prefix.
create or replace function public.can_use_topic(p_topic text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_prefix text := split_part(coalesce(p_topic, ''), ':', 1);
  v_id text := substr(coalesce(p_topic, ''), length(split_part(coalesce(p_topic, ''), ':', 1)) + 2);
  v_rule regprocedure;
  v_ok boolean;
begin
  if v_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return false;
  end if;
  select r.rule into v_rule from private.access_rules r where r.hub = 'topic' and r.key = v_prefix;
  if v_rule is null then
    return false;
  end if;
  execute format('select %s($1)', v_rule::regproc) into v_ok using v_id::uuid;
  return coalesce(v_ok, false);
end;
$$;
comment on function public.can_use_topic(text) is
  'Hub: may I use this Realtime topic (<prefix>:<uuid>)? The function private.access_rules names for the prefix decides; an unknown prefix or a malformed topic: no.';
revoke execute on function public.can_use_topic(text) from anon, public;
grant execute on function public.can_use_topic(text) to authenticated;

create policy "members receive their spaces' and threads' messages" on realtime.messages
  for select to authenticated using (
    realtime.messages.extension in ('broadcast', 'presence')
    and public.can_use_topic((select realtime.topic()))
  );

-- ---------------------------------------------------------------------------
-- Change notices: the realtime capability's on space topics, the dialogues
-- capability's own on dialogue topics.
create or replace function public.announce_space_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
  v_thread uuid;
  v_post uuid;
  v_by uuid := (select auth.uid());
begin
  if tg_table_name = 'threads' then
    -- Counter and activity updates made by after_post_insert() are announced
    -- by the post itself.
    if pg_trigger_depth() > 1 then
      return null;
    end if;
    v_space := new.space_id;
    v_thread := new.id;
  elsif tg_table_name = 'posts' then
    v_space := new.space_id;
    v_thread := new.thread_id;
    v_post := new.id;
    -- A post is said to be its author's as stored: nobody's when the author is not recorded.
    v_by := new.author_id;
  else -- reactions
    v_post := coalesce(new.post_id, old.post_id);
    select p.space_id, p.thread_id into v_space, v_thread from public.posts p where p.id = v_post;
    if v_space is null then
      return null; -- the post went with its thread or space
    end if;
  end if;
  perform realtime.send(
    jsonb_build_object('thread_id', v_thread, 'post_id', v_post, 'op', lower(tg_op), 'by', v_by),
    tg_table_name,
    'space:' || v_space,
    true
  );
  return null;
end;
$$;
comment on function public.announce_space_change() is
  'Trigger: tells the space:<id> Realtime topic, with ids only, that a thread, post or reaction changed, and whose (a post: its stored author, none for an anonymous one) (as the owner: people may not send on space topics).';

create trigger threads_announce after insert or update on public.threads
  for each row execute function public.announce_space_change();

create trigger posts_announce after insert or update on public.posts
  for each row execute function public.announce_space_change();

create trigger reactions_announce after insert or delete on public.reactions
  for each row execute function public.announce_space_change();

-- "Someone is typing" on a thread, with the sender stamped by the database.
create function public.thread_typing(p_thread uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if (select auth.uid()) is null or not public.can_read_thread(p_thread) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  perform realtime.send(jsonb_build_object('id', (select auth.uid())), 'typing', 'thread:' || p_thread, true);
end;
$$;
comment on function public.thread_typing(uuid) is
  'RPC: a reader of a thread says they are typing; the thread:<id> topic gets their id, stamped by the database (not_allowed).';
revoke execute on function public.thread_typing(uuid) from anon, authenticated, public;
grant execute on function public.thread_typing(uuid) to authenticated;

create policy "thread readers share presence" on realtime.messages
  for insert to authenticated with check (
    realtime.messages.extension = 'presence'
    and (select realtime.topic()) like 'thread:%'
    and public.can_use_topic((select realtime.topic()))
  );

create function public.can_use_space_topic(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.is_space_member(p_space)
$$;
comment on function public.can_use_space_topic(uuid) is
  'Topic rule (space:<id>): the space''s members hear its change notices.';
revoke execute on function public.can_use_space_topic(uuid) from anon, authenticated, public;

create function public.can_use_thread_topic(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.can_read_thread(p_thread)
$$;
comment on function public.can_use_thread_topic(uuid) is
  'Topic rule (thread:<id>): the thread''s readers share presence and hear typing notices.';
revoke execute on function public.can_use_thread_topic(uuid) from anon, authenticated, public;

insert into private.access_rules (hub, key, mode, rule, capability) values
  ('topic', 'space', 'grant', 'public.can_use_space_topic(uuid)', 'realtime'),
  ('topic', 'thread', 'grant', 'public.can_use_thread_topic(uuid)', 'realtime');
