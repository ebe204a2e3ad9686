-- capability: dialogues
-- The dialogue page in one request (issue 24, part 4): it sent about eight
-- REST calls in two or three waves (dialogue_overview, thread_page, the
-- agenda, the guests, the hidden authors, the named members, list_actions,
-- the names behind them, mark_thread_read, my mutes and my posting limits),
-- each costing a session set-up of its own. open_dialogue() composes the
-- same functions and reads the same tables as the caller (security invoker),
-- so every policy applies exactly as it did for the separate calls and
-- nothing becomes readable that was not. Volatile, because it moves my read
-- marker (only when I may read the dialogue, and only when p_mark_read).
-- plpgsql, so that the moderation objects it reads (person_filters,
-- my_posting_limits, created after this capability's schema) are looked up
-- when it runs, not when it is created.
create function public.open_dialogue(p_dialogue uuid, p_mark_read boolean default true) returns jsonb
language plpgsql volatile security invoker set search_path = '' as $$
declare
  v_overview jsonb;
  v_page jsonb;
begin
  select to_jsonb(o) into v_overview from public.dialogue_overview(p_dialogue) o;
  if v_overview is null then
    return null;
  end if;
  v_page := public.thread_page(p_dialogue);
  if v_page is null then
    return null;
  end if;
  if p_mark_read then
    perform public.mark_thread_read(p_dialogue);
  end if;
  return jsonb_build_object(
    'overview', v_overview,
    -- The space's members are not shown on a dialogue's page.
    'thread', v_page -> 'thread',
    'posts', v_page -> 'posts',
    'agenda', coalesce((
      select jsonb_agg(jsonb_build_object('id', a.id, 'position', a.position, 'text', a.text) order by a.position)
        from public.dialogue_agenda_items a where a.dialogue_id = p_dialogue), '[]'::jsonb),
    'guests', coalesce((
      select jsonb_agg(jsonb_build_object(
               'user_id', g.user_id, 'name', coalesce(pr.display_name, ''),
               'stakeholder_type', g.stakeholder_type, 'organisation', g.organisation, 'position', g.position,
               'muted', g.muted_at is not null, 'removed', g.removed_at is not null) order by g.joined_at)
        from public.dialogue_guests g left join public.profiles pr on pr.id = g.user_id
       where g.dialogue_id = p_dialogue), '[]'::jsonb),
    -- My own anonymous posts; facilitators get everyone's (the table's policy decides).
    'hidden_authors', coalesce((
      select jsonb_agg(jsonb_build_object('post_id', h.post_id, 'author_id', h.author_id,
                                          'name', coalesce(pr.display_name, '')))
        from public.dialogue_hidden_authors h left join public.profiles pr on pr.id = h.author_id
       where h.dialogue_id = p_dialogue), '[]'::jsonb),
    'named_member_ids', coalesce((
      select jsonb_agg(n.user_id) from public.dialogue_named_members n where n.dialogue_id = p_dialogue), '[]'::jsonb),
    'actions', coalesce((
      select jsonb_agg((to_jsonb(a) - 'ordinality') || jsonb_build_object('owner_name', coalesce(pr.display_name, ''))
                       order by a.ordinality)
        from public.list_actions(null, p_dialogue) with ordinality a
        left join public.profiles pr on pr.id = a.owner_user_id), '[]'::jsonb),
    -- People whose posts fold away for me (issue 26).
    'muted', coalesce((
      select jsonb_agg(f.other_id) from public.person_filters f
       where f.user_id = (select auth.uid()) and f.kind = 'mute'), '[]'::jsonb),
    -- Muted by the space's moderators: asked only when I cannot post anyway.
    'muted_until', case when (v_overview ->> 'can_post')::boolean then null
                        else public.my_posting_limits((v_overview ->> 'space_id')::uuid) -> 'muted_until' end
  );
end;
$$;
comment on function public.open_dialogue(uuid, boolean) is
  'RPC (as the caller, under the policies): a dialogue''s page in one call (dialogue_overview(), thread_page()''s thread and posts, agenda, guests with names, hidden authors I may see, named members, list_actions() with owner names, my mutes, until when I am muted in the space), and my read marker moved unless p_mark_read is false; null when unreadable.';

revoke execute on function public.open_dialogue(uuid, boolean) from anon, public;
grant execute on function public.open_dialogue(uuid, boolean) to authenticated;
