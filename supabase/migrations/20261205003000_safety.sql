-- Safe spaces (issue 26): reports and moderation, each person's mutes and
-- blocks, new-account limits and the audit log (moderation); the confidential
-- line to facilitators (concerns); downloading one's data and deleting one's
-- account (account). The same definitions as supabase/schemas/moderation.sql,
-- concerns.sql and account.sql, which say why in more detail.

-- capability: moderation

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

create function public.is_muted_in(p_space uuid, p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.space_mutes m where m.space_id = p_space and m.user_id = p_user and m.until > now())
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
create function public.my_posting_limits(p_space uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'new_account', public.new_account_limits_apply(p_space, (select auth.uid())),
    'muted_until', (select m.until from public.space_mutes m
                     where m.space_id = p_space and m.user_id = (select auth.uid()) and m.until > now()))
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
create function public.moderation_not_muted(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select not exists (
    select 1 from public.threads t
     where t.id = p_thread and public.is_muted_in(t.space_id, (select auth.uid())))
$$;
comment on function public.moderation_not_muted(uuid) is
  'Rule (post_in_thread, narrow): someone muted by the space''s moderators does not post in its threads and dialogues until the mute ends.';
revoke execute on function public.moderation_not_muted(uuid) from anon, authenticated, public;

insert into private.access_rules (hub, key, mode, rule, capability) values
  ('post_in_thread', 'moderation_mutes', 'narrow', 'public.moderation_not_muted(uuid)', 'moderation');

-- capability: concerns

set check_function_bodies = off;

-- The confidential line (issue 26, the Voice programme's whistle-blower
-- policy): a member raises a concern to the facilitators of her space and
-- nobody else. Its own tables, not a thread: no thread hub, Realtime topic,
-- read policy or search reaches it. RLS is on and no policy exists, so the
-- API reads and writes nothing here; every use goes through the functions
-- below, which check the caller themselves:
-- - the sender (a member of the space; a dialogue guest may not: guests are
--   outsiders invited to one dialogue, and a concern about a guest is a report)
--   sees her own concerns and the answers;
-- - the space's facilitators read, answer and move the status (received, in
--   review, closed);
-- - a concern sent anonymously stores no sender at all: replies reach her by a
--   one-time reference shown once, of which only a hash is kept. Nothing else
--   written at that moment (no audit row, no notification, no read marker)
--   names her. What it cannot hide: the time it arrived, and what she writes.
-- Notifications say only that there is a concern in the space, never its text.

alter type public.push_kind add value if not exists 'concern';

alter type public.push_kind add value if not exists 'concern_answer';

create type public.concern_status as enum ('received', 'in_review', 'closed');

create table public.concerns (
  id uuid primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- Null when sent anonymously (then reference_hash is set), or when the sender deleted her account.
  sender_id uuid references auth.users (id) on delete set null,
  anonymous boolean not null,
  reference_hash text unique check (reference_hash ~ '^[0-9a-f]{64}$'),
  body text not null check (char_length(btrim(body, E' \t\r\n')) between 1 and 4000),
  status public.concern_status not null default 'received',
  created_at timestamptz not null default now(),
  -- When a facilitator first opened it (the sender sees "seen by the facilitators").
  acknowledged_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint concerns_body_clean check (public.has_visible_text(body) and public.has_no_bidi_controls(body)),
  constraint concerns_anonymous_has_no_sender check (not anonymous or (sender_id is null and reference_hash is not null))
);
revoke all on public.concerns from anon, authenticated;

create index concerns_space_idx on public.concerns (space_id, status, created_at);

create index concerns_sender_idx on public.concerns (sender_id);

create table public.concern_messages (
  id uuid primary key,
  concern_id uuid not null references public.concerns (id) on delete cascade,
  from_facilitator boolean not null,
  -- The facilitator who answered; for the sender's messages the sender when named, null when anonymous.
  author_id uuid references auth.users (id) on delete set null,
  body text not null check (char_length(btrim(body, E' \t\r\n')) between 1 and 4000),
  created_at timestamptz not null default now(),
  constraint concern_messages_body_clean check (public.has_visible_text(body) and public.has_no_bidi_controls(body))
);
revoke all on public.concern_messages from anon, authenticated;

