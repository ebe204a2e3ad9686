-- capability: threads
-- The thread page in one request (issue 24, part 4: one call per reading
-- page). Since open_thread() (issue 14), two later capabilities each added a
-- request of their own to the page: my mutes (moderation, person_filters) and
-- whether the opening post is an announcement, with who has seen it
-- (meetings). open_thread_page() composes open_thread() unchanged with the
-- same reads, as the caller (security invoker): every policy applies as it
-- did for the separate calls, and announcement_readers() is asked only of a
-- moderator of the space (it refuses everyone else). plpgsql, so the
-- moderation and meetings objects it reads (created after this capability's
-- schema) are looked up when it runs, not when it is created.
create function public.open_thread_page(p_thread uuid, p_mark_read boolean default true) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_page jsonb := public.open_thread(p_thread, p_mark_read);
  v_space uuid;
  v_opening uuid;
  v_marked boolean;
begin
  if v_page is null then
    return null;
  end if;
  v_space := (v_page -> 'thread' ->> 'space_id')::uuid;
  select (p ->> 'id')::uuid into v_opening
    from jsonb_array_elements(v_page -> 'posts') p
   where (p ->> 'is_opening')::boolean
   limit 1;
  v_marked := v_opening is not null
    and exists (select 1 from public.announcements a where a.post_id = v_opening and a.thread_id = p_thread);
  return v_page || jsonb_build_object(
    -- People whose posts fold away for me (issue 26).
    'muted', coalesce((
      select jsonb_agg(f.other_id) from public.person_filters f
       where f.user_id = (select auth.uid()) and f.kind = 'mute'), '[]'::jsonb),
    -- The opening post as an announcement: who has seen it, for the space's moderators only.
    'announcement', jsonb_build_object(
      'post_id', v_opening,
      'marked', v_marked,
      'readers', case when v_marked and public.is_space_moderator(v_space)
                      then public.announcement_readers(v_opening) end)
  );
end;
$$;
comment on function public.open_thread_page(uuid, boolean) is
  'RPC (as the caller, under the policies): open_thread() with my mutes and whether the opening post is an announcement (with who has seen it, for the space''s moderators only); null when unreadable.';

revoke execute on function public.open_thread_page(uuid, boolean) from anon, public;
grant execute on function public.open_thread_page(uuid, boolean) to authenticated;
