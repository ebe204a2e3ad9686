-- capability: drafts
-- Rebasing a draft (issue 24, part 3). A compacted snapshot keeps a record of
-- every character ever typed and deleted, so an old draft grows far past the
-- size of its text and opens slower with every edit. When a draft has been
-- quiet for a while and its snapshot is more than twice the size of a fresh
-- document with the same content, the compactor (service_role) replaces the
-- snapshot with that fresh document: a new "epoch" of the document.
--
-- Items of one epoch cannot be applied to another, so every write now says
-- which epoch it was made on:
-- - push_draft_update_at() declares the epoch for its transaction and calls
--   push_draft_update() unchanged; a guard trigger on the log refuses an
--   update to a rebased draft that does not declare the current epoch
--   (stale_epoch), whatever path wrote it;
-- - draft_catch_up_at() says the current epoch and, to a client on another
--   epoch, gives the whole current document (never the log after a number of
--   another epoch);
-- - draft_rebase_base() gives a client that was offline across a rebase the
--   document its epoch ended with, so it can carry its unsent changes over
--   (src/lib/drafts/rebase.ts: the fresh document is built the same way on
--   every device, so the carried changes are ordinary updates to it).
-- Named versions keep their own snapshots: restoring one copies its content,
-- whatever epoch it was saved in.
-- Nothing here rewrites an earlier function or policy.

create table public.draft_rebases (
  draft_id uuid not null references public.drafts (id) on delete cascade,
  -- The epoch this rebase began; the current epoch is the highest (0 without a row).
  epoch integer not null check (epoch > 0),
  -- The sequence number reserved by the rebase (the log goes on after it).
  seq bigint not null,
  -- The document the previous epoch ended with, for devices that come back with unsent changes.
  previous_snapshot bytea not null,
  previous_bytes integer not null,
  fresh_bytes integer not null,
  rebased_at timestamptz not null default now(),
  primary key (draft_id, epoch)
);
comment on table public.draft_rebases is
  'Each rebase of a draft (a fresh Yjs document with the same content): the epoch it began, and the document the previous epoch ended with. Written only by rebase_draft() (the compactor).';
revoke all on public.draft_rebases from anon;
revoke insert, update, delete on public.draft_rebases from authenticated;

alter table public.draft_rebases enable row level security;

create policy "editors read rebases" on public.draft_rebases
  for select to authenticated using (public.can_edit_draft(draft_id));

-- The current epoch, read by the guard under the draft's lock.
create function private.draft_epoch(p_draft uuid) returns integer
language sql stable security definer set search_path = '' as $$
  select coalesce(max(r.epoch), 0) from public.draft_rebases r where r.draft_id = p_draft
$$;
comment on function private.draft_epoch(uuid) is
  'The current epoch of a draft''s document (0 until it is first rebased).';
revoke execute on function private.draft_epoch(uuid) from anon, authenticated, public;

-- Guard: an update stored on a rebased draft must have been made on its
-- current epoch (declared by push_draft_update_at for its transaction).
-- push_draft_update() locks the draft before inserting, and rebase_draft()
-- takes the same lock, so the epoch read here cannot change before commit.
create function private.guard_draft_update_epoch() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_epoch integer := private.draft_epoch(new.draft_id);
begin
  if v_epoch > 0 and coalesce(current_setting('sahakum.draft_epoch', true), '') <> v_epoch::text then
    raise exception 'stale_epoch' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function private.guard_draft_update_epoch() is
  'Guard: an update to a rebased draft must be made on its current epoch (stale_epoch).';
revoke execute on function private.guard_draft_update_epoch() from anon, authenticated, public;

create trigger draft_updates_epoch_guard before insert on public.draft_updates
  for each row execute function private.guard_draft_update_epoch();

create function public.push_draft_update_at(
  p_epoch integer,
  p_id uuid,
  p_draft uuid,
  p_update text,
  p_scope text default '',
  p_announce boolean default false
) returns bigint
language plpgsql volatile security invoker set search_path = '' as $$
begin
  perform set_config('sahakum.draft_epoch', coalesce(p_epoch, 0)::text, true);
  return public.push_draft_update(p_id, p_draft, p_update, p_scope, p_announce);
end;
$$;
comment on function public.push_draft_update_at(integer, uuid, uuid, text, text, boolean) is
  'RPC: push_draft_update() for an update made on a given epoch of the document; a replayed id returns its number whatever the epoch (not_signed_in, not_allowed, corrupt_update, update_too_large, stale_epoch).';
revoke execute on function public.push_draft_update_at(integer, uuid, uuid, text, text, boolean) from anon, public;
grant execute on function public.push_draft_update_at(integer, uuid, uuid, text, text, boolean) to authenticated;

-- draft_catch_up() for a client on epoch p_epoch (null: it has nothing yet):
-- on another epoch it gets the whole current document, as a new client would.
create function public.draft_catch_up_at(
  p_draft uuid,
  p_epoch integer,
  p_after bigint default -1,
  p_limit integer default 500
)
returns table (epoch integer, head_seq bigint, snapshot_seq bigint, snapshot text, updates jsonb)
language sql stable security invoker set search_path = '' as $$
  select e.epoch, c.head_seq, c.snapshot_seq, c.snapshot, c.updates
    from (select coalesce(max(r.epoch), 0) as epoch from public.draft_rebases r where r.draft_id = p_draft) e
   cross join lateral public.draft_catch_up(
     p_draft, case when p_epoch is not distinct from e.epoch then p_after else -1 end, p_limit) c
