-- Notifications on by default (issue 22, part 4): a Facebook group notifies
-- its members without a second step, so Sahakum does too.
-- - Turning notifications on follows every space and dialogue the person is
--   in when they follow none yet (the notifications page's `subscribe`
--   action, through follow_everything()); they can narrow it afterwards.
-- - Joining a space, or becoming a dialogue's guest, while notifications are
--   on follows it at once (these triggers, the push capability's own beside
--   the spaces' and dialogues' tables).

create function public.follow_everything() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_added integer;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.push_spaces f where f.user_id = v_user) then
    return 0;
  end if;
  insert into public.push_spaces (user_id, space_id)
  select v_user, s.space_id from (
    select m.space_id from public.space_members m where m.user_id = v_user
    union
    select d.space_id from public.dialogue_guests g join public.dialogues d on d.id = g.dialogue_id
     where g.user_id = v_user and g.removed_at is null
  ) s
  on conflict do nothing;
  get diagnostics v_added = row_count;
  return v_added;
end;
$$;
comment on function public.follow_everything() is
  'RPC: notifications for every space I am a member of and every dialogue I am a guest of, when I follow none yet (turning notifications on for the first time); returns how many were added (not_signed_in).';
revoke execute on function public.follow_everything() from anon, public;
grant execute on function public.follow_everything() to authenticated;

create function public.follow_when_joining() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_space uuid;
begin
  if tg_table_name = 'space_members' then
    v_space := new.space_id;
  else
    select d.space_id into v_space from public.dialogues d where d.id = new.dialogue_id;
  end if;
  if v_space is not null and exists (select 1 from public.push_subscriptions s where s.user_id = new.user_id) then
    insert into public.push_spaces (user_id, space_id) values (new.user_id, v_space) on conflict do nothing;
  end if;
  return null;
end;
$$;
comment on function public.follow_when_joining() is
  'Trigger (push): someone with notifications on who joins a space, or becomes a guest of a dialogue, follows it at once.';
revoke execute on function public.follow_when_joining() from anon, authenticated, public;
create trigger space_members_follow after insert on public.space_members
  for each row execute function public.follow_when_joining();
create trigger dialogue_guests_follow after insert on public.dialogue_guests
  for each row execute function public.follow_when_joining();
