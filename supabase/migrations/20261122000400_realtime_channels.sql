-- Live updates through Supabase Realtime (private channels).
--
-- Topics:
--   space:<space id>    the database tells members that something changed in
--                       the space (a thread, a post, a reaction). Only ids go
--                       out; clients refetch through the API, so RLS decides
--                       what they see and nothing leaks through Realtime.
--   thread:<thread id>  people reading a thread: presence ("3 here") and
--                       typing notices, sent by the clients themselves.
--
-- Realtime asks realtime.messages' RLS policies, with realtime.topic() set to
-- the channel's topic: SELECT to receive, INSERT to send. Both go through
-- can_use_topic(), which reuses the membership helpers, so a removed member is
-- refused at the next check and a dialogue guest will come in through
-- can_read_thread() like everywhere else.

create function public.can_use_topic(p_topic text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uuid constant text := '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
begin
  if p_topic ~ ('^space:' || v_uuid || '$') then
    return public.is_space_member(substr(p_topic, 7)::uuid);
  elsif p_topic ~ ('^thread:' || v_uuid || '$') then
    return public.can_read_thread(substr(p_topic, 8)::uuid);
  end if;
  return false;
end;
$$;
comment on function public.can_use_topic(text) is
  'May I use this Realtime topic? space:<id>: a member of the space; thread:<id>: a reader of the thread; anything else: no.';
revoke execute on function public.can_use_topic(text) from anon, public;
grant execute on function public.can_use_topic(text) to authenticated;

create policy "members receive their spaces' and threads' messages" on realtime.messages
  for select to authenticated using (
    realtime.messages.extension in ('broadcast', 'presence')
    and public.can_use_topic((select realtime.topic()))
  );
-- Clients only ever send on thread topics (typing, presence); space topics are
-- written by the database alone.
create policy "thread readers send typing and presence" on realtime.messages
  for insert to authenticated with check (
    realtime.messages.extension in ('broadcast', 'presence')
    and (select realtime.topic()) like 'thread:%'
    and public.can_use_topic((select realtime.topic()))
  );

-- What changed, as ids only. Security definer: the people whose writes fire
-- this may not insert into realtime.messages for space topics themselves.
create function public.announce_space_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
  v_thread uuid;
  v_post uuid;
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
  else -- reactions
    v_post := coalesce(new.post_id, old.post_id);
    select p.space_id, p.thread_id into v_space, v_thread from public.posts p where p.id = v_post;
    if v_space is null then
      return null; -- the post went with its thread or space
    end if;
  end if;
  perform realtime.send(
    jsonb_build_object('thread_id', v_thread, 'post_id', v_post, 'op', lower(tg_op), 'by', (select auth.uid())),
    tg_table_name,
    'space:' || v_space,
    true
  );
  return null;
end;
$$;
comment on function public.announce_space_change() is
  'Trigger: tells the space:<id> Realtime topic, with ids only, that a thread, post or reaction changed (as the owner: people may not send on space topics).';

create trigger threads_announce after insert or update on public.threads
  for each row execute function public.announce_space_change();
create trigger posts_announce after insert or update on public.posts
  for each row execute function public.announce_space_change();
create trigger reactions_announce after insert or delete on public.reactions
  for each row execute function public.announce_space_change();
