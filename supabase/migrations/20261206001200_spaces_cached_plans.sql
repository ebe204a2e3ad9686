-- capability: spaces
-- The same queries, with plans that last (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql for why PL/pgSQL. The profile
-- policies call shares_a_space_with() for every name on a page, and
-- my_space_ids() is asked by several policies of each read; both were planned
-- again at every call. The bodies are unchanged.

create or replace function public.my_space_ids() returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  select m.space_id from public.space_members m where m.user_id = (select auth.uid());
end;
$$;
create or replace function public.shares_a_space_with(p_user uuid) returns boolean
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
