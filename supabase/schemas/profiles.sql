-- supabase/schemas/profiles.sql: the current definition of every object of the profiles capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Profiles: one row per auth user, created by trigger at sign-up.
-- display_name, preferred_language and organisation are visible to people who
-- share a space with their owner (that read policy needs the membership
-- helpers, so it lives in 20261122000200_spaces.sql); phone is private: only
-- its owner can read it, so it lives in its own table.
--
-- Authorization in these migrations is RLS policies, security-definer helpers
-- and guard triggers. The table-level revokes below matter on hosted Supabase
-- (for anon) but protect nothing locally: lite grants ALL on public tables at
-- its first request, as hosted Supabase's default privileges do for new
-- tables. Never rely on a revoke; a rule is a policy or a guard.
-- supabase/AUTHORIZATION.md (npm run gen:authorization) lists every rule.

-- Text that hides itself: a title of zero-width characters shows as a blank
-- card; a right-to-left override makes "Biên bản <RLO>fdp.exe" read "Biên bản
-- exe.pdf". Every title, name and message is checked with these two (the app
-- removes bidi controls and refuses invisible text first: src/lib/text/clean.ts).
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

create type public.app_language as enum ('en', 'vi', 'km');

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null default '' check (char_length(display_name) <= 80),
  preferred_language public.app_language not null default 'en',
  organisation text check (char_length(organisation) <= 120),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- An empty name is the sign-up default until the person sets one.
  constraint profiles_display_name_clean
    check ((display_name = '' or public.has_visible_text(display_name)) and public.has_no_bidi_controls(display_name))
);
revoke insert, delete on public.profiles from anon, authenticated;
revoke all on public.profiles from anon;

create table public.profile_private (
  id uuid primary key references public.profiles (id) on delete cascade,
  phone text check (phone ~ '^\+?[0-9 ().-]{6,20}$'),
  updated_at timestamptz not null default now()
);
revoke insert, delete on public.profile_private from anon, authenticated;
revoke all on public.profile_private from anon;

alter table public.profiles enable row level security;

alter table public.profile_private enable row level security;

-- Reading profiles: "profiles are readable by people who share a space", in 20261122000200_spaces.sql.
create policy "people update their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

create policy "people read their own private details"
  on public.profile_private for select to authenticated using (id = (select auth.uid()));

create policy "people update their own private details"
  on public.profile_private for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

create function public.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.touch_updated_at() is
  'Trigger: sets updated_at to now() on every update.';

create trigger profiles_touch before update on public.profiles
  for each row execute function public.touch_updated_at();

create trigger profile_private_touch before update on public.profile_private
  for each row execute function public.touch_updated_at();

-- Sign-up metadata (display_name, preferred_language) seeds the profile.
create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  lang text := coalesce(new.raw_user_meta_data ->> 'preferred_language', 'en');
begin
  insert into public.profiles (id, display_name, preferred_language)
  values (
    new.id,
    left(coalesce(nullif(trim(new.raw_user_meta_data ->> 'display_name'), ''), split_part(new.email, '@', 1), ''), 80),
    case when lang in ('en', 'vi', 'km') then lang::public.app_language else 'en' end
  );
  insert into public.profile_private (id) values (new.id);
  return new;
end;
$$;
comment on function public.handle_new_user() is
  'Trigger on auth.users: creates the profile and its private part at sign-up, from the sign-up metadata.';

create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

-- Saving the profile form: the public fields and the private phone in one
-- transaction, so a refused phone never leaves a half-saved profile.
-- Runs as the caller: the update policies of both tables still decide.
-- Empty organisation and phone mean none (null).
create function public.save_profile(
  p_display_name text,
  p_organisation text,
  p_phone text,
  p_preferred_language public.app_language
) returns void
language plpgsql security invoker set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  update public.profiles
     set display_name = p_display_name, organisation = nullif(p_organisation, ''),
         preferred_language = p_preferred_language
   where id = v_user;
  update public.profile_private set phone = nullif(p_phone, '') where id = v_user;
end;
$$;
comment on function public.save_profile(text, text, text, public.app_language) is
  'RPC: saves my profile form (name, organisation, phone, language) in one transaction, as me (the update policies decide).';
revoke execute on function public.save_profile(text, text, text, public.app_language) from anon, public;
grant execute on function public.save_profile(text, text, text, public.app_language) to authenticated;

-- One call with no argument, so a page can ask for the header's name at the
-- same time as it checks the session (issue 14: no round trip waits for another).
create function public.my_display_name() returns text
language sql stable security invoker set search_path = '' as $$
  select p.display_name from public.profiles p where p.id = (select auth.uid())
$$;
comment on function public.my_display_name() is
  'RPC (as the caller, under the policies): my display name, or null.';
revoke execute on function public.my_display_name() from anon, public;
grant execute on function public.my_display_name() to authenticated;

-- The header's name without a request of its own (issue 24, part 4: every
-- signed-in page asked my_display_name() beside its own data, one more REST
-- call each, about 16 ms of the local stack's time per page). The app already
-- has the person's auth user on every request (getUser(), checked with the auth
-- server), and its user metadata carries the name given at sign-up. This
-- trigger keeps that metadata's display_name equal to the profile's, whichever
-- path writes the profile (save_profile(), an operator); its migration brought
-- existing accounts in step once. The header reads the name from the
-- user; my_display_name() stays for an account whose metadata has none.
-- A person can change her own metadata through the auth API: that changes
-- only what her own header shows, never the profile others see.
create function private.profile_name_to_auth_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update auth.users u
     set raw_user_meta_data = coalesce(u.raw_user_meta_data, '{}'::jsonb)
                              || jsonb_build_object('display_name', new.display_name)
   where u.id = new.id
     and u.raw_user_meta_data ->> 'display_name' is distinct from new.display_name;
  return null;
end;
$$;
comment on function private.profile_name_to_auth_user() is
  'Trigger on public.profiles: keeps the auth user''s metadata display_name equal to the profile''s (the header reads it from the user).';
revoke execute on function private.profile_name_to_auth_user() from public;

create trigger profile_name_to_auth_user after insert or update of display_name on public.profiles
  for each row execute function private.profile_name_to_auth_user();

