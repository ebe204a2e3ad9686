-- supabase/schemas/moderation.sql: the current definition of every object of the moderation capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Safe spaces (issue 26): reports and the moderation queue, posts hidden while
-- they are reviewed, decisions the author is told about, mutes imposed by
-- moderators, each person's own mute and block lists, limits on new accounts,
-- and an audit log per space that nobody can edit through the API.
--
-- Everything here is added beside the earlier capabilities, never in place of
-- their rules: posts gain a column (hidden_at) guarded by this capability's own
-- trigger (posts_guard_safety, after posts_guard in name order); reading a
-- hidden post is narrowed by a restrictive policy; muted people are kept from
-- posting by a narrowing rule of the post_in_thread hub (private.access_rules)
-- and the same guard; audit rows are written by this capability's own AFTER
-- triggers on the spaces', dialogues' and posts' tables.
--
-- Who moderates a post: the space's facilitators, leaders and deputies (the
-- moderators who already remove posts), and for a guest's post in a dialogue,
-- the dialogue's conveners too. Only facilitators see who reported.

-- What the push worker may be asked to send for moderation (push.sql's type).
alter type public.push_kind add value if not exists 'report';

alter type public.push_kind add value if not exists 'moderation_notice';

-- Per space: how many different people must report a post before it is hidden
-- pending review, and whether new accounts are limited (both set by facilitators
-- through "facilitators edit their space").
alter table public.spaces
  add column hide_after_reports smallint not null default 3,
  add column new_account_limits boolean not null default true,
  add constraint spaces_hide_after_reports check (hide_after_reports between 2 and 20);

-- Set by report_post() when enough people reported the post, cleared by
-- moderate_post(); nobody else changes it (posts_guard_safety).
alter table public.posts add column hidden_at timestamptz;

create index posts_hidden_idx on public.posts (space_id) where hidden_at is not null;

create type public.report_reason as enum ('harassment', 'personal_info', 'misleading', 'spam', 'other');

create type public.audit_action as enum (
  'role_changed', 'member_removed', 'invite_created', 'invite_cancelled',
  'dialogue_invite_created', 'dialogue_invite_cancelled', 'guest_muted', 'guest_unmuted', 'guest_removed',
  'post_removed', 'post_hidden', 'post_restored', 'reports_dismissed', 'author_warned', 'author_muted',
  'limits_lifted', 'elections_published'
);

create type public.person_filter_kind as enum ('mute', 'block');

-- ---------------------------------------------------------------------------
-- Reports: one per person and post, written by report_post() only.
create table public.post_reports (
  id uuid primary key,
  post_id uuid not null references public.posts (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  thread_id uuid not null references public.threads (id) on delete cascade,
  reporter_id uuid references auth.users (id) on delete set null,
  reason public.report_reason not null,
  note text not null default '' check (char_length(note) <= 500),
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  constraint post_reports_note_clean check (public.has_no_bidi_controls(note)),
  constraint post_reports_other_has_note check (reason <> 'other' or public.has_visible_text(note))
);
revoke all on public.post_reports from anon;
revoke insert, update, delete on public.post_reports from authenticated;

create unique index post_reports_once_idx on public.post_reports (post_id, reporter_id);

create index post_reports_space_idx on public.post_reports (space_id, resolved_at);

create index post_reports_reporter_idx on public.post_reports (reporter_id, created_at);

create index post_reports_thread_idx on public.post_reports (thread_id);

-- What the moderators decided, for the person concerned, in their language
-- (the app words it from these fields; the reason is the moderator's own words).
create table public.moderation_notices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  thread_id uuid references public.threads (id) on delete cascade,
  post_id uuid references public.posts (id) on delete set null,
  -- hidden: hidden pending review; restored; removed; none (the post was not touched).
  post_outcome text not null check (post_outcome in ('hidden', 'restored', 'removed', 'none')),
  warned boolean not null default false,
  muted_until timestamptz,
  reason text not null default '' check (char_length(reason) <= 1000),
  created_at timestamptz not null default now(),
  seen_at timestamptz
);
revoke all on public.moderation_notices from anon;
revoke insert, update, delete on public.moderation_notices from authenticated;

create index moderation_notices_user_idx on public.moderation_notices (user_id, created_at desc);

create index moderation_notices_space_idx on public.moderation_notices (space_id);

create index moderation_notices_thread_idx on public.moderation_notices (thread_id);

create index moderation_notices_post_idx on public.moderation_notices (post_id);

-- Muted by a moderator: reads, cannot post in the space until then.
create table public.space_mutes (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  until timestamptz not null,
  muted_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (space_id, user_id)
);
revoke all on public.space_mutes from anon;
revoke insert, update, delete on public.space_mutes from authenticated;

create index space_mutes_user_idx on public.space_mutes (user_id);

create index space_mutes_muted_by_idx on public.space_mutes (muted_by);

-- A facilitator (or a dialogue's convener, for its guest) lifted a new account's limits in the space.
create table public.new_account_lifts (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  lifted_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (space_id, user_id)
);
revoke all on public.new_account_lifts from anon;
revoke insert, update, delete on public.new_account_lifts from authenticated;

create index new_account_lifts_user_idx on public.new_account_lifts (user_id);

create index new_account_lifts_lifted_by_idx on public.new_account_lifts (lifted_by);

-- A person's own mute (their posts fold away for her) and block (they cannot
-- mention her). Nobody else reads these rows: the other person is never told.
create table public.person_filters (
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  other_id uuid not null references auth.users (id) on delete cascade,
  kind public.person_filter_kind not null,
  created_at timestamptz not null default now(),
  primary key (user_id, other_id, kind),
  constraint person_filters_not_self check (user_id <> other_id)
);
revoke all on public.person_filters from anon;
revoke update on public.person_filters from authenticated;

create index person_filters_other_idx on public.person_filters (other_id, kind);

-- The audit log of a space: who did what to whom, when and why. Written by
-- triggers and security definer functions only; its own guard refuses every
-- change but the erasure of a deleted account's id (set null) and the removal
-- of a deleted space's rows, whoever asks (the secret key included).
create table public.space_audit_log (
  id bigint generated always as identity primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  at timestamptz not null default now(),
  actor_id uuid references auth.users (id) on delete set null,
  action public.audit_action not null,
  subject_id uuid references auth.users (id) on delete set null,
  thread_id uuid references public.threads (id) on delete set null,
  post_id uuid references public.posts (id) on delete set null,
  reason text not null default '' check (char_length(reason) <= 1000),
  details jsonb not null default '{}'::jsonb check (octet_length(details::text) <= 2000)
);
revoke all on public.space_audit_log from anon;
revoke insert, update, delete on public.space_audit_log from authenticated;

create index space_audit_log_space_idx on public.space_audit_log (space_id, at desc);

create index space_audit_log_actor_idx on public.space_audit_log (actor_id);

create index space_audit_log_subject_idx on public.space_audit_log (subject_id);

create index space_audit_log_thread_idx on public.space_audit_log (thread_id);

create index space_audit_log_post_idx on public.space_audit_log (post_id);

-- ---------------------------------------------------------------------------
-- Helpers.
create function public.write_audit(
  p_space uuid, p_action public.audit_action, p_subject uuid default null, p_thread uuid default null,
  p_post uuid default null, p_reason text default '', p_details jsonb default '{}'::jsonb
) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if p_space is null or not exists (select 1 from public.spaces s where s.id = p_space) then
    return; -- the space is being deleted with everything in it
  end if;
  perform set_config('sahakum.auditing', 'on', true);
  insert into public.space_audit_log (space_id, actor_id, action, subject_id, thread_id, post_id, reason, details)
  values (p_space, (select auth.uid()), p_action, p_subject, p_thread, p_post, left(coalesce(p_reason, ''), 1000),
          coalesce(p_details, '{}'::jsonb));
  perform set_config('sahakum.auditing', 'off', true);
end;
$$;
comment on function public.write_audit(uuid, public.audit_action, uuid, uuid, uuid, text, jsonb) is
  'Writes one audit row for the space, with the signed-in person as actor (triggers and security definer functions only; no API role may call it).';
revoke execute on function public.write_audit(uuid, public.audit_action, uuid, uuid, uuid, text, jsonb) from anon, authenticated, public;

-- The person a moderator acts on: the author, or the hidden author of a post
-- made "as a member of" the space.
create function public.post_author_of(p_post uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select coalesce(
    (select p.author_id from public.posts p where p.id = p_post),
    (select h.author_id from public.dialogue_hidden_authors h where h.post_id = p_post))
$$;
comment on function public.post_author_of(uuid) is
  'Who wrote the post, the hidden author of an anonymous dialogue post included (moderation''s functions only; no API role may call it).';
revoke execute on function public.post_author_of(uuid) from anon, authenticated, public;

create function public.is_post_moderator(p_post uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select public.is_space_moderator(p.space_id)
        or (t.is_dialogue and public.is_dialogue_convener(t.id) and exists (
              select 1 from public.dialogue_guests g
               where g.dialogue_id = t.id and g.user_id = public.post_author_of(p.id)))
      from public.posts p join public.threads t on t.id = p.thread_id
     where p.id = p_post), false)
$$;
comment on function public.is_post_moderator(uuid) is
  'May I decide on reports about this post? The space''s moderators (facilitators, leaders, deputies); for a guest''s post in a dialogue, its conveners too.';
revoke execute on function public.is_post_moderator(uuid) from anon, public;
grant execute on function public.is_post_moderator(uuid) to authenticated;

create function public.sees_hidden_post(p_post uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.post_author_of(p_post) = (select auth.uid()) or public.is_post_moderator(p_post)
$$;
comment on function public.sees_hidden_post(uuid) is
  'May I read this post while it is hidden pending review? Its author and the people who moderate it.';
revoke execute on function public.sees_hidden_post(uuid) from anon, public;
grant execute on function public.sees_hidden_post(uuid) to authenticated;

-- PL/pgSQL so that its plan lasts across calls (20261206001600_moderation_cached_plans.sql).
create function public.is_muted_in(p_space uuid, p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.space_mutes m where m.space_id = p_space and m.user_id = p_user and m.until > now()));
end;
$$;
comment on function public.is_muted_in(uuid, uuid) is
  'Is the person muted by the space''s moderators right now? (moderation''s rules and guards only; no API role may call it)';
revoke execute on function public.is_muted_in(uuid, uuid) from anon, authenticated, public;

-- New accounts: the first 3 days, or after the first day once 10 of their posts
-- stand (not removed, not hidden). Moderators of the space are trusted.
create function public.account_is_established(p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.profiles p
     where p.id = p_user and (
       p.created_at < now() - interval '3 days'
       or (p.created_at < now() - interval '1 day' and (
             select count(*) from public.posts x
              where x.author_id = p_user and x.deleted_at is null and x.hidden_at is null) >= 10)))
$$;
comment on function public.account_is_established(uuid) is
  'Has the account outgrown the new-account limits? Older than 3 days, or older than a day with 10 posts that stand (moderation''s guards only; no API role may call it).';
revoke execute on function public.account_is_established(uuid) from anon, authenticated, public;

create function public.new_account_limits_apply(p_space uuid, p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select s.new_account_limits from public.spaces s where s.id = p_space), false)
     and not exists (select 1 from public.space_members m
                      where m.space_id = p_space and m.user_id = p_user and m.role <> 'member')
     and not exists (select 1 from public.new_account_lifts l where l.space_id = p_space and l.user_id = p_user)
     and not public.account_is_established(p_user)
$$;
comment on function public.new_account_limits_apply(uuid, uuid) is
  'Is this person held to the new-account limits in the space? (limits on, not a moderator there, not lifted, account not established; moderation''s guards only)';
revoke execute on function public.new_account_limits_apply(uuid, uuid) from anon, authenticated, public;

create function public.has_link(p_text text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(p_text, '') ~* '(https?://|www\.|\m[a-z0-9-]+\.(com|net|org|info|biz|io|me|ly|xyz|top|link|click|vn|kh)(/|\M))'
$$;
comment on function public.has_link(text) is
  'Does the text carry a web link (a URL, www., or a domain of a common ending)? New accounts may not post one.';

-- My standing in a space, for the pages (limits to show before someone types).
-- PL/pgSQL so that its plan lasts across calls (20261206001600_moderation_cached_plans.sql).
create function public.my_posting_limits(p_space uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select jsonb_build_object(
    'new_account', public.new_account_limits_apply(p_space, (select auth.uid())),
    'muted_until', (select m.until from public.space_mutes m
                     where m.space_id = p_space and m.user_id = (select auth.uid()) and m.until > now())));
end;
$$;
comment on function public.my_posting_limits(uuid) is
  'RPC: whether I am held to the new-account limits in the space and until when I am muted there (null: not muted).';
revoke execute on function public.my_posting_limits(uuid) from anon, public;
grant execute on function public.my_posting_limits(uuid) to authenticated;

-- Reports go to whoever moderates the post, by push (no text: only the space's
-- name). A trigger, because queue_push() serves triggers only.
create function public.push_on_report() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid;
begin
  for v_user in
    select m.user_id from public.space_members m
     where m.space_id = new.space_id and m.role in ('facilitator', 'leader', 'deputy')
  loop
    if v_user is distinct from new.reporter_id then
      perform public.queue_push(v_user, 'report', new.space_id, null, null, null,
                                'moderation:' || new.space_id, 'report:' || new.id || ':' || v_user);
    end if;
  end loop;
  return null;
end;
$$;
comment on function public.push_on_report() is
  'Trigger: a report queues a notification (no text, only the space''s name) for the space''s moderators (facilitators, leaders, deputies: the conveners of its dialogues are among them).';

create trigger post_reports_push after insert on public.post_reports
  for each row execute function public.push_on_report();

create function public.push_on_notice() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.queue_push(new.user_id, 'moderation_notice', new.space_id, null, null, null,
                            'notice:' || new.space_id, 'notice:' || new.id);
  return null;
end;
$$;
comment on function public.push_on_notice() is
  'Trigger: a moderation notice queues a notification for its person, without any text of the post or the reason.';

create trigger moderation_notices_push after insert on public.moderation_notices
  for each row execute function public.push_on_notice();

create function public.notify_author(
  p_post uuid, p_outcome text, p_warned boolean, p_muted_until timestamptz, p_reason text
) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_post public.posts;
  v_author uuid := public.post_author_of(p_post);
begin
  select * into v_post from public.posts p where p.id = p_post;
  if v_author is null then
    return;
  end if;
  insert into public.moderation_notices (user_id, space_id, thread_id, post_id, post_outcome, warned, muted_until, reason)
  values (v_author, v_post.space_id, v_post.thread_id, p_post, p_outcome, p_warned, p_muted_until, coalesce(p_reason, ''));
end;
$$;
comment on function public.notify_author(uuid, text, boolean, timestamptz, text) is
  'Tells the author of a post (the hidden author of an anonymous one) what the moderators did and why, in a notice (its trigger notifies them without text) (moderation''s functions only).';
revoke execute on function public.notify_author(uuid, text, boolean, timestamptz, text) from anon, authenticated, public;

-- ---------------------------------------------------------------------------
-- RPCs.

-- A member or guest reports a post they can read. A replayed id returns it.
-- Refusals: not_signed_in, not_allowed (cannot read it, removed), own_post,
-- already_reported, too_many_reports (20 an hour, 60 a day), note_required.
-- The post is hidden once hide_after_reports different people reported it
-- since its last review: one account alone never hides anything.
create function public.report_post(p_id uuid, p_post uuid, p_reason public.report_reason, p_note text default '')
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_post public.posts;
  v_note text := btrim(coalesce(p_note, ''), E' \t\r\n');
  v_count integer;
  v_threshold integer;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.post_reports r where r.id = p_id and r.reporter_id = v_user) then
    return jsonb_build_object('id', p_id, 'hidden', (select p.hidden_at is not null from public.posts p where p.id = p_post));
  end if;
  select * into v_post from public.posts p where p.id = p_post for update;
  if not found or v_post.deleted_at is not null or not public.can_read_thread(v_post.thread_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if public.post_author_of(p_post) = v_user then
    raise exception 'own_post' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.post_reports r where r.post_id = p_post and r.reporter_id = v_user) then
    raise exception 'already_reported' using errcode = 'P0001';
  end if;
  if (select count(*) from public.post_reports r where r.reporter_id = v_user and r.created_at > now() - interval '1 hour') >= 20
     or (select count(*) from public.post_reports r where r.reporter_id = v_user and r.created_at > now() - interval '1 day') >= 60 then
    raise exception 'too_many_reports' using errcode = 'P0001';
  end if;
  if p_reason = 'other' and not public.has_visible_text(v_note) then
    raise exception 'note_required' using errcode = 'P0001';
  end if;
  insert into public.post_reports (id, post_id, space_id, thread_id, reporter_id, reason, note)
  values (p_id, p_post, v_post.space_id, v_post.thread_id, v_user, p_reason, v_note);
  select count(distinct r.reporter_id) into v_count from public.post_reports r
   where r.post_id = p_post and r.resolved_at is null and r.reporter_id is not null;
  select s.hide_after_reports into v_threshold from public.spaces s where s.id = v_post.space_id;
  if v_post.hidden_at is null and v_count >= v_threshold then
    perform set_config('sahakum.moderating', 'on', true);
    update public.posts set hidden_at = now() where id = p_post;
    perform set_config('sahakum.moderating', 'off', true);
    -- Hidden: a notification already waiting must not carry its text to anyone.
    update public.push_jobs set status = 'dropped', finished_at = now(), last_error = 'hidden'
     where post_id = p_post and status = 'pending';
    perform public.write_audit(v_post.space_id, 'post_hidden', public.post_author_of(p_post), v_post.thread_id, p_post,
                               '', jsonb_build_object('reports', v_count));
    perform public.notify_author(p_post, 'hidden', false, null, '');
  end if;
  return jsonb_build_object('id', p_id, 'hidden', v_post.hidden_at is not null or v_count >= v_threshold);
end;
$$;
comment on function public.report_post(uuid, uuid, public.report_reason, text) is
  'RPC: a member or guest who can read a post reports it (not_signed_in, not_allowed, own_post, already_reported, too_many_reports, note_required); the post is hidden pending review once the space''s number of different people reported it.';
revoke execute on function public.report_post(uuid, uuid, public.report_reason, text) from anon, public;
grant execute on function public.report_post(uuid, uuid, public.report_reason, text) to authenticated;

-- A moderator decides: keep the post (restored if hidden) or remove it, and
-- nothing, a warning, or a mute of 1 to 30 days for its author; with a reason
-- the author reads (required unless the post is simply kept). Refusals:
-- not_allowed, reason_required, bad_mute.
create function public.moderate_post(
  p_post uuid, p_keep boolean, p_person text default 'none', p_mute_days integer default null, p_reason text default ''
) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_post public.posts;
  v_author uuid := public.post_author_of(p_post);
  v_reason text := btrim(coalesce(p_reason, ''), E' \t\r\n');
  v_until timestamptz;
  v_outcome text;
begin
  select * into v_post from public.posts p where p.id = p_post for update;
  if not found or not public.is_post_moderator(p_post) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_person not in ('none', 'warn', 'mute') then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (not p_keep or p_person <> 'none') and not public.has_visible_text(v_reason) then
    raise exception 'reason_required' using errcode = 'P0001';
  end if;
  if char_length(v_reason) > 1000 or not public.has_no_bidi_controls(v_reason) then
    raise exception 'reason_too_long' using errcode = 'P0001';
  end if;
  if p_person = 'mute' then
    if p_mute_days is null or p_mute_days not between 1 and 30 then
      raise exception 'bad_mute' using errcode = 'P0001';
    end if;
    -- Facilitators are not muted (they hand over or are removed instead); nor is the one deciding.
    if v_author is null or v_author = (select auth.uid())
       or exists (select 1 from public.space_members m
                   where m.space_id = v_post.space_id and m.user_id = v_author and m.role = 'facilitator') then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
  end if;
  perform set_config('sahakum.moderation_reason', v_reason, true);
  if p_keep then
    if v_post.hidden_at is not null then
      perform set_config('sahakum.moderating', 'on', true);
      update public.posts set hidden_at = null where id = p_post;
      perform set_config('sahakum.moderating', 'off', true);
      perform public.write_audit(v_post.space_id, 'post_restored', v_author, v_post.thread_id, p_post, v_reason);
      v_outcome := 'restored';
    else
      perform public.write_audit(v_post.space_id, 'reports_dismissed', v_author, v_post.thread_id, p_post, v_reason);
      v_outcome := 'none';
    end if;
  else
    if v_post.deleted_at is null then
      update public.posts set deleted_at = now() where id = p_post; -- posts_audit records it, with the reason
    end if;
    v_outcome := 'removed';
  end if;
  perform set_config('sahakum.moderation_reason', '', true);
  update public.post_reports set resolved_at = now() where post_id = p_post and resolved_at is null;
  if p_person = 'warn' then
    perform public.write_audit(v_post.space_id, 'author_warned', v_author, v_post.thread_id, p_post, v_reason);
  elsif p_person = 'mute' then
    v_until := now() + make_interval(days => p_mute_days);
    insert into public.space_mutes (space_id, user_id, until, muted_by)
    values (v_post.space_id, v_author, v_until, (select auth.uid()))
    on conflict (space_id, user_id) do update set until = greatest(public.space_mutes.until, excluded.until),
      muted_by = excluded.muted_by, created_at = now();
    perform public.write_audit(v_post.space_id, 'author_muted', v_author, v_post.thread_id, p_post, v_reason,
                               jsonb_build_object('days', p_mute_days));
  end if;
  -- Kept and never hidden, nothing said to the author: nothing happened to them.
  if v_outcome <> 'none' or p_person <> 'none' then
    perform public.notify_author(p_post, v_outcome, p_person = 'warn', v_until, v_reason);
  end if;
end;
$$;
comment on function public.moderate_post(uuid, boolean, text, integer, text) is
  'RPC: a moderator of the post keeps (restores) or removes it and warns or mutes its author for 1-30 days, with a reason the author is told in a notice (not_allowed, reason_required, reason_too_long, bad_mute); reports are resolved and the audit log records it.';
revoke execute on function public.moderate_post(uuid, boolean, text, integer, text) from anon, public;
grant execute on function public.moderate_post(uuid, boolean, text, integer, text) to authenticated;

-- The moderation queue of a space: the posts with open reports or hidden, that
-- I may moderate, with their reports. Reporters' names for facilitators only.
create function public.moderation_queue(p_space uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(x.item order by x.first_report), '[]'::jsonb) from (
    select min(r.created_at) as first_report, jsonb_build_object(
      'post_id', p.id, 'thread_id', p.thread_id, 'thread_title', t.title, 'is_dialogue', t.is_dialogue,
      'body', case when p.deleted_at is null then p.body else '' end,
      'created_at', p.created_at, 'hidden_at', p.hidden_at, 'deleted_at', p.deleted_at, 'anonymous', p.anonymous,
      'author_id', public.post_author_of(p.id),
      'author', coalesce((select pr.display_name from public.profiles pr where pr.id = public.post_author_of(p.id)), ''),
      'author_is_guest', exists (select 1 from public.dialogue_guests g
                                  where g.dialogue_id = t.id and g.user_id = public.post_author_of(p.id)),
      'author_new', public.new_account_limits_apply(p.space_id, public.post_author_of(p.id)),
      'reports', jsonb_agg(jsonb_build_object(
          'reason', r.reason, 'note', r.note, 'created_at', r.created_at,
          'reporter', case when public.is_space_facilitator(p_space)
                           then coalesce((select pr.display_name from public.profiles pr where pr.id = r.reporter_id), '') end)
        order by r.created_at)) as item
      from public.posts p
      join public.threads t on t.id = p.thread_id
      join public.post_reports r on r.post_id = p.id and r.resolved_at is null
     where p.space_id = p_space and public.is_post_moderator(p.id)
     group by p.id, t.id
  ) x
$$;
comment on function public.moderation_queue(uuid) is
  'RPC: the posts of a space with open reports that I may moderate, with each report''s reason and note; who reported is named to facilitators only. Nothing for anyone else.';
revoke execute on function public.moderation_queue(uuid) from anon, public;
grant execute on function public.moderation_queue(uuid) to authenticated;

-- A facilitator (or a dialogue's convener, for its guest) lifts a new account's limits in the space.
create function public.lift_new_account_limits(p_space uuid, p_user uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not (
    (public.is_space_facilitator(p_space)
       and (exists (select 1 from public.space_members m where m.space_id = p_space and m.user_id = p_user)
            or exists (select 1 from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id
                        where d.space_id = p_space and g.user_id = p_user and g.removed_at is null)))
    or exists (select 1 from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id
                where d.space_id = p_space and g.user_id = p_user and g.removed_at is null
                  and public.is_dialogue_convener(d.id))
  ) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.new_account_lifts (space_id, user_id, lifted_by) values (p_space, p_user, (select auth.uid()))
  on conflict (space_id, user_id) do nothing;
  if found then
    perform public.write_audit(p_space, 'limits_lifted', p_user);
  end if;
end;
$$;
comment on function public.lift_new_account_limits(uuid, uuid) is
  'RPC: a facilitator lifts the new-account limits of a member or guest in the space; a convener, of a guest of their dialogue (not_allowed).';
revoke execute on function public.lift_new_account_limits(uuid, uuid) from anon, public;
grant execute on function public.lift_new_account_limits(uuid, uuid) to authenticated;

-- My notices, newest first, marked seen once read.
create function public.my_moderation_notices() returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', n.id, 'space_id', n.space_id, 'space_name', coalesce(s.name, ''), 'thread_id', n.thread_id,
      'post_outcome', n.post_outcome, 'warned', n.warned, 'muted_until', n.muted_until, 'reason', n.reason,
      'created_at', n.created_at, 'seen', n.seen_at is not null) order by n.created_at desc), '[]'::jsonb)
    from public.moderation_notices n
    left join public.spaces s on s.id = n.space_id
   where n.user_id = (select auth.uid())
