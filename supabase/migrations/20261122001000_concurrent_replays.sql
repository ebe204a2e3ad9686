-- Replays that arrive at the same moment (issue 15). The outbox sends an item
-- again under the same client-made id when an answer was lost; on a real
-- Postgres the first send may still be running when the retry arrives (a
-- request that timed out on a slow network, a second tab). start_thread,
-- post_anonymously and post_action_update looked for the id first and then
-- inserted: both calls saw nothing, the second insert waited for the first and
-- failed on the primary key (23505), and the outbox showed a valid item as
-- refused. (PGlite has one session, so it never happened there; the outbox
-- property test on the PostgreSQL lane found it.) start_thread is replaced
-- whole, with the same checks and answers, so that the second call waits for
-- the first and then returns the same id: it inserts the thread with "on
-- conflict (id) do nothing". post_anonymously and post_action_update are in
-- the dialogues migration, which had not landed yet, and were mended there
-- (the post inserted "on conflict do nothing" and checked to be the caller's;
-- the id looked for after the action's row lock).

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
