-- Reading pages in one call each (issue 14, [light]): a page's data in one
-- wave of Supabase calls, beside the session check, instead of several calls
-- that wait for one another. Every function here is security invoker: each
-- table read applies its read policy exactly as the REST calls did, so a
-- guest, an outsider or a removed member gets what those gave them (nothing,
-- or null). Kept in their own migration (migrations are append-only); each
-- block names the capability it reads.

-- ---------------------------------------------------------------- profiles

-- One call with no argument, so a page can ask for the header's name at the
-- same time as it checks the session (issue 14: no round trip waits for another).
create function public.my_display_name() returns text
language sql stable security invoker set search_path = '' as $$
  select p.display_name from public.profiles p where p.id = (select auth.uid())
$$;
comment on function public.my_display_name() is
  'RPC (as the caller, under the policies): my display name, or null.';
revoke execute on function public.my_display_name() from anon, public;
grant execute on function public.my_display_name() to authenticated;

-- ---------------------------------------------------------------- spaces

-- A space's page header and my place in it, in one call that needs no user id
-- from the app (so it runs beside the session check, not after it).
create function public.space_for_member(p_space uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
           'id', s.id, 'kind', s.kind, 'name', s.name, 'objective', s.objective,
           'description', s.description, 'primary_language', s.primary_language,
           'colour', s.colour, 'icon', s.icon, 'myRole', m.role, 'joinedAt', m.joined_at)
    from public.spaces s
    join public.space_members m on m.space_id = s.id and m.user_id = (select auth.uid())
   where s.id = p_space
$$;
comment on function public.space_for_member(uuid) is
  'RPC (as the caller, under the policies): the space with my role and when I joined, or null when I am not a member.';
revoke execute on function public.space_for_member(uuid) from anon, public;
grant execute on function public.space_for_member(uuid) to authenticated;

-- ---------------------------------------------------------------- threads

-- Reading pages in one call each (issue 14: at most two round trips per page,
-- the session check and this). As the caller: every table read here applies
-- its read policy exactly as the REST calls did, so a guest or a removed
-- member gets what those gave them (nothing, or null). PL/pgSQL rather than
-- SQL functions: a session keeps PL/pgSQL's query plans, so a page does not
-- plan its query again on every view (half the time on the local stack).

-- A page of a space's thread list (dialogues have their own list), newest
-- activity first under the pinned ones, with each author's name and whether I
-- have read it since its last activity (or since I joined). Keyset: the rows
-- after (p_after_pinned, p_after_at, p_after_id) in that order; one row more
-- than p_limit says there is a next page.
create function public.thread_list(
  p_space uuid, p_limit integer default 30,
  p_after_pinned boolean default null, p_after_at timestamptz default null, p_after_id uuid default null
) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return (
  with me as (
    select m.joined_at from public.space_members m where m.space_id = p_space and m.user_id = (select auth.uid())
  ), page as (
    select t.id, t.title, t.topic, t.pinned, t.locked, t.reply_count, t.last_activity_at, t.author_id
      from public.threads t
     where t.space_id = p_space and t.deleted_at is null and not t.is_dialogue
       and (p_after_id is null
            or (p_after_pinned and not t.pinned)
            or (t.pinned = p_after_pinned and t.last_activity_at < p_after_at)
            or (t.pinned = p_after_pinned and t.last_activity_at = p_after_at and t.id < p_after_id))
     order by t.pinned desc, t.last_activity_at desc, t.id desc
     limit least(greatest(p_limit, 1), 100) + 1
  )
  select coalesce(jsonb_agg(
           to_jsonb(page) || jsonb_build_object(
             'author', coalesce((select p.display_name from public.profiles p where p.id = page.author_id), ''),
             'unread', page.last_activity_at > coalesce(
               (select r.last_read_at from public.thread_reads r
                 where r.thread_id = page.id and r.user_id = (select auth.uid())),
               (select me.joined_at from me), '-infinity'::timestamptz))
           order by page.pinned desc, page.last_activity_at desc, page.id desc), '[]'::jsonb)
    from page
  );
end;
$$;
comment on function public.thread_list(uuid, integer, boolean, timestamptz, uuid) is
  'RPC (as the caller, under the policies): a keyset page of the space''s threads with author names and my unread flags.';