$$;
comment on function public.my_moderation_notices() is
  'RPC (as the caller, under the policies): what the moderators decided about my posts, with the space''s name when I can still read it.';
revoke execute on function public.my_moderation_notices() from anon, public;
grant execute on function public.my_moderation_notices() to authenticated;

create function public.mark_moderation_notices_seen() returns void
language sql security definer set search_path = '' as $$
  update public.moderation_notices set seen_at = now() where user_id = (select auth.uid()) and seen_at is null
$$;
comment on function public.mark_moderation_notices_seen() is
  'RPC: marks my moderation notices as seen.';
revoke execute on function public.mark_moderation_notices_seen() from anon, public;
grant execute on function public.mark_moderation_notices_seen() to authenticated;

-- The audit log of a space, for its facilitators, with names (a deleted account: none).
create function public.space_audit(p_space uuid, p_limit integer default 200) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', a.id, 'at', a.at, 'action', a.action, 'reason', a.reason, 'details', a.details,
      'thread_id', a.thread_id, 'post_id', a.post_id,
      'actor', (select pr.display_name from public.profiles pr where pr.id = a.actor_id),
      'actor_known', a.actor_id is not null,
      'subject', (select pr.display_name from public.profiles pr where pr.id = a.subject_id),
      'subject_known', a.subject_id is not null) order by a.at desc, a.id desc), '[]'::jsonb)
    from (select * from public.space_audit_log l where l.space_id = p_space
           order by l.at desc, l.id desc limit least(greatest(coalesce(p_limit, 200), 1), 1000)) a