create index concern_messages_concern_idx on public.concern_messages (concern_id, created_at);

create index concern_messages_author_idx on public.concern_messages (author_id);

-- How many concerns a person sent today, per space: a limit that needs no link to the concerns.
create table public.concern_counts (
  user_id uuid not null references auth.users (id) on delete cascade,
  day date not null default current_date,
  n integer not null default 0,
  primary key (user_id, day)
);
revoke all on public.concern_counts from anon, authenticated;

alter table public.concerns enable row level security;

alter table public.concern_messages enable row level security;

alter table public.concern_counts enable row level security;

-- ---------------------------------------------------------------------------
create function public.concern_reference_hash(p_reference text) returns text
language sql immutable set search_path = '' as $$
  select encode(extensions.digest(upper(regexp_replace(coalesce(p_reference, ''), '[^A-Za-z0-9]', '', 'g')), 'sha256'), 'hex')
$$;
comment on function public.concern_reference_hash(text) is
  'The stored form of a one-time reference: SHA-256 of its letters and digits, upper case (spaces and dashes do not matter). Concerns'' functions only.';
revoke execute on function public.concern_reference_hash(text) from anon, authenticated, public;

create function public.concern_view(p_concern uuid, p_for_facilitator boolean) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', c.id, 'space_id', c.space_id, 'space_name', s.name, 'anonymous', c.anonymous,
    'sender', case when p_for_facilitator and not c.anonymous
                   then coalesce((select pr.display_name from public.profiles pr where pr.id = c.sender_id), '') end,
    'body', c.body, 'status', c.status, 'created_at', c.created_at, 'acknowledged_at', c.acknowledged_at,
    'messages', coalesce((
      select jsonb_agg(jsonb_build_object(
          'id', m.id, 'from_facilitator', m.from_facilitator, 'body', m.body, 'created_at', m.created_at,
          'author', case when m.from_facilitator
                         then coalesce((select pr.display_name from public.profiles pr where pr.id = m.author_id), '') end)
        order by m.created_at, m.id)
        from public.concern_messages m where m.concern_id = c.id), '[]'::jsonb))
    from public.concerns c join public.spaces s on s.id = c.space_id
   where c.id = p_concern
$$;
comment on function public.concern_view(uuid, boolean) is
  'One concern with its messages as the sender or a facilitator sees it (the sender''s name for facilitators, never for an anonymous one). Concerns'' functions only.';
revoke execute on function public.concern_view(uuid, boolean) from anon, authenticated, public;

-- Notifications without the text, by trigger (queue_push() serves triggers only):
-- a new concern or a sender's message to the space's facilitators; a
-- facilitator's answer to the sender when she is named (an anonymous sender has
-- no account on record to notify: she looks with her reference).
create function public.push_on_concern() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_concern public.concerns;
  v_user uuid;
  v_key text := tg_table_name || ':' || new.id;
  v_answer boolean := false;
begin
  if tg_table_name = 'concerns' then
    v_concern := new;
  else
    select * into v_concern from public.concerns c where c.id = new.concern_id;
    v_answer := (to_jsonb(new) ->> 'from_facilitator')::boolean;
  end if;
  if v_answer then
    if v_concern.sender_id is not null then
      perform public.queue_push(v_concern.sender_id, 'concern_answer', v_concern.space_id, null, null, null,
                                'concern:' || v_concern.space_id, v_key || ':' || v_concern.sender_id);
    end if;
    return null;
  end if;
  for v_user in
    select m.user_id from public.space_members m
     where m.space_id = v_concern.space_id and m.role = 'facilitator' and m.user_id is distinct from (select auth.uid())
  loop
    perform public.queue_push(v_user, 'concern', v_concern.space_id, null, null, null,
                              'concern:' || v_concern.space_id, v_key || ':' || v_user);
  end loop;
  return null;
end;
$$;
comment on function public.push_on_concern() is
  'Trigger: a concern, or a sender''s message in it, queues a notification for the space''s facilitators; a facilitator''s answer, for a named sender. Never its text: the notification names only the space.';

create trigger concerns_push after insert on public.concerns
  for each row execute function public.push_on_concern();

create trigger concern_messages_push after insert on public.concern_messages
  for each row execute function public.push_on_concern();

