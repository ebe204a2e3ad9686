-- supabase/schemas/library.sql: the current definition of every object of the library capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Resource libraries: one per space and one shared by the whole network
-- (handbooks, training manuals, flash cards, check-lists, flyers, proposal
-- and budget templates, recorded explanations). A resource is a link or a
-- file with versions; files live in the private Storage bucket "library".
--
-- Access has ONE rule, can_read_library_resource(), used by the table
-- policies and by the storage.objects policies alike. Today it says: members
-- of the resource's space (for the shared library: anyone in the network),
-- or anyone who can read a thread the resource is attached to. The second
-- branch is how a later "guest of one dialogue" sees single items: attaching
-- a resource to their dialogue grants exactly that item, nothing else.
--
-- Object paths: '<space id | network>/<resource id>/<file id>' (plus
-- '-thumb' for an image's small preview). The space in the path decides who
-- may upload (membership helpers); once a file is registered in
-- library_files, the resource decides who may read it, so a guessed path
-- that is not registered, or belongs to another space, reads nothing.

create type public.library_kind as enum ('document', 'image', 'audio', 'video', 'link');

-- People who curate the network-wide library (the Linking & Learning team,
-- project officers). A table, not "any facilitator": anyone may open a space
-- and so become a facilitator somewhere.
create table public.library_curators (
  user_id uuid primary key references auth.users (id) on delete cascade,
  added_by uuid references auth.users (id) on delete set null default auth.uid(),
  added_at timestamptz not null default now()
);
revoke all on public.library_curators from anon;
revoke update on public.library_curators from authenticated;

create table public.library_resources (
  id uuid primary key default gen_random_uuid(),
  -- null: the network-wide shared library
  space_id uuid references public.spaces (id) on delete cascade,
  title text not null check (char_length(btrim(title)) between 1 and 200),
  description text not null default '' check (char_length(description) <= 2000),
  topic public.thread_topic not null default 'other',
  languages public.app_language[] not null default '{}' check (cardinality(languages) <= 3),
  collection text not null default '' check (char_length(collection) <= 80),
  -- a link resource has a url and no files; a file resource the reverse
  url text check (url ~* '^https?://[^[:space:]]+$' and char_length(url) <= 2000),
  featured boolean not null default false,
  retired_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint library_resources_title_visible check (public.has_visible_text(title) and public.has_no_bidi_controls(title))
);
revoke all on public.library_resources from anon;
revoke insert on public.library_resources from authenticated;

create index library_resources_scope_idx on public.library_resources (space_id, featured desc, created_at desc);

create index library_resources_created_by_idx on public.library_resources (created_by);

create index library_resources_title_search_idx on public.library_resources
  using gin (public.search_text(title) extensions.gin_trgm_ops);

create index library_resources_description_search_idx on public.library_resources
  using gin (public.search_text(description) extensions.gin_trgm_ops);

-- Versions of a file resource: replacing a file adds a version, earlier ones stay.
-- Size and type are copied from storage.objects by register_library_file(),
-- never taken from the client.
create table public.library_files (
  id uuid primary key,
  resource_id uuid not null references public.library_resources (id) on delete cascade,
  version integer not null check (version >= 1),
  object_path text not null unique,
  thumb_path text unique,
  file_name text not null check (char_length(file_name) between 1 and 200),
  mime_type text not null,
  size_bytes bigint not null check (size_bytes > 0),
  uploaded_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  unique (resource_id, version),
  constraint library_files_file_name_clean check (public.has_visible_text(file_name) and public.has_no_bidi_controls(file_name))
);
revoke all on public.library_files from anon;
revoke insert, update, delete on public.library_files from authenticated;

create index library_files_uploaded_by_idx on public.library_files (uploaded_by);

-- A resource attached to something people read. Today threads; dialogues
-- and drafts add their own nullable column and join the check below.
create table public.library_attachments (
  id uuid primary key default gen_random_uuid(),
  resource_id uuid not null references public.library_resources (id) on delete cascade,
  thread_id uuid references public.threads (id) on delete cascade,
  attached_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint library_attachments_one_target check (num_nonnulls(thread_id) = 1),
  unique (resource_id, thread_id)
);
revoke all on public.library_attachments from anon;
revoke update on public.library_attachments from authenticated;

create index library_attachments_thread_idx on public.library_attachments (thread_id);

create index library_attachments_attached_by_idx on public.library_attachments (attached_by);

-- ---------------------------------------------------------------------------
-- Helpers (security definer, empty search_path, like the spaces helpers).
create function public.is_library_curator() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.library_curators c where c.user_id = (select auth.uid()))
$$;
comment on function public.is_library_curator() is
  'Am I a curator of the network-wide shared library?';
