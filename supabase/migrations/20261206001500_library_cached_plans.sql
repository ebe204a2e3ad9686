-- capability: library
-- The same query, with a plan that lasts (issue 24, requests per second): see
-- 20261206001100_dialogues_cached_plans.sql for why PL/pgSQL. A thread's page
-- asks thread_attachments() at every view. The body is unchanged.

create or replace function public.thread_attachments(p_thread uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return (
  select coalesce(jsonb_agg(jsonb_build_object(
           'attachmentId', a.id, 'attachedBy', a.attached_by,
           'resource', jsonb_build_object('id', r.id, 'space_id', r.space_id, 'title', r.title, 'url', r.url),
           'file', (select jsonb_build_object('id', f.id, 'resource_id', f.resource_id, 'version', f.version,
                                              'file_name', f.file_name, 'mime_type', f.mime_type, 'size_bytes', f.size_bytes)
                      from public.library_files f where f.resource_id = r.id order by f.version desc limit 1))
         order by a.created_at), '[]'::jsonb)
    from public.library_attachments a
    join public.library_resources r on r.id = a.resource_id
   where a.thread_id = p_thread);
end;
$$;
