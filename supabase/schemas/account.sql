-- supabase/schemas/account.sql: the current definition of every object of the account capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- People's rights over their own data (issue 26): download my data, delete my account.
--
-- Download: a request queues a job (data_exports); a worker in the app server
-- (src/lib/account/export-worker.server.ts, with the secret key, like the push
-- worker) gathers the person's data with data_export_contents(), zips it with
-- their files and stores it in the private bucket "data-exports" under their
-- own id, where only they read it, for 7 days.
--
-- Delete: the person confirms with her password; as herself she calls
-- erase_my_account(), which erases her personal data, hands her posts to "a
-- former member" (or deletes them, as she chooses), and records that she
-- confirmed (account_deletions). Only then the app server's one module allowed
-- to delete an auth user (src/lib/account/delete-user.server.ts) removes the
-- auth account with the secret key, after confirmed_account_deletion() says
-- this person confirmed within the last 15 minutes. The account's rows in
-- every other table go with it (cascade or set null).
--
-- erase_my_account() takes her out of her spaces itself (remember_removal()
-- would record the cascade as a removal of the deleted account, and fail),
-- and clears the columns that name her as author or creator itself, because
-- four earlier guards refuse that change even when a foreign
-- key's "on delete set null" makes it (posts_guard on posts.author_id,
-- space_invites_guard on created_by, dialogues_guard on convened_by,
-- library_resources_guard on created_by): deleting the auth user of anyone
-- who ever posted failed. It does so with those four triggers disabled for
-- its own transaction only (a table owner's ALTER TABLE, rolled back with
-- the transaction if anything fails); it does not change them.

-- "A former member": the post's author deleted their account and chose to leave it.
alter table public.posts add column former_member boolean not null default false;

create table public.data_exports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  status text not null default 'waiting' check (status in ('waiting', 'building', 'ready', 'failed')),
  object_path text,
  size_bytes bigint,
  attempts integer not null default 0,
  locked_until timestamptz,
  last_error text check (char_length(last_error) <= 500),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
revoke all on public.data_exports from anon;
revoke insert, update, delete on public.data_exports from authenticated;

create index data_exports_user_idx on public.data_exports (user_id, created_at desc);

create index data_exports_due_idx on public.data_exports (created_at) where status in ('waiting', 'building');

-- A person confirmed the deletion of her account (with her password); the
-- deletion module deletes only accounts confirmed here in the last 15 minutes.
create table public.account_deletions (
  user_id uuid primary key references auth.users (id) on delete cascade,
  confirmed_at timestamptz not null default now()
);
revoke all on public.account_deletions from anon, authenticated;

alter table public.data_exports enable row level security;

alter table public.account_deletions enable row level security;

create policy "people see their own downloads" on public.data_exports
  for select to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('data-exports', 'data-exports', false, 524288000, array['application/zip'])
on conflict (id) do update set
  public = excluded.public,
  file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- Only the worker (secret key) writes; the person reads and deletes her own folder.
