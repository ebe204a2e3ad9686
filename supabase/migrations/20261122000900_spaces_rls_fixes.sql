-- Authorization fixes found by the per-role tests in tests/integration/spaces/.
-- Every fix is a policy or a trigger, not a grant: the local stack (lite)
-- grants ALL on public tables at its first request, and hosted Supabase's
-- default privileges do the same, so table-level revokes protect nothing.

-- ---------------------------------------------------------------------------
-- 1. Invites. Leaders and deputies could read facilitator and leader codes
-- (and so leave and come back as facilitator), and any moderator could
-- un-revoke an invite or reset its use count. Now each moderator sees and
-- revokes only the invites they could have created, and the only change the
-- API may make to an invite is revoking it; uses move only in redeem_invite().
drop policy "moderators see invites" on public.space_invites;
create policy "moderators see the invites they could create" on public.space_invites
  for select to authenticated using (
    public.is_space_facilitator(space_id) or (role = 'member' and public.is_space_moderator(space_id))
  );
drop policy "moderators revoke invites" on public.space_invites;
create policy "moderators revoke the invites they could create" on public.space_invites
  for update to authenticated
  using (public.is_space_facilitator(space_id) or (role = 'member' and public.is_space_moderator(space_id)))
  with check (public.is_space_facilitator(space_id) or (role = 'member' and public.is_space_moderator(space_id)));

create or replace function public.guard_invite_update() returns trigger
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

-- ---------------------------------------------------------------------------
-- 2. Memberships. A facilitator could rewrite user_id or space_id and so put
-- anyone into any space they facilitate, or backdate joined_at (which drives
-- unread counts). Only the role may change.
create function public.guard_member_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.space_id <> old.space_id or new.user_id <> old.user_id or new.joined_at <> old.joined_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
create trigger space_members_guard before update on public.space_members
  for each row execute function public.guard_member_update();

-- ---------------------------------------------------------------------------
-- 3. Removed members. The author branch of the update policies did not ask
-- for access, so an unfiltered PATCH from a removed member still changed
-- their old threads and posts, and an unfiltered DELETE took back their
-- reactions. can_read_thread() is the seam where dialogue guests come in.
drop policy "authors and moderators update threads" on public.threads;
create policy "authors and moderators update threads" on public.threads
  for update to authenticated
  using ((author_id = (select auth.uid()) and public.can_read_thread(id)) or public.is_space_moderator(space_id))
  with check ((author_id = (select auth.uid()) and public.can_read_thread(id)) or public.is_space_moderator(space_id));

drop policy "authors edit, authors and moderators remove" on public.posts;
create policy "authors edit, authors and moderators remove" on public.posts
  for update to authenticated
  using ((author_id = (select auth.uid()) and public.can_read_thread(thread_id)) or public.is_space_moderator(space_id))
  with check ((author_id = (select auth.uid()) and public.can_read_thread(thread_id)) or public.is_space_moderator(space_id));

drop policy "people take back their reactions" on public.reactions;
create policy "people take back their reactions" on public.reactions
  for delete to authenticated using (
    user_id = (select auth.uid())
    and exists (select 1 from public.posts p where p.id = post_id and public.can_read_thread(p.thread_id))
  );

-- A removed member no longer lists which threads of the space they read, and when.
drop policy "people keep their own read markers" on public.thread_reads;
create policy "people keep their own read markers" on public.thread_reads
  for select to authenticated using (user_id = (select auth.uid()) and public.can_read_thread(thread_id));

-- ---------------------------------------------------------------------------
-- 4. Times and history are the database's. A direct insert into threads
-- could carry any created_at / last_activity_at (a thread on top of the list
-- and unread for everyone until 2099); an author could clear edited_at or
-- set deleted_by. Seeds and imports (no signed-in user) keep their times.
create function public.stamp_new_thread() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is not null then
    new.created_at := now();
    new.last_activity_at := now();
  end if;
  return new;
end;
$$;
create trigger threads_stamp before insert on public.threads
  for each row execute function public.stamp_new_thread();

create or replace function public.guard_post_write() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if tg_op = 'INSERT' then
    -- The space comes from the thread, never from the client.
    select t.space_id into new.space_id from public.threads t where t.id = new.thread_id;
    if v_user is not null then
      new.created_at := now(); -- people cannot backdate posts; seeds and imports (no user) can
    end if;
    return new;
  end if;
  if new.thread_id <> old.thread_id or new.space_id <> old.space_id or new.author_id is distinct from old.author_id
     or new.is_opening <> old.is_opening or new.created_at <> old.created_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if old.deleted_at is not null then
    raise exception 'post_deleted' using errcode = 'P0001';
  end if;
  if v_user is not null then
    -- Only this guard writes these two, below.
    new.edited_at := old.edited_at;
    new.deleted_by := old.deleted_by;
  end if;
  if new.body <> old.body then
    if old.author_id is distinct from v_user then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if not public.can_post_in_thread(old.thread_id) then
      raise exception 'thread_locked' using errcode = 'P0001';
    end if;
    insert into public.post_revisions (post_id, body, created_at) values (old.id, old.body, coalesce(old.edited_at, old.created_at));
    new.edited_at := now();
  end if;
  if new.deleted_at is not null then
    new.deleted_at := now();
    new.deleted_by := v_user;
  end if;
  return new;
end;
$$;

-- ---------------------------------------------------------------------------
-- 5. trim() strips spaces only: a title or body of line breaks and tabs
-- passed as "not empty". JavaScript's trim() in the forms agrees with this.
alter table public.threads drop constraint threads_title_check;
alter table public.threads add constraint threads_title_check
  check (char_length(btrim(title, E' \t\r\n')) between 1 and 200);
alter table public.posts drop constraint posts_body_check;
alter table public.posts add constraint posts_body_check
  check (char_length(btrim(body, E' \t\r\n')) between 1 and 10000);
alter table public.spaces drop constraint spaces_name_check;
alter table public.spaces add constraint spaces_name_check
  check (char_length(btrim(name, E' \t\r\n')) between 1 and 120);

-- ---------------------------------------------------------------------------
-- 6. insert().select() on spaces was refused: RETURNING is checked against
-- the read policy before the AFTER trigger makes the creator a member. The
-- creator may read a space that has no members yet, which is only ever the
-- moment of its creation (a space always keeps a facilitator).
create function public.space_has_members(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.space_members m where m.space_id = p_space)
$$;
revoke execute on function public.space_has_members(uuid) from anon, public;
grant execute on function public.space_has_members(uuid) to authenticated;

drop policy "members see their spaces" on public.spaces;
create policy "members see their spaces" on public.spaces
  for select to authenticated using (
    id in (select public.my_space_ids())
    or (created_by = (select auth.uid()) and not public.space_has_members(id))
  );
