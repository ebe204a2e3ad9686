-- Someone who is already a member and uses the code again (for example a
-- used-up one-person code) should hear "you are already a member", not
-- "this code has expired": check membership before the code's limits.
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
  if v_invite.expires_at < now() or (v_invite.max_uses is not null and v_invite.uses >= v_invite.max_uses) then
    raise exception 'invite_expired' using errcode = 'P0001';
  end if;
  insert into public.space_members (space_id, user_id, role) values (v_invite.space_id, v_user, v_invite.role);
  update public.space_invites set uses = uses + 1 where id = v_invite.id;
  return v_invite.space_id;
end;
$$;
