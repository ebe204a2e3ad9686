-- supabase/schemas/push.sql: the current definition of every object of the push capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Push notifications (and the data saver's stored setting).
--
-- A person turns notifications on for a phone (push_subscriptions: one row per
-- browser endpoint, read only by its owner) and for each space they want to
-- hear from (push_spaces; a dialogue guest chooses the dialogue's space, and
-- only ever hears about the dialogues they are a guest of). Database triggers
-- queue jobs (push_jobs) in the same transaction as the post, mention or
-- action that caused them: a rolled-back post queues nothing. A worker in the
-- Node server (src/lib/push/worker.server.ts) drains the queue with the
-- secret key through claim_push_jobs() / complete_push_jobs() /
-- drop_push_subscription() / queue_due_push_jobs(), which only service_role
-- may call, and never serves a person's request.
--
-- Rules the worker relies on:
-- - Jobs are claimed with FOR UPDATE SKIP LOCKED under a lease; a worker that
--   dies mid-send leaves jobs that another claim takes again after the lease.
-- - Quiet hours (push_settings, default 22:00-06:00 Asia/Ho_Chi_Minh) keep a
--   job pending: deferred, never dropped. At the end of the quiet hours the
--   jobs of one thread go out as one notification (grouped per person and
--   group_key; the phone replaces an earlier one with the same tag).
-- - Access is checked again when a job is claimed: a person removed from the
--   space (or a guest removed from the dialogue) meanwhile gets nothing.
-- - Spaces marked sensitive never let a name, a title or a text leave the
--   database in a notification: only the space's name.

create type public.push_kind as enum (
  'reply', 'mention', 'dialogue_post', 'action_assigned', 'action_overdue',
  -- Accepted, not produced yet: reminders of a dialogue's meeting_at.
  'meeting_reminder'
);

create type public.push_job_status as enum ('pending', 'sending', 'sent', 'dropped', 'failed');

-- Facilitators mark a space sensitive (e.g. a club of survivors): its
-- notifications say only "New activity in <space>".
alter table public.spaces add column sensitive boolean not null default false;

-- The data saver (src/lib/data-saver): kept with the person so it follows them;
-- the page itself reads a cookie. Private: nobody else needs to know.
alter table public.profile_private add column data_saver boolean not null default false;

create table public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  -- The browser's push service URL (https in production; the worker refuses
  -- anything else unless PUSH_ALLOW_INSECURE_ENDPOINTS is set for tests).
  endpoint text not null unique check (char_length(endpoint) between 12 and 1000 and endpoint ~ '^https?://'),
  p256dh text not null check (p256dh ~ '^[A-Za-z0-9_-]{80,100}=*$'),
  auth text not null check (auth ~ '^[A-Za-z0-9_-]{16,44}=*$'),
  created_at timestamptz not null default now()
);
revoke all on public.push_subscriptions from anon;
revoke insert, update on public.push_subscriptions from authenticated;

create index push_subscriptions_user_idx on public.push_subscriptions (user_id);

create table public.push_spaces (
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  space_id uuid not null references public.spaces (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, space_id)
);
revoke all on public.push_spaces from anon;
revoke update on public.push_spaces from authenticated;

create index push_spaces_space_idx on public.push_spaces (space_id);

create function public.is_time_zone(p_zone text) returns boolean
language sql stable set search_path = '' as $$
  select exists (select 1 from pg_catalog.pg_timezone_names z where z.name = p_zone)
$$;
comment on function public.is_time_zone(text) is
  'True when the text names a time zone Postgres knows (e.g. Asia/Ho_Chi_Minh).';

