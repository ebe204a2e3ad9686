-- capability: threads
-- The same query, with a plan that lasts (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql for why PL/pgSQL. A thread's and
-- a dialogue's page ask thread_reaction_counts() at every view. The body is
-- unchanged.

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