$$;
comment on function public.space_audit(uuid, integer) is
  'RPC (as the caller, under the policies): the newest entries of a space''s audit log with the names of who acted and on whom; empty for anyone but its facilitators.';
revoke execute on function public.space_audit(uuid, integer) from anon, public;
grant execute on function public.space_audit(uuid, integer) to authenticated;

-- Mute or block someone I see (a fellow member, or someone met in a dialogue); they are not told.
create function public.set_person_filter(p_other uuid, p_kind public.person_filter_kind, p_on boolean) returns void
language plpgsql security invoker set search_path = '' as $$
begin
  if p_on then
    insert into public.person_filters (user_id, other_id, kind) values ((select auth.uid()), p_other, p_kind)
    on conflict do nothing;
  else
    delete from public.person_filters f where f.user_id = (select auth.uid()) and f.other_id = p_other and f.kind = p_kind;
  end if;
end;
$$;
comment on function public.set_person_filter(uuid, public.person_filter_kind, boolean) is
  'RPC (as the caller, under the policies): mutes or blocks someone I share a space or dialogue with, or takes it back.';
revoke execute on function public.set_person_filter(uuid, public.person_filter_kind, boolean) from anon, public;
grant execute on function public.set_person_filter(uuid, public.person_filter_kind, boolean) to authenticated;