revoke execute on function public.is_library_curator() from anon, public;
grant execute on function public.is_library_curator() to authenticated;

-- The network: everyone who belongs to at least one space, and the curators.
create function public.in_library_network() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.space_members m where m.user_id = (select auth.uid()))
      or public.is_library_curator()
$$;
comment on function public.in_library_network() is
  'Am I in the network: a member of at least one space, or a curator?';
revoke execute on function public.in_library_network() from anon, public;
grant execute on function public.in_library_network() to authenticated;

-- Adding to a library: members of the space; curators for the shared library.
create function public.can_add_to_library(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select case when p_space is null then public.is_library_curator() else public.is_space_member(p_space) end
$$;
comment on function public.can_add_to_library(uuid) is
  'May I add to this library? A space''s: its members; the shared one (null): curators.';
revoke execute on function public.can_add_to_library(uuid) from anon, public;
grant execute on function public.can_add_to_library(uuid) to authenticated;

-- Organising (feature, retire, delete): moderators of the space; curators for the shared library.
create function public.can_curate_library(p_space uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select case when p_space is null then public.is_library_curator() else public.is_space_moderator(p_space) end
$$;
comment on function public.can_curate_library(uuid) is
  'May I organise this library (feature, retire, delete)? A space''s: its moderators; the shared one (null): curators.';
revoke execute on function public.can_curate_library(uuid) from anon, public;
grant execute on function public.can_curate_library(uuid) to authenticated;

create function public.can_read_library_resource(p_resource uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.library_resources r
    where r.id = p_resource and (
      case when r.space_id is null then public.in_library_network() else public.is_space_member(r.space_id) end
      or exists (
        select 1 from public.library_attachments a
        where a.resource_id = r.id and a.thread_id is not null and public.can_read_thread(a.thread_id)
      )
    )
  )
$$;
comment on function public.can_read_library_resource(uuid) is
  'May I read the resource? Members of its space (shared library: the network), or readers of a thread it is attached to.';
revoke execute on function public.can_read_library_resource(uuid) from anon, public;
grant execute on function public.can_read_library_resource(uuid) to authenticated;

-- Editing the text and adding versions: the person who added it (while they
-- may still add to that library) and the library's curators.
create function public.can_edit_library_resource(p_resource uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.library_resources r
    where r.id = p_resource and (
      public.can_curate_library(r.space_id)
      or (r.created_by = (select auth.uid()) and public.can_add_to_library(r.space_id))
    )
  )
$$;
comment on function public.can_edit_library_resource(uuid) is
  'May I edit the resource''s text and add versions? Its library''s curators, or the person who added it while they may still add there.';
revoke execute on function public.can_edit_library_resource(uuid) from anon, public;
grant execute on function public.can_edit_library_resource(uuid) to authenticated;

-- The library's own set again; a guest's attached items come through the dialogues capability's policy.
create or replace function public.my_attached_library_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.resource_id from public.library_attachments a
  join public.threads t on t.id = a.thread_id
  where t.space_id in (select public.my_space_ids())
$$;
comment on function public.my_attached_library_ids() is
  'The ids of resources attached to threads of my spaces, as a set for read policies.';
revoke execute on function public.my_attached_library_ids() from anon, public;
grant execute on function public.my_attached_library_ids() to authenticated;

create function public.library_kind_of(p_mime text) returns public.library_kind
language sql immutable parallel safe set search_path = '' as $$
  select (case
    when p_mime like 'image/%' then 'image'
    when p_mime like 'audio/%' then 'audio'
    when p_mime like 'video/%' then 'video'
    else 'document'
  end)::public.library_kind
$$;
comment on function public.library_kind_of(text) is
  'The library kind (image, audio, video, document) of a MIME type.';

-- ---------------------------------------------------------------------------
-- Storage objects in the "library" bucket.
create function public.library_object_registered(p_name text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.library_files f where f.object_path = p_name)
      or exists (select 1 from public.library_files f where f.thumb_path = p_name)
$$;
comment on function public.library_object_registered(text) is
  'Is this storage path a registered library file or preview?';
revoke execute on function public.library_object_registered(text) from anon, public;
grant execute on function public.library_object_registered(text) to authenticated;

-- The space a well-formed object path is keyed by: (true, null) for the
-- shared library, (false, null) for anything that is not a library path.
create function public.library_object_scope(p_name text, out ok boolean, out space_id uuid, out resource_id uuid)
language plpgsql immutable set search_path = '' as $$
declare
  v_uuid constant text := '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  v_parts text[] := regexp_match(p_name, '^(network|' || v_uuid || ')/(' || v_uuid || ')/' || v_uuid || '(-thumb)?$');
begin
  ok := v_parts is not null;
  if ok then
    space_id := case when v_parts[1] = 'network' then null else v_parts[1]::uuid end;
    resource_id := v_parts[2]::uuid;
  end if;
end;
$$;
comment on function public.library_object_scope(text) is
  'Parses a library object path: ok, the space (null for the shared library) and the resource it is keyed by.';
revoke execute on function public.library_object_scope(text) from anon, public;
grant execute on function public.library_object_scope(text) to authenticated;

-- Registered files: whoever may read the resource. Unregistered uploads (the
-- moment between upload and registration, or left over after a refusal or a
-- deletion): their uploader, and the library's curators who clean them up.
-- (Deleting needs the row to be visible, so this also gates removal.)
create function public.can_read_library_object(p_name text, p_owner text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
      select 1 from public.library_files f
      where (f.object_path = p_name or f.thumb_path = p_name) and public.can_read_library_resource(f.resource_id)
    )
    or (
      not public.library_object_registered(p_name)
      and coalesce((
        select s.ok and (
          public.can_curate_library(s.space_id)
          or (p_owner = (select auth.uid())::text and public.can_add_to_library(s.space_id))
        )
        from public.library_object_scope(p_name) s
      ), false)
    )
$$;
comment on function public.can_read_library_object(text, text) is
  'May I read (and so delete, if allowed) this library object? Registered: readers of its resource; unregistered: its uploader while they may add there, and the library''s curators.';
revoke execute on function public.can_read_library_object(text, text) from anon, public;
grant execute on function public.can_read_library_object(text, text) to authenticated;

-- A new object: a new resource in a library I may add to, or a new version
-- of a resource I may edit, at a path keyed by that resource's own library.
create function public.can_upload_library_object(p_name text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_scope record;
  v_resource public.library_resources;
begin
  select * into v_scope from public.library_object_scope(p_name);
  if not v_scope.ok then
    return false;
  end if;
  select * into v_resource from public.library_resources r where r.id = v_scope.resource_id;
  if found then
    return v_resource.space_id is not distinct from v_scope.space_id
      and v_resource.url is null
      and public.can_edit_library_resource(v_resource.id);
  end if;
  return public.can_add_to_library(v_scope.space_id);
end;
$$;
comment on function public.can_upload_library_object(text) is
  'May I upload to this library path? A new resource where I may add, or a new version of a file resource I may edit, keyed by its own library.';
revoke execute on function public.can_upload_library_object(text) from anon, public;
grant execute on function public.can_upload_library_object(text) to authenticated;

-- Registered files: the library's curators (after the resource row is gone
-- the file is unregistered). Unregistered uploads: also their uploader, so a
-- refused registration can be cleaned up.
create function public.can_delete_library_object(p_name text, p_owner text) returns boolean
language sql stable security definer set search_path = '' as $$
  select case
    when public.library_object_registered(p_name) then exists (
      select 1 from public.library_files f join public.library_resources r on r.id = f.resource_id
      where (f.object_path = p_name or f.thumb_path = p_name) and public.can_curate_library(r.space_id)
    )
    else coalesce((
      select s.ok and (
        public.can_curate_library(s.space_id)
        or (p_owner = (select auth.uid())::text and public.can_add_to_library(s.space_id))
      )
      from public.library_object_scope(p_name) s
    ), false)
  end
$$;
comment on function public.can_delete_library_object(text, text) is
  'May I delete this library object? Registered: the library''s curators; unregistered: also its uploader while they may add there.';
revoke execute on function public.can_delete_library_object(text, text) from anon, public;
grant execute on function public.can_delete_library_object(text, text) to authenticated;

-- Limits live on the bucket; the app shows the same ones (src/lib/library/limits.ts,
-- checked against this row by tests/integration/library).
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('library', 'library', false, 26214400, array[
  'application/pdf',
  'image/jpeg', 'image/png', 'image/webp', 'image/gif',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/wav', 'audio/x-wav', 'audio/webm',
  'audio/x-m4a', 'audio/amr', 'audio/3gpp',
  'video/mp4', 'video/webm', 'video/3gpp',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/plain', 'text/csv'
])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- No update policy: a stored version is never overwritten (replacing adds a version).
create policy "library: read files the library lets you read" on storage.objects
  for select to authenticated
  using (bucket_id = 'library' and public.can_read_library_object(name, owner_id));

create policy "library: upload where you may add" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'library' and public.can_upload_library_object(name));

create policy "library: curators and uploaders of unregistered files delete" on storage.objects
  for delete to authenticated
  using (bucket_id = 'library' and public.can_delete_library_object(name, owner_id));

-- ---------------------------------------------------------------------------
alter table public.library_curators enable row level security;

alter table public.library_resources enable row level security;

alter table public.library_files enable row level security;

alter table public.library_attachments enable row level security;

create policy "curators see the curators" on public.library_curators
  for select to authenticated using (user_id = (select auth.uid()) or (select public.is_library_curator()));

create policy "curators add curators" on public.library_curators
  for insert to authenticated with check ((select public.is_library_curator()) and added_by = (select auth.uid()));

create policy "curators remove curators" on public.library_curators
  for delete to authenticated using ((select public.is_library_curator()));

create policy "readers read resources" on public.library_resources
  for select to authenticated using (
    space_id in (select public.my_space_ids())
    or (space_id is null and (select public.in_library_network()))
    or id in (select public.my_attached_library_ids())
  );

-- Adding goes through add_library_resource() (it registers the uploaded file).
create policy "editors and curators update resources" on public.library_resources
  for update to authenticated
  using (public.can_edit_library_resource(id))
  with check (public.can_edit_library_resource(id));

create policy "curators delete resources" on public.library_resources
  for delete to authenticated using (public.can_curate_library(space_id));

-- Readable with the resource (the subquery is itself under RLS).
create policy "readers read versions" on public.library_files
  for select to authenticated using (resource_id in (select r.id from public.library_resources r));

create policy "thread readers see attachments" on public.library_attachments
  for select to authenticated using (public.can_read_thread(thread_id));

-- A space's resource stays in its space: it can be attached to that space's
-- threads only. Shared-library resources can be attached anywhere.
create policy "people who may post attach readable resources" on public.library_attachments
  for insert to authenticated with check (
    attached_by = (select auth.uid())
    and public.can_post_in_thread(thread_id)
    and exists (
      select 1 from public.library_resources r join public.threads t on t.id = thread_id
      where r.id = resource_id and r.retired_at is null
        and (r.space_id is null or r.space_id = t.space_id)
        and public.can_read_library_resource(r.id)
    )
  );

create policy "attachers and moderators detach" on public.library_attachments
  for delete to authenticated using (
    attached_by = (select auth.uid())
    or exists (select 1 from public.threads t where t.id = thread_id and public.is_space_moderator(t.space_id))
  );

-- ---------------------------------------------------------------------------
-- What people may change, column by column.
create function public.guard_library_resource_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.id <> old.id or new.space_id is distinct from old.space_id
     or new.created_by is distinct from old.created_by or new.created_at <> old.created_at
     or (new.url is null) <> (old.url is null) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (new.featured <> old.featured or new.retired_at is distinct from old.retired_at)
     and not public.can_curate_library(old.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.retired_at is not null and old.retired_at is null then
    new.retired_at := now();
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.guard_library_resource_update() is
  'Guard: refuses (not_allowed) changing a resource''s id, library, creator, creation time or link/file nature, and featuring or retiring unless a curator of its library; stamps retired_at and updated_at.';

create trigger library_resources_guard before update on public.library_resources
  for each row execute function public.guard_library_resource_update();

-- ---------------------------------------------------------------------------
-- Registering an uploaded object as a version. Internal: called by the two
-- functions below, which check who may do it. Size and type come from the
-- object Storage stored (the bucket checked them), not from the client.
create function public.register_library_file(
  p_resource uuid, p_prefix text, p_file_id uuid, p_file_name text, p_with_thumb boolean, p_user uuid
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_path text := p_prefix || p_file_id::text;
  v_meta jsonb;
  v_thumb boolean := false;
  v_version integer;
begin
  select o.metadata into v_meta from storage.objects o
   where o.bucket_id = 'library' and o.name = v_path and o.owner_id = p_user::text;
  if v_meta is null then
    raise exception 'file_missing' using errcode = 'P0001';
  end if;
  if p_with_thumb then
    v_thumb := exists (
      select 1 from storage.objects o
       where o.bucket_id = 'library' and o.name = v_path || '-thumb' and o.owner_id = p_user::text
         and o.metadata ->> 'mimetype' in ('image/jpeg', 'image/webp', 'image/png')
         and (o.metadata ->> 'size')::bigint <= 204800
    );
  end if;
  select coalesce(max(f.version), 0) + 1 into v_version from public.library_files f where f.resource_id = p_resource;
  insert into public.library_files (id, resource_id, version, object_path, thumb_path, file_name, mime_type, size_bytes, uploaded_by)
  values (p_file_id, p_resource, v_version, v_path, case when v_thumb then v_path || '-thumb' end,
          left(coalesce(nullif(btrim(p_file_name), ''), 'file'), 200),
          coalesce(v_meta ->> 'mimetype', 'application/octet-stream'), (v_meta ->> 'size')::bigint, p_user);
  return v_version;
end;
$$;
comment on function public.register_library_file(uuid, text, uuid, text, boolean, uuid) is
  'Internal: registers an uploaded object as the next version of a resource, with size and type from Storage (file_missing); callers check who may.';
revoke execute on function public.register_library_file(uuid, text, uuid, text, boolean, uuid) from anon, authenticated, public;

-- Adds a link, or a file already uploaded to '<space|network>/<p_id>/<p_file_id>'.
-- Replaying the same call (a retry after a timeout) returns the same id.
create function public.add_library_resource(
  p_id uuid,
  p_title text,
  p_space uuid default null,
  p_description text default '',
  p_topic public.thread_topic default 'other',
  p_languages public.app_language[] default '{}',
  p_collection text default '',
  p_url text default null,
  p_file_id uuid default null,
  p_file_name text default null,
  p_with_thumb boolean default false
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_creator uuid;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select r.created_by into v_creator from public.library_resources r where r.id = p_id;
  if found then
    if v_creator = v_user then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.can_add_to_library(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (nullif(btrim(p_url), '') is null) = (p_file_id is null) then
    raise exception 'file_or_link' using errcode = 'P0001';
  end if;
  insert into public.library_resources (id, space_id, title, description, topic, languages, collection, url, created_by)
  values (p_id, p_space, btrim(coalesce(p_title, '')), btrim(coalesce(p_description, '')), coalesce(p_topic, 'other'),
          coalesce(p_languages, '{}'), btrim(coalesce(p_collection, '')), nullif(btrim(p_url), ''), v_user);
  if p_file_id is not null then
    perform public.register_library_file(p_id, coalesce(p_space::text, 'network') || '/' || p_id::text || '/',
                                         p_file_id, p_file_name, p_with_thumb, v_user);
  end if;
  return p_id;
end;
$$;
comment on function public.add_library_resource(uuid, text, uuid, text, public.thread_topic, public.app_language[], text, text, uuid, text, boolean) is
  'RPC: adds a link, or a file already uploaded, to a library I may add to; a replay by the same person returns the id (not_signed_in, not_allowed, file_or_link, file_missing).';
revoke execute on function public.add_library_resource(uuid, text, uuid, text, public.thread_topic, public.app_language[], text, text, uuid, text, boolean) from anon, public;
grant execute on function public.add_library_resource(uuid, text, uuid, text, public.thread_topic, public.app_language[], text, text, uuid, text, boolean) to authenticated;

-- A new version of a file resource; earlier versions stay. Idempotent per file id.
create function public.add_library_version(
  p_resource uuid, p_file_id uuid, p_file_name text, p_with_thumb boolean default false
) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_resource public.library_resources;
  v_version integer;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_resource from public.library_resources r where r.id = p_resource for update;
  if not found or not public.can_edit_library_resource(p_resource) or v_resource.url is not null then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  select f.version into v_version from public.library_files f where f.id = p_file_id and f.resource_id = p_resource;
  if found then
    return v_version;
  end if;
  v_version := public.register_library_file(p_resource, coalesce(v_resource.space_id::text, 'network') || '/' || p_resource::text || '/',
                                            p_file_id, p_file_name, p_with_thumb, v_user);
  update public.library_resources set updated_at = now() where id = p_resource;
  return v_version;
end;
$$;
comment on function public.add_library_version(uuid, uuid, text, boolean) is
  'RPC: a new version of a file resource I may edit, from an uploaded file; idempotent per file id (not_signed_in, not_allowed, file_missing).';
revoke execute on function public.add_library_version(uuid, uuid, text, boolean) from anon, public;
grant execute on function public.add_library_version(uuid, uuid, text, boolean) to authenticated;

-- Browsing and search. Runs as its owner and checks access itself so the
-- trigram indexes can serve the LIKE (see search_space() in
-- 20261122000300_threads.sql); the check is the
-- same as the read policy's for a whole library.
create function public.browse_library(
  p_space uuid default null,
  p_query text default null,
  p_topic public.thread_topic default null,
  p_language public.app_language default null,
  p_kind public.library_kind default null,
  p_collection text default null,
  p_include_retired boolean default false,
  p_limit integer default 60
) returns table (
  id uuid, space_id uuid, title text, description text, topic public.thread_topic,
  languages public.app_language[], collection text, url text, featured boolean, retired_at timestamptz,
  created_by uuid, created_at timestamptz, kind public.library_kind, file_id uuid, file_name text,
  mime_type text, size_bytes bigint, version integer, has_thumb boolean
)
language sql stable security definer set search_path = '' as $$
  select * from (
    select r.id, r.space_id, r.title, r.description, r.topic, r.languages, r.collection, r.url, r.featured,
           r.retired_at, r.created_by, r.created_at,
           case when r.url is not null then 'link'::public.library_kind else public.library_kind_of(f.mime_type) end as kind,
           f.id as file_id, f.file_name, f.mime_type, f.size_bytes, f.version, f.thumb_path is not null as has_thumb
      from public.library_resources r
      left join lateral (
        select lf.id, lf.file_name, lf.mime_type, lf.size_bytes, lf.version, lf.thumb_path
          from public.library_files lf where lf.resource_id = r.id order by lf.version desc limit 1
      ) f on true
     where (case when p_space is null then public.in_library_network() else public.is_space_member(p_space) end)
       and ((p_space is null and r.space_id is null) or r.space_id = p_space)
       and (coalesce(p_include_retired, false) or r.retired_at is null)
       and (p_topic is null or r.topic = p_topic)
       and (p_language is null or p_language = any (r.languages))
       and (p_collection is null or r.collection = p_collection)
       and (coalesce(btrim(p_query), '') = ''
            or public.search_text(r.title) like public.search_pattern(p_query)
            or public.search_text(r.description) like public.search_pattern(p_query))
  ) found
  where p_kind is null or found.kind = p_kind
  order by found.featured desc, found.created_at desc, found.id
  limit least(greatest(coalesce(p_limit, 60), 1), 200)
$$;
comment on function public.browse_library(uuid, text, public.thread_topic, public.app_language, public.library_kind, text, boolean, integer) is
  'RPC (checks access itself): a library''s resources with their latest file, filtered and searched, for its members (shared library: the network); nothing for others.';
revoke execute on function public.browse_library(uuid, text, public.thread_topic, public.app_language, public.library_kind, text, boolean, integer) from anon, public;
grant execute on function public.browse_library(uuid, text, public.thread_topic, public.app_language, public.library_kind, text, boolean, integer) to authenticated;

-- What is attached to a thread: each resource with its newest version, in the
-- order attached; what the policies hide is left out.
-- PL/pgSQL so that its plan lasts across calls (20261206001500_library_cached_plans.sql).
create function public.thread_attachments(p_thread uuid) returns jsonb
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
comment on function public.thread_attachments(uuid) is
  'RPC (as the caller, under the policies): the library resources attached to the thread, each with its newest version.';
revoke execute on function public.thread_attachments(uuid) from anon, public;
grant execute on function public.thread_attachments(uuid) to authenticated;

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
revoke execute on function public.library_rights(uuid, uuid) from anon, public;
grant execute on function public.library_rights(uuid, uuid) to authenticated;

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

-- ---------------------------------------------------------------------------
-- Saved for offline (issue 27): the file itself is kept on the phone (Cache
-- API, src/lib/library/offline.ts); the app tells the server through the
-- resource page's form action (saved_offline), sent from the outbox at once or
-- when the phone is back online. Only for the programme's count "library items
-- saved offline": which item and who, so that the same person saving twice
-- (again, on another phone, a replay) counts once, and the first time. She
-- reads her own rows; nobody else reads them through the API; no update; they
-- go with her account and with the item.
create table public.library_saves (
  resource_id uuid not null references public.library_resources (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  saved_at timestamptz not null default now(),
  primary key (resource_id, user_id)
);
comment on table public.library_saves is
  'Library items a person saved for offline on a phone: the item, the person (so that she counts once per item) and the first time; read by herself only, counted by programme_part_library_saves().';
revoke all on public.library_saves from anon, authenticated;
-- Only the item is written: the person and the time are the database's.
grant select on public.library_saves to authenticated;
grant insert (resource_id) on public.library_saves to authenticated;

create index library_saves_user_idx on public.library_saves (user_id);

create index library_saves_saved_at_idx on public.library_saves (saved_at);

alter table public.library_saves enable row level security;

create policy "people read their own saves" on public.library_saves
  for select to authenticated using (user_id = (select auth.uid()));

-- An item she may read (the subquery is itself under RLS).
create policy "people record saving an item they read" on public.library_saves
  for insert to authenticated with check (
    user_id = (select auth.uid()) and resource_id in (select r.id from public.library_resources r)
  );

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
