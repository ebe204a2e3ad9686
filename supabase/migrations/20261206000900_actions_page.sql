-- capability: dialogues
-- The agreed actions' pages in one request (issue 24: one call per reading
-- page). The page of every action I can see asked my_spaces(),
-- my_dialogues(), list_actions() and then the owners' names (a REST read of
-- profiles): four requests in two waves; a space's actions page
-- space_for_member() (the space's layout), list_actions() and the names.
-- open_actions() composes the same functions unchanged and reads the names as
-- the REST call did, as the caller (security invoker): every policy applies
-- as it did for the separate calls. The counts and filters stay in the app,
-- which needs every action I see (p_dialogue narrows them, as before).
-- For a space's page it is null when I am not a member of the space (what the
-- layout answered with a 404).
create function public.open_actions(p_space uuid default null, p_dialogue uuid default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb;
begin
  if p_space is not null then
    v_space := public.space_for_member(p_space);
    if v_space is null then
      return null;
    end if;
  end if;
  return jsonb_build_object(
    'space', v_space,
    'actions', coalesce((
      select jsonb_agg(to_jsonb(a) - 'ordinality'
                       || jsonb_build_object('owner_name', case when a.owner_user_id is null then ''
                            else coalesce((select p.display_name from public.profiles p
                                            where p.id = a.owner_user_id), '') end)
                       order by a.ordinality)
        from public.list_actions(p_space => p_space, p_dialogue => p_dialogue) with ordinality a), '[]'::jsonb),
    -- The names of my spaces and, for the dialogues I am a guest of, the club that convened each:
    -- only on the page of every action (a space's page names its own space).
    'space_names', case when p_space is null then coalesce((
      select jsonb_object_agg(s.id, s.name) from public.my_spaces() s), '{}'::jsonb) end,
    'dialogue_clubs', case when p_space is null then coalesce((
      select jsonb_object_agg(d.id, d.space_name) from public.my_dialogues() d), '{}'::jsonb) end
  );
end;
$$;
comment on function public.open_actions(uuid, uuid) is
  'RPC (as the caller, under the policies): an actions page: list_actions() of the space (null: every space and dialogue I can see) and dialogue with each owner''s name, and for the page of every action the names of my spaces and of the club that convened each dialogue I am a guest of; for a space the space (space_for_member(); null when I am not a member).';

revoke execute on function public.open_actions(uuid, uuid) from anon, public;
grant execute on function public.open_actions(uuid, uuid) to authenticated;
