-- Rules that grow by addition (issue 21): the one migration that turns the
-- rules later capabilities rewrote into hubs that dispatch, per-concern
-- guards, and policies each capability owns. Migrations stay append-only (a
-- deployed database has applied every earlier file), so this file re-creates
-- what dialogues (20261122000600) and drafts (20261122000700) had rewritten
-- of the threads, realtime, spaces and library capabilities; no later
-- migration re-creates another capability's function or drops its policy.
-- The current definition of every object is in supabase/schemas/<capability>.sql.
--
-- After this file:
-- - Hubs. can_use_topic(topic), can_read_thread(thread) and
--   can_post_in_thread(thread) look up private.access_rules and call each
--   capability's own function: a new topic prefix, or a new kind of reader of
--   a thread, is a new function and a new row, never a new hub. For threads a
--   rule widens (one more way in: "or") or narrows (one more condition:
--   "and") the threads capability's own rule (members of the space).
-- - Guards. A capability that adds columns to another's table guards them
--   with its own trigger beside the owner's (BEFORE triggers fire in name
--   order: posts_guard, then posts_guard_dialogue).
-- - Policies. A capability widens access with its own permissive policy and
--   narrows it with its own restrictive one.

-- (The `-- capability: <name>` lines say which supabase/schemas file each
-- statement below belongs to; scripts/generators/schemas.ts reads them.)

-- ---------------------------------------------------------------------------
-- The dispatch table (no API role may read or write it).
-- capability: access

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

-- ---------------------------------------------------------------------------
-- Threads: who may read one, who may post in one.
-- capability: threads

