-- supabase/schemas/spaces.sql: the current definition of every object of the spaces capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Spaces (a CoP or a women's club), their members and invites, and who may
-- read whose profile.
-- Authorization lives here: every table has RLS and policies call small
-- security-definer helpers. Roles are data (space_members.role), not code.
-- Every rule is a policy or a trigger, not a grant: the local stack (lite)
-- grants ALL on public tables at its first request, and hosted Supabase's
-- default privileges do the same, so table-level revokes protect nothing
-- (the ones below matter on hosted for anon only).

create type public.space_kind as enum ('cop', 'club');

create type public.space_role as enum ('facilitator', 'leader', 'deputy', 'member');

create table public.spaces (
  id uuid primary key default gen_random_uuid(),
  kind public.space_kind not null default 'cop',
  -- btrim of spaces, tabs and line breaks: trim() strips spaces only, and a
  -- name of line breaks would pass as "not empty". JavaScript's trim() in the
  -- forms agrees with this.
  name text not null check (char_length(btrim(name, E' \t\r\n')) between 1 and 120),
  objective text not null default '' check (char_length(objective) <= 500),
  description text not null default '' check (char_length(description) <= 2000),
  primary_language public.app_language not null default 'vi',
  colour text not null default 'teal' check (colour in ('teal', 'indigo', 'rose', 'amber', 'green', 'slate')),
  icon text not null default 'people' check (icon in ('people', 'home', 'factory', 'leaf', 'heart', 'book', 'scale')),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_activity_at timestamptz not null default now(),
  constraint spaces_name_visible check (public.has_visible_text(name) and public.has_no_bidi_controls(name))
);
revoke all on public.spaces from anon;

create table public.space_members (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.space_role not null default 'member',
  joined_at timestamptz not null default now(),
  primary key (space_id, user_id)
);
revoke insert on public.space_members from authenticated;
revoke all on public.space_members from anon;

create index space_members_user_idx on public.space_members (user_id);

create table public.space_invites (
  id uuid primary key default gen_random_uuid(),
  space_id uuid not null references public.spaces (id) on delete cascade,
  -- Short and typed from paper: 8 characters without 0/O/1/I/L.
  code text not null unique check (code ~ '^[A-HJKMNP-Z2-9]{8}$'),
  role public.space_role not null default 'member',
  expires_at timestamptz not null default now() + interval '14 days',
  max_uses integer check (max_uses between 1 and 1000),
  uses integer not null default 0,
  revoked_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now()
);
revoke delete on public.space_invites from authenticated;
revoke all on public.space_invites from anon;

create index space_invites_space_idx on public.space_invites (space_id);

-- ---------------------------------------------------------------------------
-- Membership helpers. security definer so policies on space_members itself
-- do not recurse; search_path '' so every name is schema-qualified.
-- PL/pgSQL so that its plan lasts across calls (20261206001200_spaces_cached_plans.sql).
create function public.space_role_of(p_space uuid) returns public.space_role
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select m.role from public.space_members m
  where m.space_id = p_space and m.user_id = (select auth.uid()));
end;
$$;
comment on function public.space_role_of(uuid) is
  'My role in the space (facilitator, leader, deputy, member), or null when I am not a member.';

-- PL/pgSQL so that its plan lasts across calls (20261206001200_spaces_cached_plans.sql).
create function public.is_space_member(p_space uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.space_members m
    where m.space_id = p_space and m.user_id = (select auth.uid())
  ));
end;
$$;
comment on function public.is_space_member(uuid) is
  'Am I a member of the space, in any role?';

-- PL/pgSQL so that its plan lasts across calls (20261206001200_spaces_cached_plans.sql).
create function public.has_space_role(p_space uuid, p_roles public.space_role[]) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select coalesce(public.space_role_of(p_space) = any (p_roles), false));
end;
$$;
comment on function public.has_space_role(uuid, public.space_role[]) is
  'Is my role in the space one of the given roles?';

