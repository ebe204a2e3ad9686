-- capability: profiles
-- The header's name without a request of its own (issue 24, part 4: every
-- signed-in page asked my_display_name() beside its own data, one more REST
-- call each, about 16 ms of the local stack's time per page). The app already
-- has the person's auth user on every request (getUser(), checked with the auth
-- server), and its user metadata carries the name given at sign-up. This
-- trigger keeps that metadata's display_name equal to the profile's, whichever
-- path writes the profile (save_profile(), an operator), and the update below
-- brings existing accounts in step once. The header reads the name from the
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

update auth.users u
   set raw_user_meta_data = coalesce(u.raw_user_meta_data, '{}'::jsonb) || jsonb_build_object('display_name', p.display_name)
  from public.profiles p
 where p.id = u.id
   and u.raw_user_meta_data ->> 'display_name' is distinct from p.display_name;