-- A thread with its posts (up to 1000, oldest first; a removed post keeps its
-- place, not its words), their authors' names, earlier wordings of edited
-- posts, reaction counts per kind with mine marked, and the space's members
-- (who may be mentioned or shown typing). Null when I may not read it.
create function public.thread_page(p_thread uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return (
  with t as (
    select t.id, t.space_id, t.title, t.topic, t.pinned, t.locked, t.reply_count, t.last_activity_at,
           t.author_id, t.deleted_at, t.is_dialogue
      from public.threads t where t.id = p_thread
  ), p as (
    select p.id, p.author_id, p.is_opening, case when p.deleted_at is null then p.body else '' end as body,
           p.created_at, p.edited_at, p.deleted_at, p.anonymous, p.outcome
      from public.posts p where p.thread_id = p_thread
     order by p.created_at, p.id limit 1000
  ), names as (
    select pr.id, pr.display_name from public.profiles pr
     where pr.id in (select p.author_id from p union select t.author_id from t)
  )
  select jsonb_build_object(
    'thread', to_jsonb(t) || jsonb_build_object(
      'author', coalesce((select n.display_name from names n where n.id = t.author_id), '')),
    'posts', coalesce((select jsonb_agg(to_jsonb(p) || jsonb_build_object(
        'author', coalesce((select n.display_name from names n where n.id = p.author_id), ''),
        'revisions', case when p.edited_at is not null and p.deleted_at is null then coalesce((
          select jsonb_agg(jsonb_build_object('post_id', r.post_id, 'body', r.body, 'created_at', r.created_at) order by r.id)
            from public.post_revisions r where r.post_id = p.id), '[]'::jsonb) else '[]'::jsonb end,
        'reactions', coalesce((
          select jsonb_object_agg(x.kind, jsonb_build_object('count', x.n, 'byMe', x.mine))
            from (select r.kind, count(*) as n, bool_or(r.user_id = (select auth.uid())) as mine
                    from public.reactions r where r.post_id = p.id group by r.kind) x), '{}'::jsonb)
      ) order by p.created_at, p.id) from p), '[]'::jsonb),
    'members', coalesce((
      select jsonb_agg(jsonb_build_object('user_id', m.user_id, 'role', m.role, 'joined_at', m.joined_at,
                                          'display_name', coalesce(pr.display_name, '')) order by m.joined_at)
        from public.space_members m left join public.profiles pr on pr.id = m.user_id
       where m.space_id = t.space_id), '[]'::jsonb))
    from t
  );
end;
$$;
comment on function public.thread_page(uuid) is
  'RPC (as the caller, under the policies): the thread, its posts with names, revisions and reactions, and the space''s members; null when unreadable.';

revoke execute on function public.thread_list(uuid, integer, boolean, timestamptz, uuid), public.thread_page(uuid)
  from anon, public;
grant execute on function public.thread_list(uuid, integer, boolean, timestamptz, uuid), public.thread_page(uuid)
  to authenticated;

-- ---------------------------------------------------------------- library

-- What is attached to a thread: each resource with its newest version, in the
-- order attached; what the policies hide is left out.
create function public.thread_attachments(p_thread uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'attachmentId', a.id, 'attachedBy', a.attached_by,
           'resource', jsonb_build_object('id', r.id, 'space_id', r.space_id, 'title', r.title, 'url', r.url),
           'file', (select jsonb_build_object('id', f.id, 'resource_id', f.resource_id, 'version', f.version,
                                              'file_name', f.file_name, 'mime_type', f.mime_type, 'size_bytes', f.size_bytes)
                      from public.library_files f where f.resource_id = r.id order by f.version desc limit 1))
         order by a.created_at), '[]'::jsonb)
    from public.library_attachments a
    join public.library_resources r on r.id = a.resource_id
   where a.thread_id = p_thread
$$;
comment on function public.thread_attachments(uuid) is
  'RPC (as the caller, under the policies): the library resources attached to the thread, each with its newest version.';

-- What the library's buttons may offer me (RLS still decides every write).
create function public.library_rights(p_space uuid, p_resource uuid default null) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'canAdd', public.can_add_to_library(p_space),
    'canCurate', public.can_curate_library(p_space),
    'canEdit', p_resource is not null and public.can_edit_library_resource(p_resource))
$$;
comment on function public.library_rights(uuid, uuid) is
  'RPC: may I add to the library (null: the shared one), organise it, and edit the resource, in one call.';

revoke execute on function public.thread_attachments(uuid), public.library_rights(uuid, uuid) from anon, public;
grant execute on function public.thread_attachments(uuid), public.library_rights(uuid, uuid) to authenticated;