-- A member raises a concern. Anonymous: no sender is stored and the returned
-- reference (shown once) is how she reads the answers. Refusals:
-- not_signed_in, not_a_member (guests and others), too_many_concerns (5 a day), id_taken.
create function public.raise_concern(p_id uuid, p_space uuid, p_body text, p_anonymous boolean)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_reference text;
  v_body text := btrim(coalesce(p_body, ''), E' \t\r\n');
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if not public.is_space_member(p_space) then
    raise exception 'not_a_member' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.concerns c where c.id = p_id) then
    -- A replay of a named concern answers the same; an anonymous one cannot be told from someone else's.
    if exists (select 1 from public.concerns c where c.id = p_id and c.sender_id = v_user) then
      return jsonb_build_object('id', p_id, 'reference', null);
    end if;
    raise exception 'id_taken' using errcode = 'P0001';
  end if;
  insert into public.concern_counts (user_id, day, n) values (v_user, current_date, 1)
  on conflict (user_id, day) do update set n = public.concern_counts.n + 1;
  if (select c.n from public.concern_counts c where c.user_id = v_user and c.day = current_date) > 5 then
    raise exception 'too_many_concerns' using errcode = 'P0001';
  end if;
  if p_anonymous then
    -- 15 characters of 32 (75 bits), read and typed like the invite codes, in groups of five.
    v_reference := (select string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', (get_byte(b, i) % 31) + 1, 1), '' order by i)
                      from (select extensions.gen_random_bytes(15) as b) r, generate_series(0, 14) i);
    v_reference := substr(v_reference, 1, 5) || '-' || substr(v_reference, 6, 5) || '-' || substr(v_reference, 11, 5);
  end if;
  insert into public.concerns (id, space_id, sender_id, anonymous, reference_hash, body)
  values (p_id, p_space, case when p_anonymous then null else v_user end, p_anonymous,
          case when p_anonymous then public.concern_reference_hash(v_reference) end, v_body);
  return jsonb_build_object('id', p_id, 'reference', v_reference);
end;
$$;
comment on function public.raise_concern(uuid, uuid, text, boolean) is
  'RPC: a member raises a concern to the space''s facilitators only, named or anonymous (then no sender is stored and a one-time reference is returned once) (not_signed_in, not_a_member, too_many_concerns, id_taken).';
revoke execute on function public.raise_concern(uuid, uuid, text, boolean) from anon, public;
grant execute on function public.raise_concern(uuid, uuid, text, boolean) to authenticated;

-- The concerns I raised with my name, in a space or everywhere.
create function public.my_concerns(p_space uuid default null) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(public.concern_view(c.id, false) order by c.created_at desc), '[]'::jsonb)
    from public.concerns c
   where c.sender_id = (select auth.uid()) and (p_space is null or c.space_id = p_space)
$$;
comment on function public.my_concerns(uuid) is
  'RPC: the concerns I raised with my name (in one space, or all), with the facilitators'' answers.';
revoke execute on function public.my_concerns(uuid) from anon, public;
grant execute on function public.my_concerns(uuid) to authenticated;

-- An anonymous sender reads her concern with its reference (nothing for a wrong one).
create function public.concern_by_reference(p_reference text) returns jsonb
language sql stable security definer set search_path = '' as $$
  select public.concern_view(c.id, false) from public.concerns c
   where (select auth.uid()) is not null and c.reference_hash = public.concern_reference_hash(p_reference)
$$;
comment on function public.concern_by_reference(text) is
  'RPC: the anonymous concern whose one-time reference this is, with the answers; null for any other text.';
revoke execute on function public.concern_by_reference(text) from anon, public;
grant execute on function public.concern_by_reference(text) to authenticated;

-- The sender writes again: her named concern by id, or an anonymous one by its reference.
create function public.add_to_concern(p_id uuid, p_concern uuid, p_reference text, p_body text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_concern public.concerns;
begin
  if (select auth.uid()) is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_concern from public.concerns c
   where (p_reference is null and c.id = p_concern and c.sender_id = (select auth.uid()))
      or (p_reference is not null and c.reference_hash = public.concern_reference_hash(p_reference))
   for update;
  if not found then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.concern_messages m where m.id = p_id) then
    return; -- a replay
  end if;
  if v_concern.status = 'closed' then
    raise exception 'concern_closed' using errcode = 'P0001';
  end if;
  insert into public.concern_messages (id, concern_id, from_facilitator, author_id, body)
  values (p_id, v_concern.id, false, v_concern.sender_id, btrim(coalesce(p_body, ''), E' \t\r\n'));
  update public.concerns set updated_at = now() where id = v_concern.id;