-- ---------------------------------------------------------------------------
-- Row-level security.
alter table public.post_reports enable row level security;

alter table public.moderation_notices enable row level security;

alter table public.space_mutes enable row level security;

alter table public.new_account_lifts enable row level security;

alter table public.person_filters enable row level security;

alter table public.space_audit_log enable row level security;

create policy "facilitators read their space's reports" on public.post_reports
  for select to authenticated using (public.is_space_facilitator(space_id));

create policy "reporters read their own reports" on public.post_reports
  for select to authenticated using (reporter_id = (select auth.uid()));

create policy "people read their own notices" on public.moderation_notices
  for select to authenticated using (user_id = (select auth.uid()));

create policy "facilitators and the muted person read mutes" on public.space_mutes
  for select to authenticated using (user_id = (select auth.uid()) or public.is_space_facilitator(space_id));

create policy "facilitators and the person read lifted limits" on public.new_account_lifts
  for select to authenticated using (user_id = (select auth.uid()) or public.is_space_facilitator(space_id));

create policy "people read their own mutes and blocks" on public.person_filters
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people mute and block people they see" on public.person_filters
  for insert to authenticated with check (
    user_id = (select auth.uid()) and (public.shares_a_space_with(other_id) or public.shares_a_dialogue_with(other_id))
  );

