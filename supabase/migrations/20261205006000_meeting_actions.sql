-- Meetings (issue 25), the parts left: a meeting decision becomes an agreed
-- action of one of the space's dialogues (added beside decision_to_thread(),
-- never by rewriting the dialogues' functions or policies), and cast_ballot()
-- no longer leaves a shared transaction id between a voter's row and her
-- ballot. The same definitions as supabase/schemas/meetings.sql.

-- capability: meetings

set check_function_bodies = off;

-- ---------------------------------------------------------------------------
-- A decision that became an agreed action keeps a link to it (once: unique).
-- The link lives on the meeting's side, so a dialogue guest, who cannot read
-- the meeting's decisions, learns nothing of the meeting through it.
alter table public.meeting_decisions
  add column action_id uuid references public.dialogue_actions (id) on delete set null;
comment on column public.meeting_decisions.action_id is
  'The agreed action this decision became in a dialogue of the same space (set only by decision_to_action(); at most one decision per action).';

create unique index meeting_decisions_action_idx on public.meeting_decisions (action_id);

-- Guard: the link is set only by decision_to_action() (the function's owner),
-- never written through the API (not on insert either: it would claim an
-- action the decision never became).
create function public.guard_meeting_decision_action() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') and (
       (tg_op = 'INSERT' and new.action_id is not null)
       or (tg_op = 'UPDATE' and new.action_id is distinct from old.action_id)) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_meeting_decision_action() is
  'Guard: through the API a decision''s link to an agreed action is never written (set by decision_to_action(); not_allowed).';

create trigger meeting_decisions_action_guard before insert or update on public.meeting_decisions
  for each row execute function public.guard_meeting_decision_action();

-- A decision becomes an agreed action of an open dialogue (preparing or open)
-- of the meeting's own space, once. Who may: whoever may run the meeting AND
-- record agreed actions in that dialogue; the action itself is recorded by the
-- dialogues' own agree_action() (its rule and its checks: convener, owner a
-- guest of that dialogue, due date not past). The decision row is locked first,
-- so a second or simultaneous try waits, then finds the link and is refused.
create function public.decision_to_action(
  p_decision uuid,
  p_dialogue uuid,
  p_owner_kind public.action_owner_kind,
  p_owner_user uuid default null,
  p_owner_organisation text default null,
  p_supporting text default '',
  p_due_on date default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_decision public.meeting_decisions;
  v_dialogue public.dialogues;
  v_action uuid := gen_random_uuid();
begin
  select * into v_decision from public.meeting_decisions d where d.id = p_decision for update;
  if not found or not public.can_run_meeting(v_decision.meeting_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  select * into v_dialogue from public.dialogues d where d.id = p_dialogue;
  if not found or v_dialogue.space_id <> public.meeting_space(v_decision.meeting_id)
     or not public.is_dialogue_convener(p_dialogue) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_decision.action_id is not null then
    raise exception 'already_an_action' using errcode = 'P0001';
  end if;
  if v_dialogue.status not in ('preparing', 'open') then
    raise exception 'dialogue_not_open' using errcode = 'P0001';
  end if;
  perform public.agree_action(v_action, p_dialogue, v_decision.text, p_owner_kind, p_owner_user,
                              p_owner_organisation, p_supporting, p_due_on, null);
  update public.meeting_decisions set action_id = v_action where id = p_decision;
  return v_action;
end;
$$;
comment on function public.decision_to_action(uuid, uuid, public.action_owner_kind, uuid, text, text, date) is
  'RPC: a meeting''s moderator who convenes the dialogue turns a decision into an agreed action of an open dialogue of the same space, once (the decision keeps the link; not_allowed, already_an_action, dialogue_not_open, and agree_action()''s due_in_past, owner_not_a_guest).';
revoke execute on function public.decision_to_action(uuid, uuid, public.action_owner_kind, uuid, text, text, date) from anon, public;
grant execute on function public.decision_to_action(uuid, uuid, public.action_owner_kind, uuid, text, text, date) to authenticated;

-- ---------------------------------------------------------------------------
-- The secret ballot, without the transaction-id link. The election row is
-- locked first, so votes in one election are taken one after another; in READ
-- COMMITTED every later statement takes a fresh snapshot after the lock is
-- granted, so it sees the previous voter's committed rows (nothing is lost,
-- and a second vote by the same person meets her row). After writing this
-- vote, every voter row and every ballot of the election is deleted and
-- written again in random order with fresh random ids: afterwards all of them
-- carry this transaction's id (xmin) and their physical order says nothing of
-- the order of the votes.
-- Why a rewrite, not an addition: cast_ballot() is the meetings capability's
-- own (20261205002000_meetings.sql) and the only write path of a ballot; the
-- secrecy lives in how that one function writes, which no policy, trigger or
-- hub entry can change from outside (a trigger rewriting the rows would run
-- once per row and still inside the same transaction, with the same xmin).
create or replace function public.cast_ballot(p_election uuid, p_candidates uuid[]) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_election public.elections;
  v_n integer := cardinality(coalesce(p_candidates, '{}'));
begin
  select * into v_election from public.elections e where e.id = p_election for update;
  if not found or v_user is null or not public.is_space_member(v_election.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if now() < v_election.opens_at then
    raise exception 'election_not_open' using errcode = 'P0001';
  end if;
  if now() >= v_election.closes_at then
    raise exception 'election_closed' using errcode = 'P0001';
  end if;
  if not public.election_eligible(p_election, v_user) then
    raise exception 'not_eligible' using errcode = 'P0001';
  end if;
  if public.election_candidate_count(p_election) <= v_election.seats then
    raise exception 'not_enough_candidates' using errcode = 'P0001';
  end if;
  if v_n = 0 or v_n > v_election.seats
     or (select count(distinct c.user_id) from public.election_candidates c
          where c.election_id = p_election and c.consented_at is not null and c.user_id = any (p_candidates)) <> v_n then
    raise exception 'bad_ballot' using errcode = 'P0001';
  end if;
  insert into public.election_voters (election_id, user_id) values (p_election, v_user) on conflict do nothing;
  if not found then
    raise exception 'already_voted' using errcode = 'P0001';
  end if;
  insert into public.election_ballots (election_id, candidate_id)
  select p_election, c from unnest(p_candidates) c;
  -- Rewrite the whole election: same xmin for all, random physical order.
  with gone as (delete from public.election_ballots b where b.election_id = p_election returning b.candidate_id)
  insert into public.election_ballots (id, election_id, candidate_id)
  select gen_random_uuid(), p_election, g.candidate_id from gone g order by random();
  with gone as (delete from public.election_voters v where v.election_id = p_election returning v.user_id)
  insert into public.election_voters (election_id, user_id)
  select p_election, g.user_id from gone g order by random();
end;
$$;
comment on function public.cast_ballot(uuid, uuid[]) is
  'RPC, the only way to vote: an eligible member votes once, while voting is open, for 1 to seats consented candidates; records that they voted and, apart, the choices with no person, time or ordered id; votes are taken one at a time (the election row is locked) and each vote rewrites all of the election''s voter rows and ballots in random order, so they share one transaction id (not_allowed, election_not_open, election_closed, not_eligible, not_enough_candidates, bad_ballot, already_voted).';
revoke execute on function public.cast_ballot(uuid, uuid[]) from anon, public;
grant execute on function public.cast_ballot(uuid, uuid[]) to authenticated;
