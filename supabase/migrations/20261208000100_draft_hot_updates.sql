-- capability: drafts
-- Storing a keystroke cheaply (issue 24, co-editing propagation). Every update
-- pushed to a draft's log also updates the draft's row (head_seq, last_edit_at).
-- That row update cost more the longer the draft was, for two reasons:
-- - guard_draft_update() rebuilt search_text from the whole projection on every
--   update of the row, so the new row carried a new copy of the draft's text;
-- - last_edit_at was in drafts_space_idx, so no such update could be a HOT
--   update: each one added entries to every index of drafts, the trigram index
--   of the whole search text among them.
-- Measured with pgbench (one row update as a push makes it, 3,000 times) on
-- the bench's draft after 3 minutes of typing (5,927 characters of search
-- text): 5.9 ms per update; 5.0 with the guard change alone, 5.3 with the
-- index change alone, 0.5 with both (every update HOT). On the same draft
-- made 25 times longer (147,335 characters): 58 ms per update before, 2.8 after.
-- Why this replaces guard_draft_update() instead of adding a trigger: it is
-- the drafts capability's own guard (20261122000700_drafts.sql), and the cost
-- is its own work. A trigger added after it could only put the stored text
-- back once the guard had already rebuilt it from the whole projection on
-- every push. The check on what the API may change is kept word for word.
-- The space's drafts are few, so listing them newest first sorts them after
-- finding them by space_id; the compactor's sweep reads drafts by last_edit_at
-- once a minute.

create or replace function public.guard_draft_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') and (
       new.id <> old.id or new.space_id <> old.space_id or new.kind <> old.kind
       or new.created_by is distinct from old.created_by or new.created_at <> old.created_at
       or new.snapshot <> old.snapshot or new.snapshot_seq <> old.snapshot_seq or new.head_seq <> old.head_seq
       or new.projection <> old.projection or new.search_text <> old.search_text
       or new.budget_currency is distinct from old.budget_currency
       or new.budget_total is distinct from old.budget_total
       or new.compacted_at <> old.compacted_at or new.last_edit_at <> old.last_edit_at) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  -- The search text is made from the title and the projection. The projection
  -- changes only with the snapshot (compact_draft(), rebase_draft(); through
  -- the API neither may change, above), so a push numbering the log, which
  -- changes neither, keeps the stored text as it is (comparing the
  -- projections would read the whole of both).
  if new.title is distinct from old.title or new.snapshot_seq is distinct from old.snapshot_seq then
    new.search_text := public.draft_projection_text(new.title, new.projection);
  end if;
  new.updated_at := now();
  return new;
end;
$$;

drop index public.drafts_space_idx;
create index drafts_space_idx on public.drafts (space_id);

-- Room on each page for a row's new versions, so its updates stay HOT.
alter table public.drafts set (fillfactor = 80);
