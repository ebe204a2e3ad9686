-- capability: library
-- A library's page in one request (issue 24: one call per reading page). A
-- space's library asked space_for_member() (the space's layout),
-- browse_library(), a REST read of the collections in use and
-- library_rights(): four requests, each with its own session set-up; the
-- shared library the last three. open_library() composes the three functions
-- unchanged and reads the collections as the REST call did, as the caller
-- (security invoker): every policy applies as it did for the separate calls.
-- For a space's library it is null when I am not a member of the space (what
-- the layout answered with a 404); p_space null is the shared library.
create function public.open_library(
  p_space uuid default null,
  p_query text default null,
  p_topic public.thread_topic default null,
  p_language public.app_language default null,
  p_kind public.library_kind default null,
  p_collection text default null,
  p_include_retired boolean default false,
  p_limit integer default 60
) returns jsonb
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
    'items', coalesce((
      select jsonb_agg(to_jsonb(b) - 'ordinality' order by b.ordinality)
        from public.browse_library(p_space, p_query, p_topic, p_language, p_kind, p_collection,
                                   p_include_retired, p_limit) with ordinality b), '[]'::jsonb),
    -- The collections (folders) in use, for the filter and the form's suggestions.
    'collections', coalesce((
      select jsonb_agg(c.collection)
        from (select r.collection from public.library_resources r
               where r.collection <> '' and r.space_id is not distinct from p_space
               limit 500) c), '[]'::jsonb),
    'rights', public.library_rights(p_space)
  );
end;
$$;
comment on function public.open_library(uuid, text, public.thread_topic, public.app_language, public.library_kind, text, boolean, integer) is
  'RPC (as the caller, under the policies): a library''s page: for a space''s library the space (space_for_member(); null when I am not a member), browse_library() with the same filters, the collections in use and library_rights(); p_space null is the shared library.';

revoke execute on function public.open_library(uuid, text, public.thread_topic, public.app_language, public.library_kind, text, boolean, integer) from anon, public;
grant execute on function public.open_library(uuid, text, public.thread_topic, public.app_language, public.library_kind, text, boolean, integer) to authenticated;
