-- Drafts that no member can destroy or forge (issue 20, items 1-3).
--
-- Until now a draft's stored document could be replaced by anyone who could
-- edit it: compact_draft() and create_draft() took a snapshot and projections
-- from the caller and trusted both. A member calling them over REST wrote
-- random bytes and an invented budget; the draft then stopped loading, and
-- the reading page, search and exports showed the invention. And any editor
-- could broadcast on the draft's channel what the others applied as if it
-- were stored.
--
-- Now the stored document changes in one way only: a person's update,
-- appended to the log (push_draft_update, recorded in the history by name).
-- - Compaction (folding the log into a snapshot and projections) is done by
--   the app server's compactor with the secret key (service_role), from what
--   the database holds; no person can call it. It arrives in parts, so that no
--   request body limit stops it from storing what the log accepted.
-- - A new draft's first content is the creator's first update in the log;
--   a draft from a saved template copies the template in the database.
-- - A draft's stored size (snapshot and log) is capped, and so is how fast one
--   person may append to it.
-- - Every stored update is announced on draft:<id> by the database, with its
--   author; cursors travel through draft_awareness(), which stamps the sender.
--   Clients may no longer send anything on draft topics.
-- Thread typing notices get the same treatment (item 9): thread_typing()
-- stamps the sender, and clients send only presence on thread topics.

-- ---------------------------------------------------------------------------
-- Compaction, by the compactor only.

drop function public.compact_draft(uuid, bigint, bigint, text, jsonb);

-- A compaction's payload ({"snapshot": base64, "projection": {...}, "repaired": bool})
-- in pieces of at most 512 KiB, kept until compact_draft() uses them (or an hour).
create table public.draft_compaction_parts (
  token uuid not null,
  part integer not null check (part between 0 and 63),
  data text not null check (char_length(data) <= 524288),
  created_at timestamptz not null default now(),
  primary key (token, part)
);
alter table public.draft_compaction_parts enable row level security;
revoke all on public.draft_compaction_parts from anon, authenticated, public;
comment on table public.draft_compaction_parts is
  'Pieces of a compaction on its way from the compactor (service_role only; no policy: no person reads or writes them).';

create function public.stage_draft_compaction(p_token uuid, p_part integer, p_data text) returns void
language sql security definer set search_path = '' as $$
  insert into public.draft_compaction_parts (token, part, data) values (p_token, p_part, p_data)
  on conflict (token, part) do update set data = excluded.data
$$;
comment on function public.stage_draft_compaction(uuid, integer, text) is
  'RPC for the compactor (service_role): one piece of a compaction''s payload, before compact_draft().';

-- The compactor's new snapshot covers the log up to p_up_to_seq and was built
-- on the snapshot at p_from_seq. Under the draft's lock; false (nothing
-- changes) when another compaction came first. The log it covers is folded
-- into the history and emptied (ids are kept 30 days for replays).
create function public.compact_draft(
  p_draft uuid,
  p_from_seq bigint,
  p_up_to_seq bigint,
  p_token uuid,
  p_parts integer
) returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_draft public.drafts;
  v_row record;
  v_payload jsonb;
  v_projection jsonb;
  v_count integer;