end;
$$;
comment on function public.add_to_concern(uuid, uuid, text, text) is
  'RPC: the sender adds to her concern, named (by id) or anonymous (by its reference) (not_signed_in, not_allowed, concern_closed).';
revoke execute on function public.add_to_concern(uuid, uuid, text, text) from anon, public;
grant execute on function public.add_to_concern(uuid, uuid, text, text) to authenticated;

-- The facilitators' view of the line: every concern of the space, newest
-- activity first. Opening the list acknowledges what was received.
create function public.space_concerns(p_space uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
begin
  if not public.is_space_facilitator(p_space) then
    return '[]'::jsonb;
  end if;
  update public.concerns set acknowledged_at = now() where space_id = p_space and acknowledged_at is null;
  return coalesce((
    select jsonb_agg(public.concern_view(c.id, true) order by (c.status = 'closed'), c.updated_at desc)
      from public.concerns c where c.space_id = p_space), '[]'::jsonb);
end;
$$;
comment on function public.space_concerns(uuid) is
  'RPC: for the space''s facilitators, every concern raised in it with its messages and status (the sender''s name only when not anonymous), acknowledging those not yet seen; empty for anyone else.';
revoke execute on function public.space_concerns(uuid) from anon, public;
grant execute on function public.space_concerns(uuid) to authenticated;

-- A facilitator answers and/or moves the status.
create function public.answer_concern(p_id uuid, p_concern uuid, p_body text, p_status public.concern_status)
returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_concern public.concerns;
  v_body text := btrim(coalesce(p_body, ''), E' \t\r\n');
begin
  select * into v_concern from public.concerns c where c.id = p_concern for update;
  if not found or not public.is_space_facilitator(v_concern.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.concern_messages m where m.id = p_id) then
    return;
  end if;
  if public.has_visible_text(v_body) then
    insert into public.concern_messages (id, concern_id, from_facilitator, author_id, body)
    values (p_id, p_concern, true, (select auth.uid()), v_body);
  elsif p_status is null or p_status = v_concern.status then
    raise exception 'answer_required' using errcode = 'P0001';
  end if;
  update public.concerns
     set status = coalesce(p_status, status), acknowledged_at = coalesce(acknowledged_at, now()), updated_at = now()
   where id = p_concern;
end;
$$;
comment on function public.answer_concern(uuid, uuid, text, public.concern_status) is
  'RPC: a facilitator of the space answers a concern and/or sets its status (received, in review, closed); the named sender is notified without the text (not_allowed, answer_required).';
revoke execute on function public.answer_concern(uuid, uuid, text, public.concern_status) from anon, public;
grant execute on function public.answer_concern(uuid, uuid, text, public.concern_status) to authenticated;

-- How many concerns wait for the facilitators (received or in review), for the space's menu.
create function public.open_concern_count(p_space uuid) returns integer
language sql stable security definer set search_path = '' as $$
  select case when public.is_space_facilitator(p_space)
    then (select count(*)::int from public.concerns c where c.space_id = p_space and c.status <> 'closed') end
$$;
comment on function public.open_concern_count(uuid) is
  'RPC: for the space''s facilitators, how many concerns are received or in review; null for anyone else.';
revoke execute on function public.open_concern_count(uuid) from anon, public;
grant execute on function public.open_concern_count(uuid) to authenticated;

-- capability: account

set check_function_bodies = off;

-- People's rights over their own data (issue 26): download my data, delete my account.
--
-- Download: a request queues a job (data_exports); a worker in the app server
-- (src/lib/account/export-worker.server.ts, with the secret key, like the push
-- worker) gathers the person's data with data_export_contents(), zips it with
-- their files and stores it in the private bucket "data-exports" under their
-- own id, where only they read it, for 7 days.
--
-- Delete: the person confirms with her password; as herself she calls
-- erase_my_account(), which erases her personal data, hands her posts to "a
-- former member" (or deletes them, as she chooses), and records that she
-- confirmed (account_deletions). Only then the app server's one module allowed
-- to delete an auth user (src/lib/account/delete-user.server.ts) removes the
-- auth account with the secret key, after confirmed_account_deletion() says
-- this person confirmed within the last 15 minutes. The account's rows in
-- every other table go with it (cascade or set null).
--
-- erase_my_account() takes her out of her spaces itself (remember_removal()
-- would record the cascade as a removal of the deleted account, and fail),
-- and clears the columns that name her as author or creator itself, because
-- four earlier guards refuse that change even when a foreign
-- key's "on delete set null" makes it (posts_guard on posts.author_id,
-- space_invites_guard on created_by, dialogues_guard on convened_by,
-- library_resources_guard on created_by): deleting the auth user of anyone
-- who ever posted failed. It does so with those four triggers disabled for
-- its own transaction only (a table owner's ALTER TABLE, rolled back with
-- the transaction if anything fails); it does not change them.