create policy "data exports: people read their own" on storage.objects
  for select to authenticated
  using (bucket_id = 'data-exports' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "data exports: people delete their own" on storage.objects
  for delete to authenticated
  using (bucket_id = 'data-exports' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- ---------------------------------------------------------------------------
create function public.request_data_export() returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_id uuid;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('data_exports:' || v_user::text, 0));
  if exists (select 1 from public.data_exports e where e.user_id = v_user and e.status in ('waiting', 'building')) then
    raise exception 'export_in_progress' using errcode = 'P0001';
  end if;
  if (select count(*) from public.data_exports e where e.user_id = v_user and e.created_at > now() - interval '1 day') >= 5 then
    raise exception 'too_many_exports' using errcode = 'P0001';
  end if;
  insert into public.data_exports (user_id) values (v_user) returning id into v_id;
  return v_id;
end;
$$;
comment on function public.request_data_export() is
  'RPC: asks for a download of my data, built in the background (not_signed_in, export_in_progress while one is waiting or building, too_many_exports: 5 a day).';
revoke execute on function public.request_data_export() from anon, public;
grant execute on function public.request_data_export() to authenticated;

create function public.claim_data_export(p_lease_seconds integer default 600) returns table (id uuid, user_id uuid)
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return query
  update public.data_exports e
     set status = 'building', attempts = e.attempts + 1,
         locked_until = now() + make_interval(secs => least(greatest(coalesce(p_lease_seconds, 600), 30), 3600))
   where e.id = (
     select x.id from public.data_exports x
      where (x.status = 'waiting' or (x.status = 'building' and x.locked_until < now())) and x.attempts < 5
      order by x.created_at limit 1 for update skip locked)
  returning e.id, e.user_id;
end;
$$;
comment on function public.claim_data_export(integer) is
  'RPC (export worker, service_role only): takes the oldest waiting download (or one whose builder stopped) under a lease (not_allowed for others).';
revoke execute on function public.claim_data_export(integer) from anon, authenticated, public;
grant execute on function public.claim_data_export(integer) to service_role;

create function public.complete_data_export(p_id uuid, p_path text, p_size bigint, p_error text default null)
returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  update public.data_exports e
     set status = case when p_error is null then 'ready'
                       when e.attempts >= 5 then 'failed' else 'waiting' end,
         object_path = p_path, size_bytes = p_size, last_error = left(p_error, 500), locked_until = null,
         finished_at = case when p_error is null or e.attempts >= 5 then now() end
   where e.id = p_id and e.status = 'building';
end;
$$;
comment on function public.complete_data_export(uuid, text, bigint, text) is
  'RPC (export worker, service_role only): records a built download (ready) or a failure (tried again, failed after 5 attempts) (not_allowed for others).';
revoke execute on function public.complete_data_export(uuid, text, bigint, text) from anon, authenticated, public;
grant execute on function public.complete_data_export(uuid, text, bigint, text) to service_role;

-- Everything the person gave the app, as one JSON document, with the list of
-- stored files to add to the zip (bucket and path).
create function public.data_export_contents(p_user uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return jsonb_build_object(
    'format', 'sahakum-data-export-1',
    'exported_at', now(),
    'profile', (select jsonb_build_object('id', p.id, 'display_name', p.display_name, 'organisation', p.organisation,
                  'preferred_language', p.preferred_language, 'created_at', p.created_at,
                  'phone', pp.phone, 'data_saver', pp.data_saver)
                  from public.profiles p left join public.profile_private pp on pp.id = p.id where p.id = p_user),
    'email', (select u.email from auth.users u where u.id = p_user),
    'spaces', coalesce((select jsonb_agg(jsonb_build_object('space', s.name, 'role', m.role, 'joined_at', m.joined_at))
                          from public.space_members m join public.spaces s on s.id = m.space_id where m.user_id = p_user), '[]'),
    'dialogues_as_guest', coalesce((select jsonb_agg(jsonb_build_object('dialogue', t.title, 'stakeholder_type', g.stakeholder_type,
                          'organisation', g.organisation, 'position', g.position, 'joined_at', g.joined_at))
                          from public.dialogue_guests g join public.threads t on t.id = g.dialogue_id where g.user_id = p_user), '[]'),
    'posts', coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'space', s.name, 'thread', t.title,
                          'opening', p.is_opening, 'anonymous', p.anonymous, 'body', p.body, 'created_at', p.created_at,
                          'edited_at', p.edited_at, 'removed_at', p.deleted_at,
                          'earlier_versions', coalesce((select jsonb_agg(jsonb_build_object('body', r.body, 'created_at', r.created_at) order by r.id)
                                                          from public.post_revisions r where r.post_id = p.id), '[]'))
                          order by p.created_at)
                          from public.posts p join public.threads t on t.id = p.thread_id join public.spaces s on s.id = p.space_id
                         where p.author_id = p_user
                            or p.id in (select h.post_id from public.dialogue_hidden_authors h where h.author_id = p_user)), '[]'),
    'reactions', coalesce((select jsonb_agg(jsonb_build_object('post_id', r.post_id, 'kind', r.kind, 'created_at', r.created_at))
                          from public.reactions r where r.user_id = p_user), '[]'),
    'draft_contributions', coalesce((select jsonb_agg(jsonb_build_object('draft', d.title, 'part', h.scope,
                          'first_at', h.first_at, 'last_at', h.last_at, 'changes', h.changes))
                          from public.draft_history h join public.drafts d on d.id = h.draft_id where h.user_id = p_user), '[]'),
    'draft_comments', coalesce((select jsonb_agg(jsonb_build_object('draft', d.title, 'section', c.section_id, 'body', c.body,
                          'created_at', c.created_at))
                          from public.draft_comments c join public.drafts d on d.id = c.draft_id where c.created_by = p_user), '[]'),
    'library_items', coalesce((select jsonb_agg(jsonb_build_object('title', r.title, 'description', r.description, 'url', r.url,
                          'created_at', r.created_at))
                          from public.library_resources r where r.created_by = p_user), '[]'),
    'action_updates', coalesce((select jsonb_agg(jsonb_build_object('action', a.description, 'body', u.body, 'status', u.status,
                          'file', u.file_name, 'created_at', u.created_at))
                          from public.action_updates u join public.dialogue_actions a on a.id = u.action_id
                         where u.created_by = p_user), '[]'),
    'reports', coalesce((select jsonb_agg(jsonb_build_object('post_id', r.post_id, 'reason', r.reason, 'note', r.note,
                          'created_at', r.created_at)) from public.post_reports r where r.reporter_id = p_user), '[]'),
    'concerns', coalesce((select jsonb_agg(public.concern_view(c.id, false)) from public.concerns c where c.sender_id = p_user), '[]'),
    'moderation_notices', coalesce((select jsonb_agg(jsonb_build_object('post_outcome', n.post_outcome, 'warned', n.warned,
                          'muted_until', n.muted_until, 'reason', n.reason, 'created_at', n.created_at))
                          from public.moderation_notices n where n.user_id = p_user), '[]'),
    'muted_and_blocked', coalesce((select jsonb_agg(jsonb_build_object('person', coalesce(pr.display_name, ''), 'kind', f.kind,
                          'created_at', f.created_at))
                          from public.person_filters f left join public.profiles pr on pr.id = f.other_id
                         where f.user_id = p_user), '[]'),
    'notification_settings', (select jsonb_build_object('quiet_start', s.quiet_start, 'quiet_end', s.quiet_end,
                          'time_zone', s.time_zone) from public.push_settings s where s.user_id = p_user),
    'phones_with_notifications', (select count(*) from public.push_subscriptions s where s.user_id = p_user),
    'files', coalesce((
      select jsonb_agg(x.f) from (
        select jsonb_build_object('bucket', 'library', 'path', f.object_path, 'name', f.file_name, 'size', f.size_bytes) as f
          from public.library_files f where f.uploaded_by = p_user
        union all
        select jsonb_build_object('bucket', 'dialogue-files', 'path', u.object_path, 'name', u.file_name, 'size', u.size_bytes)
          from public.action_updates u where u.created_by = p_user and u.object_path is not null
      ) x), '[]')
  );
