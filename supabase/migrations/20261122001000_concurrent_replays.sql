-- Replays that arrive at the same moment (issue 15). The outbox sends an item
-- again under the same client-made id when an answer was lost; on a real
-- Postgres the first send may still be running when the retry arrives (a
-- request that timed out on a slow network, a second tab). start_thread,
-- post_anonymously and post_action_update looked for the id first and then
-- inserted: both calls saw nothing, the second insert waited for the first and
-- failed on the primary key (23505), and the outbox showed a valid item as
-- refused. (PGlite has one session, so it never happened there; the outbox
-- property test on the PostgreSQL lane found it.) Each function is replaced
-- whole, with the same checks and answers, so that the second call waits for
-- the first and then returns the same id:
--   start_thread       inserts the thread with "on conflict (id) do nothing";
--   post_anonymously   the same for the post, then checks it is the caller's;
--   post_action_update looks for the id after taking the action's row lock.

create or replace function public.start_thread(p_space uuid, p_title text, p_body text, p_topic public.thread_topic, p_id uuid default null)
returns uuid
language plpgsql security invoker set search_path = '' as $$
declare
  v_thread uuid := coalesce(p_id, gen_random_uuid());
begin
  insert into public.threads (id, space_id, title, topic)
  values (v_thread, p_space, btrim(p_title, E' \t\r\n'), p_topic)
  on conflict (id) do nothing;
  if not found then
    return v_thread; -- a replay of the same submission (perhaps still running when this one arrived)
  end if;
  insert into public.posts (thread_id, space_id, body, is_opening) values (v_thread, p_space, p_body, true);
  return v_thread;
end;
$$;

create or replace function public.post_anonymously(p_id uuid, p_dialogue uuid, p_body text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_space uuid;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.dialogue_hidden_authors h where h.post_id = p_id and h.author_id = v_user) then
    return p_id;
  end if;
  select d.space_id into v_space from public.dialogues d where d.id = p_dialogue;
  if v_space is null or not public.is_space_member(v_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.can_post_in_thread(p_dialogue) then
    raise exception 'thread_locked' using errcode = 'P0001';
  end if;
  insert into public.posts (id, thread_id, space_id, author_id, body, anonymous)
  values (p_id, p_dialogue, v_space, null, btrim(coalesce(p_body, ''), E' \t\r\n'), true)
  on conflict (id) do nothing;
  if not found then
    -- The same id was stored meanwhile: ours (a replay) or somebody else's (refused).
    if exists (select 1 from public.dialogue_hidden_authors h where h.post_id = p_id and h.author_id = v_user) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  insert into public.dialogue_hidden_authors (post_id, dialogue_id, author_id) values (p_id, p_dialogue, v_user);
  return p_id;
end;
$$;

create or replace function public.post_action_update(
  p_id uuid,
  p_action uuid,
  p_body text default '',
  p_status public.action_status default null,
  p_with_file boolean default false,
  p_file_name text default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_action public.dialogue_actions;
  v_path text;
  v_meta jsonb;
  v_body text := btrim(coalesce(p_body, ''), E' \t\r\n');
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_action from public.dialogue_actions a where a.id = p_action for update;
  -- After the lock: a replay that was still running has committed by now.
  if exists (select 1 from public.action_updates u where u.id = p_id and u.created_by = v_user) then
    return p_id;
  end if;
  if v_action.id is null or not public.can_update_action(p_action) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_status = 'dropped' and not public.has_visible_text(v_body) then
    raise exception 'dropped_needs_reason' using errcode = 'P0001';
  end if;
  if p_with_file then
    v_path := v_action.dialogue_id::text || '/' || p_action::text || '/' || p_id::text;
    select o.metadata into v_meta from storage.objects o
     where o.bucket_id = 'dialogue-files' and o.name = v_path and o.owner_id = v_user::text;
    if v_meta is null then
      raise exception 'file_missing' using errcode = 'P0001';
    end if;
  end if;
  insert into public.action_updates (id, action_id, body, status, object_path, file_name, mime_type, size_bytes, created_by)
  values (p_id, p_action, v_body, p_status, v_path,
          case when v_path is not null then left(coalesce(nullif(btrim(p_file_name), ''), 'file'), 200) end,
          v_meta ->> 'mimetype', (v_meta ->> 'size')::bigint, v_user);
  if p_status is not null and p_status <> v_action.status then
    update public.dialogue_actions
       set status = p_status,
           dropped_reason = case when p_status = 'dropped' then v_body end,
           done_at = case when p_status = 'done' then now() end
     where id = p_action;
  end if;
  return p_id;
end;
$$;