begin
  select * into v_draft from public.drafts d where d.id = p_draft for update;
  if not found then
    delete from public.draft_compaction_parts where token = p_token;
    raise exception 'not_found' using errcode = 'P0001';
  end if;
  if v_draft.snapshot_seq <> p_from_seq then
    delete from public.draft_compaction_parts where token = p_token;
    return false;
  end if;
  if p_up_to_seq < p_from_seq or p_up_to_seq > v_draft.head_seq then
    raise exception 'bad_sequence' using errcode = 'P0001';
  end if;
  select count(*), string_agg(c.data, '' order by c.part)::jsonb into v_count, v_payload
    from public.draft_compaction_parts c where c.token = p_token;
  delete from public.draft_compaction_parts
   where token = p_token or created_at < now() - interval '1 hour';
  v_projection := v_payload -> 'projection';
  if v_count <> p_parts or jsonb_typeof(v_projection -> 'sections') is distinct from 'array'
     or jsonb_typeof(v_projection -> 'activities') is distinct from 'array' then
    raise exception 'bad_projection' using errcode = 'P0001';
  end if;
  for v_row in
    select u.created_by, u.scope, min(u.created_at) as first_at, max(u.created_at) as last_at, count(*)::int as n
      from public.draft_updates u
     where u.draft_id = p_draft and u.seq <= p_up_to_seq and u.data is not null
     group by u.created_by, u.scope
  loop
    -- One line per person and part while they keep at it (15 minutes apart or less).
    update public.draft_history h set last_at = greatest(h.last_at, v_row.last_at), changes = h.changes + v_row.n
     where h.id = (
       select x.id from public.draft_history x
        where x.draft_id = p_draft and x.user_id is not distinct from v_row.created_by and x.scope = v_row.scope
          and x.note = '' and x.last_at > v_row.first_at - interval '15 minutes'
        order by x.last_at desc limit 1);
    if not found then
      insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes)
      values (p_draft, v_row.created_by, v_row.scope, v_row.first_at, v_row.last_at, v_row.n);
    end if;
  end loop;
  -- The stored snapshot could not be read (written before this migration):
  -- the compactor started from an empty document, and the history says so.
  if (v_payload ->> 'repaired')::boolean then
    insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes, note)
    values (p_draft, null, 'repair', now(), now(), 0, '');
  end if;
  update public.draft_updates u set data = null
   where u.draft_id = p_draft and u.seq <= p_up_to_seq and u.data is not null;
  delete from public.draft_updates u
   where u.draft_id = p_draft and u.data is null and u.created_at < now() - interval '30 days';
  update public.drafts
     set snapshot = public.decode_draft_bytes(v_payload ->> 'snapshot', 8388608),
         snapshot_seq = p_up_to_seq,
         projection = v_projection,
         search_text = public.draft_projection_text(v_draft.title, v_projection),
         budget_currency = v_projection -> 'budget' ->> 'currency',
         budget_total = public.draft_budget_total(v_projection),
         compacted_at = now()
   where id = p_draft;
  return true;
end;
$$;
comment on function public.compact_draft(uuid, bigint, bigint, uuid, integer) is
  'RPC for the compactor (service_role; no person may call it): replaces a draft''s snapshot and projections with ones covering its log up to a sequence number, from the pieces staged under a token, under the draft''s lock; false when another compaction came first (not_found, bad_sequence, bad_projection, corrupt_update, update_too_large).';

-- Which drafts have a log to fold: idle for a while, or with a long log.
create function public.drafts_to_compact(p_idle_seconds integer default 20, p_limit integer default 20)
returns table (draft_id uuid, pending bigint)
language sql stable security definer set search_path = '' as $$
  select d.id, d.head_seq - d.snapshot_seq
    from public.drafts d
   where d.head_seq > d.snapshot_seq
     and (d.last_edit_at < now() - make_interval(secs => p_idle_seconds) or d.head_seq - d.snapshot_seq >= 200)
   order by d.last_edit_at
   limit least(greatest(p_limit, 1), 200)
$$;
comment on function public.drafts_to_compact(integer, integer) is
  'RPC for the compactor (service_role): drafts whose log waits to be folded (idle for a while, or 200 updates long).';

-- ---------------------------------------------------------------------------
-- Creating a draft: the content is the creator's first update.

drop function public.create_draft(uuid, uuid, public.draft_kind, text, public.app_language, text, jsonb);

