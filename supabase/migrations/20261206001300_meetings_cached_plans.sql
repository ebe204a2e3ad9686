-- capability: meetings
-- The same query, with a plan that lasts (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql. The profile policy calls
-- shares_a_meeting_with() for every name a page shows that no space shares.
-- The body is unchanged.

create or replace function public.shares_a_meeting_with(p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.meeting_guests g join public.meetings m on m.id = g.meeting_id
     where g.user_id = p_user and m.space_id in (select public.my_space_ids())
  ));
end;
$$;
