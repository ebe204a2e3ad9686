-- capability: moderation
-- The same queries, with plans that last (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql for why PL/pgSQL. Posting rights
-- (is_muted_in, moderation_not_muted) are asked for every thread and dialogue
-- page, my_posting_limits() for a dialogue's page. The bodies are unchanged.

create or replace function public.my_posting_limits(p_space uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select jsonb_build_object(
    'new_account', public.new_account_limits_apply(p_space, (select auth.uid())),
    'muted_until', (select m.until from public.space_mutes m
                     where m.space_id = p_space and m.user_id = (select auth.uid()) and m.until > now())));
end;
$$;

create or replace function public.is_muted_in(p_space uuid, p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.space_mutes m where m.space_id = p_space and m.user_id = p_user and m.until > now()));
end;
$$;

create or replace function public.moderation_not_muted(p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select not exists (
    select 1 from public.threads t
     where t.id = p_thread and public.is_muted_in(t.space_id, (select auth.uid()))));
end;
$$;