create policy "people take back their mutes and blocks" on public.person_filters
  for delete to authenticated using (user_id = (select auth.uid()));

create policy "facilitators read their space's audit log" on public.space_audit_log
  for select to authenticated using (public.is_space_facilitator(space_id));

-- Narrows every read policy of posts: a post hidden pending review is for its
-- author and its moderators only.
create policy "hidden posts are for their author and moderators" on public.posts
  as restrictive for select to authenticated using (hidden_at is null or public.sees_hidden_post(id));

-- ---------------------------------------------------------------------------
-- Guards.

-- BEFORE triggers fire in name order: after posts_guard (which sets the space
-- from the thread) and posts_guard_dialogue.
create function public.guard_post_safety() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_until timestamptz;
begin
  if tg_op = 'UPDATE' then
    if new.hidden_at is distinct from old.hidden_at
       and current_setting('sahakum.moderating', true) is distinct from 'on' and v_user is not null then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if v_user is not null and new.body <> old.body and public.has_link(new.body) and not public.has_link(old.body)
       and public.new_account_limits_apply(old.space_id, v_user) then
      raise exception 'new_account_no_links' using errcode = 'P0001';
    end if;
    return new;
  end if;
  if v_user is null then
    return new; -- seeds and imports
  end if;
  new.hidden_at := null;
  select m.until into v_until from public.space_mutes m
   where m.space_id = new.space_id and m.user_id = v_user and m.until > now();
  if found then
    raise exception 'muted' using errcode = 'P0001', detail = v_until::text;
  end if;
  if public.new_account_limits_apply(new.space_id, v_user) then
    if public.has_link(new.body) then
      raise exception 'new_account_no_links' using errcode = 'P0001';
    end if;
    -- 6 posts in 10 minutes, anonymous dialogue posts included.
    if (select count(*) from public.posts p
         where p.author_id = v_user and p.created_at > now() - interval '10 minutes')
       + (select count(*) from public.dialogue_hidden_authors h join public.posts p on p.id = h.post_id
           where h.author_id = v_user and p.created_at > now() - interval '10 minutes') >= 6 then
      raise exception 'new_account_slow_down' using errcode = 'P0001';
    end if;
  end if;
  return new;
