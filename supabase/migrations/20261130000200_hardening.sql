-- Hardening found by trying the attacks (issue [hardening]).

-- ---------------------------------------------------------------------------
-- Text that hides itself. A title made only of zero-width characters shows as
-- a blank card; a right-to-left override makes "Biên bản <RLO>fdp.exe" read
-- "Biên bản exe.pdf". The app removes bidi controls and refuses invisible text
-- (src/lib/text/clean.ts); the schema refuses the same, for every client.
-- Zero-width space and joiners stay allowed inside text: Khmer uses them.
create function public.has_visible_text(p_text text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(p_text, '') ~ '[^[:space:]\u00a0\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]'
$$;
comment on function public.has_visible_text(text) is
  'True when the text has at least one character a reader can see (not a space, a zero-width or a format character).';

create function public.has_no_bidi_controls(p_text text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
  select coalesce(p_text, '') !~ '[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]'
$$;
comment on function public.has_no_bidi_controls(text) is
  'True when the text has no bidirectional control characters (they can disguise a file name).';

alter table public.spaces add constraint spaces_name_visible
  check (public.has_visible_text(name) and public.has_no_bidi_controls(name));
alter table public.threads add constraint threads_title_visible
  check (public.has_visible_text(title) and public.has_no_bidi_controls(title));
alter table public.posts add constraint posts_body_visible
  check (public.has_visible_text(body) and public.has_no_bidi_controls(body));
alter table public.library_resources add constraint library_resources_title_visible
  check (public.has_visible_text(title) and public.has_no_bidi_controls(title));
alter table public.library_files add constraint library_files_file_name_clean
  check (public.has_visible_text(file_name) and public.has_no_bidi_controls(file_name));
-- An empty name is the sign-up default until the person sets one.
alter table public.profiles add constraint profiles_display_name_clean
  check ((display_name = '' or public.has_visible_text(display_name)) and public.has_no_bidi_controls(display_name));

-- ---------------------------------------------------------------------------
-- A removal sticks. A removed member typing the same paper code (no use
-- limit) was back in at once. Removals are remembered; codes made before the
-- removal no longer let that person in; a new invitation (a code made after
-- it) does, and joining forgets the removal.
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

create or replace function public.redeem_invite(p_code text) returns uuid
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

-- ---------------------------------------------------------------------------
-- space_has_members() answered any caller whether a space id exists. It is
-- only needed for the creator reading the space they just created.
create or replace function public.space_has_members(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.space_members m join public.spaces s on s.id = m.space_id
     where m.space_id = p_space and s.created_by = (select auth.uid())
  )
$$;
