-- capability: threads
-- The "my spaces" page (everyone's home) in one request (issue 24: one call
-- per reading page). It asked my_spaces(), my_dialogues() (dialogues),
-- programme_standing() (programme) and a count of moderation_notices not seen
-- yet (moderation): four requests, each with its own session set-up.
-- open_my_spaces() composes the three functions unchanged and counts the
-- notices as the REST call did, as the caller (security invoker): every policy
-- applies as it did for the separate calls (my_dialogues() and
-- programme_standing() are security definer and answer for the caller alone,
-- as before). plpgsql, so that the later capabilities' objects are looked up
-- when it runs, not when it is created.
create function public.open_my_spaces() returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
begin
  return jsonb_build_object(
    'spaces', coalesce((
      select jsonb_agg(to_jsonb(s) - 'ordinality' order by s.ordinality)
        from public.my_spaces() with ordinality s), '[]'::jsonb),
    'dialogues', coalesce((
      select jsonb_agg(to_jsonb(d) - 'ordinality' order by d.ordinality)
        from public.my_dialogues() with ordinality d), '[]'::jsonb),
    'programme', public.programme_standing(),
    -- What the moderators told me, not read yet (issue 26); the table's policy shows me mine.
    'unseen_notices', (select count(*) from public.moderation_notices n where n.seen_at is null)
  );
end;
$$;
comment on function public.open_my_spaces() is
  'RPC (as the caller, under the policies): the "my spaces" page: my_spaces(), my_dialogues(), programme_standing() and how many moderation notices to me are not seen yet.';

revoke execute on function public.open_my_spaces() from anon, public;
grant execute on function public.open_my_spaces() to authenticated;
