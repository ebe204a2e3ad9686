-- supabase/schemas/dialogues.sql: the current definition of every object of the dialogues capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Multi-stakeholder dialogues: a space convenes landlords, unions, companies,
-- local authorities and public services around the issues its members
-- raised; every agreed action is tracked to done.
--
-- A dialogue is a thread (threads.is_dialogue, 20261122000300_threads.sql):
-- its posts, reactions and read markers are the thread tables, and its live
-- notices go to the dialogue:<id> Realtime topic (20261122000400). Outside
-- stakeholders join ONE dialogue as guests (dialogue_guests): never members of
-- the space, never "in the network". What a guest may read is the dialogue,
-- its agenda, its actions and their updates, the library items attached to
-- it, and the names and badges of the dialogue's other participants; the
-- guest branch of can_read_thread() and my_guest_dialogue_ids() is all that
-- opens, and removal (removed_at) closes it on the next request.
--
-- Members' safety: a member may post "as a member of <space>" (posts.anonymous,
-- author_id null); who wrote it is kept in dialogue_hidden_authors, which only
-- the space's facilitators read (moderation). Guests never learn members'
-- emails or phones (no table here holds them) nor any member's name unless
-- that member posted openly in the dialogue or chose to be named in its report.
--
-- Conveners: the facilitators and leaders of the space.

-- ---------------------------------------------------------------------------
-- What dialogues change in the earlier capabilities. The threads, realtime
-- and library migrations landed before dialogues existed; migrations are
-- append-only, so the changes are made here, each next to why:
-- - a dialogue is a thread (threads.is_dialogue): its posts, reactions and
--   read markers are the threads' tables; posts gain `anonymous` (posted "as a
--   member of <space>", author kept in dialogue_hidden_authors) and `outcome`;
-- - invited guests read a dialogue through the guest branch of
--   can_read_thread() and the my_guest_dialogue_ids() set, which the read
--   policies of threads and posts, the attached library items and the
--   dialogue:<id> Realtime topic use; mentions stay members-only;
-- - profiles are readable by people who share a space or a dialogue (below,
--   next to shares_a_dialogue_with()).

-- What a dialogue post is, marked by its author or the convener.
create type public.post_outcome as enum ('issue', 'proposal', 'commitment');

-- Set once, by convene_dialogue(); ordinary threads are false.
alter table public.threads add column is_dialogue boolean not null default false;

-- Posted "as a member of <space>": author_id is null and the author is kept
-- in dialogue_hidden_authors, which only the space's facilitators read.
alter table public.posts
  add column anonymous boolean not null default false,
  add column outcome public.post_outcome,
  add constraint posts_anonymous_has_no_author check (not anonymous or author_id is null);

create function public.my_guest_dialogue_ids() returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
begin
  return query
    select g.dialogue_id from public.dialogue_guests g
     where g.user_id = (select auth.uid()) and g.removed_at is null;
end;
$$;
comment on function public.my_guest_dialogue_ids() is
  'The dialogues (thread ids) I am an invited guest of and was not removed from, as a set for read policies.';
revoke execute on function public.my_guest_dialogue_ids() from anon, public;
grant execute on function public.my_guest_dialogue_ids() to authenticated;

create type public.dialogue_status as enum ('preparing', 'open', 'concluded', 'archived');

create type public.stakeholder_type as enum (
  'landlord', 'labour_union', 'womens_union', 'company', 'local_authority',
  'public_service', 'expert', 'ngo_donor', 'other'
);

create type public.action_status as enum ('agreed', 'in_progress', 'done', 'dropped');

-- Who is responsible for an agreed action: one guest, a guest's organisation, or the club (the space).
create type public.action_owner_kind as enum ('guest', 'organisation', 'club');

