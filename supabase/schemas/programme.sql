-- supabase/schemas/programme.sql: the current definition of every object of the programme capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Programme figures (issue 27): counts for programme staff and facilitators,
-- never content.
--
-- Programme staff (Oxfam, CDI, Live & Learn) report active spaces, members,
-- dialogues held, decisions adopted and how many were implemented. Until now
-- the only way to see a figure was to join each private space, and so to read
-- its members' discussions. Here:
-- - The programme role is data: public.programme_officers, granted and taken
--   back by the network's library curators (like library_curators). It opens
--   no table, view, topic or bucket: an officer who is a member of some spaces
--   reads those spaces' content, as any member does, and nothing else.
-- - Figures come from one security definer function, programme_figures(),
--   which returns counts only, never rows: for the network (officers) or one
--   space (officers and that space's facilitators), for a period, by month.
--   Member safety is applied there, so no API caller ever gets the raw small
--   counts: a count broken down (by month, status, stakeholder type, kind) that
--   is 1 to 4 comes back as null ("fewer than 5"), and when it is the only one
--   of its row, the next smallest too, so the total does not give it away;
--   when nothing in its row is larger (zeros around it), the whole figure,
--   total included; on the network's page, a space's count hidden alone in
--   its cell (a month, a part, the total) takes the next smallest space count
--   of that cell with it (or the network's), so the network's count less the
--   shown ones does not give it away; a space marked sensitive gives totals only.
-- - Each family of figures is its own function (programme_part_*), listed in
--   private.programme_figure_parts; programme_figures() runs every part listed
--   there. Meetings (another capability) add their part with a row
--   (programme_part_meetings, supabase/schemas/meetings.sql), not by rewriting
--   this one; so this file is applied before meetings.sql.
-- - What the other tables do not remember is kept here, as counts with no
--   person: departures from spaces (space_removals keeps removals only, and
--   only until the person comes back), deleted spaces, and messages per space
--   and day (a million posts are counted from a small table, not scanned).
--
-- Days and months are those of Vietnam and Cambodia (Asia/Ho_Chi_Minh, UTC+7).

-- ---------------------------------------------------------------------------
-- The role.
create table public.programme_officers (
  user_id uuid primary key references auth.users (id) on delete cascade,
  added_by uuid references auth.users (id) on delete set null default auth.uid(),
  added_at timestamptz not null default now()
);
comment on table public.programme_officers is
  'Programme officers: people who see the figures of every space of the network (counts, never content). Granted and taken back by the network''s library curators.';
revoke all on public.programme_officers from anon;
revoke update on public.programme_officers from authenticated;

create index programme_officers_added_by_idx on public.programme_officers (added_by);

alter table public.programme_officers enable row level security;

create function public.is_programme_officer() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.programme_officers o where o.user_id = (select auth.uid()))
$$;
comment on function public.is_programme_officer() is
  'Am I a programme officer (figures of every space, never their content)?';
revoke execute on function public.is_programme_officer() from anon, public;
grant execute on function public.is_programme_officer() to authenticated;

create policy "officers see themselves, curators see the officers" on public.programme_officers
  for select to authenticated using (user_id = (select auth.uid()) or (select public.is_library_curator()));

create policy "curators grant the programme role" on public.programme_officers
  for insert to authenticated with check ((select public.is_library_curator()) and added_by = (select auth.uid()));

create policy "curators take the programme role back" on public.programme_officers
  for delete to authenticated using ((select public.is_library_curator()));

-- A curator names the person by the email of their account (what they know
-- of a colleague). It tells a curator whether an account has that email;
-- curators are the network's own staff, and nobody else may call it.
create function public.grant_programme_role(p_email text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid;
begin
  if not public.is_library_curator() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_email is null or char_length(p_email) > 320 then
    raise exception 'no_such_account' using errcode = 'P0001';
  end if;
  select u.id into v_user from auth.users u where lower(u.email) = lower(btrim(p_email)) limit 1;
  if v_user is null then
    raise exception 'no_such_account' using errcode = 'P0001';
  end if;
  insert into public.programme_officers (user_id, added_by) values (v_user, (select auth.uid()))
  on conflict (user_id) do nothing;
  return v_user;
end;
$$;
comment on function public.grant_programme_role(text) is
  'RPC: a library curator makes the account with this email a programme officer; granting twice is one grant (not_allowed, no_such_account).';
revoke execute on function public.grant_programme_role(text) from anon, public;
grant execute on function public.grant_programme_role(text) to authenticated;

create function public.programme_officer_list()
returns table (user_id uuid, email text, display_name text, added_at timestamptz)
language sql stable security definer set search_path = '' as $$
  select o.user_id, u.email::text, coalesce(p.display_name, ''), o.added_at
    from public.programme_officers o
    join auth.users u on u.id = o.user_id
    left join public.profiles p on p.id = o.user_id
   where public.is_library_curator()
   order by o.added_at
$$;
comment on function public.programme_officer_list() is
  'RPC: for library curators, the programme officers with their email and name (to check and take back a grant); nothing for others.';
revoke execute on function public.programme_officer_list() from anon, public;
grant execute on function public.programme_officer_list() to authenticated;

create function public.programme_standing() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('officer', public.is_programme_officer(), 'curator', public.is_library_curator())
$$;
comment on function public.programme_standing() is
  'RPC: am I a programme officer, and a curator (who grants the role)? For the home page''s links.';
revoke execute on function public.programme_standing() from anon, public;
grant execute on function public.programme_standing() to authenticated;

-- ---------------------------------------------------------------------------
-- Days and months in the programme's time zone.
create function public.programme_day(p_at timestamptz) returns date
language sql immutable parallel safe set search_path = '' as $$
  select (p_at at time zone 'Asia/Ho_Chi_Minh')::date
$$;
comment on function public.programme_day(timestamptz) is
  'The day (Asia/Ho_Chi_Minh) of a moment, as the figures count days.';

create function public.programme_month(p_at timestamptz) returns date
language sql immutable parallel safe set search_path = '' as $$
  select date_trunc('month', p_at at time zone 'Asia/Ho_Chi_Minh')::date
$$;
comment on function public.programme_month(timestamptz) is
  'The first day of the month (Asia/Ho_Chi_Minh) of a moment, as the figures count months.';

-- ---------------------------------------------------------------------------
-- What the other tables forget, kept as counts with no person.

-- Who left a space: no person, only when they had joined and when they left.
create table private.programme_departures (
  id bigint generated always as identity primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- null for removals remembered before this table existed
  joined_at timestamptz,
  left_at timestamptz not null default now(),
  -- removed by a facilitator, or left on their own
  removed boolean not null
);
comment on table private.programme_departures is
  'Departures from spaces for the figures: when the person had joined and when they left, and whether they were removed; no person is recorded.';
revoke all on private.programme_departures from public, anon, authenticated;

create index programme_departures_space_idx on private.programme_departures (space_id, left_at);

create function public.programme_note_departure() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- A space deleted whole is not a departure (its figures go with it).
  if exists (select 1 from public.spaces s where s.id = old.space_id) then
    insert into private.programme_departures (space_id, joined_at, left_at, removed)
    values (old.space_id, old.joined_at, now(), old.user_id is distinct from (select auth.uid()));
  end if;
  return old;
end;
$$;
comment on function public.programme_note_departure() is
  'Trigger: when someone leaves or is removed from a space, counts it for the figures (when they had joined and left, no person).';

create trigger space_members_programme_departure after delete on public.space_members
  for each row execute function public.programme_note_departure();

-- Deleted spaces: when, and of which kind.
create table private.programme_space_deletions (
  id bigint generated always as identity primary key,
  kind public.space_kind not null,
  deleted_at timestamptz not null default now()
);
comment on table private.programme_space_deletions is
  'Spaces deleted, for the network figures (their own figures go with them): kind and when.';
revoke all on private.programme_space_deletions from public, anon, authenticated;

create function public.programme_note_space_deletion() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into private.programme_space_deletions (kind) values (old.kind);
  return old;
end;
$$;
comment on function public.programme_note_space_deletion() is
  'Trigger: counts a deleted space for the network figures.';

create trigger spaces_programme_deletion after delete on public.spaces
  for each row execute function public.programme_note_space_deletion();

-- Messages per space and day (discussions and dialogues together), not
-- removed. Kept by statement triggers on posts: a bulk insert updates each day once.
create table private.programme_post_days (
  space_id uuid not null references public.spaces (id) on delete cascade,
  day date not null,
  posts integer not null default 0,
  primary key (space_id, day)
);
comment on table private.programme_post_days is
  'Messages (posts in discussions and dialogues) per space and day (Asia/Ho_Chi_Minh), removed ones not counted: what the figures count messages from.';
revoke all on private.programme_post_days from public, anon, authenticated;

create function public.programme_count_posts() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    insert into private.programme_post_days as d (space_id, day, posts)
    select a.space_id, public.programme_day(a.created_at), count(*)
      from programme_added a where a.deleted_at is null
     group by 1, 2
    on conflict (space_id, day) do update set posts = d.posts + excluded.posts;
  elsif tg_op = 'UPDATE' then
    -- Removing a post (deleted_at set) takes it off its day; nothing else moves a post.
    update private.programme_post_days d set posts = d.posts + m.change
      from (select b.space_id, public.programme_day(b.created_at) as day,
                   sum(case when b.deleted_at is null and a.deleted_at is not null then -1
                            when b.deleted_at is not null and a.deleted_at is null then 1 else 0 end) as change
              from programme_before b join programme_added a on a.id = b.id
             group by 1, 2) m
     where m.change <> 0 and d.space_id = m.space_id and d.day = m.day;
  else
    -- Deleted with their thread or space (a space's days go with it: update only, never insert).
    update private.programme_post_days d set posts = d.posts - g.n
      from (select b.space_id, public.programme_day(b.created_at) as day, count(*) as n
              from programme_before b where b.deleted_at is null group by 1, 2) g
     where d.space_id = g.space_id and d.day = g.day;
  end if;
  return null;
end;
$$;
comment on function public.programme_count_posts() is
  'Trigger: keeps the messages per space and day that the figures count (added, removed, deleted), one update per day and statement.';

create trigger posts_programme_count_insert after insert on public.posts
  referencing new table as programme_added
  for each statement execute function public.programme_count_posts();

create trigger posts_programme_count_update after update on public.posts
  referencing old table as programme_before new table as programme_added
  for each statement execute function public.programme_count_posts();

create trigger posts_programme_count_delete after delete on public.posts
  referencing old table as programme_before
  for each statement execute function public.programme_count_posts();

-- The figures read these by period.
create index threads_programme_idx on public.threads (space_id, created_at);

create index posts_programme_idx on public.posts (space_id, created_at) include (author_id);

create index dialogue_actions_programme_idx on public.dialogue_actions (space_id, created_at);

create index space_members_programme_idx on public.space_members (space_id, joined_at);

-- ---------------------------------------------------------------------------
-- The parts: one function per family of figures. Each takes the spaces, the
-- period [p_from, p_to) and returns rows (space_id, figure, month, breakdown,
-- n): month and breakdown null is the period's total; a row with space_id
-- null is a figure of the network itself (otherwise the network's value is
-- the sum over its spaces). Counts only. Not callable through the API: only
-- programme_figures() runs them, after checking who asks.
create table private.programme_figure_parts (
  key text primary key check (key ~ '^[a-z_]{1,40}$'),
  -- (uuid[], timestamptz, timestamptz) returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
  part regprocedure not null,
  -- the capability that owns the part: supabase/schemas/<capability>.sql
  capability text not null,
  position integer not null unique
);
comment on table private.programme_figure_parts is
  'The families of figures programme_figures() runs, in order: one function each (space_id, figure, month, breakdown, n). A capability adds its figures with a row (meetings do); adding one never rewrites programme_figures().';
revoke all on private.programme_figure_parts from public, anon, authenticated;

create function public.programme_part_network(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  select null::uuid, 'spaces', null::date, null::text, count(*)
    from public.spaces s where s.id = any (p_spaces) and s.created_at < p_to
  union all
  select null, 'spaces_active', null, null, count(distinct d.space_id)
    from private.programme_post_days d
   where d.space_id = any (p_spaces) and d.posts > 0
     and d.day >= public.programme_day(p_from) and d.day < public.programme_day(p_to)
  union all
  select null, 'spaces_deleted', null, null, count(*)
    from private.programme_space_deletions x where x.deleted_at >= p_from and x.deleted_at < p_to
  union all
  select null, 'people', null, null, count(distinct m.user_id)
    from public.space_members m where m.space_id = any (p_spaces)
$$;
comment on function public.programme_part_network(uuid[], timestamptz, timestamptz) is
  'Figures part (network): spaces, spaces with a post in the period, spaces deleted in the period, people in at least one space today.';
revoke execute on function public.programme_part_network(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

create function public.programme_part_members(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  with joined as (
    select m.space_id, m.joined_at from public.space_members m
     where m.space_id = any (p_spaces) and m.joined_at >= p_from and m.joined_at < p_to
    union all
    select d.space_id, d.joined_at from private.programme_departures d
     where d.space_id = any (p_spaces) and d.joined_at >= p_from and d.joined_at < p_to
  ), departed as (
    select d.space_id, d.left_at, d.removed from private.programme_departures d
     where d.space_id = any (p_spaces) and d.left_at >= p_from and d.left_at < p_to
  ), active as (
    -- Wrote a post (openly), opened a discussion or dialogue, or changed a draft, in the last 30 days.
    select p.space_id, p.author_id as user_id from public.posts p
     where p.space_id = any (p_spaces) and p.created_at >= now() - interval '30 days' and p.author_id is not null
    union
    select t.space_id, r.user_id from public.thread_reads r join public.threads t on t.id = r.thread_id
     where t.space_id = any (p_spaces) and r.last_read_at >= now() - interval '30 days'
    union
    select dr.space_id, h.user_id from public.draft_history h join public.drafts dr on dr.id = h.draft_id
     where dr.space_id = any (p_spaces) and h.last_at >= now() - interval '30 days' and h.user_id is not null
  ), active_members as (
    select a.space_id, a.user_id from active a
      join public.space_members m on m.space_id = a.space_id and m.user_id = a.user_id
  )
  select x.space_id, 'members', null::date, null::text, count(*)
    from (select m.space_id from public.space_members m where m.space_id = any (p_spaces) and m.joined_at < p_to
          union all
          select d.space_id from private.programme_departures d
           where d.space_id = any (p_spaces) and coalesce(d.joined_at, '-infinity') < p_to and d.left_at >= p_to) x
   group by x.space_id
  union all
  select j.space_id, 'members_joined', public.programme_month(j.joined_at), null, count(*)
    from joined j group by grouping sets ((j.space_id), (j.space_id, public.programme_month(j.joined_at)))
  union all
  select d.space_id, 'members_left', public.programme_month(d.left_at), null, count(*)
    from departed d group by grouping sets ((d.space_id), (d.space_id, public.programme_month(d.left_at)))
  union all
  select d.space_id, 'members_left', null, case when d.removed then 'removed' else 'left' end, count(*)
    from departed d group by 1, 4
  union all
  select a.space_id, 'members_active', null, null, count(*) from active_members a group by a.space_id
  union all
  select null, 'members_active', null, null, count(distinct a.user_id) from active_members a
$$;
comment on function public.programme_part_members(uuid[], timestamptz, timestamptz) is
  'Figures part (members): members at the end of the period, joined and left in it (by month; left: removed or on their own), active in the last 30 days (network: distinct people).';
revoke execute on function public.programme_part_members(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

create function public.programme_part_discussions(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  select t.space_id, 'threads', public.programme_month(t.created_at), null::text, count(*)
    from public.threads t
   where t.space_id = any (p_spaces) and t.created_at >= p_from and t.created_at < p_to
     and not t.is_dialogue and t.deleted_at is null
   group by grouping sets ((t.space_id), (t.space_id, public.programme_month(t.created_at)))
  union all
  select d.space_id, 'posts', date_trunc('month', d.day)::date, null, sum(d.posts)::bigint
    from private.programme_post_days d
   where d.space_id = any (p_spaces)
     and d.day >= public.programme_day(p_from) and d.day < public.programme_day(p_to)
   group by grouping sets ((d.space_id), (d.space_id, date_trunc('month', d.day)::date))
$$;
comment on function public.programme_part_discussions(uuid[], timestamptz, timestamptz) is
  'Figures part (discussions): threads started in the period (dialogues and removed ones left out) and messages written in it, in discussions and dialogues (removed ones left out), by month.';
revoke execute on function public.programme_part_discussions(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

create function public.programme_part_dialogues(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  with convened as (
    select d.space_id, d.created_at, d.status from public.dialogues d join public.threads t on t.id = d.id
     where d.space_id = any (p_spaces) and d.created_at >= p_from and d.created_at < p_to and t.deleted_at is null
  )
  select c.space_id, 'dialogues', public.programme_month(c.created_at), null::text, count(*)
    from convened c group by grouping sets ((c.space_id), (c.space_id, public.programme_month(c.created_at)))
  union all
  select c.space_id, 'dialogues', null, c.status::text, count(*) from convened c group by 1, 4
  union all
  select d.space_id, 'dialogues_held', public.programme_month(d.meeting_at), null, count(*)
    from public.dialogues d join public.threads t on t.id = d.id
   where d.space_id = any (p_spaces) and d.meeting_at >= p_from and d.meeting_at < least(p_to, now())
     and t.deleted_at is null
   group by grouping sets ((d.space_id), (d.space_id, public.programme_month(d.meeting_at)))
  union all
  select d.space_id, 'dialogue_guests', null, g.stakeholder_type::text, count(*)
    from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id
   where d.space_id = any (p_spaces) and g.joined_at >= p_from and g.joined_at < p_to
   group by grouping sets ((d.space_id), (d.space_id, g.stakeholder_type))
  union all
  select d.space_id, 'dialogue_posts', public.programme_month(p.created_at), null, count(*)
    from public.dialogues d join public.posts p on p.thread_id = d.id
   where d.space_id = any (p_spaces) and p.created_at >= p_from and p.created_at < p_to and p.deleted_at is null
   group by grouping sets ((d.space_id), (d.space_id, public.programme_month(p.created_at)))
$$;
comment on function public.programme_part_dialogues(uuid[], timestamptz, timestamptz) is
  'Figures part (dialogues): convened in the period (by month, by status today), held (meeting date in the period and past), guests who joined (by stakeholder type), messages (by month).';
revoke execute on function public.programme_part_dialogues(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

create function public.programme_part_actions(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  with agreed as (
    select a.space_id, a.created_at, a.status, a.due_on, a.done_at from public.dialogue_actions a
     where a.space_id = any (p_spaces) and a.created_at >= p_from and a.created_at < p_to
  ), due as (
    -- Due in the period, the due date passed, not dropped.
    select a.space_id, a.status, a.due_on, a.done_at from public.dialogue_actions a
     where a.space_id = any (p_spaces) and a.status <> 'dropped'
       and a.due_on >= public.programme_day(p_from) and a.due_on < public.programme_day(p_to)
       and a.due_on < public.programme_day(now())
  )
  select g.space_id, 'actions', public.programme_month(g.created_at), null::text, count(*)
    from agreed g group by grouping sets ((g.space_id), (g.space_id, public.programme_month(g.created_at)))
  union all
  select g.space_id, 'actions', null, g.status::text, count(*) from agreed g group by 1, 4
  union all
  select g.space_id, 'actions_overdue', null, null, count(*) from agreed g
   where g.due_on < public.programme_day(now()) and g.status in ('agreed', 'in_progress')
   group by 1
  union all
  select d.space_id, 'actions_due', null, null, count(*) from due d group by 1
  union all
  select d.space_id, 'actions_done_on_time', null, null, count(*) from due d
   where d.status = 'done' and public.programme_day(d.done_at) <= d.due_on
   group by 1
  union all
  select a.space_id, 'actions_done', public.programme_month(a.done_at), null, count(*)
    from public.dialogue_actions a
   where a.space_id = any (p_spaces) and a.status = 'done' and a.done_at >= p_from and a.done_at < p_to
   group by grouping sets ((a.space_id), (a.space_id, public.programme_month(a.done_at)))
$$;
comment on function public.programme_part_actions(uuid[], timestamptz, timestamptz) is
  'Figures part (agreed actions): agreed in the period (by month, by status today), of those overdue today, due in the period (passed, not dropped) and done by their due date, done in the period (by month).';
revoke execute on function public.programme_part_actions(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

create function public.programme_part_library(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  with added as (
    select r.space_id, r.created_at,
           case when r.url is not null then 'link'
                else coalesce((select public.library_kind_of(f.mime_type)::text from public.library_files f
                                where f.resource_id = r.id order by f.version limit 1), 'document') end as kind
      from public.library_resources r
     where r.space_id = any (p_spaces) and r.created_at >= p_from and r.created_at < p_to
  )
  select a.space_id, 'library_items', public.programme_month(a.created_at), null::text, count(*)
    from added a group by grouping sets ((a.space_id), (a.space_id, public.programme_month(a.created_at)))
  union all
  select a.space_id, 'library_items', null, a.kind, count(*) from added a group by 1, 4
  union all
  select null, 'library_items_shared', null, null, count(*)
    from public.library_resources r where r.space_id is null and r.created_at >= p_from and r.created_at < p_to
$$;
comment on function public.programme_part_library(uuid[], timestamptz, timestamptz) is
  'Figures part (libraries): items added to the spaces'' libraries in the period (by month, by kind), and to the shared library (network).';
revoke execute on function public.programme_part_library(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

create function public.programme_part_drafts(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  select d.space_id, 'drafts_started', null::date, d.kind::text, count(*)
    from public.drafts d where d.space_id = any (p_spaces) and d.created_at >= p_from and d.created_at < p_to
   group by grouping sets ((d.space_id), (d.space_id, d.kind))
  union all
  select d.space_id, 'drafts_edited', null, null, count(*)
    from public.drafts d
   where d.space_id = any (p_spaces) and d.created_at < p_to and (
           (d.last_edit_at >= p_from and d.last_edit_at < p_to)
           or exists (select 1 from public.draft_history h
                       where h.draft_id = d.id and h.last_at >= p_from and h.first_at < p_to))
   group by 1
  union all
  select d.space_id, 'draft_versions', public.programme_month(v.created_at), null, count(*)
    from public.draft_versions v join public.drafts d on d.id = v.draft_id
   where d.space_id = any (p_spaces) and v.created_at >= p_from and v.created_at < p_to
   group by grouping sets ((d.space_id), (d.space_id, public.programme_month(v.created_at)))
$$;
comment on function public.programme_part_drafts(uuid[], timestamptz, timestamptz) is
  'Figures part (drafts): drafts started in the period (by kind), in progress (changed in the period), named versions saved (by month).';
revoke execute on function public.programme_part_drafts(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

insert into private.programme_figure_parts (key, part, capability, position) values
  ('network', 'public.programme_part_network(uuid[], timestamptz, timestamptz)', 'programme', 10),
  ('members', 'public.programme_part_members(uuid[], timestamptz, timestamptz)', 'programme', 20),
  ('discussions', 'public.programme_part_discussions(uuid[], timestamptz, timestamptz)', 'programme', 30),
  ('dialogues', 'public.programme_part_dialogues(uuid[], timestamptz, timestamptz)', 'programme', 50),
  ('actions', 'public.programme_part_actions(uuid[], timestamptz, timestamptz)', 'programme', 60),
  ('library', 'public.programme_part_library(uuid[], timestamptz, timestamptz)', 'programme', 70),
  ('drafts', 'public.programme_part_drafts(uuid[], timestamptz, timestamptz)', 'programme', 80);

-- ---------------------------------------------------------------------------
-- The one call a figures page makes.
create function public.programme_figures(p_space uuid default null, p_from date default null, p_to date default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_today date := public.programme_day(now());
  v_to date := least(coalesce(p_to, v_today), v_today);
  v_from date := coalesce(p_from, (date_trunc('month', v_to) - interval '11 months')::date);
  v_officer boolean := public.is_programme_officer();
  v_spaces uuid[];
  v_parts text;
  v_keys jsonb;
  v_result jsonb;
begin
  if (select auth.uid()) is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if p_space is null then
    if not v_officer then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    select coalesce(array_agg(s.id), '{}') into v_spaces from public.spaces s;
  else
    -- Whether a space exists is told to officers only (they see every space's name).
    if not (v_officer or public.is_space_facilitator(p_space)) then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if not exists (select 1 from public.spaces s where s.id = p_space) then
      raise exception 'space_not_found' using errcode = 'P0001';
    end if;
    v_spaces := array[p_space];
  end if;
  if p_from is not null and p_from > v_today then
    raise exception 'period_future' using errcode = 'P0001';
  end if;
  if p_to is not null and p_from is not null and p_from > p_to then
    raise exception 'period_reversed' using errcode = 'P0001';
  end if;
  if v_from > v_to then
    raise exception 'period_reversed' using errcode = 'P0001';
  end if;
  -- Months are listed one by one: two years at most.
  if v_from < (v_to - interval '731 days')::date then
    raise exception 'period_too_long' using errcode = 'P0001';
  end if;

  select string_agg(format('select * from %s($1, $2, $3)', p.part::regproc), ' union all ' order by p.position),
         coalesce(jsonb_agg(p.key order by p.position), '[]')
    into v_parts, v_keys
    from private.programme_figure_parts p;

  execute format($q$
    with raw as (%s),
    scoped as (
      select r.space_id, r.figure, r.month, r.breakdown, r.n from raw r
       where r.space_id = any ($1) or ($4 and r.space_id is null)
    ),
    -- The network's value: its own row when a part gave one, else the sum over its spaces.
    cells as (
      select s.space_id, s.figure, s.month, s.breakdown, s.n from scoped s
        join public.spaces sp on sp.id = s.space_id
       -- A sensitive space gives totals only.
       where not (sp.sensitive and (s.month is not null or s.breakdown is not null))
      union all
      select null, s.figure, s.month, s.breakdown, s.n from scoped s where s.space_id is null
      union all
      -- A sensitive space's months and parts stay out of the network's too (its
      -- total is in): else the network's month less the other spaces' gives it.
      select null, s.figure, s.month, s.breakdown, sum(s.n)::bigint from scoped s
        join public.spaces sp on sp.id = s.space_id
       where $4 and s.space_id is not null
         and not (sp.sensitive and (s.month is not null or s.breakdown is not null))
         and not exists (select 1 from scoped x where x.space_id is null and x.figure = s.figure)
       group by s.figure, s.month, s.breakdown
    ),
    -- Small counts: a broken-down count of 1 to 4 is null ("fewer than 5"); when
    -- it is the only one in its row (months, or parts), the next smallest goes too;
    -- when nothing else in its row is larger, the whole figure goes (whole, below).
    marked as (
      select c.*, (c.month is not null or c.breakdown is not null) as broken,
             (c.month is not null or c.breakdown is not null) and c.n between 1 and 4 as small
        from cells c
    ),
    ranked as (
      select m.*,
             count(*) filter (where m.small) over w as smalls,
             count(*) filter (where not m.small and m.n > 0) over w as larger,
             row_number() over (partition by m.space_id, m.figure, m.month is null, m.breakdown is null, m.small
                                order by m.n, m.month, m.breakdown) as rank
        from marked m
      window w as (partition by m.space_id, m.figure, m.month is null, m.breakdown is null)
    ),
    -- A row whose counts are all small (one count of 1 to 4 with zeros around
    -- it, or several small ones): nothing else in it can be hidden, and its sum
    -- is the figure's total. Then the whole figure goes for that space (or the
    -- network): its total and every other row's counts, which would add up to it.
    whole as (
      select distinct r.space_id, r.figure from ranked r where r.broken and r.smalls > 0 and r.larger = 0
    ),
    shown as (
      select r.space_id, r.figure, r.month, r.breakdown, r.n as counted,
             case when r.small or (r.broken and r.smalls = 1 and not r.small and r.rank = 1 and r.n > 0)
                       or (w.figure is not null and r.n > 0)
                  then null else r.n end as n
        from ranked r
        left join whole w on w.space_id is not distinct from r.space_id and w.figure = r.figure
    ),
    -- Across spaces (the network's pages): the network's count of a cell (a
    -- month, a part, or the total) less the shown counts of its spaces would
    -- give away a space's hidden count when it is the only one hidden there.
    -- Then the next smallest non-zero space count of that cell goes too, or,
    -- when no other space counts anything there, the network's count.
    across as (
      select s.*,
             count(*) filter (where s.space_id is not null and s.n is null and s.counted > 0) over c as hidden_spaces,
             (array_agg(s.space_id) filter (where s.space_id is not null and s.n is null and s.counted > 0) over c)[1] as alone,
             bool_or(s.space_id is null and s.n is not null) over c as network_shown,
             count(*) filter (where s.space_id is not null and s.n > 0) over c as shown_spaces,
             row_number() over (partition by s.figure, s.month, s.breakdown, s.space_id is not null and s.n > 0
                                order by s.n, s.space_id) as rank
        from shown s
      window c as (partition by s.figure, s.month, s.breakdown)
    ),
    crossed as (
      select a.*, a.hidden_spaces = 1 and a.network_shown and a.n > 0
                  and case when a.space_id is null then a.shown_spaces = 0 else a.rank = 1 end as hide
        from across a
    ),
    -- The space hidden with it then has one hidden count in its row, which its
    -- total less its shown counts would give away: it also hides its counts
    -- where the lone space's other counts of that figure are hidden (a
    -- rectangle: two hidden in every row and cell) ...
    corners as (
      select distinct x.space_id, h.figure, h.month, h.breakdown
        from crossed x
        join shown h on h.space_id = x.alone and h.figure = x.figure and h.n is null and h.counted > 0
       where x.hide and x.space_id is not null
         and not (h.month is not distinct from x.month and h.breakdown is not distinct from x.breakdown)
    ),
    cornered as (
      select x.space_id, x.figure, x.month, x.breakdown, x.counted,
             case when x.hide or k.space_id is not null then null else x.n end as n
        from crossed x
        left join corners k on k.space_id = x.space_id and k.figure = x.figure
             and k.month is not distinct from x.month and k.breakdown is not distinct from x.breakdown
    ),
    -- ... and when it counts nothing there, a space row (months, parts) left
    -- with one hidden count loses its total.
    lonely as (
      select c.*, count(*) filter (where c.n is null and c.counted > 0)
                    over (partition by c.space_id, c.figure, c.month is null, c.breakdown is null) as hidden_in_row
        from cornered c
    ),
    safe as (
      select l.space_id, l.figure, l.month, l.breakdown,
             case when l.space_id is not null and l.month is null and l.breakdown is null and l.counted > 0
                       and bool_or(l.hidden_in_row = 1 and (l.month is not null or l.breakdown is not null))
                             over (partition by l.space_id, l.figure)
                  then null else l.n end as n
        from lonely l
    ),
    figures as (
      select s.space_id, s.figure, jsonb_build_object(
               -- null (hidden) stays null: a sum over nothing would say 0.
               'total', case when bool_or(s.month is null and s.breakdown is null and s.n is null) then null
                             else coalesce(sum(s.n) filter (where s.month is null and s.breakdown is null), 0) end,
               'months', coalesce(jsonb_object_agg(s.month, s.n) filter (where s.month is not null and s.breakdown is null), '{}'),
               'breakdown', coalesce(jsonb_object_agg(s.breakdown, s.n) filter (where s.breakdown is not null and s.month is null), '{}')
             ) as value
        from safe s group by s.space_id, s.figure
    )
    select jsonb_build_object(
      'period', jsonb_build_object(
        'from', $7, 'to', $8, 'today', $5, 'clamped', $9,
        'months', (select jsonb_agg(to_char(m, 'YYYY-MM-DD') order by m)
                     from generate_series(date_trunc('month', $7::timestamp), $8::timestamp, interval '1 month') m)),
      'parts', $6::jsonb,
      'network', case when $4 then coalesce((select jsonb_object_agg(f.figure, f.value) from figures f where f.space_id is null), '{}') end,
      'spaces', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'id', sp.id, 'name', sp.name, 'kind', sp.kind, 'sensitive', sp.sensitive,
                 'language', sp.primary_language,
                 'figures', coalesce((select jsonb_object_agg(f.figure, f.value) from figures f where f.space_id = sp.id), '{}'))
               order by sp.name, sp.id)
          from public.spaces sp where sp.id = any ($1)), '[]')
    )
  $q$, v_parts)
  into v_result
  using v_spaces,
        (v_from::timestamp at time zone 'Asia/Ho_Chi_Minh'),
        ((v_to + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'),
        p_space is null, v_today, v_keys, v_from, v_to, coalesce(p_to > v_today, false);
  return v_result;
end;
$$;
comment on function public.programme_figures(uuid, date, date) is
  'RPC: counts, never rows, for a period (default: the last 12 months; up to today): the network''s and every space''s (programme officers), or one space''s (officers and its facilitators). Broken-down counts of 1 to 4 are null ("fewer than 5"), with the next smallest of their row when alone, and the whole figure (total included) when nothing in their row is larger; on the network''s page, a space''s count hidden alone in its cell (month, part or total) takes the next smallest space count of that cell with it and hides where that space''s other counts are hidden (or the network''s count); sensitive spaces give totals only (not_signed_in, not_allowed, space_not_found, period_future, period_reversed, period_too_long).';
revoke execute on function public.programme_figures(uuid, date, date) from anon, public;
grant execute on function public.programme_figures(uuid, date, date) to authenticated;

-- ---------------------------------------------------------------------------
-- Library items saved offline (public.library_saves, supabase/schemas/library.sql):
-- one more family, added with a row (rules grow by addition).
create function public.programme_part_library_saves(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  select r.space_id, 'library_saves', public.programme_month(s.saved_at), null::text, count(*)
    from public.library_saves s join public.library_resources r on r.id = s.resource_id
   where r.space_id = any (p_spaces) and s.saved_at >= p_from and s.saved_at < p_to
   group by grouping sets ((r.space_id), (r.space_id, public.programme_month(s.saved_at)))
  union all
  select null, 'library_saves_shared', null, null, count(*)
    from public.library_saves s join public.library_resources r on r.id = s.resource_id
   where r.space_id is null and s.saved_at >= p_from and s.saved_at < p_to
$$;
comment on function public.programme_part_library_saves(uuid[], timestamptz, timestamptz) is
  'Figures part (library saves): items of the spaces'' libraries saved for offline in the period (by month), and of the shared library (network); each person counted once per item, in the month she first saved it.';
revoke execute on function public.programme_part_library_saves(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

insert into private.programme_figure_parts (key, part, capability, position) values
  ('library_saves', 'public.programme_part_library_saves(uuid[], timestamptz, timestamptz)', 'programme', 75);