create function public.create_draft(
  p_id uuid,
  p_space uuid,
  p_kind public.draft_kind,
  p_title text,
  p_language public.app_language,
  p_content text
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_title text := btrim(coalesce(p_title, ''), E' \t\r\n');
  v_content bytea;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.drafts d where d.id = p_id) then
    if public.can_edit_draft(p_id) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.is_space_member(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  v_content := public.decode_draft_bytes(p_content, 131072);
  -- An empty Yjs document (two zero bytes) and nothing projected yet: the
  -- compactor projects the first update like any other.
  insert into public.drafts (id, space_id, kind, title, language, created_by, snapshot, search_text, head_seq)
  values (p_id, p_space, p_kind, v_title, coalesce(p_language, 'vi'), v_user, '\x0000'::bytea,
          public.draft_projection_text(v_title, null), 1);
  insert into public.draft_updates (id, draft_id, seq, data, scope, created_by)
  values (p_id, p_id, 1, v_content, 'create', v_user);
  insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes)
  values (p_id, v_user, 'create', now(), now(), 1);
  return p_id;
end;
$$;
comment on function public.create_draft(uuid, uuid, public.draft_kind, text, public.app_language, text) is
  'RPC: a member starts a draft in their space; its first content (a Yjs update, base64, at most 128 KiB) is their first update in the log (not_signed_in, not_allowed, corrupt_update, update_too_large).';

create function public.create_draft_from_template(
  p_id uuid,
  p_space uuid,
  p_template uuid,
  p_title text,
  p_language public.app_language
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_title text := btrim(coalesce(p_title, ''), E' \t\r\n');
  v_template public.draft_templates;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.drafts d where d.id = p_id) then
    if public.can_edit_draft(p_id) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  select * into v_template from public.draft_templates t
   where t.id = p_template
     and (t.space_id = p_space or (t.space_id is null and public.in_library_network()));
  if not found or not public.is_space_member(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.drafts (id, space_id, kind, title, language, created_by, snapshot, projection, search_text,
                             budget_currency, budget_total)
  values (p_id, p_space, v_template.kind, v_title, coalesce(p_language, v_template.language), v_user,
          v_template.snapshot, v_template.projection,
          public.draft_projection_text(v_title, v_template.projection),
          v_template.projection -> 'budget' ->> 'currency', public.draft_budget_total(v_template.projection));
  insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes, note)
  values (p_id, v_user, 'create', now(), now(), 1, left(v_template.title, 200));
  return p_id;
end;
$$;
comment on function public.create_draft_from_template(uuid, uuid, uuid, text, public.app_language) is
  'RPC: a member starts a draft in their space from a saved template of that space or of the network, copied in the database (not_signed_in, not_allowed).';

-- ---------------------------------------------------------------------------
-- How much a draft may hold, and how fast one person may add to it.

alter table public.draft_updates add column size integer not null default 0 check (size >= 0);
comment on column public.draft_updates.size is
  'Bytes the update had when stored (data is emptied by compaction; the rate limit still counts them).';
create index draft_updates_rate_idx on public.draft_updates (draft_id, created_by, created_at);

-- 4 MiB of stored state (the snapshot and the log not yet folded into it):
-- a 50-page proposal is about 0.5 MiB. Per person and draft, per minute: 600
-- updates (ten a second: typing with the editor's batching sends fewer) and
-- 2 MiB (pasting a long text is one update of at most 128 KiB).
create function public.guard_draft_update_quota() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_stored bigint;
  v_recent record;
begin
  new.size := coalesce(octet_length(new.data), 0);
  select octet_length(d.snapshot) + coalesce((
           select sum(octet_length(u.data)) from public.draft_updates u
            where u.draft_id = d.id and u.seq > d.snapshot_seq and u.data is not null), 0)
    into v_stored
    from public.drafts d where d.id = new.draft_id;
  if v_stored + new.size > 4194304 then
    raise exception 'draft_too_large' using errcode = 'P0001';
  end if;
  select count(*) as n, coalesce(sum(u.size), 0) as bytes into v_recent
    from public.draft_updates u
   where u.draft_id = new.draft_id and u.created_by is not distinct from new.created_by
     and u.created_at > now() - interval '1 minute';
  if v_recent.n >= 600 or v_recent.bytes + new.size > 2097152 then
    raise exception 'too_fast' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_draft_update_quota() is
  'Guard: a draft holds at most 4 MiB (snapshot and unfolded log: draft_too_large), and one person appends at most 600 updates and 2 MiB a minute to it (too_fast). Records each update''s size.';
create trigger draft_updates_quota before insert on public.draft_updates
  for each row execute function public.guard_draft_update_quota();

-- ---------------------------------------------------------------------------
-- Live: the database announces what it stored; clients only listen.

create function public.announce_draft_update() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object('id', new.id, 'seq', new.seq, 'by', new.created_by,
                       'u', translate(encode(new.data, 'base64'), E'\n', '')),
    'update', 'draft:' || new.draft_id, true);
  return null;