-- Facilitators, leaders and deputies moderate (pin, lock, remove posts, invite members).
create function public.is_space_moderator(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.has_space_role(p_space, array['facilitator', 'leader', 'deputy']::public.space_role[])
$$;
comment on function public.is_space_moderator(uuid) is
  'Am I a moderator of the space: facilitator, leader or deputy?';

create function public.is_space_facilitator(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select public.has_space_role(p_space, array['facilitator']::public.space_role[])
$$;
comment on function public.is_space_facilitator(uuid) is
  'Am I a facilitator of the space?';

-- Read policies compare against this set instead of calling a per-row helper
-- (is_space_member, can_read_thread). Postgres must evaluate a per-row helper
-- before any non-leakproof filter such as the search LIKE, i.e. once for every
-- post of a space: a search over 100,000 posts took seconds (`npm run
-- bench:threads`). Supabase's advice: compare against a set computed once per
-- statement. The planner hashes this set (an InitPlan), so a row check costs a
-- hash probe. Guests of a single dialogue thread get their own set (e.g.
-- my_guest_thread_ids()) as one more OR branch in the thread and post read
-- policies; can_read_thread() stays the rule for writes.
-- PL/pgSQL so that its plan lasts across calls (20261206001200_spaces_cached_plans.sql).
create function public.my_space_ids() returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  select m.space_id from public.space_members m where m.user_id = (select auth.uid());
end;
$$;
comment on function public.my_space_ids() is
  'The ids of the spaces I am a member of, as a set for read policies (computed once per statement).';
revoke execute on function public.my_space_ids() from anon, public;
grant execute on function public.my_space_ids() to authenticated;

-- For the creator's read of a space at the moment of its creation: INSERT
-- ... RETURNING (insert().select()) is checked against the read policy before
-- the AFTER trigger makes the creator a member. A space without members is
-- only ever that moment (a space always keeps a facilitator). It answers only
-- the space's creator, so nobody else learns whether a space id exists.
create function public.space_has_members(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.space_members m join public.spaces s on s.id = m.space_id
     where m.space_id = p_space and s.created_by = (select auth.uid())
  )
$$;
comment on function public.space_has_members(uuid) is
  'For the creator of the space: does it have any member yet? (false only while its creating insert runs; false for anyone else)';
revoke execute on function public.space_has_members(uuid) from anon, public;
grant execute on function public.space_has_members(uuid) to authenticated;

-- ---------------------------------------------------------------------------
alter table public.spaces enable row level security;

alter table public.space_members enable row level security;

alter table public.space_invites enable row level security;

-- Spaces are private: only members learn that a space exists. The creator
-- also reads a space that has no members yet (see space_has_members).
create policy "members see their spaces" on public.spaces
  for select to authenticated using (
    id in (select public.my_space_ids())
    or (created_by = (select auth.uid()) and not public.space_has_members(id))
  );

-- Anyone signed in may open a space; they become its first facilitator (trigger below).
create policy "signed-in people create spaces" on public.spaces
  for insert to authenticated with check (created_by = (select auth.uid()));

create policy "facilitators edit their space" on public.spaces
  for update to authenticated using (public.is_space_facilitator(id)) with check (public.is_space_facilitator(id));

create policy "members see fellow members" on public.space_members
  for select to authenticated using (space_id in (select public.my_space_ids()));

-- Joining happens only through redeem_invite() and the creator trigger.
-- Only the role may change (guard_member_update).
create policy "facilitators change roles" on public.space_members
  for update to authenticated using (public.is_space_facilitator(space_id))
  with check (public.is_space_facilitator(space_id));

create policy "people leave; facilitators remove" on public.space_members
  for delete to authenticated
  using (user_id = (select auth.uid()) or public.is_space_facilitator(space_id));

-- Facilitators invite with any role; leaders and deputies invite members only.
-- Each moderator sees and revokes only the invites they could have created:
-- a leader who saw a facilitator's code could leave and come back as
-- facilitator. The only change the API may make to an invite is revoking it
-- (guard_invite_update); uses move only in redeem_invite().
create policy "moderators see the invites they could create" on public.space_invites
  for select to authenticated using (
    public.is_space_facilitator(space_id) or (role = 'member' and public.is_space_moderator(space_id))
  );

create policy "moderators create invites" on public.space_invites
  for insert to authenticated with check (
    created_by = (select auth.uid()) and uses = 0 and revoked_at is null and (
      public.is_space_facilitator(space_id)
      or (role = 'member' and public.is_space_moderator(space_id))
    )
  );

create policy "moderators revoke the invites they could create" on public.space_invites
  for update to authenticated
  using (public.is_space_facilitator(space_id) or (role = 'member' and public.is_space_moderator(space_id)))
  with check (public.is_space_facilitator(space_id) or (role = 'member' and public.is_space_moderator(space_id)));

create trigger spaces_touch before update on public.spaces
  for each row execute function public.touch_updated_at();

-- The creator becomes the first facilitator.
create function public.add_space_creator() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.created_by is not null then
    insert into public.space_members (space_id, user_id, role) values (new.id, new.created_by, 'facilitator');
  end if;
  return new;
end;
$$;
comment on function public.add_space_creator() is
  'Trigger: makes the creator of a new space its first facilitator.';

create trigger spaces_add_creator after insert on public.spaces
  for each row execute function public.add_space_creator();

-- Only the invite's usable state may change after creation, and through the
-- API only by revoking it: otherwise a moderator could un-revoke an invite,
-- reset its use count or extend it, reviving a leader invite a leader may not
-- create.
create function public.guard_invite_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.code <> old.code or new.space_id <> old.space_id or new.role <> old.role
     or new.created_by is distinct from old.created_by or new.created_at <> old.created_at then
    raise exception 'invite_immutable' using errcode = 'P0001';
  end if;
  -- Requests through the API run as these roles; redeem_invite() runs as the owner.
  if current_user in ('authenticated', 'anon') then
    if new.uses <> old.uses or new.max_uses is distinct from old.max_uses
       or new.expires_at is distinct from old.expires_at
       or (old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at) then
      raise exception 'invite_immutable' using errcode = 'P0001';
    end if;
  end if;
  return new;
end;
$$;
comment on function public.guard_invite_update() is
  'Guard: refuses (invite_immutable) any change to an invite''s code, space, role, creator or creation time, and through the API any change but revoking it once (uses, max_uses, expires_at, un-revoking).';

create trigger space_invites_guard before update on public.space_invites
  for each row execute function public.guard_invite_update();

-- Only the role of a membership may change: a facilitator who could rewrite
-- user_id or space_id could put anyone into any space they facilitate (no
-- invite, no consent), and joined_at drives unread counts.
create function public.guard_member_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.space_id <> old.space_id or new.user_id <> old.user_id or new.joined_at <> old.joined_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_member_update() is
  'Guard: refuses (not_allowed) changing a membership''s space, person or joined_at; only the role may change.';

create trigger space_members_guard before update on public.space_members
  for each row execute function public.guard_member_update();

-- A space always keeps at least one facilitator: refuse the change that
-- would leave none (a role change or a removal). Deleting the whole space
-- cascades and is allowed.
create function public.keep_a_facilitator() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.role = 'facilitator'
     and (tg_op = 'DELETE' or new.role <> 'facilitator')
     and exists (select 1 from public.spaces s where s.id = old.space_id)
     and not exists (
       select 1 from public.space_members m
       where m.space_id = old.space_id and m.role = 'facilitator' and m.user_id <> old.user_id
     ) then
    raise exception 'last_facilitator' using errcode = 'P0001',
      hint = 'Hand the facilitator role to someone else first.';
  end if;
  return coalesce(new, old);
end;
$$;
comment on function public.keep_a_facilitator() is
  'Guard: refuses (last_facilitator) removing or demoting the last facilitator of a space; deleting the whole space is allowed.';

create trigger space_members_keep_facilitator before update or delete on public.space_members
  for each row execute function public.keep_a_facilitator();

-- Removals are remembered: a removed member typing the same paper code (no
-- use limit) must not be back in at once (see redeem_invite).
create table public.space_removals (
  space_id uuid not null references public.spaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  removed_at timestamptz not null default now(),
  removed_by uuid references auth.users (id) on delete set null,
  primary key (space_id, user_id)
);

create index space_removals_user_idx on public.space_removals (user_id);

alter table public.space_removals enable row level security;

create policy "facilitators see who was removed" on public.space_removals
  for select to authenticated using (public.is_space_facilitator(space_id));

create function public.remember_removal() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Leaving on one's own is not a removal; a space deleted whole is not either.
  if old.user_id is distinct from (select auth.uid())
     and exists (select 1 from public.spaces s where s.id = old.space_id) then
    insert into public.space_removals (space_id, user_id, removed_by)
    values (old.space_id, old.user_id, (select auth.uid()))
    on conflict (space_id, user_id) do update set removed_at = now(), removed_by = excluded.removed_by;
  end if;
  return old;
end;
$$;
comment on function public.remember_removal() is
  'Guard: when a facilitator removes someone, remembers it so old invite codes no longer let them back in.';

create trigger space_members_remember_removal after delete on public.space_members
  for each row execute function public.remember_removal();

-- Joining with a code typed from a paper note: spaces and dashes ignored,
-- case-insensitive. Errors are stable words the app translates. Someone who
-- is already a member and uses the code again (for example a used-up
-- one-person code) hears "you are already a member", not "this code has
-- expired": membership is checked before the code's limits. A removed member
-- cannot come back with a code made before the removal (removed_from_space);
-- a new invitation lets them in, and joining forgets the removal.
create function public.redeem_invite(p_code text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_invite public.space_invites;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_invite from public.space_invites i
   where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
   for update;
  if not found or v_invite.revoked_at is not null then
    raise exception 'invite_not_found' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.space_members m where m.space_id = v_invite.space_id and m.user_id = v_user) then
    raise exception 'already_member' using errcode = 'P0001';
  end if;
  if exists (
    select 1 from public.space_removals r
     where r.space_id = v_invite.space_id and r.user_id = v_user and r.removed_at >= v_invite.created_at
  ) then
    raise exception 'removed_from_space' using errcode = 'P0001';
  end if;
  if v_invite.expires_at < now() or (v_invite.max_uses is not null and v_invite.uses >= v_invite.max_uses) then
    raise exception 'invite_expired' using errcode = 'P0001';
  end if;
  insert into public.space_members (space_id, user_id, role) values (v_invite.space_id, v_user, v_invite.role);
  update public.space_invites set uses = uses + 1 where id = v_invite.id;
  delete from public.space_removals where space_id = v_invite.space_id and user_id = v_user;
  return v_invite.space_id;
end;
$$;
comment on function public.redeem_invite(text) is
  'RPC: joins the space of an invite code with the invite''s role and counts the use (not_signed_in, invite_not_found, already_member, removed_from_space, invite_expired).';
revoke execute on function public.redeem_invite(text) from anon, public;
grant execute on function public.redeem_invite(text) to authenticated;

-- What an invite link says before the person signs in or creates an account:
-- the name and kind of the space, and nothing else (no id, role, counts or
-- members), for a code that could still be redeemed (not revoked, not
-- expired, not used up). Callable signed out (anon): the code itself is the
-- secret, and someone holding a valid code could join anyway; 31^8 codes make
-- guessing hopeless, and an unusable or unknown code answers nothing, the same way.
create function public.invite_preview(p_code text)
returns table (name text, kind public.space_kind)
language sql stable security definer set search_path = '' as $$
  select s.name, s.kind
    from public.space_invites i
    join public.spaces s on s.id = i.space_id
   where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
     and i.revoked_at is null
     and i.expires_at >= now()
     and (i.max_uses is null or i.uses < i.max_uses)
$$;
comment on function public.invite_preview(text) is
  'RPC: the name and kind of the space a usable invite code leads to, for the sign-in and sign-up pages (nothing for an unknown, revoked, expired or used-up code); anon may call it.';
revoke execute on function public.invite_preview(text) from public;
grant execute on function public.invite_preview(text) to anon, authenticated;

-- Hand the facilitator role to another member in one step (both changes or neither).
create function public.hand_over_facilitation(p_space uuid, p_to uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if not public.is_space_facilitator(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_to = v_user or not exists (select 1 from public.space_members m where m.space_id = p_space and m.user_id = p_to) then
    raise exception 'not_a_member' using errcode = 'P0001';
  end if;
  update public.space_members set role = 'facilitator' where space_id = p_space and user_id = p_to;
  update public.space_members set role = 'member' where space_id = p_space and user_id = v_user;
end;
$$;
comment on function public.hand_over_facilitation(uuid, uuid) is
  'RPC: a facilitator makes another member facilitator and becomes a member, in one step (not_allowed, not_a_member).';
revoke execute on function public.hand_over_facilitation(uuid, uuid) from anon, public;
grant execute on function public.hand_over_facilitation(uuid, uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Profiles (20261122000100_profiles.sql) are readable by people who share a space.
-- PL/pgSQL so that its plan lasts across calls (20261206001200_spaces_cached_plans.sql).
create function public.shares_a_space_with(p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select p_user = (select auth.uid()) or exists (
    select 1 from public.space_members mine
    join public.space_members theirs on theirs.space_id = mine.space_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = p_user
  ));
end;
$$;
comment on function public.shares_a_space_with(uuid) is
  'Is the person me, or a member of a space I am a member of?';

-- A space's page header and my place in it, in one call that needs no user id
-- from the app (so it runs beside the session check, not after it).
-- PL/pgSQL so that its plan lasts across calls (20261206001200_spaces_cached_plans.sql).
create function public.space_for_member(p_space uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return (
  select jsonb_build_object(
           'id', s.id, 'kind', s.kind, 'name', s.name, 'objective', s.objective,
           'description', s.description, 'primary_language', s.primary_language,
           'colour', s.colour, 'icon', s.icon, 'myRole', m.role, 'joinedAt', m.joined_at)
    from public.spaces s
    join public.space_members m on m.space_id = s.id and m.user_id = (select auth.uid())
   where s.id = p_space);
end;
$$;
comment on function public.space_for_member(uuid) is
  'RPC (as the caller, under the policies): the space with my role and when I joined, or null when I am not a member.';
revoke execute on function public.space_for_member(uuid) from anon, public;
grant execute on function public.space_for_member(uuid) to authenticated;

create policy "profiles are readable by people who share a space" on public.profiles
  for select to authenticated using (public.shares_a_space_with(id));

-- What a tapped invite link or a typed code leads to, for the join page and
-- the sign-in page: the person's own standing first (a member who opens their
-- space's link again is sent into the space, whatever the code's state), then
-- which of cancelled, expired or used up keeps the code from working, so the
-- page can say which and what to do. The space's id goes only to its members
-- (who know it already); its name and kind only with a usable code, as
-- invite_preview() gives them. An unknown code answers nothing. Callable
-- signed out like invite_preview(): 31^8 codes make guessing hopeless, and a
-- state says no more about a space than the code's holder could learn anyway.
create function public.invite_state(p_code text)
returns table (state text, space_id uuid, name text, kind public.space_kind)
language sql stable security definer set search_path = '' as $$
  select x.state,
         case when x.state = 'member' then x.space_id end,
         case when x.state in ('member', 'usable') then s.name end,
         case when x.state in ('member', 'usable') then s.kind end
    from (
      select i.space_id,
             case
               when exists (select 1 from public.space_members m
                             where m.space_id = i.space_id and m.user_id = (select auth.uid())) then 'member'
               when i.revoked_at is not null then 'cancelled'
               when i.expires_at < now() then 'expired'
               when i.max_uses is not null and i.uses >= i.max_uses then 'used_up'
               else 'usable'
             end as state
        from public.space_invites i
       where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
    ) x
    join public.spaces s on s.id = x.space_id
$$;
comment on function public.invite_state(text) is
  'RPC (anyone): what a space invite code leads to: member (with the space''s id, for its members only), usable (with the space''s name and kind), cancelled, expired or used_up; nothing for an unknown code.';
revoke execute on function public.invite_state(text) from public;
grant execute on function public.invite_state(text) to anon, authenticated;