create table public.dialogues (
  id uuid primary key references public.threads (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  purpose text not null check (char_length(btrim(purpose, E' \t\r\n')) between 1 and 2000),
  meeting_at timestamptz,
  venue text not null default '' check (char_length(venue) <= 200),
  language public.app_language not null default 'vi',
  status public.dialogue_status not null default 'preparing',
  convened_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint dialogues_purpose_visible check (public.has_visible_text(purpose) and public.has_no_bidi_controls(purpose)),
  constraint dialogues_venue_clean check (public.has_no_bidi_controls(venue))
);
revoke all on public.dialogues from anon;
revoke insert, delete on public.dialogues from authenticated;

create index dialogues_space_idx on public.dialogues (space_id, status);

-- The issues the members raised, in order.
create table public.dialogue_agenda_items (
  id uuid primary key default gen_random_uuid(),
  dialogue_id uuid not null references public.dialogues (id) on delete cascade,
  position integer not null check (position between 1 and 30),
  text text not null check (char_length(btrim(text, E' \t\r\n')) between 1 and 300),
  constraint dialogue_agenda_items_text_visible check (public.has_visible_text(text) and public.has_no_bidi_controls(text)),
  unique (dialogue_id, position)
);
revoke all on public.dialogue_agenda_items from anon;

-- Invites to one dialogue, in the style of space invites: 8 characters typed
-- from paper, an expiry, an optional use limit, revocable.
create table public.dialogue_invites (
  id uuid primary key default gen_random_uuid(),
  dialogue_id uuid not null references public.dialogues (id) on delete cascade,
  code text not null unique check (code ~ '^[A-HJKMNP-Z2-9]{8}$'),
  expires_at timestamptz not null default now() + interval '14 days',
  max_uses integer check (max_uses between 1 and 1000),
  uses integer not null default 0,
  revoked_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now()
);
revoke all on public.dialogue_invites from anon;
revoke delete on public.dialogue_invites from authenticated;

create index dialogue_invites_dialogue_idx on public.dialogue_invites (dialogue_id);

-- The guests of a dialogue with the badge shown on their posts. Muted: reads,
-- cannot post. Removed: nothing, from the next request on.
create table public.dialogue_guests (
  dialogue_id uuid not null references public.dialogues (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  stakeholder_type public.stakeholder_type not null,
  organisation text not null check (char_length(btrim(organisation, E' \t\r\n')) between 1 and 120),
  position text not null default '' check (char_length(position) <= 120),
  joined_at timestamptz not null default now(),
  muted_at timestamptz,
  removed_at timestamptz,
  primary key (dialogue_id, user_id),
  constraint dialogue_guests_badge_clean check (
    public.has_visible_text(organisation) and public.has_no_bidi_controls(organisation)
    and public.has_no_bidi_controls(position)
  )
);
revoke all on public.dialogue_guests from anon;
revoke insert, delete on public.dialogue_guests from authenticated;

create index dialogue_guests_user_idx on public.dialogue_guests (user_id) where removed_at is null;

-- Who wrote a post made "as a member of <space>". Facilitators read it (moderation); so does its author.
create table public.dialogue_hidden_authors (
  post_id uuid primary key references public.posts (id) on delete cascade,
  dialogue_id uuid not null references public.dialogues (id) on delete cascade,
  author_id uuid not null references auth.users (id) on delete cascade
);
revoke all on public.dialogue_hidden_authors from anon;
revoke insert, update, delete on public.dialogue_hidden_authors from authenticated;

create index dialogue_hidden_authors_author_idx on public.dialogue_hidden_authors (author_id);

create index dialogue_hidden_authors_dialogue_idx on public.dialogue_hidden_authors (dialogue_id);

-- Members who chose to be named in the dialogue's report (others are counted only).
create table public.dialogue_named_members (
  dialogue_id uuid not null references public.dialogues (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  primary key (dialogue_id, user_id)
);
revoke all on public.dialogue_named_members from anon;

create index dialogue_named_members_user_idx on public.dialogue_named_members (user_id);

create table public.dialogue_actions (
  id uuid primary key default gen_random_uuid(),
  dialogue_id uuid not null references public.dialogues (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- The proposal or commitment it came from, if any.
  source_post_id uuid references public.posts (id) on delete set null,
  description text not null check (char_length(btrim(description, E' \t\r\n')) between 1 and 1000),
  owner_kind public.action_owner_kind not null,
  owner_user_id uuid references auth.users (id) on delete set null,
  owner_organisation text check (char_length(owner_organisation) <= 120),
  supporting text not null default '' check (char_length(supporting) <= 300),
  due_on date,
  status public.action_status not null default 'agreed',
  dropped_reason text check (char_length(dropped_reason) <= 500),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  done_at timestamptz,
  constraint dialogue_actions_description_visible
    check (public.has_visible_text(description) and public.has_no_bidi_controls(description)),
  constraint dialogue_actions_owner_fits check (
    (owner_kind <> 'guest' or owner_user_id is not null)
    and (owner_kind <> 'organisation' or public.has_visible_text(owner_organisation))
  ),
  constraint dialogue_actions_dropped_has_reason check (status <> 'dropped' or public.has_visible_text(dropped_reason))
);
revoke all on public.dialogue_actions from anon;
revoke insert, delete on public.dialogue_actions from authenticated;

create index dialogue_actions_dialogue_idx on public.dialogue_actions (dialogue_id, created_at);

create index dialogue_actions_space_idx on public.dialogue_actions (space_id, status, due_on);

create index dialogue_actions_owner_idx on public.dialogue_actions (owner_user_id);

create index dialogue_actions_source_idx on public.dialogue_actions (source_post_id);

-- Progress on an action: text, an optional photo or file (bucket
-- "dialogue-files", same limits as the library), and the status it set.
create table public.action_updates (
  id uuid primary key,
  action_id uuid not null references public.dialogue_actions (id) on delete cascade,
  body text not null default '' check (char_length(body) <= 2000),
  status public.action_status,
  object_path text unique,
  file_name text check (char_length(file_name) <= 200),
  mime_type text,
  size_bytes bigint,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint action_updates_say_something check (public.has_visible_text(body) or object_path is not null or status is not null),
  constraint action_updates_clean check (public.has_no_bidi_controls(body) and public.has_no_bidi_controls(coalesce(file_name, '')))
);
revoke all on public.action_updates from anon;
revoke insert, update, delete on public.action_updates from authenticated;

create index action_updates_action_idx on public.action_updates (action_id, created_at);

create index action_updates_created_by_idx on public.action_updates (created_by);

-- ---------------------------------------------------------------------------
-- Helpers.
-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.can_convene(p_space uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select public.has_space_role(p_space, array['facilitator', 'leader']::public.space_role[]));
end;
$$;
comment on function public.can_convene(uuid) is
  'May I convene dialogues in this space? (its facilitators and leaders)';
revoke execute on function public.can_convene(uuid) from anon, public;
grant execute on function public.can_convene(uuid) to authenticated;

-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.is_dialogue_convener(p_dialogue uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (select 1 from public.dialogues d where d.id = p_dialogue and public.can_convene(d.space_id)));
end;
$$;
comment on function public.is_dialogue_convener(uuid) is
  'Am I a convener of the dialogue? (a facilitator or leader of its space)';
revoke execute on function public.is_dialogue_convener(uuid) from anon, public;
grant execute on function public.is_dialogue_convener(uuid) to authenticated;

-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.is_dialogue_guest(p_dialogue uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select p_dialogue in (select public.my_guest_dialogue_ids()));
end;
$$;
comment on function public.is_dialogue_guest(uuid) is
  'Am I a guest of the dialogue who was not removed?';
revoke execute on function public.is_dialogue_guest(uuid) from anon, public;
grant execute on function public.is_dialogue_guest(uuid) to authenticated;

-- The responsible guest, or any (not removed) guest of the responsible
-- organisation, or a convener. A muted guest still reports progress: muting
-- stops talking in the thread, not keeping a commitment.
-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.can_update_action(p_action uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.dialogue_actions a
     where a.id = p_action and (
       public.is_dialogue_convener(a.dialogue_id)
       or (a.owner_kind = 'guest' and a.owner_user_id = (select auth.uid()) and public.is_dialogue_guest(a.dialogue_id))
       or (a.owner_kind = 'organisation' and exists (
             select 1 from public.dialogue_guests g
              where g.dialogue_id = a.dialogue_id and g.user_id = (select auth.uid()) and g.removed_at is null
                and lower(btrim(g.organisation)) = lower(btrim(a.owner_organisation))))
     )
  ));
end;
$$;
comment on function public.can_update_action(uuid) is
  'May I report progress on the action and change its status? Its conveners, the responsible guest, or a guest of the responsible organisation.';
revoke execute on function public.can_update_action(uuid) from anon, public;
grant execute on function public.can_update_action(uuid) to authenticated;

-- Whose name and badge a person may see (profiles' read policy, below).
-- A guest: the dialogue's other guests, and its members who posted openly in
-- it or chose to be named in its report. A member: the guests of their
-- spaces' dialogues.
-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.shares_a_dialogue_with(p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
      select 1 from public.dialogue_guests mine
       where mine.user_id = (select auth.uid()) and mine.removed_at is null and (
         exists (select 1 from public.dialogue_guests theirs
                  where theirs.dialogue_id = mine.dialogue_id and theirs.user_id = p_user)
         or exists (select 1 from public.posts p
                     where p.thread_id = mine.dialogue_id and p.author_id = p_user and p.deleted_at is null)
         or exists (select 1 from public.dialogue_named_members n
                     where n.dialogue_id = mine.dialogue_id and n.user_id = p_user)
       )
    )
    or exists (
      select 1 from public.dialogue_guests theirs join public.dialogues d on d.id = theirs.dialogue_id
       where theirs.user_id = p_user and d.space_id in (select public.my_space_ids())
    ));
end;
$$;
comment on function public.shares_a_dialogue_with(uuid) is
  'Do I see this person through a dialogue? (as a guest: its guests, and members who posted openly or chose to be named; as a member: the guests of my spaces'' dialogues)';
revoke execute on function public.shares_a_dialogue_with(uuid) from anon, public;
grant execute on function public.shares_a_dialogue_with(uuid) to authenticated;

-- ---------------------------------------------------------------------------
alter table public.dialogues enable row level security;

alter table public.dialogue_agenda_items enable row level security;

alter table public.dialogue_invites enable row level security;

alter table public.dialogue_guests enable row level security;

alter table public.dialogue_hidden_authors enable row level security;

alter table public.dialogue_named_members enable row level security;

alter table public.dialogue_actions enable row level security;

alter table public.action_updates enable row level security;

-- Convening goes through convene_dialogue() (it also makes the thread).
create policy "members and guests read dialogues" on public.dialogues
  for select to authenticated using (
    space_id in (select public.my_space_ids()) or id in (select public.my_guest_dialogue_ids())
  );

create policy "conveners edit dialogues" on public.dialogues
  for update to authenticated
  using (public.can_convene(space_id)) with check (public.can_convene(space_id));

create policy "readers read the agenda" on public.dialogue_agenda_items
  for select to authenticated using (public.can_read_thread(dialogue_id));

create policy "conveners add agenda items" on public.dialogue_agenda_items
  for insert to authenticated with check (public.is_dialogue_convener(dialogue_id));

create policy "conveners edit agenda items" on public.dialogue_agenda_items
  for update to authenticated
  using (public.is_dialogue_convener(dialogue_id)) with check (public.is_dialogue_convener(dialogue_id));

create policy "conveners remove agenda items" on public.dialogue_agenda_items
  for delete to authenticated using (public.is_dialogue_convener(dialogue_id));

create policy "conveners see dialogue invites" on public.dialogue_invites
  for select to authenticated using (public.is_dialogue_convener(dialogue_id));

create policy "conveners create dialogue invites" on public.dialogue_invites
  for insert to authenticated with check (
    created_by = (select auth.uid()) and uses = 0 and revoked_at is null
    and public.is_dialogue_convener(dialogue_id)
  );

create policy "conveners revoke dialogue invites" on public.dialogue_invites
  for update to authenticated
  using (public.is_dialogue_convener(dialogue_id)) with check (public.is_dialogue_convener(dialogue_id));

-- Joining goes through join_dialogue().
create policy "members and fellow guests see a dialogue's guests" on public.dialogue_guests
  for select to authenticated using (
    exists (select 1 from public.dialogues d where d.id = dialogue_id and d.space_id in (select public.my_space_ids()))
    or dialogue_id in (select public.my_guest_dialogue_ids())
  );

-- Conveners mute and remove; a guest corrects their own badge (guard_dialogue_guest_update).
create policy "conveners and the guest update a guest" on public.dialogue_guests
  for update to authenticated
  using (public.is_dialogue_convener(dialogue_id) or (user_id = (select auth.uid()) and removed_at is null))
  with check (public.is_dialogue_convener(dialogue_id) or (user_id = (select auth.uid()) and removed_at is null));

create policy "facilitators and the author see who wrote an anonymous post" on public.dialogue_hidden_authors
  for select to authenticated using (
    author_id = (select auth.uid())
    or exists (select 1 from public.dialogues d where d.id = dialogue_id and public.is_space_facilitator(d.space_id))
  );

create policy "readers see who chose to be named" on public.dialogue_named_members
  for select to authenticated using (public.can_read_thread(dialogue_id));

create policy "members choose to be named" on public.dialogue_named_members
  for insert to authenticated with check (
    user_id = (select auth.uid())
    and exists (select 1 from public.dialogues d where d.id = dialogue_id and public.is_space_member(d.space_id))
  );

create policy "members take their name back" on public.dialogue_named_members
  for delete to authenticated using (user_id = (select auth.uid()));

-- Agreeing goes through agree_action(); progress through post_action_update().
create policy "readers read actions" on public.dialogue_actions
  for select to authenticated using (
    space_id in (select public.my_space_ids()) or dialogue_id in (select public.my_guest_dialogue_ids())
  );

create policy "conveners edit actions" on public.dialogue_actions
  for update to authenticated
  using (public.is_dialogue_convener(dialogue_id)) with check (public.is_dialogue_convener(dialogue_id));

create policy "readers read progress" on public.action_updates
  for select to authenticated using (
    exists (select 1 from public.dialogue_actions a where a.id = action_id)
  );

-- ---------------------------------------------------------------------------
-- Guards: what each person may change, column by column. Writes by the RPCs
-- below run as their owner (current_user is not an API role) and pass.
create function public.guard_dialogue_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.id <> old.id or new.space_id <> old.space_id or new.convened_by is distinct from old.convened_by
     or new.created_at <> old.created_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.guard_dialogue_update() is
  'Guard: refuses (not_allowed) moving a dialogue to another space or changing who convened it or when; stamps updated_at.';

create trigger dialogues_guard before update on public.dialogues
  for each row execute function public.guard_dialogue_update();

create function public.guard_dialogue_invite_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') and (
       new.code <> old.code or new.dialogue_id <> old.dialogue_id or new.created_by is distinct from old.created_by
       or new.created_at <> old.created_at or new.uses <> old.uses or new.max_uses is distinct from old.max_uses
       or new.expires_at <> old.expires_at
       or (old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at)) then
    raise exception 'invite_immutable' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_dialogue_invite_update() is
  'Guard: through the API a dialogue invite can only be revoked, once (invite_immutable); uses move only in join_dialogue().';

create trigger dialogue_invites_guard before update on public.dialogue_invites
  for each row execute function public.guard_dialogue_invite_update();

create function public.guard_dialogue_guest_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_convener boolean := public.is_dialogue_convener(old.dialogue_id);
begin
  if current_user not in ('authenticated', 'anon') then
    return new;
  end if;
  if new.dialogue_id <> old.dialogue_id or new.user_id <> old.user_id or new.joined_at <> old.joined_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  -- Muting and removing are the conveners'; the badge is the guest's own.
  if (new.muted_at is distinct from old.muted_at or new.removed_at is distinct from old.removed_at) and not v_convener then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (new.stakeholder_type <> old.stakeholder_type or new.organisation <> old.organisation or new.position <> old.position)
     and old.user_id is distinct from (select auth.uid()) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.muted_at is not null and old.muted_at is null then
    new.muted_at := now();
  end if;
  if new.removed_at is not null and old.removed_at is null then
    new.removed_at := now();
  end if;
  return new;
end;
$$;
comment on function public.guard_dialogue_guest_update() is
  'Guard: refuses (not_allowed) moving a guest row, muting or removing unless a convener, changing a badge unless its own guest; stamps muted_at and removed_at.';

create trigger dialogue_guests_guard before update on public.dialogue_guests
  for each row execute function public.guard_dialogue_guest_update();

-- Conveners edit an action's words, owner and due date here; its status moves
-- with a progress update (post_action_update), so the history says who and when.
create function public.guard_dialogue_action_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') and (
       new.id <> old.id or new.dialogue_id <> old.dialogue_id or new.space_id <> old.space_id
       or new.source_post_id is distinct from old.source_post_id or new.created_by is distinct from old.created_by
       or new.created_at <> old.created_at or new.status <> old.status
       or new.dropped_reason is distinct from old.dropped_reason or new.done_at is distinct from old.done_at) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.guard_dialogue_action_update() is
  'Guard: through the API, conveners change an action''s description, owner, supporting parties and due date only (not_allowed otherwise); status moves with post_action_update(). Stamps updated_at.';

create trigger dialogue_actions_guard before update on public.dialogue_actions
  for each row execute function public.guard_dialogue_action_update();

-- A dialogue and its thread (title; the purpose is the opening post), agenda
-- and details in one transaction. A replayed id returns that id.
create function public.convene_dialogue(
  p_id uuid,
  p_space uuid,
  p_title text,
  p_purpose text,
  p_agenda text[] default '{}',
  p_meeting_at timestamptz default null,
  p_venue text default '',
  p_language public.app_language default 'vi'
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_item text;
  v_position integer := 0;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.dialogues d where d.id = p_id) then
    if public.is_dialogue_convener(p_id) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.can_convene(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if cardinality(coalesce(p_agenda, '{}')) > 30 then
    raise exception 'too_many_agenda_items' using errcode = 'P0001';
  end if;
  insert into public.threads (id, space_id, author_id, title, topic, is_dialogue)
  values (p_id, p_space, v_user, btrim(coalesce(p_title, ''), E' \t\r\n'), 'other', true);
  insert into public.posts (thread_id, space_id, author_id, body, is_opening)
  values (p_id, p_space, v_user, btrim(coalesce(p_purpose, ''), E' \t\r\n'), true);
  insert into public.dialogues (id, space_id, purpose, meeting_at, venue, language, convened_by)
  values (p_id, p_space, btrim(coalesce(p_purpose, ''), E' \t\r\n'), p_meeting_at, btrim(coalesce(p_venue, '')),
          coalesce(p_language, 'vi'), v_user);
  foreach v_item in array coalesce(p_agenda, '{}') loop
    if public.has_visible_text(v_item) then
      v_position := v_position + 1;
      insert into public.dialogue_agenda_items (dialogue_id, position, text)
      values (p_id, v_position, btrim(v_item, E' \t\r\n'));
    end if;
  end loop;
  return p_id;
end;
$$;
comment on function public.convene_dialogue(uuid, uuid, text, text, text[], timestamptz, text, public.app_language) is
  'RPC: a facilitator or leader convenes a dialogue in their space: its thread, opening post (the purpose), details and agenda, in one step (not_signed_in, not_allowed, too_many_agenda_items).';
revoke execute on function public.convene_dialogue(uuid, uuid, text, text, text[], timestamptz, text, public.app_language) from anon, public;
grant execute on function public.convene_dialogue(uuid, uuid, text, text, text[], timestamptz, text, public.app_language) to authenticated;

-- What an invite code is for, before joining: only the dialogue's title and
-- its space's name, and only for a usable code (anyone may ask: the sign-in
-- page shows it to a person arriving from an invite link).
create function public.dialogue_invite_preview(p_code text)
returns table (dialogue_id uuid, title text, space_name text)
language sql stable security definer set search_path = '' as $$
  select d.id, t.title, s.name
    from public.dialogue_invites i
    join public.dialogues d on d.id = i.dialogue_id
    join public.threads t on t.id = d.id
    join public.spaces s on s.id = d.space_id
   where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
     and i.revoked_at is null and i.expires_at >= now()
     and (i.max_uses is null or i.uses < i.max_uses)
     and d.status in ('preparing', 'open') and t.deleted_at is null
$$;
comment on function public.dialogue_invite_preview(text) is
  'RPC (anyone): the title of the dialogue and the name of its space for a usable invite code; nothing otherwise.';
grant execute on function public.dialogue_invite_preview(text) to anon, authenticated;

-- Joining one dialogue as a guest, with the badge shown on every post.
create function public.join_dialogue(
  p_code text,
  p_stakeholder_type public.stakeholder_type,
  p_organisation text,
  p_position text default ''
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_invite public.dialogue_invites;
  v_space uuid;
  v_status public.dialogue_status;
  v_guest public.dialogue_guests;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_invite from public.dialogue_invites i
   where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
   for update;
  if not found or v_invite.revoked_at is not null then
    raise exception 'invite_not_found' using errcode = 'P0001';
  end if;
  select d.space_id, d.status into v_space, v_status from public.dialogues d where d.id = v_invite.dialogue_id;
  -- Members take part as members (their name or "a member of" the space), never with a guest badge.
  if exists (select 1 from public.space_members m where m.space_id = v_space and m.user_id = v_user) then
    raise exception 'already_member' using errcode = 'P0001';
  end if;
  select * into v_guest from public.dialogue_guests g where g.dialogue_id = v_invite.dialogue_id and g.user_id = v_user;
  if found and v_guest.removed_at is null then
    raise exception 'already_guest' using errcode = 'P0001';
  end if;
  -- As with spaces: a removed guest comes back only with an invite made after the removal.
  if found and v_guest.removed_at >= v_invite.created_at then
    raise exception 'removed_from_dialogue' using errcode = 'P0001';
  end if;
  if v_invite.expires_at < now() or (v_invite.max_uses is not null and v_invite.uses >= v_invite.max_uses)
     or v_status not in ('preparing', 'open') then
    raise exception 'invite_expired' using errcode = 'P0001';
  end if;
  insert into public.dialogue_guests (dialogue_id, user_id, stakeholder_type, organisation, position)
  values (v_invite.dialogue_id, v_user, p_stakeholder_type, btrim(coalesce(p_organisation, '')), btrim(coalesce(p_position, '')))
  on conflict (dialogue_id, user_id) do update
    set stakeholder_type = excluded.stakeholder_type, organisation = excluded.organisation,
        position = excluded.position, joined_at = now(), muted_at = null, removed_at = null;
  update public.dialogue_invites set uses = uses + 1 where id = v_invite.id;
  return v_invite.dialogue_id;
end;
$$;
comment on function public.join_dialogue(text, public.stakeholder_type, text, text) is
  'RPC: joins the dialogue of an invite code as a guest with a stakeholder badge (not_signed_in, invite_not_found, already_member, already_guest, removed_from_dialogue, invite_expired).';
revoke execute on function public.join_dialogue(text, public.stakeholder_type, text, text) from anon, public;
grant execute on function public.join_dialogue(text, public.stakeholder_type, text, text) to authenticated;

-- A member's post "as a member of <space>": no author on the post; the author
-- is kept for facilitators only. A replayed id returns that id.
create function public.post_anonymously(p_id uuid, p_dialogue uuid, p_body text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_space uuid;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.dialogue_hidden_authors h where h.post_id = p_id and h.author_id = v_user) then
    return p_id;
  end if;
  select d.space_id into v_space from public.dialogues d where d.id = p_dialogue;
  if v_space is null or not public.is_space_member(v_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.can_post_in_thread(p_dialogue) then
    raise exception 'thread_locked' using errcode = 'P0001';
  end if;
  insert into public.posts (id, thread_id, space_id, author_id, body, anonymous)
  values (p_id, p_dialogue, v_space, null, btrim(coalesce(p_body, ''), E' \t\r\n'), true)
  on conflict (id) do nothing;
  if not found then
    -- The same id was stored meanwhile: ours (a replay) or somebody else's (refused).
    if exists (select 1 from public.dialogue_hidden_authors h where h.post_id = p_id and h.author_id = v_user) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.dialogue_hidden_authors (post_id, dialogue_id, author_id) values (p_id, p_dialogue, v_user);
  return p_id;
end;
$$;
comment on function public.post_anonymously(uuid, uuid, text) is
  'RPC: a member posts in a dialogue "as a member of" the space; the author is kept for the space''s facilitators only (not_signed_in, not_allowed, thread_locked).';
revoke execute on function public.post_anonymously(uuid, uuid, text) from anon, public;
grant execute on function public.post_anonymously(uuid, uuid, text) to authenticated;

-- The author of an anonymous post takes it back (as removed, like any post).
create function public.remove_anonymous_post(p_post uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (
    select 1 from public.dialogue_hidden_authors h
     where h.post_id = p_post and h.author_id = (select auth.uid()) and public.can_read_thread(h.dialogue_id)
  ) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  update public.posts set deleted_at = now() where id = p_post and deleted_at is null;
end;
$$;
comment on function public.remove_anonymous_post(uuid) is
  'RPC: the author of an anonymous dialogue post removes it (not_allowed for anyone else).';
revoke execute on function public.remove_anonymous_post(uuid) from anon, public;
grant execute on function public.remove_anonymous_post(uuid) to authenticated;

-- Integrity fixes found by the attack review (issue 20, items 5 and 10).
--
-- Item 5: in plpgsql `if ... or not (a = b or ...)` is NULL, not true, when a
-- is NULL, and a NULL condition does not raise. mark_post_outcome compared a
-- post's author with the caller, and an anonymous post's author is NULL: any
-- reader of the dialogue, guests included, could mark a member's anonymous
-- complaint as a proposal. The same shape in guard_thread_update (a thread
-- whose author deleted their account) is made NULL-safe too; every other
-- author comparison in a raising condition already uses `is distinct from`
-- (tests/integration/authorization/null-safe.spec.ts tries each).
--
-- Item 10: a dialogue guest could read the ids of every member who reacted
-- (the reactions rows). Guests now see their own reactions only; the pages
-- show counts for everyone through thread_reaction_counts().
create or replace function public.mark_post_outcome(p_post uuid, p_outcome public.post_outcome) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_post public.posts;
  v_user uuid := (select auth.uid());
begin
  select * into v_post from public.posts p where p.id = p_post;
  if not found or v_post.deleted_at is not null or v_user is null
     or not exists (select 1 from public.dialogues d where d.id = v_post.thread_id)
     or not public.can_read_thread(v_post.thread_id)
     or not coalesce(
       v_post.author_id = v_user
       or exists (select 1 from public.dialogue_hidden_authors h where h.post_id = p_post and h.author_id = v_user)
       or public.is_dialogue_convener(v_post.thread_id),
       false) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  perform set_config('sahakum.marking_outcome', 'on', true);
  update public.posts set outcome = p_outcome where id = p_post;
  perform set_config('sahakum.marking_outcome', 'off', true);
end;
$$;
comment on function public.mark_post_outcome(uuid, public.post_outcome) is
  'RPC: the author of a dialogue post (an anonymous post''s hidden author included) or a convener marks it as an issue raised, a proposal or a commitment, or clears the mark (not_allowed).';
revoke execute on function public.mark_post_outcome(uuid, public.post_outcome) from anon, public;
grant execute on function public.mark_post_outcome(uuid, public.post_outcome) to authenticated;

-- An agreed action, from a proposal or commitment or on its own. Due dates
-- are not in the past when agreed. A replayed id returns that id.
create function public.agree_action(
  p_id uuid,
  p_dialogue uuid,
  p_description text,
  p_owner_kind public.action_owner_kind,
  p_owner_user uuid default null,
  p_owner_organisation text default null,
  p_supporting text default '',
  p_due_on date default null,
  p_source_post uuid default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
begin
  if exists (select 1 from public.dialogue_actions a where a.id = p_id and a.dialogue_id = p_dialogue)
     and public.is_dialogue_convener(p_dialogue) then
    return p_id;
  end if;
  if not public.is_dialogue_convener(p_dialogue) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  select d.space_id into v_space from public.dialogues d where d.id = p_dialogue;
  if p_due_on is not null and p_due_on < current_date then
    raise exception 'due_in_past' using errcode = 'P0001';
  end if;
  if p_owner_kind = 'guest' and not exists (
       select 1 from public.dialogue_guests g
        where g.dialogue_id = p_dialogue and g.user_id = p_owner_user and g.removed_at is null) then
    raise exception 'owner_not_a_guest' using errcode = 'P0001';
  end if;
  if p_source_post is not null and not exists (
       select 1 from public.posts p
        where p.id = p_source_post and p.thread_id = p_dialogue and p.deleted_at is null
          and p.outcome in ('proposal', 'commitment')) then
    raise exception 'not_a_proposal' using errcode = 'P0001';
  end if;
  insert into public.dialogue_actions (
    id, dialogue_id, space_id, source_post_id, description, owner_kind, owner_user_id, owner_organisation,
    supporting, due_on, created_by
  ) values (
    p_id, p_dialogue, v_space, p_source_post, btrim(coalesce(p_description, ''), E' \t\r\n'), p_owner_kind,
    case when p_owner_kind = 'guest' then p_owner_user end,
    case when p_owner_kind = 'organisation' then btrim(p_owner_organisation) end,
    btrim(coalesce(p_supporting, '')), p_due_on, (select auth.uid())
  );
  return p_id;
end;
$$;
comment on function public.agree_action(uuid, uuid, text, public.action_owner_kind, uuid, text, text, date, uuid) is
  'RPC: a convener records an agreed action with its owner (a guest, an organisation or the club) and due date (not_allowed, due_in_past, owner_not_a_guest, not_a_proposal).';
revoke execute on function public.agree_action(uuid, uuid, text, public.action_owner_kind, uuid, text, text, date, uuid) from anon, public;
grant execute on function public.agree_action(uuid, uuid, text, public.action_owner_kind, uuid, text, text, date, uuid) to authenticated;

-- Progress on an action: text, an optional file already uploaded to
-- "dialogue-files" at '<dialogue>/<action>/<id>', and a new status. The file's
-- size and type come from the stored object, never from the client.
create function public.post_action_update(
  p_id uuid,
  p_action uuid,
  p_body text default '',
  p_status public.action_status default null,
  p_with_file boolean default false,
  p_file_name text default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_action public.dialogue_actions;
  v_path text;
  v_meta jsonb;
  v_body text := btrim(coalesce(p_body, ''), E' \t\r\n');
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_action from public.dialogue_actions a where a.id = p_action for update;
  -- After the lock: a replay that was still running has committed by now.
  if exists (select 1 from public.action_updates u where u.id = p_id and u.created_by = v_user) then
    return p_id;
  end if;
  if v_action.id is null or not public.can_update_action(p_action) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_status = 'dropped' and not public.has_visible_text(v_body) then
    raise exception 'dropped_needs_reason' using errcode = 'P0001';
  end if;
  if p_with_file then
    v_path := v_action.dialogue_id::text || '/' || p_action::text || '/' || p_id::text;
    select o.metadata into v_meta from storage.objects o
     where o.bucket_id = 'dialogue-files' and o.name = v_path and o.owner_id = v_user::text;
    if v_meta is null then
      raise exception 'file_missing' using errcode = 'P0001';
    end if;
  end if;
  insert into public.action_updates (id, action_id, body, status, object_path, file_name, mime_type, size_bytes, created_by)
  values (p_id, p_action, v_body, p_status, v_path,
          case when v_path is not null then left(coalesce(nullif(btrim(p_file_name), ''), 'file'), 200) end,
          v_meta ->> 'mimetype', (v_meta ->> 'size')::bigint, v_user);
  if p_status is not null and p_status <> v_action.status then
    update public.dialogue_actions
       set status = p_status,
           dropped_reason = case when p_status = 'dropped' then v_body end,
           done_at = case when p_status = 'done' then now() end
     where id = p_action;
  end if;
  return p_id;
end;
$$;
comment on function public.post_action_update(uuid, uuid, text, public.action_status, boolean, text) is
  'RPC: the responsible guest (or a guest of the responsible organisation) or a convener reports progress, with an optional file, and moves the status (not_signed_in, not_allowed, dropped_needs_reason, file_missing).';
revoke execute on function public.post_action_update(uuid, uuid, text, public.action_status, boolean, text) from anon, public;
grant execute on function public.post_action_update(uuid, uuid, text, public.action_status, boolean, text) to authenticated;

-- Everything a dialogue page shows about the dialogue itself, for its readers, in one call.
-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.dialogue_overview(p_dialogue uuid)
returns table (
  id uuid, space_id uuid, space_name text, title text, purpose text, meeting_at timestamptz, venue text,
  language public.app_language, status public.dialogue_status, locked boolean,
  am_convener boolean, am_member boolean, am_guest boolean, am_muted boolean, can_post boolean,
  members_taking_part integer
)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  select d.id, d.space_id, s.name, t.title, d.purpose, d.meeting_at, d.venue, d.language, d.status, t.locked,
         public.is_dialogue_convener(d.id), public.is_space_member(d.space_id), public.is_dialogue_guest(d.id),
         exists (select 1 from public.dialogue_guests g
                  where g.dialogue_id = d.id and g.user_id = (select auth.uid()) and g.muted_at is not null),
         public.can_post_in_thread(d.id),
         -- Members who wrote in it, openly or not, or chose to be named: a number for the report, never names.
         (select count(distinct x.user_id)::int from (
            select p.author_id as user_id from public.posts p
             join public.space_members sm on sm.space_id = d.space_id and sm.user_id = p.author_id
             where p.thread_id = d.id
            union select h.author_id from public.dialogue_hidden_authors h where h.dialogue_id = d.id
            union select n.user_id from public.dialogue_named_members n where n.dialogue_id = d.id
          ) x)
    from public.dialogues d
    join public.threads t on t.id = d.id
    join public.spaces s on s.id = d.space_id
   where d.id = p_dialogue and t.deleted_at is null and public.can_read_thread(d.id);
end;
$$;
comment on function public.dialogue_overview(uuid) is
  'RPC: a dialogue''s details, its space''s name, my standing in it and how many members take part (a count), for its members and guests; nothing for others.';
revoke execute on function public.dialogue_overview(uuid) from anon, public;
grant execute on function public.dialogue_overview(uuid) to authenticated;

-- The dialogues I am a guest of (a guest is in no space, so this is their home).
create function public.my_dialogues()
returns table (id uuid, title text, space_name text, status public.dialogue_status, meeting_at timestamptz,
               last_activity_at timestamptz, unread boolean)
language sql stable security definer set search_path = '' as $$
  select d.id, t.title, s.name, d.status, d.meeting_at, t.last_activity_at,
         t.last_activity_at > coalesce(r.last_read_at, g.joined_at)
    from public.dialogue_guests g
    join public.dialogues d on d.id = g.dialogue_id
    join public.threads t on t.id = d.id
    join public.spaces s on s.id = d.space_id
    left join public.thread_reads r on r.thread_id = t.id and r.user_id = g.user_id
   where g.user_id = (select auth.uid()) and g.removed_at is null and t.deleted_at is null
   order by t.last_activity_at desc
$$;
comment on function public.my_dialogues() is
  'RPC: the dialogues I am a guest of (not removed from), with their space''s name and whether something is unread.';
revoke execute on function public.my_dialogues() from anon, public;
grant execute on function public.my_dialogues() to authenticated;

-- Actions I can see, filtered; as the caller (the read policies decide).
-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.list_actions(
  p_space uuid default null,
  p_dialogue uuid default null,
  p_status public.action_status default null,
  p_organisation text default null,
  p_overdue boolean default false,
  p_limit integer default 300
) returns table (
  id uuid, dialogue_id uuid, dialogue_title text, space_id uuid, description text,
  owner_kind public.action_owner_kind, owner_user_id uuid, owner_organisation text, supporting text,
  due_on date, status public.action_status, dropped_reason text, created_at timestamptz, updated_at timestamptz,
  done_at timestamptz, overdue boolean, last_update_at timestamptz, can_update boolean
)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  select a.id, a.dialogue_id, t.title, a.space_id, a.description, a.owner_kind, a.owner_user_id,
         coalesce(a.owner_organisation, g.organisation), a.supporting, a.due_on, a.status, a.dropped_reason,
         a.created_at, a.updated_at, a.done_at,
         a.due_on < current_date and a.status in ('agreed', 'in_progress'),
         (select max(u.created_at) from public.action_updates u where u.action_id = a.id),
         public.can_update_action(a.id)
    from public.dialogue_actions a
    join public.threads t on t.id = a.dialogue_id
    left join public.dialogue_guests g on a.owner_kind = 'guest' and g.dialogue_id = a.dialogue_id and g.user_id = a.owner_user_id
   where (p_space is null or a.space_id = p_space)
     and (p_dialogue is null or a.dialogue_id = p_dialogue)
     and (p_status is null or a.status = p_status)
     and (p_organisation is null
          or lower(btrim(coalesce(a.owner_organisation, g.organisation, ''))) = lower(btrim(p_organisation)))
     and (not coalesce(p_overdue, false) or (a.due_on < current_date and a.status in ('agreed', 'in_progress')))
   order by (a.due_on < current_date and a.status in ('agreed', 'in_progress')) desc,
            a.due_on nulls last, a.created_at
   limit least(greatest(coalesce(p_limit, 300), 1), 1000);
end;
$$;
comment on function public.list_actions(uuid, uuid, public.action_status, text, boolean, integer) is
  'RPC (as the caller, under the policies): the agreed actions I can see, filtered by space, dialogue, status, organisation or overdue; overdue first.';
revoke execute on function public.list_actions(uuid, uuid, public.action_status, text, boolean, integer) from anon, public;
grant execute on function public.list_actions(uuid, uuid, public.action_status, text, boolean, integer) to authenticated;

-- ---------------------------------------------------------------------------
-- Files of progress updates: bucket "dialogue-files", the library's limits.
-- Paths '<dialogue id>/<action id>/<update id>'. Who may upload is who may
-- report on that action; once registered (action_updates.object_path), the
-- dialogue's readers read it. Unregistered uploads: their uploader only.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
select 'dialogue-files', 'dialogue-files', false, b.file_size_limit, b.allowed_mime_types
  from storage.buckets b where b.id = 'library'
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

create function public.action_file_scope(p_name text, out ok boolean, out dialogue_id uuid, out action_id uuid)
language plpgsql immutable set search_path = '' as $$
declare
  v_uuid constant text := '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  v_parts text[] := regexp_match(p_name, '^(' || v_uuid || ')/(' || v_uuid || ')/' || v_uuid || '$');
begin
  ok := v_parts is not null;
  if ok then
    dialogue_id := v_parts[1]::uuid;
    action_id := v_parts[2]::uuid;
  end if;
end;
$$;
comment on function public.action_file_scope(text) is
  'The dialogue and action a well-formed dialogue-files path is keyed by (ok false for anything else).';
revoke execute on function public.action_file_scope(text) from anon, public;
grant execute on function public.action_file_scope(text) to authenticated;

create function public.can_upload_action_file(p_name text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((
    select s.ok and exists (select 1 from public.dialogue_actions a where a.id = s.action_id and a.dialogue_id = s.dialogue_id)
           and public.can_update_action(s.action_id)
      from public.action_file_scope(p_name) s
  ), false)
$$;
comment on function public.can_upload_action_file(text) is
  'May I upload this dialogue-files object? (a well-formed path of an action I may report on)';
revoke execute on function public.can_upload_action_file(text) from anon, public;
grant execute on function public.can_upload_action_file(text) to authenticated;

create function public.can_read_action_file(p_name text, p_owner text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
      select 1 from public.action_updates u join public.dialogue_actions a on a.id = u.action_id
       where u.object_path = p_name and public.can_read_thread(a.dialogue_id)
    )
    or (
      not exists (select 1 from public.action_updates u where u.object_path = p_name)
      and p_owner = (select auth.uid())::text
    )
$$;
comment on function public.can_read_action_file(text, text) is
  'May I read (or, unregistered, delete) this dialogue-files object? Registered: the dialogue''s readers. Not yet registered: its uploader.';
revoke execute on function public.can_read_action_file(text, text) from anon, public;
grant execute on function public.can_read_action_file(text, text) to authenticated;

create policy "dialogue files: read what the dialogue lets you read" on storage.objects
  for select to authenticated
  using (bucket_id = 'dialogue-files' and public.can_read_action_file(name, owner_id));

create policy "dialogue files: upload for actions you report on" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'dialogue-files' and public.can_upload_action_file(name));

create policy "dialogue files: uploaders delete what was never registered" on storage.objects
  for delete to authenticated
  using (
    bucket_id = 'dialogue-files' and owner_id = (select auth.uid())::text
    and not exists (select 1 from public.action_updates u where u.object_path = name)
  );

-- ---------------------------------------------------------------------------
-- Live: actions and their progress, as ids, to the dialogue's members and
-- guests (dialogue:<id>) and to the space's members (space:<id>, for the
-- actions pages). As the owner: people may not send on these topics.
create function public.announce_action_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_action public.dialogue_actions;
  v_payload jsonb;
begin
  if tg_table_name = 'dialogue_actions' then
    v_action := new;
  else
    select * into v_action from public.dialogue_actions a where a.id = new.action_id;
  end if;
  v_payload := jsonb_build_object('thread_id', v_action.dialogue_id, 'action_id', v_action.id, 'op', lower(tg_op));
  perform realtime.send(v_payload, 'actions', 'dialogue:' || v_action.dialogue_id, true);
  perform realtime.send(v_payload, 'actions', 'space:' || v_action.space_id, true);
  return null;
end;
$$;
comment on function public.announce_action_change() is
  'Trigger: tells dialogue:<id> and space:<id>, with ids only, that an action or its progress changed.';

create trigger dialogue_actions_announce after insert or update on public.dialogue_actions
  for each row execute function public.announce_action_change();

create trigger action_updates_announce after insert on public.action_updates
  for each row execute function public.announce_action_change();

-- Narrows "members read reactions" (20261122000300_threads.sql): who reacted
-- is for the space's members; a dialogue guest sees their own reactions.
create policy "who reacted is for the space's members" on public.reactions
  as restrictive for select to authenticated using (
    user_id = (select auth.uid())
    or exists (select 1 from public.posts p where p.id = post_id and public.is_space_member(p.space_id))
  );

-- Dialogues' rules for threads.
create function public.dialogue_guests_read(p_thread uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_thread in (select public.my_guest_dialogue_ids())
$$;
comment on function public.dialogue_guests_read(uuid) is
  'Rule (read_thread, widen): a dialogue''s invited guests read it until removed.';
revoke execute on function public.dialogue_guests_read(uuid) from anon, authenticated, public;

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
revoke execute on function public.dialogue_guests_post(uuid) from anon, authenticated, public;

-- PL/pgSQL so that its plan lasts across calls (20261206001100_dialogues_cached_plans.sql).
create function public.dialogue_posting_window(p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select coalesce((
    select public.is_dialogue_convener(d.id) or (not t.locked and d.status in ('preparing', 'open'))
      from public.dialogues d join public.threads t on t.id = d.id
     where d.id = p_thread), true));
end;
$$;
comment on function public.dialogue_posting_window(uuid) is
  'Rule (post_in_thread, narrow): in a dialogue, only its conveners post once it is locked, concluded or archived; other threads are not concerned.';
revoke execute on function public.dialogue_posting_window(uuid) from anon, authenticated, public;

create function public.can_use_dialogue_topic(p_dialogue uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.dialogues d where d.id = p_dialogue) and public.can_read_thread(p_dialogue)
$$;
comment on function public.can_use_dialogue_topic(uuid) is
  'Topic rule (dialogue:<id>): the dialogue''s members and guests hear its change notices.';
revoke execute on function public.can_use_dialogue_topic(uuid) from anon, authenticated, public;

insert into private.access_rules (hub, key, mode, rule, capability) values
  ('topic', 'dialogue', 'grant', 'public.can_use_dialogue_topic(uuid)', 'dialogues'),
  ('read_thread', 'dialogues', 'widen', 'public.dialogue_guests_read(uuid)', 'dialogues'),
  ('post_in_thread', 'dialogues', 'widen', 'public.dialogue_guests_post(uuid)', 'dialogues'),
  ('post_in_thread', 'dialogue_window', 'narrow', 'public.dialogue_posting_window(uuid)', 'dialogues');

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

create policy "dialogue guests read their dialogues" on public.threads
  for select to authenticated using (id in (select public.my_guest_dialogue_ids()));

-- Dialogues are convened through convene_dialogue() (it also makes the thread), never inserted directly.
create policy "dialogues are convened, not started" on public.threads
  as restrictive for insert to authenticated with check (not is_dialogue);

create policy "dialogue guests read their dialogues' posts" on public.posts
  for select to authenticated using (thread_id in (select public.my_guest_dialogue_ids()));

-- Posting anonymously and marking outcomes go through their RPCs.
create policy "anonymous posts and outcomes go through their RPCs" on public.posts
  as restrictive for insert to authenticated with check (not anonymous and outcome is null);

-- A mention names a member, whom a dialogue guest may not learn of.
create policy "mentions are for the space's members" on public.mentions
  as restrictive for select to authenticated using (
    exists (select 1 from public.posts p where p.id = post_id and p.space_id in (select public.my_space_ids()))
  );

create policy "profiles are readable by people who share a dialogue" on public.profiles
  for select to authenticated using (public.shares_a_dialogue_with(id));

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

-- What a dialogue invite code leads to, for the dialogue join page: someone
-- who already reads the dialogue (a member of its space, or a guest not
-- removed) is sent into it; otherwise which of closed (concluded, archived or
-- deleted), cancelled, expired or used up keeps the code from working. The
-- dialogue's id goes only to those who read it; its title and space's name
-- only with a usable code, as dialogue_invite_preview() gives them. An
-- unknown code answers nothing.
create function public.dialogue_invite_state(p_code text)
returns table (state text, dialogue_id uuid, title text, space_name text)
language sql stable security definer set search_path = '' as $$
  select x.state,
         case when x.state = 'reader' then x.dialogue_id end,
         case when x.state in ('reader', 'usable') then x.title end,
         case when x.state in ('reader', 'usable') then x.space_name end
    from (
      select d.id as dialogue_id, t.title, s.name as space_name,
             case
               when t.deleted_at is not null then 'closed'
               when d.space_id in (select public.my_space_ids())
                    or d.id in (select public.my_guest_dialogue_ids()) then 'reader'
               when d.status not in ('preparing', 'open') then 'closed'
               when i.revoked_at is not null then 'cancelled'
               when i.expires_at < now() then 'expired'
               when i.max_uses is not null and i.uses >= i.max_uses then 'used_up'
               else 'usable'
             end as state
        from public.dialogue_invites i
        join public.dialogues d on d.id = i.dialogue_id
        join public.threads t on t.id = d.id
        join public.spaces s on s.id = d.space_id
       where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
    ) x
$$;
comment on function public.dialogue_invite_state(text) is
  'RPC (anyone): what a dialogue invite code leads to: reader (with the dialogue''s id, for its members and guests only), usable (with its title and space''s name), closed, cancelled, expired or used_up; nothing for an unknown code.';
revoke execute on function public.dialogue_invite_state(text) from public;
grant execute on function public.dialogue_invite_state(text) to anon, authenticated;

-- The dialogue page in one request (issue 24, part 4): it sent about eight
-- REST calls in two or three waves (dialogue_overview, thread_page, the
-- agenda, the guests, the hidden authors, the named members, list_actions,
-- the names behind them, mark_thread_read, my mutes and my posting limits),
-- each costing a session set-up of its own. open_dialogue() composes the
-- same functions and reads the same tables as the caller (security invoker),
-- so every policy applies exactly as it did for the separate calls and
-- nothing becomes readable that was not. Volatile, because it moves my read
-- marker (only when I may read the dialogue, and only when p_mark_read).
-- plpgsql, so that the moderation objects it reads (person_filters,
-- my_posting_limits, created after this capability's schema) are looked up
-- when it runs, not when it is created.
create function public.open_dialogue(p_dialogue uuid, p_mark_read boolean default true) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_overview jsonb;
  v_page jsonb;
begin
  select to_jsonb(o) into v_overview from public.dialogue_overview(p_dialogue) o;
  if v_overview is null then
    return null;
  end if;
  v_page := public.thread_page(p_dialogue);
  if v_page is null then
    return null;
  end if;
  if p_mark_read then
    perform public.mark_thread_read(p_dialogue);
  end if;
  return jsonb_build_object(
    'overview', v_overview,
    -- The space's members are not shown on a dialogue's page.
    'thread', v_page -> 'thread',
    'posts', v_page -> 'posts',
    'agenda', coalesce((
      select jsonb_agg(jsonb_build_object('id', a.id, 'position', a.position, 'text', a.text) order by a.position)
        from public.dialogue_agenda_items a where a.dialogue_id = p_dialogue), '[]'::jsonb),
    'guests', coalesce((
      select jsonb_agg(jsonb_build_object(
               'user_id', g.user_id, 'name', coalesce(pr.display_name, ''),
               'stakeholder_type', g.stakeholder_type, 'organisation', g.organisation, 'position', g.position,
               'muted', g.muted_at is not null, 'removed', g.removed_at is not null) order by g.joined_at)
        from public.dialogue_guests g left join public.profiles pr on pr.id = g.user_id
       where g.dialogue_id = p_dialogue), '[]'::jsonb),
    -- My own anonymous posts; facilitators get everyone's (the table's policy decides).
    'hidden_authors', coalesce((
      select jsonb_agg(jsonb_build_object('post_id', h.post_id, 'author_id', h.author_id,
                                          'name', coalesce(pr.display_name, '')))
        from public.dialogue_hidden_authors h left join public.profiles pr on pr.id = h.author_id
       where h.dialogue_id = p_dialogue), '[]'::jsonb),
    'named_member_ids', coalesce((
      select jsonb_agg(n.user_id) from public.dialogue_named_members n where n.dialogue_id = p_dialogue), '[]'::jsonb),
    'actions', coalesce((
      select jsonb_agg((to_jsonb(a) - 'ordinality') || jsonb_build_object('owner_name', coalesce(pr.display_name, ''))
                       order by a.ordinality)
        from public.list_actions(null, p_dialogue) with ordinality a
        left join public.profiles pr on pr.id = a.owner_user_id), '[]'::jsonb),
    -- People whose posts fold away for me (issue 26).
    'muted', coalesce((
      select jsonb_agg(f.other_id) from public.person_filters f
       where f.user_id = (select auth.uid()) and f.kind = 'mute'), '[]'::jsonb),
    -- Muted by the space's moderators: asked only when I cannot post anyway.
    'muted_until', case when (v_overview ->> 'can_post')::boolean then null
                        else public.my_posting_limits((v_overview ->> 'space_id')::uuid) -> 'muted_until' end
  );
end;
$$;
comment on function public.open_dialogue(uuid, boolean) is
  'RPC (as the caller, under the policies): a dialogue''s page in one call (dialogue_overview(), thread_page()''s thread and posts, agenda, guests with names, hidden authors I may see, named members, list_actions() with owner names, my mutes, until when I am muted in the space), and my read marker moved unless p_mark_read is false; null when unreadable.';

revoke execute on function public.open_dialogue(uuid, boolean) from anon, public;
grant execute on function public.open_dialogue(uuid, boolean) to authenticated;

-- The agreed actions' pages in one request (issue 24: one call per reading
-- page). The page of every action I can see asked my_spaces(),
-- my_dialogues(), list_actions() and then the owners' names (a REST read of
-- profiles): four requests in two waves; a space's actions page
-- space_for_member() (the space's layout), list_actions() and the names.
-- open_actions() composes the same functions unchanged and reads the names as
-- the REST call did, as the caller (security invoker): every policy applies
-- as it did for the separate calls. The counts and filters stay in the app,
-- which needs every action I see (p_dialogue narrows them, as before).
-- For a space's page it is null when I am not a member of the space (what the
-- layout answered with a 404).
create function public.open_actions(p_space uuid default null, p_dialogue uuid default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb;
begin
  if p_space is not null then
    v_space := public.space_for_member(p_space);
    if v_space is null then
      return null;
    end if;
  end if;
  return jsonb_build_object(
    'space', v_space,
    'actions', coalesce((
      select jsonb_agg(to_jsonb(a) - 'ordinality'
                       || jsonb_build_object('owner_name', case when a.owner_user_id is null then ''
                            else coalesce((select p.display_name from public.profiles p
                                            where p.id = a.owner_user_id), '') end)
                       order by a.ordinality)
        from public.list_actions(p_space => p_space, p_dialogue => p_dialogue) with ordinality a), '[]'::jsonb),
    -- The names of my spaces and, for the dialogues I am a guest of, the club that convened each:
    -- only on the page of every action (a space's page names its own space).
    'space_names', case when p_space is null then coalesce((
      select jsonb_object_agg(s.id, s.name) from public.my_spaces() s), '{}'::jsonb) end,
    'dialogue_clubs', case when p_space is null then coalesce((
      select jsonb_object_agg(d.id, d.space_name) from public.my_dialogues() d), '{}'::jsonb) end
  );
end;
$$;
comment on function public.open_actions(uuid, uuid) is
  'RPC (as the caller, under the policies): an actions page: list_actions() of the space (null: every space and dialogue I can see) and dialogue with each owner''s name, and for the page of every action the names of my spaces and of the club that convened each dialogue I am a guest of; for a space the space (space_for_member(); null when I am not a member).';

revoke execute on function public.open_actions(uuid, uuid) from anon, public;
grant execute on function public.open_actions(uuid, uuid) to authenticated;