end;
$$;
comment on function public.announce_draft_update() is
  'Trigger: every stored update goes to the draft:<id> Realtime topic with its number and author, so open editors apply exactly what the log holds.';
create trigger draft_updates_announce after insert on public.draft_updates
  for each row when (new.data is not null) execute function public.announce_draft_update();

-- A cursor and selection (a y-protocols awareness update, base64, one
-- client's state) with the sender and their name stamped by the database.
create function public.draft_awareness(p_draft uuid, p_state text, p_hello boolean default false) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if v_user is null or not public.can_edit_draft(p_draft) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if char_length(coalesce(p_state, '')) not between 1 and 4096 then
    raise exception 'bad_request' using errcode = 'P0001';
  end if;
  perform realtime.send(
    jsonb_build_object('a', p_state, 'by', v_user, 'hello', coalesce(p_hello, false),
                       'name', (select p.display_name from public.profiles p where p.id = v_user)),
    'awareness', 'draft:' || p_draft, true);
end;
$$;
comment on function public.draft_awareness(uuid, text, boolean) is
  'RPC: an editor shares their cursor on the draft:<id> topic; the database adds who they are, so nobody can speak as someone else (not_allowed, bad_request).';

-- capability: realtime
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

-- Who may send on a channel. Drafts (20261122000700_drafts.sql) had widened
-- "thread readers send typing and presence" to draft topics; now only the
-- database speaks on draft topics, and on thread topics clients share
-- presence (who is here) and nothing else (typing: thread_typing()).
-- capability: drafts
drop policy "thread readers and draft editors send" on realtime.messages;
-- capability: realtime
create policy "thread readers share presence" on realtime.messages
  for insert to authenticated with check (
    realtime.messages.extension = 'presence'
    and (select realtime.topic()) like 'thread:%'
    and public.can_use_topic((select realtime.topic()))
  );

-- ---------------------------------------------------------------------------
-- capability: drafts
revoke execute on function
  public.stage_draft_compaction(uuid, integer, text),
  public.compact_draft(uuid, bigint, bigint, uuid, integer),
  public.drafts_to_compact(integer, integer),
  public.create_draft(uuid, uuid, public.draft_kind, text, public.app_language, text),
  public.create_draft_from_template(uuid, uuid, uuid, text, public.app_language),
  public.guard_draft_update_quota(),
  public.announce_draft_update(),
  public.draft_awareness(uuid, text, boolean),
  public.thread_typing(uuid)
from anon, authenticated, public;
grant execute on function
  public.stage_draft_compaction(uuid, integer, text),
  public.compact_draft(uuid, bigint, bigint, uuid, integer),
  public.drafts_to_compact(integer, integer)
to service_role;
grant execute on function
  public.create_draft(uuid, uuid, public.draft_kind, text, public.app_language, text),
  public.create_draft_from_template(uuid, uuid, uuid, text, public.app_language),
  public.draft_awareness(uuid, text, boolean),
  public.thread_typing(uuid)
to authenticated;
