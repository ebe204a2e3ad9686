-- supabase/schemas/concerns.sql: the current definition of every object of the concerns capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

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