end;
$$;
comment on function public.data_export_contents(uuid) is
  'RPC (export worker, service_role only): the person''s profile, email, memberships, posts with earlier versions, reactions, draft contributions and comments, library items, progress updates, reports, named concerns, notices, mutes and blocks, and the stored files to add (not_allowed for others).';
revoke execute on function public.data_export_contents(uuid) from anon, authenticated, public;
grant execute on function public.data_export_contents(uuid) to service_role;

-- Where a person is the last facilitator of a space that has other members:
-- she must hand over first (the names, for the page).
create function public.spaces_to_hand_over() returns table (space_id uuid, name text)
language sql stable security definer set search_path = '' as $$
  select s.id, s.name from public.space_members m join public.spaces s on s.id = m.space_id
   where m.user_id = (select auth.uid()) and m.role = 'facilitator'
     and not exists (select 1 from public.space_members o
                      where o.space_id = m.space_id and o.role = 'facilitator' and o.user_id <> m.user_id)
     and exists (select 1 from public.space_members o where o.space_id = m.space_id and o.user_id <> m.user_id)
   order by s.name
$$;
comment on function public.spaces_to_hand_over() is
  'RPC: the spaces where I am the last facilitator and others are members (I must hand over before deleting my account).';
revoke execute on function public.spaces_to_hand_over() from anon, public;
grant execute on function public.spaces_to_hand_over() to authenticated;