end;
$$;
comment on function public.guard_post_safety() is
  'Guard (moderation, after posts_guard): a new post is never hidden; muted people do not post (muted); new accounts post no links (new_account_no_links) and at most 6 posts in 10 minutes (new_account_slow_down); hidden_at changes only inside report_post() and moderate_post() (not_allowed).';

create trigger posts_guard_safety before insert or update on public.posts
  for each row execute function public.guard_post_safety();

create function public.guard_attachment_safety() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
begin
  if (select auth.uid()) is null then
    return new;
  end if;
  select t.space_id into v_space from public.threads t where t.id = new.thread_id;
  if public.new_account_limits_apply(v_space, (select auth.uid())) then
    raise exception 'new_account_no_attachments' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_attachment_safety() is
  'Guard (moderation): new accounts attach no library items to discussions (new_account_no_attachments).';

create trigger library_attachments_guard_safety before insert on public.library_attachments
  for each row execute function public.guard_attachment_safety();

-- A blocked person's @mention of me is not recorded (so no notification either).
create function public.skip_blocked_mention() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if exists (
    select 1 from public.person_filters f join public.posts p on p.id = new.post_id
     where f.user_id = new.user_id and f.other_id = p.author_id and f.kind = 'block'
  ) then
    return null;
  end if;
  return new;
