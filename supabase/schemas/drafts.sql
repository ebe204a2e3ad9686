-- supabase/schemas/drafts.sql: the current definition of every object of the drafts capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Co-drafting: project proposals, budgets and activity plans that a space's
-- members write together, live and offline.
--
-- A draft's content is a Yjs document. The database stores it as a snapshot
-- (drafts.snapshot, up to drafts.snapshot_seq) plus an append-only log of the
-- small updates made since (draft_updates, one row per client-made id, so a
-- replayed update is stored once). The app server compacts: it applies the log
-- to the snapshot in a Y.Doc, encodes a new snapshot and hands it back with
-- plain projections (sections' text, budget lines, activities) that reading
-- pages, search and export use without ever loading Yjs (compact_draft).
--
-- Sequence numbers are given per draft under the draft row's lock
-- (push_draft_update), so they have no gaps and commit in order: a client that
-- has applied everything up to seq N and asks for "seq > N" can never miss an
-- update that committed late with a lower number.
--
-- Who may do anything with a draft: the members of its space, in any role
-- (can_edit_draft, used by every policy below and by the draft:<id> Realtime
-- topic, replaced at the end of this file). Dialogue guests are never
-- members, so they see nothing of drafts; a member removed from the space
-- loses everything at their next request, including their unsent updates.
--
-- Review: comments anchored to a section (with one level of replies,
-- resolved and reopened), named versions (a stored snapshot and its
-- projections; restoring one is a new change in the log, never a rewrite),
-- and a history of who changed which part and when, kept when the log is
-- compacted. Templates: the built-in proposal, budget and activity plan are in
-- the app (src/lib/drafts/templates.ts); facilitators save a draft as a
-- template for their space, the network's library curators for everyone.

create type public.draft_kind as enum ('proposal', 'budget', 'plan');

create table public.drafts (
  id uuid primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  kind public.draft_kind not null,
  title text not null check (char_length(btrim(title, E' \t\r\n')) between 1 and 200),
  language public.app_language not null default 'vi',
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The Yjs state up to snapshot_seq; head_seq is the last update's number.
  snapshot bytea not null check (octet_length(snapshot) <= 8388608),
  snapshot_seq bigint not null default 0 check (snapshot_seq >= 0),
  head_seq bigint not null default 0 check (head_seq >= snapshot_seq),
  last_edit_at timestamptz not null default now(),
  compacted_at timestamptz not null default now(),
  -- Projections at snapshot_seq (src/lib/drafts/projection.ts).
  projection jsonb not null default '{"sections": [], "budget": null, "activities": []}',
  search_text text not null default '',
  budget_currency text check (budget_currency in ('VND', 'KHR', 'USD')),
  budget_total numeric(24, 4),
  constraint drafts_title_visible check (public.has_visible_text(title) and public.has_no_bidi_controls(title)),
  constraint drafts_projection_shape check (
    jsonb_typeof(projection -> 'sections') = 'array' and jsonb_typeof(projection -> 'activities') = 'array'
  )
);
revoke all on public.drafts from anon;
revoke insert on public.drafts from authenticated;

-- Not on last_edit_at, which every push updates: with it no push's row update
-- could be HOT (20261208000100_draft_hot_updates.sql).
create index drafts_space_idx on public.drafts (space_id);

-- Room on each page for a row's new versions, so its updates stay HOT.
alter table public.drafts set (fillfactor = 80);

create index drafts_created_by_idx on public.drafts (created_by);

create index drafts_search_idx on public.drafts using gin (public.search_text(search_text) extensions.gin_trgm_ops);

-- The log. 128 KiB per update: a keystroke is tens of bytes, a day of offline
-- edits a few KiB; as base64 in a Realtime message it stays under hosted
-- Supabase's 256 KB payload limit.
create table public.draft_updates (
  id uuid primary key,
  draft_id uuid not null references public.drafts (id) on delete cascade,
  seq bigint not null check (seq >= 1),
  -- Emptied by compaction; the row stays (30 days) so a late replay of the same id is still stored once.
  data bytea check (octet_length(data) between 2 and 131072),
  -- Which part the update touched (title, section:<id>, budget, plan, restore), for the history.
  scope text not null default '' check (char_length(scope) <= 80),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  unique (draft_id, seq)
);
revoke all on public.draft_updates from anon;
revoke insert, update, delete on public.draft_updates from authenticated;

create index draft_updates_created_by_idx on public.draft_updates (created_by);

-- Who changed which part and when, folded from the log at compaction.
create table public.draft_history (
  id uuid primary key default gen_random_uuid(),
  draft_id uuid not null references public.drafts (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  scope text not null default '' check (char_length(scope) <= 80),
  first_at timestamptz not null,
  last_at timestamptz not null,
  changes integer not null default 1 check (changes >= 0),
  -- For named events (a version saved or restored): its name.
  note text not null default '' check (char_length(note) <= 200)
);
revoke all on public.draft_history from anon;
revoke insert, update, delete on public.draft_history from authenticated;

create index draft_history_draft_idx on public.draft_history (draft_id, last_at desc);

create index draft_history_user_idx on public.draft_history (user_id);

create table public.draft_comments (
  id uuid primary key,
  draft_id uuid not null references public.drafts (id) on delete cascade,
  -- A section's id, or 'budget' / 'plan'.
  section_id text not null check (section_id ~ '^[A-Za-z0-9_:-]{1,64}$'),
  parent_id uuid references public.draft_comments (id) on delete cascade,
  body text not null check (char_length(btrim(body, E' \t\r\n')) between 1 and 2000),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by uuid references auth.users (id) on delete set null,
  constraint draft_comments_body_visible check (public.has_visible_text(body) and public.has_no_bidi_controls(body))
);
revoke all on public.draft_comments from anon;

create index draft_comments_draft_idx on public.draft_comments (draft_id, created_at);

create index draft_comments_parent_idx on public.draft_comments (parent_id);

create index draft_comments_created_by_idx on public.draft_comments (created_by);

create index draft_comments_resolved_by_idx on public.draft_comments (resolved_by);

create table public.draft_versions (
  id uuid primary key,
  draft_id uuid not null references public.drafts (id) on delete cascade,
  name text not null check (char_length(btrim(name, E' \t\r\n')) between 1 and 120),
  seq bigint not null,
  snapshot bytea not null,
  projection jsonb not null,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint draft_versions_name_visible check (public.has_visible_text(name) and public.has_no_bidi_controls(name))
);
revoke all on public.draft_versions from anon;
revoke insert, update, delete on public.draft_versions from authenticated;

create index draft_versions_draft_idx on public.draft_versions (draft_id, created_at desc);

create index draft_versions_created_by_idx on public.draft_versions (created_by);

-- Saved templates (the built-in ones are in the app). space_id null: the network's.
create table public.draft_templates (
  id uuid primary key,
  space_id uuid references public.spaces (id) on delete cascade,
  kind public.draft_kind not null,
  title text not null check (char_length(btrim(title, E' \t\r\n')) between 1 and 200),
  language public.app_language not null default 'vi',
  snapshot bytea not null,
  projection jsonb not null,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint draft_templates_title_visible check (public.has_visible_text(title) and public.has_no_bidi_controls(title))
);
revoke all on public.draft_templates from anon;
revoke insert on public.draft_templates from authenticated;
revoke update on public.draft_templates from authenticated;

create index draft_templates_space_idx on public.draft_templates (space_id, kind);

create index draft_templates_created_by_idx on public.draft_templates (created_by);

-- ---------------------------------------------------------------------------
-- The one rule.
create function public.can_edit_draft(p_draft uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.drafts d where d.id = p_draft and public.is_space_member(d.space_id))
$$;
comment on function public.can_edit_draft(uuid) is
  'May I read and edit this draft (its content, log, comments, versions and live channel)? The members of its space, in any role; never guests.';
revoke execute on function public.can_edit_draft(uuid) from anon, public;
grant execute on function public.can_edit_draft(uuid) to authenticated;

-- ---------------------------------------------------------------------------
alter table public.drafts enable row level security;

alter table public.draft_updates enable row level security;

alter table public.draft_history enable row level security;

alter table public.draft_comments enable row level security;

alter table public.draft_versions enable row level security;

alter table public.draft_templates enable row level security;

-- Creating goes through create_draft(); content changes through push_draft_update() and compact_draft().
create policy "members read their spaces' drafts" on public.drafts
  for select to authenticated using (space_id in (select public.my_space_ids()));

-- Renaming (guard_draft_update: the title and language only).
create policy "members rename drafts" on public.drafts
  for update to authenticated using (public.can_edit_draft(id)) with check (public.can_edit_draft(id));

create policy "the creator or a facilitator deletes a draft" on public.drafts
  for delete to authenticated using (
    public.can_edit_draft(id) and (created_by = (select auth.uid()) or public.is_space_facilitator(space_id))
  );

create policy "editors read the log" on public.draft_updates
  for select to authenticated using (public.can_edit_draft(draft_id));

create policy "editors read the history" on public.draft_history
  for select to authenticated using (public.can_edit_draft(draft_id));

create policy "editors read versions" on public.draft_versions
  for select to authenticated using (public.can_edit_draft(draft_id));

create policy "editors read comments" on public.draft_comments
  for select to authenticated using (public.can_edit_draft(draft_id));

create policy "editors comment" on public.draft_comments
  for insert to authenticated with check (
    created_by = (select auth.uid()) and resolved_at is null and resolved_by is null
    and public.can_edit_draft(draft_id)
  );

-- Resolving and reopening (guard_draft_comment: nothing else changes).
create policy "editors resolve and reopen comments" on public.draft_comments
  for update to authenticated using (public.can_edit_draft(draft_id)) with check (public.can_edit_draft(draft_id));

create policy "authors delete their comments" on public.draft_comments
  for delete to authenticated using (created_by = (select auth.uid()) and public.can_edit_draft(draft_id));

-- Saving goes through save_draft_as_template().
create policy "members and the network read templates" on public.draft_templates
  for select to authenticated using (
    space_id in (select public.my_space_ids()) or (space_id is null and public.in_library_network())
  );

create policy "facilitators and curators delete templates" on public.draft_templates
  for delete to authenticated using (
    case when space_id is null then public.is_library_curator() else public.is_space_facilitator(space_id) end
  );

-- ---------------------------------------------------------------------------
-- Guards.
create function public.guard_draft_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') and (
       new.id <> old.id or new.space_id <> old.space_id or new.kind <> old.kind
       or new.created_by is distinct from old.created_by or new.created_at <> old.created_at
       or new.snapshot <> old.snapshot or new.snapshot_seq <> old.snapshot_seq or new.head_seq <> old.head_seq
       or new.projection <> old.projection or new.search_text <> old.search_text
       or new.budget_currency is distinct from old.budget_currency
       or new.budget_total is distinct from old.budget_total
       or new.compacted_at <> old.compacted_at or new.last_edit_at <> old.last_edit_at) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  -- The search text is made from the title and the projection. The projection
  -- changes only with the snapshot (compact_draft(), rebase_draft(); through
  -- the API neither may change, above), so a push numbering the log, which
  -- changes neither, keeps the stored text as it is (comparing the
  -- projections would read the whole of both).
  if new.title is distinct from old.title or new.snapshot_seq is distinct from old.snapshot_seq then
    new.search_text := public.draft_projection_text(new.title, new.projection);
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.guard_draft_update() is
  'Guard: through the API a draft''s title and language change, nothing else (not_allowed); content moves only through push_draft_update() and compact_draft(). Stamps updated_at.';

create trigger drafts_guard before update on public.drafts
  for each row execute function public.guard_draft_update();

create function public.guard_draft_comment() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_parent public.draft_comments;
begin
  if tg_op = 'INSERT' then
    if new.parent_id is not null then
      select * into v_parent from public.draft_comments c where c.id = new.parent_id;
      -- One level of replies, in the same draft; a reply belongs to its comment's section.
      if not found or v_parent.draft_id <> new.draft_id or v_parent.parent_id is not null then
        raise exception 'not_allowed' using errcode = 'P0001';
      end if;
      new.section_id := v_parent.section_id;
    end if;
    new.created_at := now();
    return new;
  end if;
  if current_user in ('authenticated', 'anon') and (
       new.id <> old.id or new.draft_id <> old.draft_id or new.section_id <> old.section_id
       or new.parent_id is distinct from old.parent_id or new.body <> old.body
       or new.created_by is distinct from old.created_by or new.created_at <> old.created_at
       or (old.parent_id is not null and new.resolved_at is distinct from old.resolved_at)) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.resolved_at is not null and old.resolved_at is null then
    new.resolved_at := now();
    new.resolved_by := (select auth.uid());
  elsif new.resolved_at is null then
    new.resolved_by := null;
  else
    new.resolved_at := old.resolved_at;
    new.resolved_by := old.resolved_by;
  end if;
  return new;
end;
$$;
comment on function public.guard_draft_comment() is
  'Guard: a reply answers a top-level comment of the same draft and takes its section; afterwards only a top-level comment''s resolved state changes (not_allowed), stamped with who and when.';

create trigger draft_comments_guard before insert or update on public.draft_comments
  for each row execute function public.guard_draft_comment();

-- What the projections say, as one searchable text.
create function public.draft_projection_text(p_title text, p_projection jsonb) returns text
language sql immutable set search_path = '' as $$
  select left(concat_ws(' ', p_title,
    (select string_agg(concat_ws(' ', s ->> 'heading', s ->> 'text'), ' ')
       from jsonb_array_elements(coalesce(p_projection -> 'sections', '[]')) s),
    (select string_agg(concat_ws(' ', g ->> 'name', l ->> 'category', l ->> 'description'), ' ')
       from jsonb_array_elements(coalesce(p_projection -> 'budget' -> 'groups', '[]')) g,
            jsonb_array_elements(coalesce(g -> 'lines', '[]')) l),
    (select string_agg(concat_ws(' ', a ->> 'title', a ->> 'responsible', a ->> 'location'), ' ')
       from jsonb_array_elements(coalesce(p_projection -> 'activities', '[]')) a)
  ), 200000)
$$;
comment on function public.draft_projection_text(text, jsonb) is
  'The searchable text of a draft: its title and what its projections say (sections, budget lines, activities).';

-- The budget's grand total in exact decimals; cells that are not plain
-- non-negative decimals count as nothing (the editor shows them as wrong).
create function public.draft_budget_total(p_projection jsonb) returns numeric
language sql immutable set search_path = '' as $$
  select case when jsonb_typeof(p_projection -> 'budget') = 'object' then coalesce((
    select sum(
      case when l ->> 'quantity' ~ '^[0-9]{1,12}(\.[0-9]{1,4})?$' and l ->> 'unit_cost' ~ '^[0-9]{1,15}(\.[0-9]{1,4})?$'
           then (l ->> 'quantity')::numeric * (l ->> 'unit_cost')::numeric else 0 end)
      from jsonb_array_elements(coalesce(p_projection -> 'budget' -> 'groups', '[]')) g,
           jsonb_array_elements(coalesce(g -> 'lines', '[]')) l
  ), 0) end
$$;
comment on function public.draft_budget_total(jsonb) is
  'The grand total of a projection''s budget (quantity × unit cost, exact numeric), null when it has no budget.';

create function public.decode_draft_bytes(p_base64 text, p_max integer) returns bytea
language plpgsql immutable set search_path = '' as $$
declare
  v bytea;
begin
  begin
    v := decode(coalesce(p_base64, ''), 'base64');
  exception when others then
    raise exception 'corrupt_update' using errcode = 'P0001';
  end;
  if octet_length(v) < 2 then
    raise exception 'corrupt_update' using errcode = 'P0001';
  end if;
  if octet_length(v) > p_max then
    raise exception 'update_too_large' using errcode = 'P0001';
  end if;
  return v;
end;
$$;
comment on function public.decode_draft_bytes(text, integer) is
  'Base64 to bytes for the draft RPCs, refusing unreadable (corrupt_update) or oversized (update_too_large) input.';
revoke execute on function public.decode_draft_bytes(text, integer) from anon, public;

-- One update to the log, numbered under the draft's lock. The same id again
-- (a retry, a replay after being offline) returns the number it got the first time.
create function public.push_draft_update(
  p_id uuid,
  p_draft uuid,
  p_update text,
  p_scope text default '',
  p_announce boolean default false
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_seq bigint;
  v_data bytea;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if not public.can_edit_draft(p_draft) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  v_data := public.decode_draft_bytes(p_update, 131072);
  perform 1 from public.drafts d where d.id = p_draft for update;
  select u.seq into v_seq from public.draft_updates u where u.id = p_id and u.draft_id = p_draft;
  if found then
    return v_seq;
  end if;
  if exists (select 1 from public.draft_updates u where u.id = p_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  update public.drafts set head_seq = head_seq + 1, last_edit_at = now() where id = p_draft
  returning head_seq into v_seq;
  insert into public.draft_updates (id, draft_id, seq, data, scope, created_by)
  values (p_id, p_draft, v_seq, v_data, left(coalesce(p_scope, ''), 80), v_user);
  if p_announce then
    perform realtime.send(jsonb_build_object('seq', v_seq), 'stored', 'draft:' || p_draft, true);
  end if;
  return v_seq;
end;
$$;
comment on function public.push_draft_update(uuid, uuid, text, text, boolean) is
  'RPC: an editor appends a Yjs update (base64, at most 128 KiB) to a draft''s log and gets its number; the same id again stores nothing and returns the same number (not_signed_in, not_allowed, corrupt_update, update_too_large).';
revoke execute on function public.push_draft_update(uuid, uuid, text, text, boolean) from anon, public;
grant execute on function public.push_draft_update(uuid, uuid, text, text, boolean) to authenticated;

-- Everything a client needs after seq p_after (-1: it has nothing yet): the
-- snapshot when it is newer than that, then the updates after it, oldest
-- first, up to p_limit.
-- As the caller: the policies decide (nothing for anyone who may not edit).
create function public.draft_catch_up(p_draft uuid, p_after bigint default -1, p_limit integer default 500)
returns table (head_seq bigint, snapshot_seq bigint, snapshot text, updates jsonb)
language sql stable security invoker set search_path = '' as $$
  select d.head_seq, d.snapshot_seq,
         case when coalesce(p_after, -1) < d.snapshot_seq then translate(encode(d.snapshot, 'base64'), E'\n', '') end,
         coalesce((
           select jsonb_agg(jsonb_build_object('seq', u.seq, 'data', translate(encode(u.data, 'base64'), E'\n', ''))
                            order by u.seq)
             from (select * from public.draft_updates u
                    where u.draft_id = d.id and u.seq > greatest(coalesce(p_after, -1), d.snapshot_seq)
                      and u.data is not null
                    order by u.seq
                    limit least(greatest(coalesce(p_limit, 500), 1), 2000)) u
         ), '[]'::jsonb)
    from public.drafts d
   where d.id = p_draft
$$;
comment on function public.draft_catch_up(uuid, bigint, integer) is
  'RPC (as the caller, under the policies): a draft''s newest snapshot when the caller is behind it, then the logged updates after a sequence number.';
revoke execute on function public.draft_catch_up(uuid, bigint, integer) from anon, public;
grant execute on function public.draft_catch_up(uuid, bigint, integer) to authenticated;

-- A named version: the current snapshot and projections, as compacted.
create function public.save_draft_version(p_id uuid, p_draft uuid, p_name text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_draft public.drafts;
  v_name text := btrim(coalesce(p_name, ''), E' \t\r\n');
begin
  if exists (select 1 from public.draft_versions v where v.id = p_id and v.draft_id = p_draft)
     and public.can_edit_draft(p_draft) then
    return p_id;
  end if;
  select * into v_draft from public.drafts d where d.id = p_draft for share;
  if not found or not public.can_edit_draft(p_draft) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.draft_versions (id, draft_id, name, seq, snapshot, projection, created_by)
  values (p_id, p_draft, v_name, v_draft.snapshot_seq, v_draft.snapshot, v_draft.projection, (select auth.uid()));
  insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes, note)
  values (p_draft, (select auth.uid()), 'version', now(), now(), 0, left(v_name, 200));
  return p_id;
end;
$$;
comment on function public.save_draft_version(uuid, uuid, text) is
  'RPC: an editor names the draft''s current (compacted) state as a version; a replayed id returns that id (not_allowed).';
revoke execute on function public.save_draft_version(uuid, uuid, text) from anon, public;
grant execute on function public.save_draft_version(uuid, uuid, text) to authenticated;

-- A version's snapshot, for restoring it (as base64).
create function public.draft_version_snapshot(p_version uuid) returns text
language sql stable security invoker set search_path = '' as $$
  select translate(encode(v.snapshot, 'base64'), E'\n', '') from public.draft_versions v where v.id = p_version
$$;
comment on function public.draft_version_snapshot(uuid) is
  'RPC (as the caller, under the policies): a named version''s Yjs snapshot as base64.';
revoke execute on function public.draft_version_snapshot(uuid) from anon, public;
grant execute on function public.draft_version_snapshot(uuid) to authenticated;

-- Records in the history that a version was restored (the restore itself is an update in the log).
create function public.note_draft_restore(p_draft uuid, p_version uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_name text;
begin
  select v.name into v_name from public.draft_versions v where v.id = p_version and v.draft_id = p_draft;
  if v_name is null or not public.can_edit_draft(p_draft) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.draft_history (draft_id, user_id, scope, first_at, last_at, changes, note)
  values (p_draft, (select auth.uid()), 'restore', now(), now(), 0, left(v_name, 200));
end;
$$;
comment on function public.note_draft_restore(uuid, uuid) is
  'RPC: an editor notes in the draft''s history that they restored one of its versions (not_allowed).';
revoke execute on function public.note_draft_restore(uuid, uuid) from anon, public;
grant execute on function public.note_draft_restore(uuid, uuid) to authenticated;

-- A template from a draft's current state: for its space (its facilitators)
-- or for the whole network (the library's curators).
create function public.save_draft_as_template(p_id uuid, p_draft uuid, p_title text, p_network boolean default false)
returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_draft public.drafts;
begin
  if exists (select 1 from public.draft_templates t where t.id = p_id and t.created_by = (select auth.uid())) then
    return p_id;
  end if;
  select * into v_draft from public.drafts d where d.id = p_draft;
  if not found or not public.can_edit_draft(p_draft)
     or (p_network and not public.is_library_curator())
     or (not p_network and not public.is_space_facilitator(v_draft.space_id)) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.draft_templates (id, space_id, kind, title, language, snapshot, projection, created_by)
  values (p_id, case when p_network then null else v_draft.space_id end, v_draft.kind,
          btrim(coalesce(p_title, ''), E' \t\r\n'), v_draft.language, v_draft.snapshot, v_draft.projection,
          (select auth.uid()));
  return p_id;
end;
$$;
comment on function public.save_draft_as_template(uuid, uuid, text, boolean) is
  'RPC: a facilitator saves a draft as a template for their space, or a library curator for the network (not_allowed).';
revoke execute on function public.save_draft_as_template(uuid, uuid, text, boolean) from anon, public;
grant execute on function public.save_draft_as_template(uuid, uuid, text, boolean) to authenticated;

-- A saved template's snapshot, to start a draft from it (as base64).
create function public.draft_template_snapshot(p_template uuid) returns text
language sql stable security invoker set search_path = '' as $$
  select translate(encode(t.snapshot, 'base64'), E'\n', '') from public.draft_templates t where t.id = p_template
$$;
comment on function public.draft_template_snapshot(uuid) is
  'RPC (as the caller, under the policies): a saved template''s Yjs snapshot as base64.';
revoke execute on function public.draft_template_snapshot(uuid) from anon, public;
grant execute on function public.draft_template_snapshot(uuid) to authenticated;

-- Comments announce themselves on the draft's channel (ids only), so an open
-- draft shows a new comment without a reload.
create function public.announce_draft_comment() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object('comment_id', coalesce(new.id, old.id), 'op', lower(tg_op)),
    'comments', 'draft:' || coalesce(new.draft_id, old.draft_id), true);
  return null;
end;
$$;
comment on function public.announce_draft_comment() is
  'Trigger: tells the draft:<id> Realtime topic, with ids only, that a comment was added, resolved, reopened or removed (as the owner).';

create trigger draft_comments_announce after insert or update or delete on public.draft_comments
  for each row execute function public.announce_draft_comment();

-- A compaction's payload ({"snapshot": base64, "projection": {...}, "repaired": bool})
-- in pieces of at most 512 KiB, kept until compact_draft() uses them (or an hour).
create table public.draft_compaction_parts (
  token uuid not null,
  part integer not null check (part between 0 and 63),
  data text not null check (char_length(data) <= 524288),
  created_at timestamptz not null default now(),
  primary key (token, part)
);
comment on table public.draft_compaction_parts is
  'Pieces of a compaction on its way from the compactor (service_role only; no policy: no person reads or writes them).';
revoke all on public.draft_compaction_parts from anon, authenticated, public;

alter table public.draft_compaction_parts enable row level security;

create function public.stage_draft_compaction(p_token uuid, p_part integer, p_data text) returns void
language sql security definer set search_path = '' as $$
  insert into public.draft_compaction_parts (token, part, data) values (p_token, p_part, p_data)
  on conflict (token, part) do update set data = excluded.data
$$;
comment on function public.stage_draft_compaction(uuid, integer, text) is
  'RPC for the compactor (service_role): one piece of a compaction''s payload, before compact_draft().';
revoke execute on function public.stage_draft_compaction(uuid, integer, text) from anon, authenticated, public;
grant execute on function public.stage_draft_compaction(uuid, integer, text) to service_role;

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
revoke execute on function public.compact_draft(uuid, bigint, bigint, uuid, integer) from anon, authenticated, public;
grant execute on function public.compact_draft(uuid, bigint, bigint, uuid, integer) to service_role;

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
revoke execute on function public.drafts_to_compact(integer, integer) from anon, authenticated, public;
grant execute on function public.drafts_to_compact(integer, integer) to service_role;

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
revoke execute on function public.create_draft(uuid, uuid, public.draft_kind, text, public.app_language, text) from anon, authenticated, public;
grant execute on function public.create_draft(uuid, uuid, public.draft_kind, text, public.app_language, text) to authenticated;

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
revoke execute on function public.create_draft_from_template(uuid, uuid, uuid, text, public.app_language) from anon, authenticated, public;
grant execute on function public.create_draft_from_template(uuid, uuid, uuid, text, public.app_language) to authenticated;

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
revoke execute on function public.guard_draft_update_quota() from anon, authenticated, public;

create trigger draft_updates_quota before insert on public.draft_updates
  for each row execute function public.guard_draft_update_quota();

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
revoke execute on function public.announce_draft_update() from anon, authenticated, public;

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
revoke execute on function public.draft_awareness(uuid, text, boolean) from anon, authenticated, public;
grant execute on function public.draft_awareness(uuid, text, boolean) to authenticated;

create function public.can_use_draft_topic(p_draft uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.can_edit_draft(p_draft)
$$;
comment on function public.can_use_draft_topic(uuid) is
  'Topic rule (draft:<id>): the draft''s editors (the members of its space) hear its stored updates and cursors.';
revoke execute on function public.can_use_draft_topic(uuid) from anon, authenticated, public;

insert into private.access_rules (hub, key, mode, rule, capability) values
  ('topic', 'draft', 'grant', 'public.can_use_draft_topic(uuid)', 'drafts');

-- ---------------------------------------------------------------------------
-- Rebasing (migration 20261206000300_draft_rebase.sql).
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

-- A draft's pages in one request (issue 24: one call per reading page). The
-- reading page asked space_for_member() (the space's layout), then the draft
-- (a REST read, after the space's layout), its comments (a REST read) and the
-- comments' authors' names: four requests in two waves; the editor, the print
-- and the versions pages the first two. open_draft_page() reads the same rows
-- as the caller (security invoker), so every policy applies as it did for the
-- separate calls. It is null when I am not a member of the space (what the
-- layout answered with a 404); the draft is null when I may not read it or it
-- is another space's. Comments come only when asked for (the reading page).
create function public.open_draft_page(p_space uuid, p_draft uuid, p_comments boolean default false)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb;
  v_draft jsonb;
begin
  v_space := public.space_for_member(p_space);
  if v_space is null then
    return null;
  end if;
  select jsonb_build_object(
           'id', d.id, 'space_id', d.space_id, 'title', d.title, 'kind', d.kind, 'language', d.language,
           'created_by', d.created_by, 'created_at', d.created_at, 'last_edit_at', d.last_edit_at,
           'head_seq', d.head_seq, 'snapshot_seq', d.snapshot_seq, 'projection', d.projection,
           'budget_total', d.budget_total, 'budget_currency', d.budget_currency)
    into v_draft
    from public.drafts d
   where d.id = p_draft and d.space_id = p_space;
  return jsonb_build_object(
    'space', v_space,
    'draft', v_draft,
    -- Oldest first, replies flat (the app threads them), with the names I may read.
    'comments', case when p_comments and v_draft is not null then coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', c.id, 'section_id', c.section_id, 'parent_id', c.parent_id, 'body', c.body,
               'created_by', c.created_by, 'created_at', c.created_at,
               'resolved_at', c.resolved_at, 'resolved_by', c.resolved_by,
               'author', coalesce((select p.display_name from public.profiles p where p.id = c.created_by), ''),
               'resolver', case when c.resolved_by is null then null
                 else coalesce((select p.display_name from public.profiles p where p.id = c.resolved_by), '') end)
             order by c.created_at, c.id)
        from (select c.* from public.draft_comments c
               where c.draft_id = p_draft order by c.created_at, c.id limit 1000) c), '[]'::jsonb) end
  );
end;
$$;
comment on function public.open_draft_page(uuid, uuid, boolean) is
  'RPC (as the caller, under the policies): a draft''s page: the space (space_for_member(); null when I am not a member), the draft''s reading fields (null when I may not read it or it is another space''s) and, with p_comments, its comments oldest first with their authors'' and resolvers'' names.';

revoke execute on function public.open_draft_page(uuid, uuid, boolean) from anon, public;
grant execute on function public.open_draft_page(uuid, uuid, boolean) to authenticated;