-- A person without a row has the defaults. quiet_start = quiet_end: no quiet hours.
create table public.push_settings (
  user_id uuid primary key references auth.users (id) on delete cascade default auth.uid(),
  quiet_start time not null default '22:00',
  quiet_end time not null default '06:00',
  time_zone text not null default 'Asia/Ho_Chi_Minh' check (public.is_time_zone(time_zone)),
  -- When the worker last dropped one of this person's phones because its push
  -- service said it is gone (404/410): the settings page tells them.
  dropped_at timestamptz,
  updated_at timestamptz not null default now()
);
revoke all on public.push_settings from anon;
revoke delete on public.push_settings from authenticated;

create table public.push_jobs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  kind public.push_kind not null,
  space_id uuid not null references public.spaces (id) on delete cascade,
  thread_id uuid references public.threads (id) on delete cascade,
  post_id uuid references public.posts (id) on delete cascade,
  action_id uuid references public.dialogue_actions (id) on delete cascade,
  -- One notification per person and group ('thread:<id>', 'action:<id>', 'meeting:<id>').
  group_key text not null check (char_length(group_key) <= 100),
  -- One job per cause and person ('post:<post>:<user>', ...): a trigger that
  -- fires twice, or a mention and a reply for one post, queue one job.
  dedupe_key text not null unique check (char_length(dedupe_key) <= 200),
  status public.push_job_status not null default 'pending',
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  locked_until timestamptz,
  last_error text check (char_length(last_error) <= 500),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
revoke all on public.push_jobs from anon;
revoke insert, update, delete on public.push_jobs from authenticated;

create index push_jobs_due_idx on public.push_jobs (run_at) where status in ('pending', 'sending');

create index push_jobs_group_idx on public.push_jobs (user_id, group_key, created_at);

create index push_jobs_space_idx on public.push_jobs (space_id);

create index push_jobs_thread_idx on public.push_jobs (thread_id);

create index push_jobs_post_idx on public.push_jobs (post_id);

create index push_jobs_action_idx on public.push_jobs (action_id);

create index push_jobs_finished_idx on public.push_jobs (finished_at) where finished_at is not null;

-- The role of the API request (PostgREST and lite SET ROLE to it; a security
-- definer function still sees it here, unlike current_user).
create function public.is_service_role() returns boolean
language sql stable set search_path = '' as $$
  select coalesce(current_setting('role', true), '') = 'service_role'
$$;
comment on function public.is_service_role() is
  'Is this request made with the secret key (service_role)? The push worker''s RPCs refuse everyone else.';

