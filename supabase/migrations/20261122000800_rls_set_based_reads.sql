-- Faster reads under RLS. The first read policies called a per-row helper
-- (can_read_thread / is_space_member) that Postgres must evaluate before any
-- non-leakproof filter such as the search LIKE, i.e. once for every post of a
-- space: a search over 100,000 posts took seconds (`npm run bench:threads`).
-- Supabase's advice: compare against a set computed once per statement.
-- my_space_ids() is that set; the planner hashes it (an InitPlan), so a row
-- check costs a hash probe.
--
-- Guests of a single dialogue thread (coming next) get their own set,
-- e.g. my_guest_thread_ids(), as one more OR branch in the thread and post
-- read policies below; can_read_thread() stays the rule for writes.
create function public.my_space_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select m.space_id from public.space_members m where m.user_id = (select auth.uid())
$$;
revoke execute on function public.my_space_ids() from anon, public;
grant execute on function public.my_space_ids() to authenticated;

drop policy "members see their spaces" on public.spaces;
create policy "members see their spaces" on public.spaces
  for select to authenticated using (id in (select public.my_space_ids()));

drop policy "members see fellow members" on public.space_members;
create policy "members see fellow members" on public.space_members
  for select to authenticated using (space_id in (select public.my_space_ids()));

drop policy "members read threads" on public.threads;
create policy "members read threads" on public.threads
  for select to authenticated using (space_id in (select public.my_space_ids()));

drop policy "members read posts" on public.posts;
create policy "members read posts" on public.posts
  for select to authenticated using (space_id in (select public.my_space_ids()));