-- Erases my personal data and records that I confirmed; the app server then
-- deletes the auth account. p_posts: 'keep' (they read "a former member") or
-- 'delete'. Refusals: not_signed_in, bad_choice, hand_over_first.
create function public.erase_my_account(p_posts text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if p_posts not in ('keep', 'delete') then
    raise exception 'bad_choice' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.spaces_to_hand_over()) then
    raise exception 'hand_over_first' using errcode = 'P0001';
  end if;
  -- Spaces she alone is in are hers alone: they go, with everything in them.
  delete from public.spaces s
   where s.id in (select m.space_id from public.space_members m where m.user_id = v_user)
     and not exists (select 1 from public.space_members o where o.space_id = s.id and o.user_id <> v_user);
  -- She leaves her other spaces now, as herself: when the auth account's
  -- deletion took her memberships (no signed-in user), remember_removal()
  -- recorded a removal of the account being deleted and the deletion failed.
  delete from public.space_members where user_id = v_user;
  delete from public.dialogue_guests where user_id = v_user;

  alter table public.posts disable trigger posts_guard;
  alter table public.space_invites disable trigger space_invites_guard;
  alter table public.dialogues disable trigger dialogues_guard;
  alter table public.library_resources disable trigger library_resources_guard;
  if p_posts = 'delete' then
    delete from public.posts p
     where p.author_id = v_user
        or p.id in (select h.post_id from public.dialogue_hidden_authors h where h.author_id = v_user);
    delete from public.draft_comments c where c.created_by = v_user;
    delete from public.concerns c where c.sender_id = v_user;
    -- Threads she started whose every post is gone.
    delete from public.threads t
     where t.author_id = v_user and not t.is_dialogue
       and not exists (select 1 from public.posts p where p.thread_id = t.id);
  else
    perform set_config('sahakum.erasing', 'on', true);
    update public.posts set author_id = null, former_member = true where author_id = v_user;
    perform set_config('sahakum.erasing', 'off', true);
  end if;
  update public.space_invites set created_by = null where created_by = v_user;
  update public.dialogues set convened_by = null where convened_by = v_user;
  update public.library_resources set created_by = null where created_by = v_user;
  alter table public.posts enable trigger posts_guard;
  alter table public.space_invites enable trigger space_invites_guard;
  alter table public.dialogues enable trigger dialogues_guard;
  alter table public.library_resources enable trigger library_resources_guard;

  -- An action she was responsible for as a guest stays her organisation's.
  update public.dialogue_actions a
     set owner_kind = 'organisation',
         owner_organisation = coalesce((select g.organisation from public.dialogue_guests g
                                         where g.dialogue_id = a.dialogue_id and g.user_id = v_user), '—')
   where a.owner_kind = 'guest' and a.owner_user_id = v_user;
  -- Personal data now, whatever the deletion of the auth account does later.
  update public.profiles set display_name = '', organisation = null where id = v_user;
  update public.profile_private set phone = null where id = v_user;
  delete from public.push_subscriptions where user_id = v_user;
  delete from public.person_filters where user_id = v_user or other_id = v_user;
  insert into public.account_deletions (user_id) values (v_user)
  on conflict (user_id) do update set confirmed_at = now();
end;
$$;
comment on function public.erase_my_account(text) is
  'RPC: the first half of deleting my account (not_signed_in, bad_choice, hand_over_first): spaces I alone am in are deleted; my posts become "a former member" or are deleted (my draft comments and named concerns too), as I choose; what names me as creator is cleared; my name, organisation, phone, phones and mutes are erased; and the confirmation the deletion module checks is recorded. Clears authors itself with four guards disabled for its own transaction (see account.sql).';
revoke execute on function public.erase_my_account(text) from anon, public;
grant execute on function public.erase_my_account(text) to authenticated;

create function public.confirmed_account_deletion(p_user uuid) returns boolean
language plpgsql security definer set search_path = '' as $$
begin
  if not public.is_service_role() then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return exists (select 1 from public.account_deletions d
                  where d.user_id = p_user and d.confirmed_at > now() - interval '15 minutes');
end;
$$;
comment on function public.confirmed_account_deletion(uuid) is
  'RPC (the deletion module, service_role only): did this person confirm the deletion of her account in the last 15 minutes? (not_allowed for others)';
revoke execute on function public.confirmed_account_deletion(uuid) from anon, authenticated, public;
grant execute on function public.confirmed_account_deletion(uuid) to service_role;

-- "A former member" is set by erase_my_account() only.
create function public.guard_post_account() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is not null
     and ((tg_op = 'INSERT' and new.former_member)
          or (tg_op = 'UPDATE' and new.former_member <> old.former_member
              and current_setting('sahakum.erasing', true) is distinct from 'on')) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_post_account() is
  'Guard (account, after posts_guard): a post is marked "a former member" only by erase_my_account() (not_allowed).';

create trigger posts_guard_account before insert or update on public.posts
  for each row execute function public.guard_post_account();