-- For triggers and the worker only (a person could otherwise ask about others).
create function public.user_can_read_thread(p_user uuid, p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  if pg_trigger_depth() = 0 and coalesce(current_setting('role', true), '') in ('anon', 'authenticated') then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return exists (
    select 1 from public.threads t
     where t.id = p_thread and t.deleted_at is null
       and (exists (select 1 from public.space_members m where m.space_id = t.space_id and m.user_id = p_user)
            or (t.is_dialogue and exists (
                  select 1 from public.dialogue_guests g
                   where g.dialogue_id = t.id and g.user_id = p_user and g.removed_at is null)))
  );
end;
$$;
comment on function public.user_can_read_thread(uuid, uuid) is
  'May this person read the thread now? (can_read_thread for someone else; triggers and the push worker only, not_allowed for people)';
revoke execute on function public.user_can_read_thread(uuid, uuid) from anon, authenticated, public;
grant execute on function public.user_can_read_thread(uuid, uuid) to service_role;

create function public.is_quiet_time(p_at timestamptz, p_start time, p_end time, p_zone text) returns boolean
language sql stable set search_path = '' as $$
  select case
    when p_start = p_end then false
    when p_start < p_end then (p_at at time zone p_zone)::time >= p_start and (p_at at time zone p_zone)::time < p_end
    else (p_at at time zone p_zone)::time >= p_start or (p_at at time zone p_zone)::time < p_end
  end
$$;
comment on function public.is_quiet_time(timestamptz, time, time, text) is
  'Is the moment inside the quiet hours from start to end (may cross midnight) in the time zone? Equal start and end: never.';

-- Whom a person may ask to hear from: a space they are a member of, or the
-- space of a dialogue they are a guest of.
create function public.can_follow_space(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.is_space_member(p_space) or exists (
    select 1 from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id
     where d.space_id = p_space and g.user_id = (select auth.uid()) and g.removed_at is null
  )
$$;
comment on function public.can_follow_space(uuid) is
  'May I turn on notifications for the space? (a member, or a guest of one of its dialogues)';
revoke execute on function public.can_follow_space(uuid) from anon, public;
grant execute on function public.can_follow_space(uuid) to authenticated;

-- Queues one job if the person wants it: has a phone subscribed, chose the
-- space, and may read the thread. A mention wins over any other kind of job for the same post.
create function public.queue_push(
  p_user uuid, p_kind public.push_kind, p_space uuid, p_thread uuid, p_post uuid, p_action uuid,
  p_group text, p_dedupe text
) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if pg_trigger_depth() = 0 and not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_user is null
     or not exists (select 1 from public.push_subscriptions s where s.user_id = p_user)
     or not exists (select 1 from public.push_spaces f where f.user_id = p_user and f.space_id = p_space)
     or (p_thread is not null and not public.user_can_read_thread(p_user, p_thread)) then
    return;
  end if;
  insert into public.push_jobs (user_id, kind, space_id, thread_id, post_id, action_id, group_key, dedupe_key)
  values (p_user, p_kind, p_space, p_thread, p_post, p_action, p_group, p_dedupe)
  on conflict (dedupe_key) do update set kind = excluded.kind
   where excluded.kind = 'mention' and public.push_jobs.status = 'pending';
end;
$$;
comment on function public.queue_push(uuid, public.push_kind, uuid, uuid, uuid, uuid, text, text) is
  'Queues one notification for a person who has a phone subscribed, chose the space and may read the thread (triggers and the worker only, not_allowed for people).';
revoke execute on function public.queue_push(uuid, public.push_kind, uuid, uuid, uuid, uuid, text, text) from anon, authenticated, public;
grant execute on function public.queue_push(uuid, public.push_kind, uuid, uuid, uuid, uuid, text, text) to service_role;

-- A new post (not a thread's opening): in a thread, its author and everyone
-- who wrote in it; in a dialogue, everyone taking part (its convener, its
-- guests, members who wrote in it openly or as "a member of"). Never the
-- person who wrote it (for an anonymous post that is the signed-in user).
create function public.push_on_post() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_thread public.threads;
  v_actor uuid := coalesce(new.author_id, (select auth.uid()));
  v_user uuid;
begin
  if new.is_opening or new.deleted_at is not null then
    return null;
  end if;
  select * into v_thread from public.threads t where t.id = new.thread_id;
  for v_user in
    select x.user_id from (
      select v_thread.author_id as user_id
      union select p.author_id from public.posts p where p.thread_id = new.thread_id and p.deleted_at is null
      union select d.convened_by from public.dialogues d where d.id = new.thread_id
      union select h.author_id from public.dialogue_hidden_authors h where h.dialogue_id = new.thread_id
      union select g.user_id from public.dialogue_guests g where g.dialogue_id = new.thread_id and g.removed_at is null
    ) x
    where x.user_id is not null and x.user_id is distinct from v_actor
  loop
    perform public.queue_push(
      v_user, case when v_thread.is_dialogue then 'dialogue_post' else 'reply' end::public.push_kind,
      new.space_id, new.thread_id, new.id, null, 'thread:' || new.thread_id, 'post:' || new.id || ':' || v_user);
  end loop;
  return null;
end;
$$;
comment on function public.push_on_post() is
  'Trigger: a new reply queues a notification for the thread''s author and everyone who wrote in it (a dialogue: its convener, guests and members taking part), never its writer.';

create trigger posts_push after insert on public.posts
  for each row execute function public.push_on_post();

create function public.push_on_mention() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_post public.posts;
begin
  select * into v_post from public.posts p where p.id = new.post_id;
  if v_post.deleted_at is null and new.user_id is distinct from coalesce(v_post.author_id, (select auth.uid())) then
    perform public.queue_push(new.user_id, 'mention', v_post.space_id, v_post.thread_id, v_post.id, null,
                              'thread:' || v_post.thread_id, 'post:' || v_post.id || ':' || new.user_id);
  end if;
  return null;
end;
$$;
comment on function public.push_on_mention() is
  'Trigger: an @mention queues a notification for the person mentioned (the same job as a reply notification for that post, marked as a mention).';

create trigger mentions_push after insert on public.mentions
  for each row execute function public.push_on_mention();

-- The people responsible for an action: the guest, or the guests of the organisation.
create function public.action_owner_ids(p_action uuid) returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.owner_user_id from public.dialogue_actions a
   where a.id = p_action and a.owner_kind = 'guest' and a.owner_user_id is not null
  union
  select g.user_id from public.dialogue_actions a
    join public.dialogue_guests g on g.dialogue_id = a.dialogue_id and g.removed_at is null
   where a.id = p_action and a.owner_kind = 'organisation'
     and lower(btrim(g.organisation)) = lower(btrim(a.owner_organisation))
$$;
comment on function public.action_owner_ids(uuid) is
  'The people responsible for an action: its guest, or the (not removed) guests of its organisation. Triggers and the worker.';
revoke execute on function public.action_owner_ids(uuid) from anon, authenticated, public;
grant execute on function public.action_owner_ids(uuid) to service_role;

create function public.push_on_action() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid;
begin
  if tg_op = 'UPDATE' and new.owner_kind = old.owner_kind and new.owner_user_id is not distinct from old.owner_user_id
     and new.owner_organisation is not distinct from old.owner_organisation then
    return null;
  end if;
  for v_user in select o from public.action_owner_ids(new.id) o where o is distinct from (select auth.uid()) loop
    perform public.queue_push(v_user, 'action_assigned', new.space_id, new.dialogue_id, null, new.id,
                              'action:' || new.id, 'assigned:' || new.id || ':' || v_user);
  end loop;
  return null;
end;
$$;
comment on function public.push_on_action() is
  'Trigger: an agreed action (or a new owner for it) queues a notification for the people now responsible, not the convener who recorded it.';

create trigger dialogue_actions_push after insert or update on public.dialogue_actions
  for each row execute function public.push_on_action();

-- ---------------------------------------------------------------------------
-- Row-level security: everything here is its owner's alone.
alter table public.push_subscriptions enable row level security;

alter table public.push_spaces enable row level security;

alter table public.push_settings enable row level security;

alter table public.push_jobs enable row level security;

-- Subscribing goes through save_push_subscription() (an endpoint may move to whoever signs in on that phone).
create policy "people see their own phones" on public.push_subscriptions
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people turn off their own phones" on public.push_subscriptions
  for delete to authenticated using (user_id = (select auth.uid()));

create policy "people see the spaces they hear from" on public.push_spaces
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people choose spaces they belong to" on public.push_spaces
  for insert to authenticated with check (user_id = (select auth.uid()) and public.can_follow_space(space_id));

create policy "people stop hearing from a space" on public.push_spaces
  for delete to authenticated using (user_id = (select auth.uid()));

create policy "people read their own quiet hours" on public.push_settings
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people set their own quiet hours" on public.push_settings
  for insert to authenticated with check (user_id = (select auth.uid()));

create policy "people change their own quiet hours" on public.push_settings
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- Ids and states only (never text): the settings page counts what waits or failed.
create policy "people see their own notifications' state" on public.push_jobs
  for select to authenticated using (user_id = (select auth.uid()));

create trigger push_settings_touch before update on public.push_settings
  for each row execute function public.touch_updated_at();

-- A phone's endpoint belongs to whoever subscribed on it last (a shared phone
-- changes hands): an earlier owner's row for the same endpoint is replaced.
create function public.save_push_subscription(p_endpoint text, p_p256dh text, p_auth text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_id uuid;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  insert into public.push_subscriptions (user_id, endpoint, p256dh, auth)
  values (v_user, p_endpoint, p_p256dh, p_auth)
  on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
    created_at = now()
  returning id into v_id;
  update public.push_settings set dropped_at = null where user_id = v_user;
  return v_id;
end;
$$;
comment on function public.save_push_subscription(text, text, text) is
  'RPC: registers this phone''s push endpoint and keys for me, taking it over from whoever had it on this phone before only with the same keys (not_signed_in, push_endpoint_not_allowed, push_endpoint_taken; bad keys fail the table''s checks). My 10 most recently turned-on phones are kept.';
revoke execute on function public.save_push_subscription(text, text, text) from anon, public;
grant execute on function public.save_push_subscription(text, text, text) to authenticated;

create function public.claim_push_jobs(p_limit integer default 50, p_lease_seconds integer default 120)
returns table (
  user_id uuid, group_key text, job_ids uuid[], kind public.push_kind, language public.app_language,
  space_id uuid, space_name text, sensitive boolean, thread_id uuid, thread_title text, is_dialogue boolean,
  post_id uuid, author_name text, anonymous boolean, excerpt text, gathered integer,
  action_id uuid, action_description text, subscriptions jsonb
)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  v_ids uuid[];
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  select array_agg(x.id) into v_ids from (
    select j.id from public.push_jobs j
      left join public.push_settings s on s.user_id = j.user_id
     where ((j.status = 'pending' and j.run_at <= now()) or (j.status = 'sending' and j.locked_until < now()))
       and not public.is_quiet_time(now(), coalesce(s.quiet_start, '22:00'), coalesce(s.quiet_end, '06:00'),
                                    coalesce(s.time_zone, 'Asia/Ho_Chi_Minh'))
     order by j.run_at, j.created_at
     limit least(greatest(coalesce(p_limit, 50), 1), 500)
     for update of j skip locked
  ) x;
  if v_ids is null then
    return;
  end if;
  -- What can no longer be sent is dropped, with the reason.
  update public.push_jobs j
     set status = 'dropped', finished_at = now(), locked_until = null,
         last_error = case
           when j.thread_id is not null and not public.user_can_read_thread(j.user_id, j.thread_id) then 'no_access'
           when not exists (select 1 from public.push_spaces f where f.user_id = j.user_id and f.space_id = j.space_id) then 'opted_out'
           else 'no_subscription' end
   where j.id = any (v_ids) and (
     (j.thread_id is not null and not public.user_can_read_thread(j.user_id, j.thread_id))
     or not exists (select 1 from public.push_spaces f where f.user_id = j.user_id and f.space_id = j.space_id)
     or not exists (select 1 from public.push_subscriptions s where s.user_id = j.user_id));
  update public.push_jobs j
     set status = 'sending', attempts = j.attempts + 1,
         locked_until = now() + make_interval(secs => least(greatest(coalesce(p_lease_seconds, 120), 10), 3600))
   where j.id = any (v_ids) and j.status in ('pending', 'sending');
  return query
  with claimed as (
    select * from public.push_jobs j where j.id = any (v_ids) and j.status = 'sending'
  ), groups as (
    select c.user_id, c.group_key, array_agg(c.id order by c.created_at) as ids, bool_or(c.kind = 'mention') as mentioned
      from claimed c group by c.user_id, c.group_key
  ), latest as (
    select distinct on (c.user_id, c.group_key) c.* from claimed c order by c.user_id, c.group_key, c.created_at desc
  )
  select l.user_id, l.group_key, g.ids,
         case when g.mentioned then 'mention'::public.push_kind else l.kind end,
         pr.preferred_language, l.space_id, sp.name, sp.sensitive, l.thread_id,
         case when sp.sensitive then null else t.title end,
         coalesce(t.is_dialogue, false), l.post_id,
         case when sp.sensitive or coalesce(p.anonymous, false) then null else ap.display_name end,
         coalesce(p.anonymous, false),
         case when sp.sensitive or p.deleted_at is not null then null else left(p.body, 160) end,
         -- What this person was told about the thread since they last read it, these jobs included.
         (select count(*)::int from public.push_jobs x
            left join public.thread_reads r on r.thread_id = x.thread_id and r.user_id = x.user_id
           where x.user_id = l.user_id and x.group_key = l.group_key and x.status in ('sending', 'sent')
             and x.created_at > coalesce(r.last_read_at, '-infinity'::timestamptz)),
         l.action_id,
         case when sp.sensitive then null else a.description end,
         (select coalesce(jsonb_agg(jsonb_build_object('endpoint', s.endpoint, 'p256dh', s.p256dh, 'auth', s.auth)), '[]'::jsonb)
            from public.push_subscriptions s where s.user_id = l.user_id)
    from latest l
    join groups g on g.user_id = l.user_id and g.group_key = l.group_key
    join public.profiles pr on pr.id = l.user_id
    join public.spaces sp on sp.id = l.space_id
    left join public.threads t on t.id = l.thread_id
    left join public.posts p on p.id = l.post_id
    left join public.profiles ap on ap.id = p.author_id
    left join public.dialogue_actions a on a.id = l.action_id;
end;
$$;
comment on function public.claim_push_jobs(integer, integer) is
  'RPC (push worker, service_role only): takes due jobs outside each person''s quiet hours (FOR UPDATE SKIP LOCKED, under a lease), drops those the person can no longer read, opted out of or has no phone for, and returns one bundle per person and thread with the text to show (none for sensitive spaces) and the phones to send to (not_allowed for others).';
revoke execute on function public.claim_push_jobs(integer, integer) from anon, authenticated, public;
grant execute on function public.claim_push_jobs(integer, integer) to service_role;

create function public.complete_push_jobs(
  p_jobs uuid[], p_outcome text, p_error text default null, p_retry_after_seconds integer default null
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_outcome not in ('sent', 'retry', 'dropped', 'failed') then
    raise exception 'bad_outcome' using errcode = 'P0001';
  end if;
  update public.push_jobs j
     set status = case
           when p_outcome = 'sent' then 'sent'
           when p_outcome = 'dropped' then 'dropped'
           when p_outcome = 'failed' or j.attempts >= 8 then 'failed'
           else 'pending' end::public.push_job_status,
         -- Back-off: 30 s, 1, 2, 4, 8, 16, 32 minutes; a push service's Retry-After when longer.
         run_at = case when p_outcome = 'retry'
           then now() + make_interval(secs => greatest(least(3600, 30 * power(2, greatest(j.attempts - 1, 0))),
                                                       least(coalesce(p_retry_after_seconds, 0), 86400)))
           else j.run_at end,
         locked_until = null,
         last_error = left(p_error, 500),
         finished_at = case when p_outcome <> 'retry' or j.attempts >= 8 then now() end
   where j.id = any (p_jobs) and j.status = 'sending';
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function public.complete_push_jobs(uuid[], text, text, integer) is
  'RPC (push worker, service_role only): records how sending went: sent, dropped, failed (refused for good), or retry later with back-off (failed after 8 attempts) (not_allowed, bad_outcome).';
revoke execute on function public.complete_push_jobs(uuid[], text, text, integer) from anon, authenticated, public;
grant execute on function public.complete_push_jobs(uuid[], text, text, integer) to service_role;

create function public.drop_push_subscription(p_endpoint text, p_reason text default null) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid;
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  delete from public.push_subscriptions s where s.endpoint = p_endpoint returning s.user_id into v_user;
  if v_user is not null then
    insert into public.push_settings (user_id, dropped_at) values (v_user, now())
    on conflict (user_id) do update set dropped_at = now();
  end if;
end;
$$;
comment on function public.drop_push_subscription(text, text) is
  'RPC (push worker, service_role only): forgets a phone its push service says is gone (404/410) and notes it for its owner''s settings page (not_allowed).';
revoke execute on function public.drop_push_subscription(text, text) from anon, authenticated, public;
grant execute on function public.drop_push_subscription(text, text) to service_role;

create function public.queue_due_push_jobs() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_action record;
  v_user uuid;
  v_count integer := 0;
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  for v_action in
    select a.id, a.space_id, a.dialogue_id, a.created_by from public.dialogue_actions a
     where a.status in ('agreed', 'in_progress') and a.due_on < (now() at time zone 'Asia/Ho_Chi_Minh')::date
  loop
    for v_user in
      select o from public.action_owner_ids(v_action.id) o union select v_action.created_by
    loop
      if v_user is not null and not exists (
           select 1 from public.push_jobs j where j.dedupe_key = 'overdue:' || v_action.id || ':' || v_user) then
        perform public.queue_push(v_user, 'action_overdue', v_action.space_id, v_action.dialogue_id, null, v_action.id,
                                  'action:' || v_action.id, 'overdue:' || v_action.id || ':' || v_user);
        v_count := v_count + 1;
      end if;
    end loop;
  end loop;
  delete from public.push_jobs j where j.finished_at < now() - interval '14 days';
  return v_count;
end;
$$;
comment on function public.queue_due_push_jobs() is
  'RPC (push worker, service_role only): queues the once-only "overdue" notification for actions past their due date (their owners and the convener who agreed them) and forgets jobs finished 14 days ago (not_allowed).';
revoke execute on function public.queue_due_push_jobs() from anon, authenticated, public;
grant execute on function public.queue_due_push_jobs() to service_role;

create table public.push_services (
  -- A host name; its subdomains are push services too (e.g. fcm.googleapis.com).
  host text primary key,
  -- Plain http as well as https: the tests' local push service only.
  plain_http boolean not null default false,
  created_at timestamptz not null default now(),
  constraint push_services_host check (
    case when plain_http
      then host in ('localhost', '[::1]') or host ~ '^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$'
      else host ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'
    end)
);
comment on table public.push_services is
  'The push services the worker may send to: https to these hosts and their subdomains; plain http only to a loopback host marked plain_http (the tests'' local push service). Operators add a self-hosted push service here (and to PUSH_SERVICE_HOSTS for the worker). Nobody reads it through the API.';
revoke all on public.push_services from anon, authenticated, public;

comment on column public.push_services.plain_http is
  'Plain http to exactly this loopback host (localhost, 127.x.x.x, [::1]): for the tests'' local push service only, never in production.';

insert into public.push_services (host) values
  ('fcm.googleapis.com'),         -- Chrome, Edge and most Android browsers
  ('push.services.mozilla.com'),  -- Firefox
  ('notify.windows.com'),         -- Edge on Windows (legacy)
  ('push.apple.com');

alter table public.push_services enable row level security;

create function public.push_endpoint_allowed(p_endpoint text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  -- Scheme, host (a name or a bracketed IPv6 address; no user info), an optional
  -- port, then a path of printable ASCII: anything else is not a push endpoint.
  v_parts text[] := regexp_match(coalesce(p_endpoint, ''),
    '^(https?)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?/[!-~]*$');
  v_scheme text := v_parts[1];
  v_host text := lower(v_parts[2]);
begin
  if v_parts is null then
    return false;
  end if;
  return exists (
    select 1 from public.push_services s
     where (s.plain_http and v_host = s.host)
        or (not s.plain_http and v_scheme = 'https'
            and (v_host = s.host or right(v_host, char_length(s.host) + 1) = '.' || s.host))
  );
end;
$$;
comment on function public.push_endpoint_allowed(text) is
  'Is this a push endpoint the worker may send to? https to a host in push_services (or its subdomain); http only to a loopback host marked plain_http there.';
revoke execute on function public.push_endpoint_allowed(text) from anon, authenticated, public;
grant execute on function public.push_endpoint_allowed(text) to service_role;

-- BEFORE triggers fire in name order: this one before any later guard.
create function public.guard_push_subscription() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- One person's subscriptions change one at a time, so the cap below counts right.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('push_subscriptions:' || new.user_id::text, 0));
  if (tg_op = 'INSERT' or new.endpoint is distinct from old.endpoint)
     and not public.push_endpoint_allowed(new.endpoint) then
    raise exception 'push_endpoint_not_allowed' using errcode = 'P0001';
  end if;
  if tg_op = 'UPDATE' and new.user_id is distinct from old.user_id
     and (new.p256dh is distinct from old.p256dh or new.auth is distinct from old.auth) then
    raise exception 'push_endpoint_taken' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_push_subscription() is
  'Trigger: a phone''s endpoint must be a known push service''s (push_endpoint_not_allowed), and moves to another account only with the same keys (push_endpoint_taken).';
revoke execute on function public.guard_push_subscription() from anon, authenticated, public;

create trigger push_subscriptions_guard before insert or update on public.push_subscriptions
  for each row execute function public.guard_push_subscription();

create function public.cap_push_subscriptions() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Keeps this phone and the 9 others most recently turned on.
  delete from public.push_subscriptions s
   where s.user_id = new.user_id
     and s.id not in (
       select x.id from public.push_subscriptions x
        where x.user_id = new.user_id
        order by (x.id = new.id) desc, x.created_at desc, x.id desc
        limit 10);
  return null;
end;
$$;
comment on function public.cap_push_subscriptions() is
  'Trigger: at most 10 phones per person; turning notifications on for another one turns them off on the phone where they were turned on longest ago.';
revoke execute on function public.cap_push_subscriptions() from anon, authenticated, public;

create trigger push_subscriptions_cap after insert or update of user_id on public.push_subscriptions
  for each row execute function public.cap_push_subscriptions();

-- Notifications on by default: turning them on follows everything the person is in
-- (follow_everything), and joining a space or a dialogue while they are on follows it.
create function public.follow_everything() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_added integer;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.push_spaces f where f.user_id = v_user) then
    return 0;
  end if;
  insert into public.push_spaces (user_id, space_id)
  select v_user, s.space_id from (
    select m.space_id from public.space_members m where m.user_id = v_user
    union
    select d.space_id from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id
     where g.user_id = v_user and g.removed_at is null
  ) s
  on conflict do nothing;
  get diagnostics v_added = row_count;
  return v_added;
end;
$$;
comment on function public.follow_everything() is
  'RPC: notifications for every space I am a member of and every dialogue I am a guest of, when I follow none yet (turning notifications on for the first time); returns how many were added (not_signed_in).';
revoke execute on function public.follow_everything() from anon, public;
grant execute on function public.follow_everything() to authenticated;

create function public.follow_when_joining() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
begin
  if tg_table_name = 'space_members' then
    v_space := new.space_id;
  else
    select d.space_id into v_space from public.dialogues d where d.id = new.dialogue_id;
  end if;
  if v_space is not null and exists (select 1 from public.push_subscriptions s where s.user_id = new.user_id) then
    insert into public.push_spaces (user_id, space_id) values (new.user_id, v_space) on conflict do nothing;
  end if;
  return null;
end;
$$;
comment on function public.follow_when_joining() is
  'Trigger (push): someone with notifications on who joins a space, or becomes a guest of a dialogue, follows it at once.';
revoke execute on function public.follow_when_joining() from anon, authenticated, public;
create trigger space_members_follow after insert on public.space_members
  for each row execute function public.follow_when_joining();
create trigger dialogue_guests_follow after insert on public.dialogue_guests
  for each row execute function public.follow_when_joining();
