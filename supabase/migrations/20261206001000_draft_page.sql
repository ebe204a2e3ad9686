-- capability: drafts
-- A draft's pages in one request (issue 24: one call per reading page). The
-- reading page asked space_for_member() (the space's layout), then the draft
-- (a REST read, after the space's layout), its comments (a REST read) and the
-- comments' authors' names: four requests in two waves; the editor, the print
-- and the versions pages the first two. open_draft_page() reads the same rows
-- as the caller (security invoker), so every policy applies as it did for the
-- separate calls. It is null when I am not a member of the space (what the
-- layout answered with a 404); the draft is null when I may not read it or it
-- is another space's. Comments come only when asked for (the reading page).
create function public.open_draft_page(p_space uuid, p_draft uuid, p_comments boolean default false)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb;
  v_draft jsonb;
begin
  v_space := public.space_for_member(p_space);
  if v_space is null then
    return null;
  end if;
  select jsonb_build_object(
           'id', d.id, 'space_id', d.space_id, 'title', d.title, 'kind', d.kind, 'language', d.language,
           'created_by', d.created_by, 'created_at', d.created_at, 'last_edit_at', d.last_edit_at,
           'head_seq', d.head_seq, 'snapshot_seq', d.snapshot_seq, 'projection', d.projection,
           'budget_total', d.budget_total, 'budget_currency', d.budget_currency)
    into v_draft
    from public.drafts d
   where d.id = p_draft and d.space_id = p_space;
  return jsonb_build_object(
    'space', v_space,
    'draft', v_draft,
    -- Oldest first, replies flat (the app threads them), with the names I may read.
    'comments', case when p_comments and v_draft is not null then coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', c.id, 'section_id', c.section_id, 'parent_id', c.parent_id, 'body', c.body,
               'created_by', c.created_by, 'created_at', c.created_at,
               'resolved_at', c.resolved_at, 'resolved_by', c.resolved_by,
               'author', coalesce((select p.display_name from public.profiles p where p.id = c.created_by), ''),
               'resolver', case when c.resolved_by is null then null
                 else coalesce((select p.display_name from public.profiles p where p.id = c.resolved_by), '') end)
             order by c.created_at, c.id)
        from (select c.* from public.draft_comments c
               where c.draft_id = p_draft order by c.created_at, c.id limit 1000) c), '[]'::jsonb) end
  );
end;
$$;
comment on function public.open_draft_page(uuid, uuid, boolean) is
  'RPC (as the caller, under the policies): a draft''s page: the space (space_for_member(); null when I am not a member), the draft''s reading fields (null when I may not read it or it is another space''s) and, with p_comments, its comments oldest first with their authors'' and resolvers'' names.';

revoke execute on function public.open_draft_page(uuid, uuid, boolean) from anon, public;
grant execute on function public.open_draft_page(uuid, uuid, boolean) to authenticated;