-- "A former member": the post's author deleted their account and chose to leave it.
alter table public.posts add column former_member boolean not null default false;

create table public.data_exports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  status text not null default 'waiting' check (status in ('waiting', 'building', 'ready', 'failed')),
  object_path text,
  size_bytes bigint,
  attempts integer not null default 0,
  locked_until timestamptz,
  last_error text check (char_length(last_error) <= 500),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
revoke all on public.data_exports from anon;
revoke insert, update, delete on public.data_exports from authenticated;

create index data_exports_user_idx on public.data_exports (user_id, created_at desc);

create index data_exports_due_idx on public.data_exports (created_at) where status in ('waiting', 'building');

-- A person confirmed the deletion of her account (with her password); the
-- deletion module deletes only accounts confirmed here in the last 15 minutes.
create table public.account_deletions (
  user_id uuid primary key references auth.users (id) on delete cascade,
  confirmed_at timestamptz not null default now()
);
revoke all on public.account_deletions from anon, authenticated;

alter table public.data_exports enable row level security;

alter table public.account_deletions enable row level security;

create policy "people see their own downloads" on public.data_exports
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('data-exports', 'data-exports', false, 524288000, array['application/zip'])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- Only the worker (secret key) writes; the person reads and deletes her own folder.
create policy "data exports: people read their own" on storage.objects
  for select to authenticated
  using (bucket_id = 'data-exports' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "data exports: people delete their own" on storage.objects
  for delete to authenticated
  using (bucket_id = 'data-exports' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- ---------------------------------------------------------------------------
create function public.request_data_export() returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_id uuid;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('data_exports:' || v_user::text, 0));
  if exists (select 1 from public.data_exports e where e.user_id = v_user and e.status in ('waiting', 'building')) then
    raise exception 'export_in_progress' using errcode = 'P0001';
  end if;
  if (select count(*) from public.data_exports e where e.user_id = v_user and e.created_at > now() - interval '1 day') >= 5 then
    raise exception 'too_many_exports' using errcode = 'P0001';
  end if;
  insert into public.data_exports (user_id) values (v_user) returning id into v_id;
  return v_id;
end;
$$;
comment on function public.request_data_export() is
  'RPC: asks for a download of my data, built in the background (not_signed_in, export_in_progress while one is waiting or building, too_many_exports: 5 a day).';
revoke execute on function public.request_data_export() from anon, public;
grant execute on function public.request_data_export() to authenticated;

create function public.claim_data_export(p_lease_seconds integer default 600) returns table (id uuid, user_id uuid)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return query
  update public.data_exports e
     set status = 'building', attempts = e.attempts + 1,
         locked_until = now() + make_interval(secs => least(greatest(coalesce(p_lease_seconds, 600), 30), 3600))
   where e.id = (
     select x.id from public.data_exports x
      where (x.status = 'waiting' or (x.status = 'building' and x.locked_until < now())) and x.attempts < 5
      order by x.created_at limit 1 for update skip locked)
  returning e.id, e.user_id;
end;
$$;
comment on function public.claim_data_export(integer) is
  'RPC (export worker, service_role only): takes the oldest waiting download (or one whose builder stopped) under a lease (not_allowed for others).';
revoke execute on function public.claim_data_export(integer) from anon, authenticated, public;
grant execute on function public.claim_data_export(integer) to service_role;

create function public.complete_data_export(p_id uuid, p_path text, p_size bigint, p_error text default null)
returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  update public.data_exports e
     set status = case when p_error is null then 'ready'
                       when e.attempts >= 5 then 'failed' else 'waiting' end,
         object_path = p_path, size_bytes = p_size, last_error = left(p_error, 500), locked_until = null,
         finished_at = case when p_error is null or e.attempts >= 5 then now() end
   where e.id = p_id and e.status = 'building';
end;
$$;
comment on function public.complete_data_export(uuid, text, bigint, text) is
  'RPC (export worker, service_role only): records a built download (ready) or a failure (tried again, failed after 5 attempts) (not_allowed for others).';
revoke execute on function public.complete_data_export(uuid, text, bigint, text) from anon, authenticated, public;
grant execute on function public.complete_data_export(uuid, text, bigint, text) to service_role;

-- Everything the person gave the app, as one JSON document, with the list of
-- stored files to add to the zip (bucket and path).
create function public.data_export_contents(p_user uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return jsonb_build_object(
    'format', 'sahakum-data-export-1',
    'exported_at', now(),
    'profile', (select jsonb_build_object('id', p.id, 'display_name', p.display_name, 'organisation', p.organisation,
                  'preferred_language', p.preferred_language, 'created_at', p.created_at,
                  'phone', pp.phone, 'data_saver', pp.data_saver)
                  from public.profiles p left join public.profile_private pp on pp.id = p.id where p.id = p_user),
    'email', (select u.email from auth.users u where u.id = p_user),
    'spaces', coalesce((select jsonb_agg(jsonb_build_object('space', s.name, 'role', m.role, 'joined_at', m.joined_at))
                          from public.space_members m join public.spaces s on s.id = m.space_id where m.user_id = p_user), '[]'),
    'dialogues_as_guest', coalesce((select jsonb_agg(jsonb_build_object('dialogue', t.title, 'stakeholder_type', g.stakeholder_type,
                          'organisation', g.organisation, 'position', g.position, 'joined_at', g.joined_at))
                          from public.dialogue_guests g join public.threads t on t.id = g.dialogue_id where g.user_id = p_user), '[]'),
    'posts', coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'space', s.name, 'thread', t.title,
                          'opening', p.is_opening, 'anonymous', p.anonymous, 'body', p.body, 'created_at', p.created_at,
                          'edited_at', p.edited_at, 'removed_at', p.deleted_at,
                          'earlier_versions', coalesce((select jsonb_agg(jsonb_build_object('body', r.body, 'created_at', r.created_at) order by r.id)
                                                          from public.post_revisions r where r.post_id = p.id), '[]'))
                          order by p.created_at)
                          from public.posts p join public.threads t on t.id = p.thread_id join public.spaces s on s.id = p.space_id
                         where p.author_id = p_user
                            or p.id in (select h.post_id from public.dialogue_hidden_authors h where h.author_id = p_user)), '[]'),
    'reactions', coalesce((select jsonb_agg(jsonb_build_object('post_id', r.post_id, 'kind', r.kind, 'created_at', r.created_at))
                          from public.reactions r where r.user_id = p_user), '[]'),
    'draft_contributions', coalesce((select jsonb_agg(jsonb_build_object('draft', d.title, 'part', h.scope,
                          'first_at', h.first_at, 'last_at', h.last_at, 'changes', h.changes))
                          from public.draft_history h join public.drafts d on d.id = h.draft_id where h.user_id = p_user), '[]'),
    'draft_comments', coalesce((select jsonb_agg(jsonb_build_object('draft', d.title, 'section', c.section_id, 'body', c.body,
                          'created_at', c.created_at))
                          from public.draft_comments c join public.drafts d on d.id = c.draft_id where c.created_by = p_user), '[]'),
    'library_items', coalesce((select jsonb_agg(jsonb_build_object('title', r.title, 'description', r.description, 'url', r.url,
                          'created_at', r.created_at))
                          from public.library_resources r where r.created_by = p_user), '[]'),
    'action_updates', coalesce((select jsonb_agg(jsonb_build_object('action', a.description, 'body', u.body, 'status', u.status,
                          'file', u.file_name, 'created_at', u.created_at))
                          from public.action_updates u join public.dialogue_actions a on a.id = u.action_id
                         where u.created_by = p_user), '[]'),
    'reports', coalesce((select jsonb_agg(jsonb_build_object('post_id', r.post_id, 'reason', r.reason, 'note', r.note,
                          'created_at', r.created_at)) from public.post_reports r where r.reporter_id = p_user), '[]'),
    'concerns', coalesce((select jsonb_agg(public.concern_view(c.id, false)) from public.concerns c where c.sender_id = p_user), '[]'),
    'moderation_notices', coalesce((select jsonb_agg(jsonb_build_object('post_outcome', n.post_outcome, 'warned', n.warned,
                          'muted_until', n.muted_until, 'reason', n.reason, 'created_at', n.created_at))
                          from public.moderation_notices n where n.user_id = p_user), '[]'),
    'muted_and_blocked', coalesce((select jsonb_agg(jsonb_build_object('person', coalesce(pr.display_name, ''), 'kind', f.kind,
                          'created_at', f.created_at))
                          from public.person_filters f left join public.profiles pr on pr.id = f.other_id
                         where f.user_id = p_user), '[]'),
    'notification_settings', (select jsonb_build_object('quiet_start', s.quiet_start, 'quiet_end', s.quiet_end,
                          'time_zone', s.time_zone) from public.push_settings s where s.user_id = p_user),
    'phones_with_notifications', (select count(*) from public.push_subscriptions s where s.user_id = p_user),
    'files', coalesce((
      select jsonb_agg(x.f) from (
        select jsonb_build_object('bucket', 'library', 'path', f.object_path, 'name', f.file_name, 'size', f.size_bytes) as f
          from public.library_files f where f.uploaded_by = p_user
        union all
        select jsonb_build_object('bucket', 'dialogue-files', 'path', u.object_path, 'name', u.file_name, 'size', u.size_bytes)
          from public.action_updates u where u.created_by = p_user and u.object_path is not null
      ) x), '[]')
  );
