-- capability: threads
-- The same query, with a plan that lasts (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql for why PL/pgSQL. A thread's and
-- a dialogue's page ask thread_reaction_counts() at every view. The body is
-- unchanged.
-- Why a rewrite and not an addition: what changes is how PostgreSQL plans
-- these functions, not who may do what. A policy, a guard trigger or a
-- function a hub dispatches to cannot change a function's plan; only its own
-- definition can. Each function below stays its capability's own (this
-- migration is that capability's), keeps its body word for word, its
-- arguments, results, volatility, security definer/invoker, search_path,
-- grants and comment; the policies and hubs that call it are untouched. The
-- RLS specs of every capability pass unchanged on PGlite and PostgreSQL, and
-- open_dialogue() gave byte-identical pages before and after.

create or replace function public.thread_reaction_counts(p_thread uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select coalesce((
    select jsonb_object_agg(y.post_id, y.kinds)
      from (select x.post_id, jsonb_object_agg(x.kind, jsonb_build_object('count', x.n, 'byMe', x.mine)) as kinds
              from (select r.post_id, r.kind, count(*) as n, bool_or(r.user_id = (select auth.uid())) as mine
                      from public.reactions r join public.posts p on p.id = r.post_id
                     where p.thread_id = p_thread
                     group by r.post_id, r.kind) x
             group by x.post_id) y
     where public.can_read_thread(p_thread)
  ), '{}'::jsonb));
end;
$$;
