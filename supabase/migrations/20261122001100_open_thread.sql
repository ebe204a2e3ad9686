-- The thread page in one request (issue 14, goal 5). Measured on the local
-- stack (PGlite, one session): every REST request costs about sixteen
-- statements of its own (the session looked up, role and settings set, a
-- transaction), 4-5 ms, more than most of the page's own queries; the thread
-- page sent five requests, three of them for the thread alone (thread_page,
-- thread_attachments, mark_thread_read). open_thread does those three in one
-- call, composed of the same functions, so the rules stay where they are:
-- everything runs as the caller, under the policies. Volatile, because it
-- moves my read marker; the marker moves only when I may read the thread
-- (thread_page is null otherwise, and the policy on thread_reads checks the
-- same), and not when p_mark_read is false (the page then keeps the thread
-- marked unread: $lib/keys UNSEEN_COOKIE).
create function public.open_thread(p_thread uuid, p_mark_read boolean default true) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_page jsonb := public.thread_page(p_thread);
begin
  if v_page is null then
    return null;
  end if;
  if p_mark_read then
    perform public.mark_thread_read(p_thread);
  end if;
  return v_page || jsonb_build_object('attachments', public.thread_attachments(p_thread));
end;
$$;
comment on function public.open_thread(uuid, boolean) is
  'RPC (as the caller, under the policies): thread_page() with the thread''s attachments, and my read marker moved to now; null when unreadable.';

revoke execute on function public.open_thread(uuid, boolean) from anon, public;
grant execute on function public.open_thread(uuid, boolean) to authenticated;
