-- capability: threads
-- The thread page and its space's header in one request (issue 24: one call
-- per reading page). The space's layout asked space_for_member() and the page
-- asked open_thread_page(), two requests, each with its own session set-up on
-- the way in: the page served about 34 views a second on the local stack.
-- open_thread_in_space() composes both unchanged, as the caller (security
-- invoker): every policy applies as it did for the two calls. The thread is
-- opened (and my read marker moved) only when I am a member of the space, and
-- it is not given when it belongs to another space.
create function public.open_thread_in_space(p_space uuid, p_thread uuid, p_mark_read boolean default true)
returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_space jsonb := public.space_for_member(p_space);
  v_page jsonb;
begin
  if v_space is null then
    return null;
  end if;
  if not exists (select 1 from public.threads t where t.id = p_thread and t.space_id = p_space) then
    return jsonb_build_object('space', v_space, 'page', null);
  end if;
  v_page := public.open_thread_page(p_thread, p_mark_read);
  return jsonb_build_object('space', v_space, 'page', v_page);
end;
$$;
comment on function public.open_thread_in_space(uuid, uuid, boolean) is
  'RPC (as the caller, under the policies): space_for_member() and, when the thread is in that space, open_thread_page() (my read marker moved unless p_mark_read is false); null when I am not a member of the space, page null when the thread is not readable there.';

revoke execute on function public.open_thread_in_space(uuid, uuid, boolean) from anon, public;
grant execute on function public.open_thread_in_space(uuid, uuid, boolean) to authenticated;
