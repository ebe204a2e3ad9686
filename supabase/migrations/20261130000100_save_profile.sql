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
revoke execute on function public.save_profile(text, text, text, public.app_language) from anon, public;
grant execute on function public.save_profile(text, text, text, public.app_language) to authenticated;
