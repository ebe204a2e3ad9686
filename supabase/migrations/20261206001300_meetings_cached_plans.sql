-- capability: meetings
-- The same query, with a plan that lasts (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql. The profile policy calls
-- shares_a_meeting_with() for every name a page shows that no space shares.
-- The body is unchanged.
-- Why a rewrite and not an addition: what changes is how PostgreSQL plans
-- these functions, not who may do what. A policy, a guard trigger or a
-- function a hub dispatches to cannot change a function's plan; only its own
-- definition can. Each function below stays its capability's own (this
-- migration is that capability's), keeps its body word for word, its
-- arguments, results, volatility, security definer/invoker, search_path,
-- grants and comment; the policies and hubs that call it are untouched. The
-- RLS specs of every capability pass unchanged on PGlite and PostgreSQL, and
-- open_dialogue() gave byte-identical pages before and after.

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