$$;
comment on function public.draft_catch_up_at(uuid, integer, bigint, integer) is
  'RPC (as the caller, under the policies): draft_catch_up() with the document''s current epoch; a client on another epoch gets the whole current document.';
revoke execute on function public.draft_catch_up_at(uuid, integer, bigint, integer) from anon, public;
grant execute on function public.draft_catch_up_at(uuid, integer, bigint, integer) to authenticated;

create function public.draft_rebase_base(p_draft uuid, p_epoch integer) returns text
language sql stable security invoker set search_path = '' as $$
  select translate(encode(r.previous_snapshot, 'base64'), E'\n', '')
    from public.draft_rebases r where r.draft_id = p_draft and r.epoch = p_epoch + 1
$$;
comment on function public.draft_rebase_base(uuid, integer) is
  'RPC (as the caller, under the policies): the document epoch p_epoch of a draft ended with (base64), for carrying a device''s unsent changes over a rebase.';
revoke execute on function public.draft_rebase_base(uuid, integer) from anon, public;
grant execute on function public.draft_rebase_base(uuid, integer) to authenticated;

-- Drafts worth looking at: fully compacted, quiet for p_idle_seconds (no
-- editor is typing), large enough to matter, edited since their last rebase.
create function public.drafts_to_rebase(p_idle_seconds integer default 600, p_min_bytes integer default 16384, p_limit integer default 20)
returns table (draft_id uuid, head_seq bigint, bytes integer)
language sql stable security definer set search_path = '' as $$
  select d.id, d.head_seq, octet_length(d.snapshot)
    from public.drafts d
   where d.snapshot_seq = d.head_seq
     and d.last_edit_at < now() - make_interval(secs => p_idle_seconds)
     and octet_length(d.snapshot) >= p_min_bytes
     and d.last_edit_at > coalesce((select max(r.rebased_at) from public.draft_rebases r where r.draft_id = d.id),
                                   '-infinity')
   order by d.last_edit_at
   limit least(greatest(p_limit, 1), 200)
$$;
comment on function public.drafts_to_rebase(integer, integer, integer) is
  'RPC for the compactor (service_role): quiet, compacted drafts edited since their last rebase, with their snapshot size.';
revoke execute on function public.drafts_to_rebase(integer, integer, integer) from anon, authenticated, public;
grant execute on function public.drafts_to_rebase(integer, integer, integer) to service_role;

-- The compactor's fresh document (staged like a compaction's payload:
-- {"snapshot": base64, "projection": {...}}) becomes the draft's snapshot,
-- when nothing was stored since it read the draft (false otherwise). The
-- rebase takes a sequence number of its own, so a compaction that read the
-- draft before it cannot land on the new epoch (compact_draft compares
-- snapshot_seq).
create function public.rebase_draft(p_draft uuid, p_base_seq bigint, p_token uuid, p_parts integer)
returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  v_draft public.drafts;
  v_payload jsonb;
  v_count integer;
  v_projection jsonb;
  v_snapshot bytea;
  v_epoch integer;
begin
  select * into v_draft from public.drafts d where d.id = p_draft for update;
  select count(*), string_agg(c.data, '' order by c.part)::jsonb into v_count, v_payload
    from public.draft_compaction_parts c where c.token = p_token;
  delete from public.draft_compaction_parts where token = p_token;
  if v_draft.id is null then
    raise exception 'not_found' using errcode = 'P0001';
  end if;
  if v_draft.head_seq <> p_base_seq or v_draft.snapshot_seq <> p_base_seq then
    return false;
  end if;
  v_projection := v_payload -> 'projection';
  if v_count <> p_parts or jsonb_typeof(v_projection -> 'sections') is distinct from 'array'
     or jsonb_typeof(v_projection -> 'activities') is distinct from 'array' then
    raise exception 'bad_projection' using errcode = 'P0001';
  end if;
  v_snapshot := public.decode_draft_bytes(v_payload ->> 'snapshot', 8388608);
  v_epoch := private.draft_epoch(p_draft) + 1;
  insert into public.draft_rebases (draft_id, epoch, seq, previous_snapshot, previous_bytes, fresh_bytes)
  values (p_draft, v_epoch, p_base_seq + 1, v_draft.snapshot, octet_length(v_draft.snapshot), octet_length(v_snapshot));
  update public.drafts
     set snapshot = v_snapshot,
         snapshot_seq = p_base_seq + 1,
         head_seq = p_base_seq + 1,
         projection = v_projection,
         search_text = public.draft_projection_text(v_draft.title, v_projection),
         compacted_at = now()
   where id = p_draft;
  -- Open editors (there should be none: the draft was quiet) load the new epoch.
  perform realtime.send(jsonb_build_object('epoch', v_epoch), 'rebased', 'draft:' || p_draft, true);
  return true;
end;
$$;
comment on function public.rebase_draft(uuid, bigint, uuid, integer) is
  'RPC for the compactor (service_role; no person may call it): replaces a quiet, compacted draft''s snapshot with a fresh document of the same content staged under a token, as a new epoch, keeping the previous one; false when something was stored since (not_found, bad_projection, corrupt_update, update_too_large).';
revoke execute on function public.rebase_draft(uuid, bigint, uuid, integer) from anon, authenticated, public;
grant execute on function public.rebase_draft(uuid, bigint, uuid, integer) to service_role;
