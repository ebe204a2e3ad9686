-- capability: library
-- A library resource's page in one request (issue 24: one call per reading
-- page). The page asked space_for_member() (the space's layout), a REST read
-- of the resource with its files and attachments, the names of its creator
-- and uploaders, library_rights(), the threads it may be attached to and
-- those threads' space names: six requests in two waves. open_library_resource()
-- reads the same rows as the caller (security invoker), so every policy
-- applies as it did for the separate calls: a file, an attachment, a thread
-- or a name the caller may not read is left out as the REST reads left it out.
-- For a space's library it is null when I am not a member of the space (what
-- the layout answered with a 404); the resource is null when I may not read it
-- or it belongs to another library. p_space null is the shared library.
create function public.open_library_resource(p_space uuid, p_resource uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_space jsonb;
  v_resource public.library_resources;
begin
  if p_space is not null then
    v_space := public.space_for_member(p_space);
    if v_space is null then
      return null;
    end if;
  end if;
  select r.* into v_resource from public.library_resources r where r.id = p_resource;
  if v_resource.id is null or v_resource.space_id is distinct from p_space then
    v_resource := null;
  end if;
  return jsonb_build_object(
    'space', v_space,
    'resource', case when v_resource.id is not null then
      jsonb_build_object(
        'id', v_resource.id, 'space_id', v_resource.space_id, 'title', v_resource.title,
        'description', v_resource.description, 'topic', v_resource.topic, 'languages', v_resource.languages,
        'collection', v_resource.collection, 'url', v_resource.url, 'featured', v_resource.featured,
        'retired_at', v_resource.retired_at, 'created_by', v_resource.created_by,
        'created_at', v_resource.created_at, 'updated_at', v_resource.updated_at,
        'creator', (select p.display_name from public.profiles p where p.id = v_resource.created_by),
        'files', coalesce((
          select jsonb_agg(jsonb_build_object(
                   'id', f.id, 'version', f.version, 'file_name', f.file_name, 'mime_type', f.mime_type,
                   'size_bytes', f.size_bytes, 'thumb_path', f.thumb_path, 'uploaded_by', f.uploaded_by,
                   'created_at', f.created_at,
                   'uploader', (select p.display_name from public.profiles p where p.id = f.uploaded_by))
                 order by f.version desc)
            from public.library_files f where f.resource_id = v_resource.id), '[]'::jsonb),
        -- An attachment whose thread I may not read is left out.
        'attachments', coalesce((
          select jsonb_agg(jsonb_build_object(
                   'id', a.id, 'attachedBy', a.attached_by,
                   'thread', jsonb_build_object('id', t.id, 'title', t.title, 'space_id', t.space_id))
                 order by a.created_at, a.id)
            from public.library_attachments a
            join public.threads t on t.id = a.thread_id
           where a.resource_id = v_resource.id), '[]'::jsonb))
    end,
    'rights', public.library_rights(p_space, p_resource),
    -- The threads it may be attached to: the 40 most active (the space's, or all mine for the shared library).
    'threads', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', t.id, 'title', t.title, 'space_id', t.space_id,
               'spaceName', coalesce((select s.name from public.spaces s where s.id = t.space_id), ''))
             order by t.last_activity_at desc, t.id)
        from (select t.id, t.title, t.space_id, t.last_activity_at
                from public.threads t
               where t.deleted_at is null and (p_space is null or t.space_id = p_space)
               order by t.last_activity_at desc, t.id
               limit 40) t), '[]'::jsonb)
  );
end;
$$;
comment on function public.open_library_resource(uuid, uuid) is
  'RPC (as the caller, under the policies): a library resource''s page: for a space''s library the space (space_for_member(); null when I am not a member), the resource with its files (newest first, with the uploaders'' names), the threads it is attached to that I may read and its creator''s name (null when I may not read it or it is in another library), library_rights() for it, and the 40 most active threads it may be attached to with their spaces'' names; p_space null is the shared library.';

revoke execute on function public.open_library_resource(uuid, uuid) from anon, public;
grant execute on function public.open_library_resource(uuid, uuid) to authenticated;