end;
$$;
comment on function public.data_export_contents(uuid) is
  'RPC (export worker, service_role only): the person''s profile, email, memberships, posts with earlier versions, reactions, draft contributions and comments, library items, progress updates, reports, named concerns, notices, mutes and blocks, and the stored files to add (not_allowed for others).';
revoke execute on function public.data_export_contents(uuid) from anon, authenticated, public;
grant execute on function public.data_export_contents(uuid) to service_role;

-- Where a person is the last facilitator of a space that has other members:
-- she must hand over first (the names, for the page).
create function public.spaces_to_hand_over() returns table (space_id uuid, name text)
language sql stable security definer set search_path = '' as $$
  select s.id, s.name from public.space_members m join public.spaces s on s.id = m.space_id
   where m.user_id = (select auth.uid()) and m.role = 'facilitator'
     and not exists (select 1 from public.space_members o
                      where o.space_id = m.space_id and o.role = 'facilitator' and o.user_id <> m.user_id)
     and exists (select 1 from public.space_members o where o.space_id = m.space_id and o.user_id <> m.user_id)
   order by s.name
$$;
comment on function public.spaces_to_hand_over() is
  'RPC: the spaces where I am the last facilitator and others are members (I must hand over before deleting my account).';
revoke execute on function public.spaces_to_hand_over() from anon, public;
grant execute on function public.spaces_to_hand_over() to authenticated;

