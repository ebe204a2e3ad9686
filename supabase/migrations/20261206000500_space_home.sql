-- capability: threads
-- A space's home page (its thread list) in one request (issue 24: one call
-- per reading page). The space's layout asked space_for_member(), the page
-- asked thread_list() and two REST reads of meetings (the next one, and the
-- last one held): four requests, each with its own session set-up.
-- open_space_home() composes space_for_member() and thread_list() unchanged
-- and reads meetings as the two REST calls did, as the caller (security
-- invoker): every policy applies as it did for the separate calls. Null when
-- I am not a member of the space. plpgsql, so that meetings (created after this
-- capability's schema) is looked up when it runs, not when it is created.
create function public.open_space_home(
  p_space uuid, p_limit integer default 30,
  p_after_pinned boolean default null, p_after_at timestamptz default null, p_after_id uuid default null
) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb := public.space_for_member(p_space);
begin
  if v_space is null then
    return null;
  end if;
  return jsonb_build_object(
    'space', v_space,
    'threads', public.thread_list(p_space, p_limit, p_after_pinned, p_after_at, p_after_id),
    -- The next meeting (a reminder on the page), and the last one held (the cadence hint).
    'next_meeting', (
      select jsonb_build_object('id', m.id, 'topic', m.topic, 'starts_at', m.starts_at, 'venue', m.venue)
        from public.meetings m
       where m.space_id = p_space and m.cancelled_at is null and m.starts_at >= now()
       order by m.starts_at limit 1),
    'last_meeting', (
      select jsonb_build_object('id', m.id, 'starts_at', m.starts_at)
        from public.meetings m
       where m.space_id = p_space and m.cancelled_at is null and m.starts_at < now()
       order by m.starts_at desc limit 1)
  );
end;
$$;
comment on function public.open_space_home(uuid, integer, boolean, timestamptz, uuid) is
  'RPC (as the caller, under the policies): a space''s home page: space_for_member(), a page of thread_list() (keyset after the given row), the next meeting and the last one held; null when I am not a member of the space.';

revoke execute on function public.open_space_home(uuid, integer, boolean, timestamptz, uuid) from anon, public;
grant execute on function public.open_space_home(uuid, integer, boolean, timestamptz, uuid) to authenticated;