create or replace function public.can_read_thread(p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_space uuid;
  v_rule record;
  v_ok boolean;
begin
  select t.space_id into v_space from public.threads t where t.id = p_thread;
  if not found then
    return false;
  end if;
  for v_rule in select r.rule from private.access_rules r where r.hub = 'read_thread' and r.mode = 'narrow' loop
    execute format('select %s($1)', v_rule.rule::regproc) into v_ok using p_thread;
    if not coalesce(v_ok, false) then
      return false;
    end if;
  end loop;
  if public.is_space_member(v_space) then
    return true;
  end if;
  for v_rule in select r.rule from private.access_rules r where r.hub = 'read_thread' and r.mode = 'widen' loop
    execute format('select %s($1)', v_rule.rule::regproc) into v_ok using p_thread;
    if coalesce(v_ok, false) then
      return true;
    end if;
  end loop;
  return false;
end;
$$;
comment on function public.can_read_thread(uuid) is
  'Hub: may I read the thread? The members of its space, widened and narrowed by the read_thread rules of private.access_rules (dialogues: its guests, until removed).';

create or replace function public.can_post_in_thread(p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_thread public.threads;
  v_rule record;
  v_ok boolean;
begin
  select * into v_thread from public.threads t where t.id = p_thread;
  if not found or v_thread.deleted_at is not null then
    return false;
  end if;
  for v_rule in select r.rule from private.access_rules r where r.hub = 'post_in_thread' and r.mode = 'narrow' loop
    execute format('select %s($1)', v_rule.rule::regproc) into v_ok using p_thread;
    if not coalesce(v_ok, false) then
      return false;
    end if;
  end loop;
  if public.is_space_member(v_thread.space_id)
     and (not v_thread.locked or public.is_space_moderator(v_thread.space_id)) then
    return true;
  end if;
  for v_rule in select r.rule from private.access_rules r where r.hub = 'post_in_thread' and r.mode = 'widen' loop
    execute format('select %s($1)', v_rule.rule::regproc) into v_ok using p_thread;
    if coalesce(v_ok, false) then
      return true;
    end if;
  end loop;
  return false;
end;
$$;
comment on function public.can_post_in_thread(uuid) is
  'Hub: may I post in the thread? Not removed; a member of its space (if locked, moderators only), widened and narrowed by the post_in_thread rules of private.access_rules (dialogues: guests while open unless muted; only conveners once concluded or locked).';

-- Dialogues' rules for threads.
-- capability: dialogues
create function public.dialogue_guests_read(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_thread in (select public.my_guest_dialogue_ids())
$$;
comment on function public.dialogue_guests_read(uuid) is
  'Rule (read_thread, widen): a dialogue''s invited guests read it until removed.';

create function public.dialogue_guests_post(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.dialogues d where d.id = p_thread and d.status = 'open')
     and exists (
       select 1 from public.dialogue_guests g
        where g.dialogue_id = p_thread and g.user_id = (select auth.uid())
          and g.removed_at is null and g.muted_at is null)
$$;
comment on function public.dialogue_guests_post(uuid) is
  'Rule (post_in_thread, widen): a dialogue''s guests post while it is open, unless muted or removed.';

create function public.dialogue_posting_window(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select public.is_dialogue_convener(d.id) or (not t.locked and d.status in ('preparing', 'open'))
      from public.dialogues d join public.threads t on t.id = d.id
     where d.id = p_thread), true)
$$;
comment on function public.dialogue_posting_window(uuid) is
  'Rule (post_in_thread, narrow): in a dialogue, only its conveners post once it is locked, concluded or archived; other threads are not concerned.';

revoke execute on function public.dialogue_guests_read(uuid), public.dialogue_guests_post(uuid),
  public.dialogue_posting_window(uuid) from anon, authenticated, public;

-- ---------------------------------------------------------------------------
-- Realtime topics: one function per prefix.

-- capability: realtime
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

create function public.can_use_space_topic(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.is_space_member(p_space)
$$;
comment on function public.can_use_space_topic(uuid) is
  'Topic rule (space:<id>): the space''s members hear its change notices.';

create function public.can_use_thread_topic(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.can_read_thread(p_thread)
$$;
comment on function public.can_use_thread_topic(uuid) is
  'Topic rule (thread:<id>): the thread''s readers share presence and hear typing notices.';

-- capability: dialogues
create function public.can_use_dialogue_topic(p_dialogue uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.dialogues d where d.id = p_dialogue) and public.can_read_thread(p_dialogue)
$$;
comment on function public.can_use_dialogue_topic(uuid) is
  'Topic rule (dialogue:<id>): the dialogue''s members and guests hear its change notices.';

-- capability: drafts
create function public.can_use_draft_topic(p_draft uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.can_edit_draft(p_draft)
$$;
comment on function public.can_use_draft_topic(uuid) is
  'Topic rule (draft:<id>): the draft''s editors (the members of its space) hear its stored updates and cursors.';

-- capability: realtime
revoke execute on function public.can_use_space_topic(uuid), public.can_use_thread_topic(uuid),
  public.can_use_dialogue_topic(uuid), public.can_use_draft_topic(uuid) from anon, authenticated, public;

-- capability: realtime
insert into private.access_rules (hub, key, mode, rule, capability) values
  ('topic', 'space', 'grant', 'public.can_use_space_topic(uuid)', 'realtime'),
  ('topic', 'thread', 'grant', 'public.can_use_thread_topic(uuid)', 'realtime');
-- capability: dialogues
insert into private.access_rules (hub, key, mode, rule, capability) values
  ('topic', 'dialogue', 'grant', 'public.can_use_dialogue_topic(uuid)', 'dialogues'),
  ('read_thread', 'dialogues', 'widen', 'public.dialogue_guests_read(uuid)', 'dialogues'),
  ('post_in_thread', 'dialogues', 'widen', 'public.dialogue_guests_post(uuid)', 'dialogues'),
  ('post_in_thread', 'dialogue_window', 'narrow', 'public.dialogue_posting_window(uuid)', 'dialogues');
-- capability: drafts
insert into private.access_rules (hub, key, mode, rule, capability) values
  ('topic', 'draft', 'grant', 'public.can_use_draft_topic(uuid)', 'drafts');

-- ---------------------------------------------------------------------------
-- Guards: the threads capability's own, and the dialogues capability's beside them.
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
     or new.last_activity_at <> old.last_activity_at then
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
  'Guard: refuses (not_allowed) changing a thread''s space, author, created_at, reply_count or last_activity_at; pinning or locking unless a moderator; title, topic or removal unless the author or a moderator (a thread with no author has none). Bookkeeping from other triggers and writes with no signed-in user pass.';

-- capability: dialogues
create function public.guard_thread_dialogue() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is not null and pg_trigger_depth() <= 1 and new.is_dialogue <> old.is_dialogue then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_thread_dialogue() is
  'Guard (dialogues, beside threads_guard): whether a thread is a dialogue is set by convene_dialogue() and never changed through the API (not_allowed).';
create trigger threads_guard_dialogue before update on public.threads
  for each row execute function public.guard_thread_dialogue();

-- capability: threads
create or replace function public.guard_post_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if tg_op = 'INSERT' then
    -- The space comes from the thread, never from the client.
    select t.space_id into new.space_id from public.threads t where t.id = new.thread_id;
    if v_user is not null then
      new.created_at := now(); -- people cannot backdate posts; seeds and imports (no user) can
    end if;
    return new;
  end if;
  if new.thread_id <> old.thread_id or new.space_id <> old.space_id or new.author_id is distinct from old.author_id
     or new.is_opening <> old.is_opening or new.created_at <> old.created_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if old.deleted_at is not null then
    raise exception 'post_deleted' using errcode = 'P0001';
  end if;
  if v_user is not null then
    -- Only this guard writes these two, below.
    new.edited_at := old.edited_at;
    new.deleted_by := old.deleted_by;
  end if;
  if new.body <> old.body then
    if old.author_id is distinct from v_user then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if not public.can_post_in_thread(old.thread_id) then
      raise exception 'thread_locked' using errcode = 'P0001';
    end if;
    insert into public.post_revisions (post_id, body, created_at) values (old.id, old.body, coalesce(old.edited_at, old.created_at));
    new.edited_at := now();
  end if;
  if new.deleted_at is not null then
    new.deleted_at := now();
    new.deleted_by := v_user;
  end if;
  return new;
end;
$$;
comment on function public.guard_post_write() is
  'Guard: a post''s space comes from its thread and its time from the clock; afterwards thread, space, author, opening flag and time never change (not_allowed), a removed post stays removed (post_deleted), only its author edits the body (while they may post: thread_locked), keeping the earlier wording, and the guard alone stamps edited_at and deleted_by.';

-- capability: dialogues
-- The outcome of a dialogue post is marked through mark_post_outcome() only:
-- that function sets sahakum.marking_outcome for its own transaction, which
-- is how this guard (running as its owner, where current_user cannot tell an
-- API request from the RPC) knows the change came through it. PostgREST does
-- not let a request set a configuration parameter.
create function public.guard_post_dialogue() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.anonymous <> old.anonymous then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.outcome is distinct from old.outcome
     and current_setting('sahakum.marking_outcome', true) is distinct from 'on' then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  -- Who removed an anonymous post is not recorded: it may be its author.
  if old.anonymous and new.deleted_at is not null then
    new.deleted_by := null;
  end if;
  return new;
end;
$$;
comment on function public.guard_post_dialogue() is
  'Guard (dialogues, after posts_guard): a post''s anonymity never changes; its outcome changes only inside mark_post_outcome() (which sets sahakum.marking_outcome for its transaction; not_allowed otherwise); who removed an anonymous post is not recorded.';
create trigger posts_guard_dialogue before update on public.posts
  for each row execute function public.guard_post_dialogue();

-- ---------------------------------------------------------------------------
-- Change notices: the realtime capability's on space topics, the dialogues
-- capability's own on dialogue topics.

-- capability: realtime
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

-- capability: dialogues
create function public.announce_dialogue_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_thread uuid;
  v_post uuid;
begin
  if tg_table_name = 'threads' then
    if pg_trigger_depth() > 1 then
      return null;
    end if;
    v_thread := new.id;
  elsif tg_table_name = 'posts' then
    v_thread := new.thread_id;
    v_post := new.id;
  else -- reactions
    v_post := coalesce(new.post_id, old.post_id);
    select p.thread_id into v_thread from public.posts p where p.id = v_post;
  end if;
  if exists (select 1 from public.threads t where t.id = v_thread and t.is_dialogue) then
    perform realtime.send(
      jsonb_build_object('thread_id', v_thread, 'post_id', v_post, 'op', lower(tg_op)),
      tg_table_name,
      'dialogue:' || v_thread,
      true
    );
  end if;
  return null;
end;
$$;
comment on function public.announce_dialogue_change() is
  'Trigger (dialogues): a dialogue''s guests follow it on its own dialogue:<id> topic (they may not use the space''s): ids only, never who.';
create trigger threads_announce_dialogue after insert or update on public.threads
  for each row execute function public.announce_dialogue_change();
create trigger posts_announce_dialogue after insert or update on public.posts
  for each row execute function public.announce_dialogue_change();
create trigger reactions_announce_dialogue after insert or delete on public.reactions
  for each row execute function public.announce_dialogue_change();

-- ---------------------------------------------------------------------------
-- Policies: the earlier capability's own again, and the dialogues capability's
-- permissive (widening) and restrictive (narrowing) ones beside them.

-- capability: threads
drop policy "members and dialogue guests read threads" on public.threads;
create policy "members read threads" on public.threads
  for select to authenticated using (space_id in (select public.my_space_ids()));
-- capability: dialogues
create policy "dialogue guests read their dialogues" on public.threads
  for select to authenticated using (id in (select public.my_guest_dialogue_ids()));

-- capability: threads
drop policy "members start threads" on public.threads;
create policy "members start threads" on public.threads
  for insert to authenticated with check (
    author_id = (select auth.uid()) and public.is_space_member(space_id)
    and not pinned and not locked and reply_count = 0
  );
-- capability: dialogues
-- Dialogues are convened through convene_dialogue() (it also makes the thread), never inserted directly.
create policy "dialogues are convened, not started" on public.threads
  as restrictive for insert to authenticated with check (not is_dialogue);

-- capability: threads
drop policy "members and dialogue guests read posts" on public.posts;
create policy "members read posts" on public.posts
  for select to authenticated using (space_id in (select public.my_space_ids()));
-- capability: dialogues
create policy "dialogue guests read their dialogues' posts" on public.posts
  for select to authenticated using (thread_id in (select public.my_guest_dialogue_ids()));

-- capability: threads
drop policy "members post where allowed" on public.posts;
create policy "members post where allowed" on public.posts
  for insert to authenticated with check (
    author_id = (select auth.uid()) and public.can_post_in_thread(thread_id)
    and edited_at is null and deleted_at is null
  );
-- capability: dialogues
-- Posting anonymously and marking outcomes go through their RPCs.
create policy "anonymous posts and outcomes go through their RPCs" on public.posts
  as restrictive for insert to authenticated with check (not anonymous and outcome is null);

-- capability: threads
drop policy "members read mentions" on public.mentions;
create policy "members read mentions" on public.mentions
  for select to authenticated using (
    exists (select 1 from public.posts p where p.id = post_id and public.can_read_thread(p.thread_id))
  );
-- capability: dialogues
-- A mention names a member, whom a dialogue guest may not learn of.
create policy "mentions are for the space's members" on public.mentions
  as restrictive for select to authenticated using (
    exists (select 1 from public.posts p where p.id = post_id and p.space_id in (select public.my_space_ids()))
  );

-- capability: spaces
drop policy "profiles are readable by people who share a space or a dialogue" on public.profiles;
create policy "profiles are readable by people who share a space" on public.profiles
  for select to authenticated using (public.shares_a_space_with(id));
-- capability: dialogues
create policy "profiles are readable by people who share a dialogue" on public.profiles
  for select to authenticated using (public.shares_a_dialogue_with(id));

-- capability: library
-- The library's own set again; a guest's attached items come through the dialogues capability's policy.
create or replace function public.my_attached_library_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.resource_id from public.library_attachments a
  join public.threads t on t.id = a.thread_id
  where t.space_id in (select public.my_space_ids())
$$;
comment on function public.my_attached_library_ids() is
  'The ids of resources attached to threads of my spaces, as a set for read policies.';

-- capability: dialogues
create function public.my_dialogue_library_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.resource_id from public.library_attachments a
   where a.thread_id in (select public.my_guest_dialogue_ids())
$$;
comment on function public.my_dialogue_library_ids() is
  'The ids of resources attached to the dialogues I am a guest of, as a set for read policies.';
revoke execute on function public.my_dialogue_library_ids() from anon, public;
grant execute on function public.my_dialogue_library_ids() to authenticated;

create policy "dialogue guests read what is attached to their dialogues" on public.library_resources
  for select to authenticated using (id in (select public.my_dialogue_library_ids()));
