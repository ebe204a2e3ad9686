-- Fix: guard_thread_update() refused the reply counter update made by the
-- after_post_insert() trigger, because a security-definer trigger still
-- carries the poster's JWT claims (auth.uid() is not null there), so every
-- reply failed with 'not_allowed'. Updates made from inside another trigger
-- (pg_trigger_depth() > 1) are the database's own bookkeeping; only direct
-- updates through the API are checked.
create or replace function public.guard_thread_update() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_moderator boolean;
  v_author boolean;
begin
  if (select auth.uid()) is null or pg_trigger_depth() > 1 then
    return new;
  end if;
  v_moderator := public.is_space_moderator(old.space_id);
  v_author := old.author_id = (select auth.uid());
  if new.space_id <> old.space_id or new.author_id is distinct from old.author_id
     or new.created_at <> old.created_at or new.reply_count <> old.reply_count
     or new.last_activity_at <> old.last_activity_at then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (new.pinned <> old.pinned or new.locked <> old.locked) and not v_moderator then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (new.title <> old.title or new.topic <> old.topic) and not (v_author or v_moderator) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.deleted_at is distinct from old.deleted_at and not (v_author or v_moderator) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