-- Erases my personal data and records that I confirmed; the app server then
-- deletes the auth account. p_posts: 'keep' (they read "a former member") or
-- 'delete'. Refusals: not_signed_in, bad_choice, hand_over_first.
create function public.erase_my_account(p_posts text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if p_posts not in ('keep', 'delete') then
    raise exception 'bad_choice' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.spaces_to_hand_over()) then
    raise exception 'hand_over_first' using errcode = 'P0001';
  end if;
  -- Spaces she alone is in are hers alone: they go, with everything in them.
  delete from public.spaces s
   where s.id in (select m.space_id from public.space_members m where m.user_id = v_user)
     and not exists (select 1 from public.space_members o where o.space_id = s.id and o.user_id <> v_user);
  -- She leaves her other spaces now, as herself: when the auth account's
  -- deletion took her memberships (no signed-in user), remember_removal()
  -- recorded a removal of the account being deleted and the deletion failed.
  delete from public.space_members where user_id = v_user;
  delete from public.dialogue_guests where user_id = v_user;

  alter table public.posts disable trigger posts_guard;
  alter table public.space_invites disable trigger space_invites_guard;
  alter table public.dialogues disable trigger dialogues_guard;
  alter table public.library_resources disable trigger library_resources_guard;
  if p_posts = 'delete' then
    delete from public.posts p
     where p.author_id = v_user
        or p.id in (select h.post_id from public.dialogue_hidden_authors h where h.author_id = v_user);
    delete from public.draft_comments c where c.created_by = v_user;
    delete from public.concerns c where c.sender_id = v_user;
    -- Threads she started whose every post is gone.
    delete from public.threads t
     where t.author_id = v_user and not t.is_dialogue
       and not exists (select 1 from public.posts p where p.thread_id = t.id);
  else
    perform set_config('sahakum.erasing', 'on', true);
    update public.posts set author_id = null, former_member = true where author_id = v_user;
    perform set_config('sahakum.erasing', 'off', true);
  end if;
  update public.space_invites set created_by = null where created_by = v_user;
  update public.dialogues set convened_by = null where convened_by = v_user;
  update public.library_resources set created_by = null where created_by = v_user;
  alter table public.posts enable trigger posts_guard;
  alter table public.space_invites enable trigger space_invites_guard;
  alter table public.dialogues enable trigger dialogues_guard;
  alter table public.library_resources enable trigger library_resources_guard;

  -- An action she was responsible for as a guest stays her organisation's.
  update public.dialogue_actions a
     set owner_kind = 'organisation',
         owner_organisation = coalesce((select g.organisation from public.dialogue_guests g
                                         where g.dialogue_id = a.dialogue_id and g.user_id = v_user), '—')
   where a.owner_kind = 'guest' and a.owner_user_id = v_user;
  -- Personal data now, whatever the deletion of the auth account does later.
  update public.profiles set display_name = '', organisation = null where id = v_user;
  update public.profile_private set phone = null where id = v_user;
  delete from public.push_subscriptions where user_id = v_user;
  delete from public.person_filters where user_id = v_user or other_id = v_user;
  insert into public.account_deletions (user_id) values (v_user)
  on conflict (user_id) do update set confirmed_at = now();
