-- capability: spaces
-- The same queries, with plans that last (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql for why PL/pgSQL. The profile
-- policies call shares_a_space_with() for every name on a page; my_space_ids(),
-- is_space_member(), space_role_of() and has_space_role() are asked by the
-- policies of nearly every read, and space_for_member() by every page of a
-- space. Each was planned again at every call. The bodies are unchanged.

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

create or replace function public.space_role_of(p_space uuid) returns public.space_role
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select m.role from public.space_members m
  where m.space_id = p_space and m.user_id = (select auth.uid()));
end;
$$;

create or replace function public.is_space_member(p_space uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.space_members m
    where m.space_id = p_space and m.user_id = (select auth.uid())
  ));
end;
$$;

create or replace function public.has_space_role(p_space uuid, p_roles public.space_role[]) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select coalesce(public.space_role_of(p_space) = any (p_roles), false));
end;
$$;

create or replace function public.space_for_member(p_space uuid) returns jsonb
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