end;
$$;
comment on function public.skip_blocked_mention() is
  'Guard (moderation): an @mention by someone the mentioned person blocked is not recorded (no mention, no notification); they are not told.';

create trigger mentions_guard_blocks before insert on public.mentions
  for each row execute function public.skip_blocked_mention();

create function public.guard_audit_log() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    if current_setting('sahakum.auditing', true) is distinct from 'on' then
      raise exception 'audit_log_is_append_only' using errcode = 'P0001';
    end if;
    return new;
  end if;
  if tg_op = 'DELETE' then
    if exists (select 1 from public.spaces s where s.id = old.space_id) then
      raise exception 'audit_log_is_append_only' using errcode = 'P0001';
    end if;
    return old;
  end if;
  -- Only the erasure of a deleted account, thread or post (their foreign keys set null).
  if new.id <> old.id or new.space_id <> old.space_id or new.at <> old.at or new.action <> old.action
     or new.reason <> old.reason or new.details <> old.details
     or (new.actor_id is distinct from old.actor_id and new.actor_id is not null)
     or (new.subject_id is distinct from old.subject_id and new.subject_id is not null)
     or (new.thread_id is distinct from old.thread_id and new.thread_id is not null)
     or (new.post_id is distinct from old.post_id and new.post_id is not null) then
    raise exception 'audit_log_is_append_only' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_audit_log() is
  'Guard: the audit log is written by write_audit() only and is append-only for everyone, the secret key included (audit_log_is_append_only); only a deleted account''s, thread''s or post''s id is cleared, and a deleted space takes its rows with it.';