end;
$$;
comment on function public.erase_my_account(text) is
  'RPC: the first half of deleting my account (not_signed_in, bad_choice, hand_over_first): spaces I alone am in are deleted; my posts become "a former member" or are deleted (my draft comments and named concerns too), as I choose; what names me as creator is cleared; my name, organisation, phone, phones and mutes are erased; and the confirmation the deletion module checks is recorded. Clears authors itself with four guards disabled for its own transaction (see account.sql).';
revoke execute on function public.erase_my_account(text) from anon, public;
grant execute on function public.erase_my_account(text) to authenticated;

create function public.confirmed_account_deletion(p_user uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return exists (select 1 from public.account_deletions d
                  where d.user_id = p_user and d.confirmed_at > now() - interval '15 minutes');
end;
$$;
comment on function public.confirmed_account_deletion(uuid) is
  'RPC (the deletion module, service_role only): did this person confirm the deletion of her account in the last 15 minutes? (not_allowed for others)';
revoke execute on function public.confirmed_account_deletion(uuid) from anon, authenticated, public;
grant execute on function public.confirmed_account_deletion(uuid) to service_role;

-- "A former member" is set by erase_my_account() only.
create function public.guard_post_account() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is not null
     and ((tg_op = 'INSERT' and new.former_member)
          or (tg_op = 'UPDATE' and new.former_member <> old.former_member
              and current_setting('sahakum.erasing', true) is distinct from 'on')) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_post_account() is
  'Guard (account, after posts_guard): a post is marked "a former member" only by erase_my_account() (not_allowed).';

create trigger posts_guard_account before insert or update on public.posts
  for each row execute function public.guard_post_account();

