-- supabase/schemas/threads.sql: the current definition of every object of the threads capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Discussion threads in a space: a thread is a title, a topic and its posts;
-- the first post (is_opening) is the thread's body. Edits keep earlier
-- versions, deletions are soft, reactions and mentions hang off posts.
-- Ids of posts and reactions may come from the client so an offline replay
-- of the same post is one row, never two.
-- Also here: read markers and unread counts (my_spaces), search, and the
-- RPCs start_thread and mark_thread_read.

create type public.thread_topic as enum ('labour_law', 'health', 'social_protection', 'club_life', 'proposals', 'other');

create type public.reaction_kind as enum ('like', 'thanks', 'agree', 'question');

-- Titles and bodies are checked after btrim of spaces, tabs and line breaks:
-- trim() strips spaces only, so a body of line breaks would pass as "not
-- empty". JavaScript's trim() in the forms agrees with this.
create table public.threads (
  id uuid primary key default gen_random_uuid(),
  space_id uuid not null references public.spaces (id) on delete cascade,
  author_id uuid references auth.users (id) on delete set null default auth.uid(),
  title text not null check (char_length(btrim(title, E' \t\r\n')) between 1 and 200),
  topic public.thread_topic not null default 'other',
  pinned boolean not null default false,
  locked boolean not null default false,
  reply_count integer not null default 0,
  created_at timestamptz not null default now(),
  last_activity_at timestamptz not null default now(),
  deleted_at timestamptz,
  constraint threads_title_visible check (public.has_visible_text(title) and public.has_no_bidi_controls(title))
);
revoke delete on public.threads from authenticated;
revoke all on public.threads from anon;

-- The thread list: pinned first, then by last activity (keyset pagination).
create index threads_list_idx on public.threads (space_id, pinned desc, last_activity_at desc, id desc);