create trigger space_audit_log_guard before insert or update or delete on public.space_audit_log
  for each row execute function public.guard_audit_log();

-- ---------------------------------------------------------------------------
-- The audit log's writers on the other capabilities' tables (AFTER triggers).
create function public.audit_membership() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    if new.role <> old.role then
      perform public.write_audit(new.space_id, 'role_changed', new.user_id, null, null, '',
                                 jsonb_build_object('from', old.role, 'to', new.role));
    end if;
    return null;
  end if;
  -- Leaving is one's own; an account deleted (no signed-in user) is not a removal either.
  if (select auth.uid()) is not null and old.user_id <> (select auth.uid()) then
    perform public.write_audit(old.space_id, 'member_removed', old.user_id, null, null, '',
                               jsonb_build_object('role', old.role));
  end if;
  return null;
end;
$$;
comment on function public.audit_membership() is
  'Trigger (moderation): records role changes and removals of members in the space''s audit log.';

create trigger space_members_audit after update or delete on public.space_members
  for each row execute function public.audit_membership();

create function public.audit_invite() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
  v_dialogue uuid;
  v_details jsonb := jsonb_build_object('expires_at', new.expires_at, 'max_uses', new.max_uses);
begin
  if tg_table_name = 'space_invites' then
    v_space := new.space_id;
    v_details := v_details || jsonb_build_object('role', new.role);
  else
    v_dialogue := new.dialogue_id;
    select d.space_id into v_space from public.dialogues d where d.id = new.dialogue_id;
  end if;
  if tg_op = 'INSERT' then
    perform public.write_audit(v_space,
      case when v_dialogue is null then 'invite_created' else 'dialogue_invite_created' end::public.audit_action,
      null, v_dialogue, null, '', v_details);
  elsif old.revoked_at is null and new.revoked_at is not null then
    perform public.write_audit(v_space,
      case when v_dialogue is null then 'invite_cancelled' else 'dialogue_invite_cancelled' end::public.audit_action,
      null, v_dialogue, null, '', v_details);
  end if;
  return null;
end;
$$;
comment on function public.audit_invite() is
  'Trigger (moderation): records invites made and cancelled, to the space and to its dialogues (never the code), in the space''s audit log.';

create trigger space_invites_audit after insert or update on public.space_invites
  for each row execute function public.audit_invite();

create trigger dialogue_invites_audit after insert or update on public.dialogue_invites
  for each row execute function public.audit_invite();

create function public.audit_guest() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
begin
  select d.space_id into v_space from public.dialogues d where d.id = new.dialogue_id;
  if old.muted_at is null and new.muted_at is not null then
    perform public.write_audit(v_space, 'guest_muted', new.user_id, new.dialogue_id);
  elsif old.muted_at is not null and new.muted_at is null and new.removed_at is null then
    perform public.write_audit(v_space, 'guest_unmuted', new.user_id, new.dialogue_id);
  end if;
  if old.removed_at is null and new.removed_at is not null then
    perform public.write_audit(v_space, 'guest_removed', new.user_id, new.dialogue_id);
  end if;
  return null;
end;
$$;
comment on function public.audit_guest() is
  'Trigger (moderation): records a convener muting, unmuting or removing a dialogue''s guest in the space''s audit log.';

create trigger dialogue_guests_audit after update on public.dialogue_guests
  for each row execute function public.audit_guest();

create function public.audit_post_removal() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.deleted_at is null and new.deleted_at is not null and (select auth.uid()) is not null
     and public.post_author_of(new.id) is distinct from (select auth.uid()) then
    perform public.write_audit(new.space_id, 'post_removed', public.post_author_of(new.id), new.thread_id, new.id,
                               coalesce(current_setting('sahakum.moderation_reason', true), ''));
  end if;
  return null;
end;
$$;
comment on function public.audit_post_removal() is
  'Trigger (moderation): records a post removed by someone other than its author (a moderator) in the space''s audit log, with the reason given in moderate_post().';

create trigger posts_audit after update on public.posts
  for each row execute function public.audit_post_removal();

-- ---------------------------------------------------------------------------
-- Muted people do not post: a narrowing rule of the post_in_thread hub.
-- PL/pgSQL so that its plan lasts across calls (20261206001600_moderation_cached_plans.sql).
create function public.moderation_not_muted(p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select not exists (
    select 1 from public.threads t
     where t.id = p_thread and public.is_muted_in(t.space_id, (select auth.uid()))));
end;
$$;
comment on function public.moderation_not_muted(uuid) is
  'Rule (post_in_thread, narrow): someone muted by the space''s moderators does not post in its threads and dialogues until the mute ends.';
revoke execute on function public.moderation_not_muted(uuid) from anon, authenticated, public;

insert into private.access_rules (hub, key, mode, rule, capability) values
  ('post_in_thread', 'moderation_mutes', 'narrow', 'public.moderation_not_muted(uuid)', 'moderation');
