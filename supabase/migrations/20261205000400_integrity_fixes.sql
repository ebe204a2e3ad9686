-- Integrity fixes found by the attack review (issue 20, items 5 and 10).
--
-- Item 5: in plpgsql `if ... or not (a = b or ...)` is NULL, not true, when a
-- is NULL, and a NULL condition does not raise. mark_post_outcome compared a
-- post's author with the caller, and an anonymous post's author is NULL: any
-- reader of the dialogue, guests included, could mark a member's anonymous
-- complaint as a proposal. The same shape in guard_thread_update (a thread
-- whose author deleted their account) is made NULL-safe too; every other
-- author comparison in a raising condition already uses `is distinct from`
-- (tests/integration/authorization/null-safe.spec.ts tries each).
--
-- Item 10: a dialogue guest could read the ids of every member who reacted
-- (the reactions rows). Guests now see their own reactions only; the pages
-- show counts for everyone through thread_reaction_counts().

-- capability: dialogues
create or replace function public.mark_post_outcome(p_post uuid, p_outcome public.post_outcome) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_post public.posts;
  v_user uuid := (select auth.uid());
begin
  select * into v_post from public.posts p where p.id = p_post;
  if not found or v_post.deleted_at is not null or v_user is null
     or not exists (select 1 from public.dialogues d where d.id = v_post.thread_id)
     or not public.can_read_thread(v_post.thread_id)
     or not coalesce(
       v_post.author_id = v_user
       or exists (select 1 from public.dialogue_hidden_authors h where h.post_id = p_post and h.author_id = v_user)
       or public.is_dialogue_convener(v_post.thread_id),
       false) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  perform set_config('sahakum.marking_outcome', 'on', true);
  update public.posts set outcome = p_outcome where id = p_post;
  perform set_config('sahakum.marking_outcome', 'off', true);
end;
$$;
comment on function public.mark_post_outcome(uuid, public.post_outcome) is
  'RPC: the author of a dialogue post (an anonymous post''s hidden author included) or a convener marks it as an issue raised, a proposal or a commitment, or clears the mark (not_allowed).';

-- capability: threads
create or replace function public.guard_thread_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_moderator boolean;
  v_author boolean;
begin
  if (select auth.uid()) is null or pg_trigger_depth() > 1 then
    return new;
  end if;
  v_moderator := coalesce(public.is_space_moderator(old.space_id), false);
  v_author := old.author_id is not null and old.author_id = (select auth.uid());
  if new.space_id <> old.space_id or new.author_id is distinct from old.author_id
     or new.created_at <> old.created_at or new.reply_count <> old.reply_count
     or new.last_activity_at <> old.last_activity_at or new.is_dialogue <> old.is_dialogue then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (new.pinned <> old.pinned or new.locked <> old.locked) and not v_moderator then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (new.title <> old.title or new.topic <> old.topic) and not (v_author or v_moderator) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.deleted_at is distinct from old.deleted_at and not (v_author or v_moderator) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_thread_update() is
  'Guard: refuses (not_allowed) changing a thread''s space, author, created_at, reply_count, last_activity_at or whether it is a dialogue; pinning or locking unless a moderator; title, topic or removal unless the author or a moderator (a thread with no author has none). Bookkeeping from other triggers and writes with no signed-in user pass.';

-- capability: dialogues
-- Narrows "members read reactions" (20261122000300_threads.sql): who reacted
-- is for the space's members; a dialogue guest sees their own reactions.
create policy "who reacted is for the space's members" on public.reactions
  as restrictive for select to authenticated using (
    user_id = (select auth.uid())
    or exists (select 1 from public.posts p where p.id = post_id and public.is_space_member(p.space_id))
  );

-- capability: threads
-- Counts per kind, mine marked, for every post of a thread I may read (guests included).
create function public.thread_reaction_counts(p_thread uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select jsonb_object_agg(y.post_id, y.kinds)
      from (select x.post_id, jsonb_object_agg(x.kind, jsonb_build_object('count', x.n, 'byMe', x.mine)) as kinds
              from (select r.post_id, r.kind, count(*) as n, bool_or(r.user_id = (select auth.uid())) as mine
                      from public.reactions r join public.posts p on p.id = r.post_id
                     where p.thread_id = p_thread
                     group by r.post_id, r.kind) x
             group by x.post_id) y
     where public.can_read_thread(p_thread)
  ), '{}'::jsonb)
$$;
comment on function public.thread_reaction_counts(uuid) is
  'For each post of a thread: how many people reacted with each kind, and whether I did; {} when I may not read the thread. Never who.';
revoke execute on function public.thread_reaction_counts(uuid) from anon, public;
grant execute on function public.thread_reaction_counts(uuid) to authenticated;

-- thread_page() (20261122000900_reading_pages.sql) with its reaction counts
-- from thread_reaction_counts(), so that guests get the counts they no longer read.
create or replace function public.thread_page(p_thread uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return (
  with t as (
    select t.id, t.space_id, t.title, t.topic, t.pinned, t.locked, t.reply_count, t.last_activity_at,
           t.author_id, t.deleted_at, t.is_dialogue
      from public.threads t where t.id = p_thread
  ), p as (
    select p.id, p.author_id, p.is_opening, case when p.deleted_at is null then p.body else '' end as body,
           p.created_at, p.edited_at, p.deleted_at, p.anonymous, p.outcome
      from public.posts p where p.thread_id = p_thread
     order by p.created_at, p.id limit 1000
  ), rc as (
    select public.thread_reaction_counts(p_thread) as counts
  ), names as (
    select pr.id, pr.display_name from public.profiles pr
     where pr.id in (select p.author_id from p union select t.author_id from t)
  )
  select jsonb_build_object(
    'thread', to_jsonb(t) || jsonb_build_object(
      'author', coalesce((select n.display_name from names n where n.id = t.author_id), '')),
    'posts', coalesce((select jsonb_agg(to_jsonb(p) || jsonb_build_object(
        'author', coalesce((select n.display_name from names n where n.id = p.author_id), ''),
        'revisions', case when p.edited_at is not null and p.deleted_at is null then coalesce((
          select jsonb_agg(jsonb_build_object('post_id', r.post_id, 'body', r.body, 'created_at', r.created_at) order by r.id)
            from public.post_revisions r where r.post_id = p.id), '[]'::jsonb) else '[]'::jsonb end,
        'reactions', coalesce((select rc.counts -> p.id::text from rc), '{}'::jsonb)
      ) order by p.created_at, p.id) from p), '[]'::jsonb),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('user_id', m.user_id, 'role', m.role, 'joined_at', m.joined_at,
                                          'display_name', coalesce(pr.display_name, '')) order by m.joined_at)
        from public.space_members m left join public.profiles pr on pr.id = m.user_id
       where m.space_id = t.space_id), '[]'::jsonb))
    from t
  );
end;
$$;
comment on function public.thread_page(uuid) is
  'RPC (as the caller, under the policies): the thread, its posts with names, revisions and reaction counts, and the space''s members; null when unreadable.';