create table public.posts (
  id uuid primary key default gen_random_uuid(),
  thread_id uuid not null references public.threads (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  author_id uuid references auth.users (id) on delete set null default auth.uid(),
  is_opening boolean not null default false,
  body text not null check (char_length(btrim(body, E' \t\r\n')) between 1 and 10000),
  created_at timestamptz not null default now(),
  edited_at timestamptz,
  deleted_at timestamptz,
  deleted_by uuid references auth.users (id) on delete set null,
  constraint posts_body_visible check (public.has_visible_text(body) and public.has_no_bidi_controls(body))
);
revoke delete on public.posts from authenticated;
revoke all on public.posts from anon;

create index posts_thread_idx on public.posts (thread_id, created_at, id);

create index posts_space_idx on public.posts (space_id);

create unique index posts_one_opening_idx on public.posts (thread_id) where is_opening;

create table public.post_revisions (
  id bigint generated always as identity primary key,
  post_id uuid not null references public.posts (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now()
);
revoke insert, update, delete on public.post_revisions from authenticated;
revoke all on public.post_revisions from anon;

create index post_revisions_post_idx on public.post_revisions (post_id);

create table public.reactions (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references public.posts (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  kind public.reaction_kind not null,
  created_at timestamptz not null default now(),
  unique (post_id, user_id, kind)
);
revoke update on public.reactions from authenticated;
revoke all on public.reactions from anon;

create index reactions_user_idx on public.reactions (user_id);

create table public.mentions (
  post_id uuid not null references public.posts (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  primary key (post_id, user_id)
);
revoke insert, update, delete on public.mentions from authenticated;
revoke all on public.mentions from anon;

create index mentions_user_idx on public.mentions (user_id);

create table public.thread_reads (
  thread_id uuid not null references public.threads (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  last_read_at timestamptz not null default now(),
  primary key (thread_id, user_id)
);
revoke all on public.thread_reads from anon;

create index thread_reads_user_idx on public.thread_reads (user_id);

-- ---------------------------------------------------------------------------
-- Search: lower-cased, accents removed (Vietnamese "đường" matches "duong"),
-- substring match with trigram indexes (Khmer has no spaces between words).
create function public.search_text(p_text text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select lower(extensions.unaccent('extensions.unaccent'::regdictionary, coalesce(p_text, '')))
$$;
comment on function public.search_text(text) is
  'Search form of a text: lower case, accents removed (the trigram indexes are built on it).';

create index threads_title_search_idx on public.threads using gin (public.search_text(title) extensions.gin_trgm_ops);

create index posts_body_search_idx on public.posts using gin (public.search_text(body) extensions.gin_trgm_ops);

-- The LIKE pattern is an expression of the function's argument (not built in
-- a CTE and cross-joined, which hid it from the trigram index); \, % and _
-- are plain characters.
create function public.search_pattern(p_query text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select '%' || replace(replace(replace(public.search_text(trim(p_query)), '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;
comment on function public.search_pattern(text) is
  'The LIKE pattern for a search query: its search form, with \, % and _ escaped, between % wildcards.';

-- ---------------------------------------------------------------------------
-- Threads: who may read one, who may post in one.
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

alter table public.threads enable row level security;

alter table public.posts enable row level security;

alter table public.post_revisions enable row level security;

alter table public.reactions enable row level security;

alter table public.mentions enable row level security;

alter table public.thread_reads enable row level security;

-- Authors edit their title/topic; moderators pin, lock and remove (checked in
-- guard_thread_update). The author branch asks for access too: without it, an
-- unfiltered PATCH from a removed member (no WHERE clause, so Postgres does
-- not apply the SELECT policy) still changed their old threads and posts, and
-- an unfiltered DELETE took back their reactions. can_read_thread() is the
-- seam where dialogue guests come in.
create policy "authors and moderators update threads" on public.threads
  for update to authenticated
  using ((author_id = (select auth.uid()) and public.can_read_thread(id)) or public.is_space_moderator(space_id))
  with check ((author_id = (select auth.uid()) and public.can_read_thread(id)) or public.is_space_moderator(space_id));

create policy "authors edit, authors and moderators remove" on public.posts
  for update to authenticated
  using ((author_id = (select auth.uid()) and public.can_read_thread(thread_id)) or public.is_space_moderator(space_id))
  with check ((author_id = (select auth.uid()) and public.can_read_thread(thread_id)) or public.is_space_moderator(space_id));

create policy "members read earlier versions" on public.post_revisions
  for select to authenticated using (
    exists (select 1 from public.posts p where p.id = post_id and public.can_read_thread(p.thread_id))
  );

create policy "members read reactions" on public.reactions
  for select to authenticated using (
    exists (select 1 from public.posts p where p.id = post_id and public.can_read_thread(p.thread_id))
  );

create policy "members react" on public.reactions
  for insert to authenticated with check (
    user_id = (select auth.uid())
    and exists (select 1 from public.posts p where p.id = post_id and p.deleted_at is null and public.can_read_thread(p.thread_id))
  );

create policy "people take back their reactions" on public.reactions
  for delete to authenticated using (
    user_id = (select auth.uid())
    and exists (select 1 from public.posts p where p.id = post_id and public.can_read_thread(p.thread_id))
  );

-- A removed member no longer lists which threads of the space they read, and when.
create policy "people keep their own read markers" on public.thread_reads
  for select to authenticated using (user_id = (select auth.uid()) and public.can_read_thread(thread_id));

create policy "people set their own read markers" on public.thread_reads
  for insert to authenticated with check (user_id = (select auth.uid()) and public.can_read_thread(thread_id));

create policy "people move their own read markers" on public.thread_reads
  for update to authenticated using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and public.can_read_thread(thread_id));

-- ---------------------------------------------------------------------------
-- Guards: the threads capability's own, and the dialogues capability's beside them.
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

create trigger threads_guard before update on public.threads
  for each row execute function public.guard_thread_update();

-- Times are the database's: a direct insert could otherwise carry any
-- created_at / last_activity_at (a thread on top of the list and unread for
-- everyone until 2099). Seeds and imports (no signed-in user) keep their times.
create function public.stamp_new_thread() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is not null then
    new.created_at := now();
    new.last_activity_at := now();
  end if;
  return new;
end;
$$;
comment on function public.stamp_new_thread() is
  'Guard: a thread inserted by a signed-in person gets created_at and last_activity_at = now(), whatever the client sent.';

create trigger threads_stamp before insert on public.threads
  for each row execute function public.stamp_new_thread();

-- Security definer: keeping the earlier version writes post_revisions, which
-- people may not write directly (so they cannot forge history); run as the
-- editor, an edit failed with "permission denied for table post_revisions".
-- It still checks the editor through auth.uid() and the space helpers.
-- edited_at and deleted_by are written by this guard only: an author could
-- otherwise clear the "edited" mark while the earlier version stays.
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

create trigger posts_guard before insert or update on public.posts
  for each row execute function public.guard_post_write();

-- Counters, activity times and mentions, kept by the database so every
-- client (web form, offline replay) gets them right.
create function public.after_post_insert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.threads
     set last_activity_at = new.created_at,
         reply_count = reply_count + case when new.is_opening then 0 else 1 end
   where id = new.thread_id;
  update public.spaces set last_activity_at = new.created_at where id = new.space_id;
  insert into public.mentions (post_id, user_id)
  select new.id, m.user_id
    from public.space_members m join public.profiles p on p.id = m.user_id
   where m.space_id = new.space_id and m.user_id <> new.author_id and p.display_name <> ''
     and position(lower('@' || p.display_name) in lower(new.body)) > 0
  on conflict do nothing;
  -- Writing in a thread means having read it.
  if new.author_id is not null then
    insert into public.thread_reads (thread_id, user_id, last_read_at) values (new.thread_id, new.author_id, new.created_at)
    on conflict (thread_id, user_id) do update set last_read_at = greatest(public.thread_reads.last_read_at, excluded.last_read_at);
  end if;
  return new;
end;
$$;
comment on function public.after_post_insert() is
  'Trigger: after a post, moves the thread''s reply count and activity time and the space''s, records @mentions of members, marks the thread read for the author.';

create trigger posts_after_insert after insert on public.posts
  for each row execute function public.after_post_insert();

-- Start a thread with its opening post in one transaction.
create or replace function public.start_thread(p_space uuid, p_title text, p_body text, p_topic public.thread_topic, p_id uuid default null)
returns uuid
language plpgsql security invoker set search_path = '' as $$
declare
  v_thread uuid := coalesce(p_id, gen_random_uuid());
begin
  insert into public.threads (id, space_id, title, topic)
  values (v_thread, p_space, btrim(p_title, E' \t\r\n'), p_topic)
  on conflict (id) do nothing;
  if not found then
    return v_thread; -- a replay of the same submission (perhaps still running when this one arrived)
  end if;
  insert into public.posts (thread_id, space_id, body, is_opening) values (v_thread, p_space, p_body, true);
  return v_thread;
end;
$$;
comment on function public.start_thread(uuid, text, text, public.thread_topic, uuid) is
  'RPC (as the caller, under the policies): a thread and its opening post in one transaction; a replayed id returns that id.';
revoke execute on function public.start_thread(uuid, text, text, public.thread_topic, uuid) from anon, public;
grant execute on function public.start_thread(uuid, text, text, public.thread_topic, uuid) to authenticated;

-- My spaces with my role, unread thread counts and last activity.
create function public.my_spaces()
returns table (
  id uuid, kind public.space_kind, name text, objective text, colour text, icon text,
  primary_language public.app_language, role public.space_role, last_activity_at timestamptz,
  unread_count integer, member_count integer
)
language sql stable security invoker set search_path = '' as $$
  select s.id, s.kind, s.name, s.objective, s.colour, s.icon, s.primary_language, m.role, s.last_activity_at,
         (select count(*)::int from public.threads t
           left join public.thread_reads r on r.thread_id = t.id and r.user_id = m.user_id
          where t.space_id = s.id and t.deleted_at is null
            and t.last_activity_at > coalesce(r.last_read_at, m.joined_at)),
         (select count(*)::int from public.space_members x where x.space_id = s.id)
    from public.space_members m join public.spaces s on s.id = m.space_id
   where m.user_id = (select auth.uid())
   order by s.last_activity_at desc
$$;
comment on function public.my_spaces() is
  'RPC (as the caller, under the policies): my spaces with my role, unread thread count, member count and last activity.';
revoke execute on function public.my_spaces() from anon, public;
grant execute on function public.my_spaces() to authenticated;

create function public.mark_thread_read(p_thread uuid) returns void
language sql security invoker set search_path = '' as $$
  insert into public.thread_reads (thread_id, user_id, last_read_at) values (p_thread, (select auth.uid()), now())
  on conflict (thread_id, user_id) do update set last_read_at = excluded.last_read_at
$$;
comment on function public.mark_thread_read(uuid) is
  'RPC (as the caller, under the policies): sets my read marker on the thread to now.';
revoke execute on function public.mark_thread_read(uuid) from anon, public;
grant execute on function public.mark_thread_read(uuid) to authenticated;

-- Runs as its owner and checks membership itself, so the planner can use the
-- trigram indexes (`npm run bench:threads` measured ~0.8 s per search at
-- 10,000 posts otherwise): under RLS, Postgres may not push a non-leakproof
-- expression such as search_text(body) LIKE ... into an index scan, so every
-- post was scanned and unaccented. Only a superuser can mark functions
-- leakproof (hosted Supabase migrations are not superuser). Members of a
-- space read all of its threads and posts, which is exactly what the read
-- policies allow. When thread-level guests arrive, this check grows the same
-- branch as they do.
create function public.search_space(p_space uuid, p_query text, p_limit integer default 30)
returns table (thread_id uuid, post_id uuid, title text, excerpt text, created_at timestamptz, match_in text)
language sql stable security definer set search_path = '' as $$
  (select t.id as thread_id, null::uuid as post_id, t.title, left(p.body, 200) as excerpt,
          t.last_activity_at as created_at, 'title' as match_in
     from public.threads t join public.posts p on p.thread_id = t.id and p.is_opening
    where public.is_space_member(p_space)
      and t.space_id = p_space and t.deleted_at is null
      and public.search_text(t.title) like public.search_pattern(p_query))
  union all
  (select p.thread_id, p.id, t.title, left(p.body, 200), p.created_at, 'post'
     from public.posts p join public.threads t on t.id = p.thread_id
    where public.is_space_member(p_space)
      and p.space_id = p_space and p.deleted_at is null and t.deleted_at is null
      and public.search_text(p.body) like public.search_pattern(p_query))
  order by created_at desc
  limit least(greatest(p_limit, 1), 100)
$$;
comment on function public.search_space(uuid, text, integer) is
  'RPC (checks membership itself): threads and posts of a space I am a member of whose title or body contains the query, removed ones left out; nothing for others.';
revoke execute on function public.search_space(uuid, text, integer) from anon, public;
grant execute on function public.search_space(uuid, text, integer) to authenticated;

-- Reading pages in one call each (issue 14, [light]): a page's data in one
-- wave of Supabase calls, beside the session check, instead of several calls
-- that wait for one another. Every function here is security invoker: each
-- table read applies its read policy exactly as the REST calls did, so a
-- guest, an outsider or a removed member gets what those gave them (nothing,
-- or null). Kept in their own migration (migrations are append-only); each
-- block names the capability it reads.

-- ---------------------------------------------------------------- profiles

-- A page of a space's thread list (dialogues have their own list), newest
-- activity first under the pinned ones, with each author's name and whether I
-- have read it since its last activity (or since I joined). Keyset: the rows
-- after (p_after_pinned, p_after_at, p_after_id) in that order; one row more
-- than p_limit says there is a next page.
create function public.thread_list(
  p_space uuid, p_limit integer default 30,
  p_after_pinned boolean default null, p_after_at timestamptz default null, p_after_id uuid default null
) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return (
  with me as (
    select m.joined_at from public.space_members m where m.space_id = p_space and m.user_id = (select auth.uid())
  ), page as (
    select t.id, t.title, t.topic, t.pinned, t.locked, t.reply_count, t.last_activity_at, t.author_id
      from public.threads t
     where t.space_id = p_space and t.deleted_at is null and not t.is_dialogue
       and (p_after_id is null
            or (p_after_pinned and not t.pinned)
            or (t.pinned = p_after_pinned and t.last_activity_at < p_after_at)
            or (t.pinned = p_after_pinned and t.last_activity_at = p_after_at and t.id < p_after_id))
     order by t.pinned desc, t.last_activity_at desc, t.id desc
     limit least(greatest(p_limit, 1), 100) + 1
  )
  select coalesce(jsonb_agg(
           to_jsonb(page) || jsonb_build_object(
             'author', coalesce((select p.display_name from public.profiles p where p.id = page.author_id), ''),
             'unread', page.last_activity_at > coalesce(
               (select r.last_read_at from public.thread_reads r
                 where r.thread_id = page.id and r.user_id = (select auth.uid())),
               (select me.joined_at from me), '-infinity'::timestamptz))
           order by page.pinned desc, page.last_activity_at desc, page.id desc), '[]'::jsonb)
    from page
  );
end;
$$;
comment on function public.thread_list(uuid, integer, boolean, timestamptz, uuid) is
  'RPC (as the caller, under the policies): a keyset page of the space''s threads with author names and my unread flags.';
revoke execute on function public.thread_list(uuid, integer, boolean, timestamptz, uuid) from anon, public;
grant execute on function public.thread_list(uuid, integer, boolean, timestamptz, uuid) to authenticated;

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
revoke execute on function public.thread_page(uuid) from anon, public;
grant execute on function public.thread_page(uuid) to authenticated;

-- The thread page in one request (issue 14, goal 5). Measured on the local
-- stack (PGlite, one session): every REST request costs about sixteen
-- statements of its own (the session looked up, role and settings set, a
-- transaction), 4-5 ms, more than most of the page's own queries; the thread
-- page sent five requests, three of them for the thread alone (thread_page,
-- thread_attachments, mark_thread_read). open_thread does those three in one
-- call, composed of the same functions, so the rules stay where they are:
-- everything runs as the caller, under the policies. Volatile, because it
-- moves my read marker; the marker moves only when I may read the thread
-- (thread_page is null otherwise, and the policy on thread_reads checks the
-- same), and not when p_mark_read is false (the page then keeps the thread
-- marked unread: $lib/keys UNSEEN_COOKIE).
create function public.open_thread(p_thread uuid, p_mark_read boolean default true) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_page jsonb := public.thread_page(p_thread);
begin
  if v_page is null then
    return null;
  end if;
  if p_mark_read then
    perform public.mark_thread_read(p_thread);
  end if;
  return v_page || jsonb_build_object('attachments', public.thread_attachments(p_thread));
end;
$$;
comment on function public.open_thread(uuid, boolean) is
  'RPC (as the caller, under the policies): thread_page() with the thread''s attachments, and my read marker moved to now; null when unreadable.';
revoke execute on function public.open_thread(uuid, boolean) from anon, public;
grant execute on function public.open_thread(uuid, boolean) to authenticated;

-- The thread page in one request (issue 24, part 4: one call per reading
-- page). Since open_thread() (issue 14), two later capabilities each added a
-- request of their own to the page: my mutes (moderation, person_filters) and
-- whether the opening post is an announcement, with who has seen it
-- (meetings). open_thread_page() composes open_thread() unchanged with the
-- same reads, as the caller (security invoker): every policy applies as it
-- did for the separate calls, and announcement_readers() is asked only of a
-- moderator of the space (it refuses everyone else). plpgsql, so the
-- moderation and meetings objects it reads (created after this capability's
-- schema) are looked up when it runs, not when it is created.
create function public.open_thread_page(p_thread uuid, p_mark_read boolean default true) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_page jsonb := public.open_thread(p_thread, p_mark_read);
  v_space uuid;
  v_opening uuid;
  v_marked boolean;
begin
  if v_page is null then
    return null;
  end if;
  v_space := (v_page -> 'thread' ->> 'space_id')::uuid;
  select (p ->> 'id')::uuid into v_opening
    from jsonb_array_elements(v_page -> 'posts') p
   where (p ->> 'is_opening')::boolean
   limit 1;
  v_marked := v_opening is not null
    and exists (select 1 from public.announcements a where a.post_id = v_opening and a.thread_id = p_thread);
  return v_page || jsonb_build_object(
    -- People whose posts fold away for me (issue 26).
    'muted', coalesce((
      select jsonb_agg(f.other_id) from public.person_filters f
       where f.user_id = (select auth.uid()) and f.kind = 'mute'), '[]'::jsonb),
    -- The opening post as an announcement: who has seen it, for the space's moderators only.
    'announcement', jsonb_build_object(
      'post_id', v_opening,
      'marked', v_marked,
      'readers', case when v_marked and public.is_space_moderator(v_space)
                      then public.announcement_readers(v_opening) end)
  );
end;
$$;
comment on function public.open_thread_page(uuid, boolean) is
  'RPC (as the caller, under the policies): open_thread() with my mutes and whether the opening post is an announcement (with who has seen it, for the space''s moderators only); null when unreadable.';

revoke execute on function public.open_thread_page(uuid, boolean) from anon, public;
grant execute on function public.open_thread_page(uuid, boolean) to authenticated;

-- The thread page and its space's header in one request (issue 24: one call
-- per reading page). The space's layout asked space_for_member() and the page
-- asked open_thread_page(), two requests, each with its own session set-up on
-- the way in: the page served about 34 views a second on the local stack.
-- open_thread_in_space() composes both unchanged, as the caller (security
-- invoker): every policy applies as it did for the two calls. The thread is
-- opened (and my read marker moved) only when I am a member of the space, and
-- it is not given when it belongs to another space.
create function public.open_thread_in_space(p_space uuid, p_thread uuid, p_mark_read boolean default true)
returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_space jsonb := public.space_for_member(p_space);
  v_page jsonb;
begin
  if v_space is null then
    return null;
  end if;
  if not exists (select 1 from public.threads t where t.id = p_thread and t.space_id = p_space) then
    return jsonb_build_object('space', v_space, 'page', null);
  end if;
  v_page := public.open_thread_page(p_thread, p_mark_read);
  return jsonb_build_object('space', v_space, 'page', v_page);
end;
$$;
comment on function public.open_thread_in_space(uuid, uuid, boolean) is
  'RPC (as the caller, under the policies): space_for_member() and, when the thread is in that space, open_thread_page() (my read marker moved unless p_mark_read is false); null when I am not a member of the space, page null when the thread is not readable there.';

revoke execute on function public.open_thread_in_space(uuid, uuid, boolean) from anon, public;
grant execute on function public.open_thread_in_space(uuid, uuid, boolean) to authenticated;

-- A space's home page (its thread list) in one request (issue 24: one call
-- per reading page). The space's layout asked space_for_member(), the page
-- asked thread_list() and two REST reads of meetings (the next one, and the
-- last one held): four requests, each with its own session set-up.
-- open_space_home() composes space_for_member() and thread_list() unchanged
-- and reads meetings as the two REST calls did, as the caller (security
-- invoker): every policy applies as it did for the separate calls. Null when
-- I am not a member of the space. plpgsql, so that meetings (created after this
-- capability's schema) is looked up when it runs, not when it is created.
create function public.open_space_home(
  p_space uuid, p_limit integer default 30,
  p_after_pinned boolean default null, p_after_at timestamptz default null, p_after_id uuid default null
) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb := public.space_for_member(p_space);
begin
  if v_space is null then
    return null;
  end if;
  return jsonb_build_object(
    'space', v_space,
    'threads', public.thread_list(p_space, p_limit, p_after_pinned, p_after_at, p_after_id),
    -- The next meeting (a reminder on the page), and the last one held (the cadence hint).
    'next_meeting', (
      select jsonb_build_object('id', m.id, 'topic', m.topic, 'starts_at', m.starts_at, 'venue', m.venue)
        from public.meetings m
       where m.space_id = p_space and m.cancelled_at is null and m.starts_at >= now()
       order by m.starts_at limit 1),
    'last_meeting', (
      select jsonb_build_object('id', m.id, 'starts_at', m.starts_at)
        from public.meetings m
       where m.space_id = p_space and m.cancelled_at is null and m.starts_at < now()
       order by m.starts_at desc limit 1)
  );
end;
$$;
comment on function public.open_space_home(uuid, integer, boolean, timestamptz, uuid) is
  'RPC (as the caller, under the policies): a space''s home page: space_for_member(), a page of thread_list() (keyset after the given row), the next meeting and the last one held; null when I am not a member of the space.';

revoke execute on function public.open_space_home(uuid, integer, boolean, timestamptz, uuid) from anon, public;
grant execute on function public.open_space_home(uuid, integer, boolean, timestamptz, uuid) to authenticated;

-- The "my spaces" page (everyone's home) in one request (issue 24: one call
-- per reading page). It asked my_spaces(), my_dialogues() (dialogues),
-- programme_standing() (programme) and a count of moderation_notices not seen
-- yet (moderation): four requests, each with its own session set-up.
-- open_my_spaces() composes the three functions unchanged and counts the
-- notices as the REST call did, as the caller (security invoker): every policy
-- applies as it did for the separate calls (my_dialogues() and
-- programme_standing() are security definer and answer for the caller alone,
-- as before). plpgsql, so that the later capabilities' objects are looked up
-- when it runs, not when it is created.
create function public.open_my_spaces() returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return jsonb_build_object(
    'spaces', coalesce((
      select jsonb_agg(to_jsonb(s) - 'ordinality' order by s.ordinality)
        from public.my_spaces() with ordinality s), '[]'::jsonb),
    'dialogues', coalesce((
      select jsonb_agg(to_jsonb(d) - 'ordinality' order by d.ordinality)
        from public.my_dialogues() with ordinality d), '[]'::jsonb),
    'programme', public.programme_standing(),
    -- What the moderators told me, not read yet (issue 26); the table's policy shows me mine.
    'unseen_notices', (select count(*) from public.moderation_notices n where n.seen_at is null)
  );
end;
$$;
comment on function public.open_my_spaces() is
  'RPC (as the caller, under the policies): the "my spaces" page: my_spaces(), my_dialogues(), programme_standing() and how many moderation notices to me are not seen yet.';

revoke execute on function public.open_my_spaces() from anon, public;
grant execute on function public.open_my_spaces() to authenticated;

-- Counts per kind, mine marked, for every post of a thread I may read (guests included).
-- PL/pgSQL so that its plan lasts across calls (20261206001400_threads_cached_plans.sql).
create function public.thread_reaction_counts(p_thread uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select coalesce((
    select jsonb_object_agg(y.post_id, y.kinds)
      from (select x.post_id, jsonb_object_agg(x.kind, jsonb_build_object('count', x.n, 'byMe', x.mine)) as kinds
              from (select r.post_id, r.kind, count(*) as n, bool_or(r.user_id = (select auth.uid())) as mine
                      from public.reactions r join public.posts p on p.id = r.post_id
                     where p.thread_id = p_thread
                     group by r.post_id, r.kind) x
             group by x.post_id) y
     where public.can_read_thread(p_thread)
  ), '{}'::jsonb));
end;
$$;
comment on function public.thread_reaction_counts(uuid) is
  'For each post of a thread: how many people reacted with each kind, and whether I did; {} when I may not read the thread. Never who.';
revoke execute on function public.thread_reaction_counts(uuid) from anon, public;
grant execute on function public.thread_reaction_counts(uuid) to authenticated;

create policy "members read threads" on public.threads
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "members start threads" on public.threads
  for insert to authenticated with check (
    author_id = (select auth.uid()) and public.is_space_member(space_id)
    and not pinned and not locked and reply_count = 0
  );

create policy "members read posts" on public.posts
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "members post where allowed" on public.posts
  for insert to authenticated with check (
    author_id = (select auth.uid()) and public.can_post_in_thread(thread_id)
    and edited_at is null and deleted_at is null
  );

create policy "members read mentions" on public.mentions
  for select to authenticated using (
    exists (select 1 from public.posts p where p.id = post_id and public.can_read_thread(p.thread_id))
  );
