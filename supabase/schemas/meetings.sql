-- supabase/schemas/meetings.sql: the current definition of every object of the meetings capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- The club's notebook and ballot box (issue 25): meetings with agenda, RSVP,
-- attendance and minutes; announcements and who has seen them; polls;
-- secret-ballot elections of leaders and deputies; evaluation forms; a
-- personal calendar feed; push reminders.
--
-- A meeting is a thread (meetings.id = threads.id), as a dialogue is: its
-- opening post is the notice members read in the space's discussions, its
-- read markers (thread_reads) say who has seen the notice, library items
-- attached to it are the meeting's materials and photos, and push reminders
-- name it. The club's own records (RSVP, attendance, minutes, decisions) are
-- the members'. "Running" a meeting (planning, attendance, minutes,
-- announcements, polls, evaluation forms) is for the space's moderators:
-- facilitators, leaders and deputies; elections are called by its
-- facilitators and leaders (can_convene).
--
-- A guest resource person is invited to ONE meeting with a code, as dialogue
-- guests are: never a member of the space, they read that meeting's details,
-- agenda titles and attached materials through meeting_for_guest() and the
-- library policy below, nothing else (no table policy here names them).
--
-- Secret ballots (Loomio's anonymous polls): election_voters records only
-- that a person voted (primary key election + person, no time);
-- election_ballots holds the choices with no person, no time and a random
-- (gen_random_uuid, not time-ordered) id, and no API role may read it; the
-- only write path is cast_ballot(), which checks eligibility and the window
-- and writes both in one transaction; totals come from election_results()
-- only once voting has closed. Anonymous evaluation answers follow the same
-- pattern. None of these tables sends Realtime messages. This protects
-- against anyone using the app or its API (facilitators included), not
-- against database operators (who can read the heap order, WAL, backups).

create type public.meeting_answer as enum ('going', 'maybe', 'cant');

create type public.poll_kind as enum ('single', 'multiple', 'time');

create type public.poll_results_when as enum ('after_vote', 'after_close');

create type public.election_role as enum ('leader', 'deputy');

create type public.evaluation_question_kind as enum ('rating', 'choice', 'text');

-- ---------------------------------------------------------------------------
-- Meetings.
create table public.meetings (
  id uuid primary key references public.threads (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  topic text not null check (char_length(btrim(topic, E' \t\r\n')) between 1 and 200),
  starts_at timestamptz not null,
  duration_minutes integer not null default 120 check (duration_minutes between 15 and 720),
  venue text not null default '' check (char_length(venue) <= 200),
  -- The resource person: a member, and/or a few words about an outside one
  -- (who may also join as a guest of this meeting, meeting_guests).
  resource_member_id uuid references auth.users (id) on delete set null,
  resource_note text not null default '' check (char_length(resource_note) <= 200),
  -- The minutes that belong to no agenda item.
  notes text not null default '' check (char_length(notes) <= 5000),
  cancelled_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint meetings_text_clean check (
    public.has_visible_text(topic) and public.has_no_bidi_controls(topic) and public.has_no_bidi_controls(venue)
    and public.has_no_bidi_controls(resource_note) and public.has_no_bidi_controls(notes))
);
comment on table public.meetings is
  'A club or CoP meeting: topic, time, duration, venue, resource person and general minutes. Its id is the id of its notice thread.';
revoke all on public.meetings from anon;
revoke insert, delete on public.meetings from authenticated;

create index meetings_space_idx on public.meetings (space_id, starts_at desc);

create index meetings_resource_member_idx on public.meetings (resource_member_id);

create table public.meeting_agenda_items (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  position integer not null check (position between 1 and 20),
  title text not null check (char_length(btrim(title, E' \t\r\n')) between 1 and 200),
  owner_id uuid references auth.users (id) on delete set null,
  minutes text not null default '' check (char_length(minutes) <= 5000),
  constraint meeting_agenda_items_clean check (
    public.has_visible_text(title) and public.has_no_bidi_controls(title) and public.has_no_bidi_controls(minutes)),
  unique (meeting_id, position)
);
comment on table public.meeting_agenda_items is
  'A meeting''s agenda, in order, each item with an owner (a member) and its minutes.';
revoke all on public.meeting_agenda_items from anon;

create index meeting_agenda_items_owner_idx on public.meeting_agenda_items (owner_id);

create table public.meeting_rsvps (
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  answer public.meeting_answer not null,
  answered_at timestamptz not null default now(),
  primary key (meeting_id, user_id)
);
comment on table public.meeting_rsvps is
  'Who is going, maybe going or cannot come, one answer per member and meeting.';
revoke all on public.meeting_rsvps from anon;

create index meeting_rsvps_user_idx on public.meeting_rsvps (user_id);

-- One row per member and meeting: two phones marking the same person (or an
-- offline replay) set the same row, so a count never doubles.
create table public.meeting_attendance (
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  present boolean not null,
  recorded_by uuid references auth.users (id) on delete set null default auth.uid(),
  recorded_at timestamptz not null default now(),
  primary key (meeting_id, user_id)
);
comment on table public.meeting_attendance is
  'Attendance of members, one row per member and meeting (present or not), taken by a moderator.';
revoke all on public.meeting_attendance from anon;

create index meeting_attendance_user_idx on public.meeting_attendance (user_id);

create index meeting_attendance_recorded_by_idx on public.meeting_attendance (recorded_by);

-- Participants who are not members: a count, an optional name, and how many
-- of them declared being women or living with a disability. Client-made ids:
-- an offline replay stores one row.
create table public.meeting_participants (
  id uuid primary key,
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  name text not null default '' check (char_length(name) <= 120),
  people integer not null default 1 check (people between 1 and 500),
  women integer not null default 0 check (women between 0 and people),
  with_disability integer not null default 0 check (with_disability between 0 and people),
  recorded_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint meeting_participants_clean check (public.has_no_bidi_controls(name))
);
comment on table public.meeting_participants is
  'People at a meeting who are not members: how many, an optional name, how many declared being women or living with a disability.';
revoke all on public.meeting_participants from anon;

create index meeting_participants_meeting_idx on public.meeting_participants (meeting_id);

create index meeting_participants_recorded_by_idx on public.meeting_participants (recorded_by);

-- What a member chooses to declare for the programme's figures. Read by its
-- owner only; meetings count it, never show it.
create table public.attendee_declarations (
  user_id uuid primary key references auth.users (id) on delete cascade default auth.uid(),
  woman boolean,
  disability boolean,
  updated_at timestamptz not null default now()
);
comment on table public.attendee_declarations is
  'What a person chooses to declare for the programme''s attendance figures (woman, living with a disability); only its owner reads it, reports count it.';
revoke all on public.attendee_declarations from anon;

-- Decisions and follow-ups; each may become a discussion thread.
create table public.meeting_decisions (
  id uuid primary key,
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  agenda_item_id uuid references public.meeting_agenda_items (id) on delete set null,
  text text not null check (char_length(btrim(text, E' \t\r\n')) between 1 and 500),
  thread_id uuid references public.threads (id) on delete set null,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint meeting_decisions_clean check (public.has_visible_text(text) and public.has_no_bidi_controls(text))
);
comment on table public.meeting_decisions is
  'Decisions and follow-ups of a meeting (optionally of one agenda item); each may become a discussion thread.';
revoke all on public.meeting_decisions from anon;

create index meeting_decisions_meeting_idx on public.meeting_decisions (meeting_id, created_at);

create index meeting_decisions_item_idx on public.meeting_decisions (agenda_item_id);

create index meeting_decisions_thread_idx on public.meeting_decisions (thread_id);

create index meeting_decisions_created_by_idx on public.meeting_decisions (created_by);

-- Guest resource persons: invited to one meeting with a code (the dialogue guests' rules).
create table public.meeting_invites (
  id uuid primary key default gen_random_uuid(),
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  code text not null unique check (code ~ '^[A-HJKMNP-Z2-9]{8}$'),
  expires_at timestamptz not null default now() + interval '14 days',
  max_uses integer check (max_uses between 1 and 100),
  uses integer not null default 0,
  revoked_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now()
);
comment on table public.meeting_invites is
  'Invite codes for a meeting''s guest resource person (8 characters, expiry, optional use limit, revocable).';
revoke all on public.meeting_invites from anon;
revoke update, delete on public.meeting_invites from authenticated;

create index meeting_invites_meeting_idx on public.meeting_invites (meeting_id);

create table public.meeting_guests (
  meeting_id uuid not null references public.meetings (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  organisation text not null check (char_length(btrim(organisation, E' \t\r\n')) between 1 and 120),
  position text not null default '' check (char_length(position) <= 120),
  joined_at timestamptz not null default now(),
  removed_at timestamptz,
  primary key (meeting_id, user_id),
  constraint meeting_guests_clean check (
    public.has_visible_text(organisation) and public.has_no_bidi_controls(organisation)
    and public.has_no_bidi_controls(position))
);
comment on table public.meeting_guests is
  'Outside resource persons, guests of one meeting: they read that meeting only, until removed.';
revoke all on public.meeting_guests from anon;
revoke insert, delete on public.meeting_guests from authenticated;

create index meeting_guests_user_idx on public.meeting_guests (user_id) where removed_at is null;

-- A post a moderator marks as an announcement (a meeting's notice is one).
create table public.announcements (
  post_id uuid primary key references public.posts (id) on delete cascade,
  space_id uuid not null references public.spaces (id) on delete cascade,
  thread_id uuid not null references public.threads (id) on delete cascade,
  marked_by uuid references auth.users (id) on delete set null default auth.uid(),
  marked_at timestamptz not null default now()
);
comment on table public.announcements is
  'Posts marked as announcements: members see the mark; moderators also see who has seen it (announcement_readers).';
revoke all on public.announcements from anon;
revoke update on public.announcements from authenticated;

create index announcements_space_idx on public.announcements (space_id, marked_at desc);

create index announcements_thread_idx on public.announcements (thread_id);

create index announcements_marked_by_idx on public.announcements (marked_by);

-- ---------------------------------------------------------------------------
-- Polls.
create table public.polls (
  id uuid primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  meeting_id uuid references public.meetings (id) on delete set null,
  question text not null check (char_length(btrim(question, E' \t\r\n')) between 1 and 300),
  kind public.poll_kind not null default 'single',
  results_when public.poll_results_when not null default 'after_vote',
  closes_at timestamptz not null,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint polls_question_clean check (public.has_visible_text(question) and public.has_no_bidi_controls(question))
);
comment on table public.polls is
  'A question to the space''s members: single choice, multiple choice or a time poll (to find a meeting date), open until closes_at; results after voting or after closing, as its creator chose.';
revoke all on public.polls from anon;
revoke update, delete on public.polls from authenticated;

create index polls_space_idx on public.polls (space_id, created_at desc);

create index polls_meeting_idx on public.polls (meeting_id);

create table public.poll_options (
  id uuid primary key default gen_random_uuid(),
  poll_id uuid not null references public.polls (id) on delete cascade,
  position integer not null check (position between 1 and 20),
  label text not null default '' check (char_length(label) <= 200),
  -- A time poll's option: a proposed date and time.
  starts_at timestamptz,
  constraint poll_options_say_something check (
    (public.has_visible_text(label) or starts_at is not null) and public.has_no_bidi_controls(label)),
  unique (poll_id, position)
);
comment on table public.poll_options is
  'The choices of a poll, in order (a time poll''s choices are dates and times).';
revoke all on public.poll_options from anon;
revoke insert, update, delete on public.poll_options from authenticated;

create table public.poll_votes (
  poll_id uuid not null references public.polls (id) on delete cascade,
  option_id uuid not null references public.poll_options (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade default auth.uid(),
  primary key (poll_id, option_id, user_id)
);
comment on table public.poll_votes is
  'My choices in a poll (votes are not secret, but each person reads only their own; results are counts).';
revoke all on public.poll_votes from anon;
revoke insert, update, delete on public.poll_votes from authenticated;

create index poll_votes_user_idx on public.poll_votes (user_id);

create index poll_votes_option_idx on public.poll_votes (option_id);

-- ---------------------------------------------------------------------------
-- Elections with a secret ballot.
create table public.elections (
  id uuid primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  role public.election_role not null,
  seats integer not null default 1 check (seats between 1 and 5),
  title text not null check (char_length(btrim(title, E' \t\r\n')) between 1 and 200),
  -- Candidacies until voting opens; voting from opens_at to closes_at.
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  published_at timestamptz,
  published_by uuid references auth.users (id) on delete set null,
  -- The people elected, written once by publish_election().
  elected uuid[] not null default '{}',
  constraint elections_window check (closes_at > opens_at),
  constraint elections_title_clean check (public.has_visible_text(title) and public.has_no_bidi_controls(title))
);
comment on table public.elections is
  'An election of the space''s leader(s) or deputies: candidacies until voting opens, a secret ballot from opens_at to closes_at, results published once, which updates the roles.';
revoke all on public.elections from anon;
revoke insert, update, delete on public.elections from authenticated;

create index elections_space_idx on public.elections (space_id, created_at desc);

create index elections_published_by_idx on public.elections (published_by);

create table public.election_candidates (
  election_id uuid not null references public.elections (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  nominated_by uuid references auth.users (id) on delete set null default auth.uid(),
  -- A nominee is on the ballot once they consent; standing oneself is consent.
  consented_at timestamptz,
  primary key (election_id, user_id)
);
comment on table public.election_candidates is
  'Candidacies: a member standing, or nominated by another member and on the ballot once they consent.';
revoke all on public.election_candidates from anon;
revoke insert, update, delete on public.election_candidates from authenticated;

create index election_candidates_user_idx on public.election_candidates (user_id);

create index election_candidates_nominated_by_idx on public.election_candidates (nominated_by);

-- That a person voted: nothing else (no time, no choice).
create table public.election_voters (
  election_id uuid not null references public.elections (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  primary key (election_id, user_id)
);
comment on table public.election_voters is
  'That a person voted in an election, and nothing else (no time, no choice). Each person reads only their own row.';
revoke all on public.election_voters from anon;
revoke insert, update, delete on public.election_voters from authenticated;

create index election_voters_user_idx on public.election_voters (user_id);

-- The choices: no person, no time, a random id. Nobody reads it through the API.
create table public.election_ballots (
  id uuid primary key default gen_random_uuid(),
  election_id uuid not null references public.elections (id) on delete cascade,
  candidate_id uuid not null references auth.users (id) on delete cascade
);
comment on table public.election_ballots is
  'Secret ballots: one row per choice, with no voter, no time and a random id; no API role reads it (election_results() gives totals after closing).';
revoke all on public.election_ballots from anon, authenticated;

create index election_ballots_election_idx on public.election_ballots (election_id, candidate_id);

create index election_ballots_candidate_idx on public.election_ballots (candidate_id);

-- ---------------------------------------------------------------------------
-- Evaluation forms.
create table public.evaluations (
  id uuid primary key,
  space_id uuid not null references public.spaces (id) on delete cascade,
  meeting_id uuid references public.meetings (id) on delete set null,
  title text not null check (char_length(btrim(title, E' \t\r\n')) between 1 and 200),
  anonymous boolean not null default true,
  closes_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint evaluations_title_clean check (public.has_visible_text(title) and public.has_no_bidi_controls(title))
);
comment on table public.evaluations is
  'An evaluation form after a meeting or training: anonymous or named, as its creator chose.';
revoke all on public.evaluations from anon;
revoke insert, update, delete on public.evaluations from authenticated;

create index evaluations_space_idx on public.evaluations (space_id, created_at desc);

create index evaluations_meeting_idx on public.evaluations (meeting_id);

create table public.evaluation_questions (
  id uuid primary key default gen_random_uuid(),
  evaluation_id uuid not null references public.evaluations (id) on delete cascade,
  position integer not null check (position between 1 and 20),
  kind public.evaluation_question_kind not null,
  prompt text not null check (char_length(btrim(prompt, E' \t\r\n')) between 1 and 300),
  choices text[] not null default '{}' check (cardinality(choices) <= 10),
  constraint evaluation_questions_clean check (public.has_visible_text(prompt) and public.has_no_bidi_controls(prompt)),
  constraint evaluation_questions_choices check ((kind = 'choice') = (cardinality(choices) >= 2)),
  unique (evaluation_id, position)
);
comment on table public.evaluation_questions is
  'The questions of an evaluation form: a rating 1 to 5 (faces), a single choice, or a short text.';
revoke all on public.evaluation_questions from anon;
revoke insert, update, delete on public.evaluation_questions from authenticated;

create table public.evaluation_respondents (
  evaluation_id uuid not null references public.evaluations (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  primary key (evaluation_id, user_id)
);
comment on table public.evaluation_respondents is
  'That a person answered an evaluation form, and nothing else. Each person reads only their own row.';
revoke all on public.evaluation_respondents from anon;
revoke insert, update, delete on public.evaluation_respondents from authenticated;

create index evaluation_respondents_user_idx on public.evaluation_respondents (user_id);

-- The answers: the respondent only for a named form; no time, a random id.
create table public.evaluation_responses (
  id uuid primary key default gen_random_uuid(),
  evaluation_id uuid not null references public.evaluations (id) on delete cascade,
  respondent_id uuid references auth.users (id) on delete set null,
  answers jsonb not null check (jsonb_typeof(answers) = 'object' and pg_column_size(answers) <= 16384)
);
comment on table public.evaluation_responses is
  'Answers to an evaluation form, keyed by question id; the respondent is kept only for a named form. No API role reads it (evaluation_results()).';
revoke all on public.evaluation_responses from anon, authenticated;

create index evaluation_responses_evaluation_idx on public.evaluation_responses (evaluation_id);

create index evaluation_responses_respondent_idx on public.evaluation_responses (respondent_id);

-- ---------------------------------------------------------------------------
-- A personal calendar feed: its secret token is the only key (calendar apps
-- fetch it without a session).
create table public.calendar_feeds (
  user_id uuid primary key references auth.users (id) on delete cascade default auth.uid(),
  token text not null unique check (token ~ '^[A-Za-z0-9_-]{32,64}$'),
  created_at timestamptz not null default now()
);
comment on table public.calendar_feeds is
  'My calendar feed''s secret token (the feed lists my spaces'' meetings); only I read it, and resetting it changes the address.';
revoke all on public.calendar_feeds from anon;

-- ---------------------------------------------------------------------------
-- Helpers.
create function public.meeting_space(p_meeting uuid) returns uuid
language sql stable security definer set search_path = '' as $$
  select m.space_id from public.meetings m where m.id = p_meeting
$$;
comment on function public.meeting_space(uuid) is
  'The space of a meeting (null when there is none), for policies on the meeting''s own tables.';
revoke execute on function public.meeting_space(uuid) from anon, public;
grant execute on function public.meeting_space(uuid) to authenticated;

create function public.can_run_meeting(p_meeting uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(public.is_space_moderator(public.meeting_space(p_meeting)), false)
$$;
comment on function public.can_run_meeting(uuid) is
  'May I run this meeting (agenda, attendance, minutes, decisions, guests)? The moderators of its space: facilitators, leaders, deputies.';
revoke execute on function public.can_run_meeting(uuid) from anon, public;
grant execute on function public.can_run_meeting(uuid) to authenticated;

create function public.my_guest_meeting_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select g.meeting_id from public.meeting_guests g where g.user_id = (select auth.uid()) and g.removed_at is null
$$;
comment on function public.my_guest_meeting_ids() is
  'The meetings I am an invited guest of and was not removed from, as a set.';
revoke execute on function public.my_guest_meeting_ids() from anon, public;
grant execute on function public.my_guest_meeting_ids() to authenticated;

create function public.my_meeting_library_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select a.resource_id from public.library_attachments a
   where a.thread_id in (select public.my_guest_meeting_ids())
$$;
comment on function public.my_meeting_library_ids() is
  'The library resources attached to the meetings I am a guest of, as a set for read policies.';
revoke execute on function public.my_meeting_library_ids() from anon, public;
grant execute on function public.my_meeting_library_ids() to authenticated;

-- PL/pgSQL so that its plan lasts across calls (20261206001300_meetings_cached_plans.sql).
create function public.shares_a_meeting_with(p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.meeting_guests g join public.meetings m on m.id = g.meeting_id
     where g.user_id = p_user and m.space_id in (select public.my_space_ids())
  ));
end;
$$;
comment on function public.shares_a_meeting_with(uuid) is
  'Is the person a guest resource person of a meeting of one of my spaces? (members see their guests'' names; guests see no member''s)';
revoke execute on function public.shares_a_meeting_with(uuid) from anon, public;
grant execute on function public.shares_a_meeting_with(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Row-level security.
alter table public.meetings enable row level security;

alter table public.meeting_agenda_items enable row level security;

alter table public.meeting_rsvps enable row level security;

alter table public.meeting_attendance enable row level security;

alter table public.meeting_participants enable row level security;

alter table public.attendee_declarations enable row level security;

alter table public.meeting_decisions enable row level security;

alter table public.meeting_invites enable row level security;

alter table public.meeting_guests enable row level security;

alter table public.announcements enable row level security;

alter table public.polls enable row level security;

alter table public.poll_options enable row level security;

alter table public.poll_votes enable row level security;

alter table public.elections enable row level security;

alter table public.election_candidates enable row level security;

alter table public.election_voters enable row level security;

alter table public.election_ballots enable row level security;

alter table public.evaluations enable row level security;

alter table public.evaluation_questions enable row level security;

alter table public.evaluation_respondents enable row level security;

alter table public.evaluation_responses enable row level security;

alter table public.calendar_feeds enable row level security;

-- Planning goes through plan_meeting() (it also makes the notice thread).
create policy "members read meetings" on public.meetings
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "moderators edit meetings" on public.meetings
  for update to authenticated
  using (public.is_space_moderator(space_id)) with check (public.is_space_moderator(space_id));

create policy "members read agendas" on public.meeting_agenda_items
  for select to authenticated using (public.meeting_space(meeting_id) in (select public.my_space_ids()));

create policy "moderators add agenda items" on public.meeting_agenda_items
  for insert to authenticated with check (public.can_run_meeting(meeting_id));

create policy "moderators edit agenda items" on public.meeting_agenda_items
  for update to authenticated
  using (public.can_run_meeting(meeting_id)) with check (public.can_run_meeting(meeting_id));

create policy "moderators remove agenda items" on public.meeting_agenda_items
  for delete to authenticated using (public.can_run_meeting(meeting_id));

create policy "members read answers" on public.meeting_rsvps
  for select to authenticated using (public.meeting_space(meeting_id) in (select public.my_space_ids()));

create policy "members answer for themselves" on public.meeting_rsvps
  for insert to authenticated
  with check (user_id = (select auth.uid()) and public.is_space_member(public.meeting_space(meeting_id)));

create policy "members change their answer" on public.meeting_rsvps
  for update to authenticated
  using (user_id = (select auth.uid()) and public.is_space_member(public.meeting_space(meeting_id)))
  with check (user_id = (select auth.uid()) and public.is_space_member(public.meeting_space(meeting_id)));

create policy "members read attendance" on public.meeting_attendance
  for select to authenticated using (public.meeting_space(meeting_id) in (select public.my_space_ids()));

create policy "moderators take attendance" on public.meeting_attendance
  for insert to authenticated with check (
    public.can_run_meeting(meeting_id) and recorded_by = (select auth.uid())
    and exists (select 1 from public.space_members m where m.space_id = public.meeting_space(meeting_id) and m.user_id = meeting_attendance.user_id)
  );

create policy "moderators correct attendance" on public.meeting_attendance
  for update to authenticated
  using (public.can_run_meeting(meeting_id))
  with check (public.can_run_meeting(meeting_id) and recorded_by = (select auth.uid()));

create policy "members read participants" on public.meeting_participants
  for select to authenticated using (public.meeting_space(meeting_id) in (select public.my_space_ids()));

create policy "moderators add participants" on public.meeting_participants
  for insert to authenticated with check (public.can_run_meeting(meeting_id) and recorded_by = (select auth.uid()));

create policy "moderators remove participants" on public.meeting_participants
  for delete to authenticated using (public.can_run_meeting(meeting_id));

create policy "people read their own declaration" on public.attendee_declarations
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people declare for themselves" on public.attendee_declarations
  for insert to authenticated with check (user_id = (select auth.uid()));

create policy "people change their own declaration" on public.attendee_declarations
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy "people take back their declaration" on public.attendee_declarations
  for delete to authenticated using (user_id = (select auth.uid()));

create policy "members read decisions" on public.meeting_decisions
  for select to authenticated using (public.meeting_space(meeting_id) in (select public.my_space_ids()));

create policy "moderators record decisions" on public.meeting_decisions
  for insert to authenticated with check (
    public.can_run_meeting(meeting_id) and created_by = (select auth.uid()) and thread_id is null
    and (agenda_item_id is null or exists (
      select 1 from public.meeting_agenda_items i where i.id = agenda_item_id and i.meeting_id = meeting_decisions.meeting_id))
  );

create policy "moderators edit decisions" on public.meeting_decisions
  for update to authenticated
  using (public.can_run_meeting(meeting_id)) with check (public.can_run_meeting(meeting_id));

create policy "moderators remove decisions" on public.meeting_decisions
  for delete to authenticated using (public.can_run_meeting(meeting_id));

create policy "moderators see meeting invites" on public.meeting_invites
  for select to authenticated using (public.can_run_meeting(meeting_id));

create policy "moderators create meeting invites" on public.meeting_invites
  for insert to authenticated with check (
    public.can_run_meeting(meeting_id) and created_by = (select auth.uid()) and uses = 0 and revoked_at is null
  );

create policy "members see a meeting's guests" on public.meeting_guests
  for select to authenticated using (
    public.meeting_space(meeting_id) in (select public.my_space_ids()) or user_id = (select auth.uid())
  );

create policy "moderators remove a meeting's guests" on public.meeting_guests
  for update to authenticated
  using (public.can_run_meeting(meeting_id)) with check (public.can_run_meeting(meeting_id));

create policy "members see announcements" on public.announcements
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "moderators mark announcements" on public.announcements
  for insert to authenticated with check (
    public.is_space_moderator(space_id) and marked_by = (select auth.uid())
    and exists (
      select 1 from public.posts p join public.threads t on t.id = p.thread_id
       where p.id = post_id and p.thread_id = announcements.thread_id and p.space_id = announcements.space_id
         and p.deleted_at is null and not t.is_dialogue)
  );

create policy "moderators unmark announcements" on public.announcements
  for delete to authenticated using (public.is_space_moderator(space_id));

create policy "members read polls" on public.polls
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "members read poll options" on public.poll_options
  for select to authenticated using (
    exists (select 1 from public.polls p where p.id = poll_id and p.space_id in (select public.my_space_ids()))
  );

create policy "people read their own votes" on public.poll_votes
  for select to authenticated using (user_id = (select auth.uid()));

create policy "members read elections" on public.elections
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "members read candidacies" on public.election_candidates
  for select to authenticated using (
    exists (select 1 from public.elections e where e.id = election_id and e.space_id in (select public.my_space_ids()))
  );

-- No policy lets anyone read another person's row, or any ballot.
create policy "people see that they voted" on public.election_voters
  for select to authenticated using (user_id = (select auth.uid()));

create policy "members read evaluation forms" on public.evaluations
  for select to authenticated using (space_id in (select public.my_space_ids()));

create policy "members read evaluation questions" on public.evaluation_questions
  for select to authenticated using (
    exists (select 1 from public.evaluations e where e.id = evaluation_id and e.space_id in (select public.my_space_ids()))
  );

create policy "people see that they answered" on public.evaluation_respondents
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people read their own calendar token" on public.calendar_feeds
  for select to authenticated using (user_id = (select auth.uid()));

create policy "people make their calendar token" on public.calendar_feeds
  for insert to authenticated with check (user_id = (select auth.uid()));

create policy "people reset their calendar token" on public.calendar_feeds
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy "people drop their calendar token" on public.calendar_feeds
  for delete to authenticated using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- Guards.
create function public.guard_meeting_write() returns trigger
language plpgsql set search_path = '' as $$
begin
  if (select auth.uid()) is null then
    return new; -- seeds and imports may record past meetings
  end if;
  if tg_op = 'UPDATE' and (new.id <> old.id or new.space_id <> old.space_id
       or new.created_by is distinct from old.created_by or new.created_at <> old.created_at) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (tg_op = 'INSERT' or new.starts_at <> old.starts_at) and new.starts_at < now() then
    raise exception 'meeting_in_past' using errcode = 'P0001';
  end if;
  if tg_op = 'UPDATE' and new.cancelled_at is distinct from old.cancelled_at then
    new.cancelled_at := case when new.cancelled_at is null then null else now() end;
  end if;
  if new.resource_member_id is not null and (tg_op = 'INSERT' or new.resource_member_id is distinct from old.resource_member_id)
     and not exists (select 1 from public.space_members m where m.space_id = new.space_id and m.user_id = new.resource_member_id) then
    raise exception 'not_a_member' using errcode = 'P0001';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function public.guard_meeting_write() is
  'Guard: a meeting is never planned or moved into the past (meeting_in_past); its space, creator and creation time never change (not_allowed); its resource member is a member (not_a_member); stamps cancelled_at and updated_at. Writes with no signed-in user (seeds) pass.';

create trigger meetings_guard before insert or update on public.meetings
  for each row execute function public.guard_meeting_write();

create function public.guard_agenda_item() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and new.meeting_id <> old.meeting_id then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if new.owner_id is not null and (tg_op = 'INSERT' or new.owner_id is distinct from old.owner_id)
     and not exists (
       select 1 from public.space_members m
        where m.space_id = public.meeting_space(new.meeting_id) and m.user_id = new.owner_id) then
    raise exception 'not_a_member' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_agenda_item() is
  'Guard: an agenda item stays in its meeting (not_allowed) and its owner is a member of the space (not_a_member).';

create trigger meeting_agenda_items_guard before insert or update on public.meeting_agenda_items
  for each row execute function public.guard_agenda_item();

create function public.guard_meeting_rsvp() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_meeting public.meetings;
begin
  select * into v_meeting from public.meetings m where m.id = new.meeting_id;
  if tg_op = 'UPDATE' and (new.meeting_id <> old.meeting_id or new.user_id <> old.user_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (select auth.uid()) is not null then
    if v_meeting.cancelled_at is not null then
      raise exception 'meeting_cancelled' using errcode = 'P0001';
    end if;
    if v_meeting.starts_at <= now() then
      raise exception 'meeting_started' using errcode = 'P0001';
    end if;
  end if;
  new.answered_at := now();
  return new;
end;
$$;
comment on function public.guard_meeting_rsvp() is
  'Guard: answers are given before the meeting starts (meeting_started) and not to a cancelled one (meeting_cancelled); an answer stays its person''s (not_allowed); stamps answered_at.';

create trigger meeting_rsvps_guard before insert or update on public.meeting_rsvps
  for each row execute function public.guard_meeting_rsvp();

create function public.guard_meeting_attendance() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_meeting public.meetings;
begin
  select * into v_meeting from public.meetings m where m.id = new.meeting_id;
  if tg_op = 'UPDATE' and (new.meeting_id <> old.meeting_id or new.user_id <> old.user_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if (select auth.uid()) is not null then
    if v_meeting.cancelled_at is not null then
      raise exception 'meeting_cancelled' using errcode = 'P0001';
    end if;
    if v_meeting.starts_at > now() + interval '12 hours' then
      raise exception 'attendance_too_early' using errcode = 'P0001';
    end if;
    new.recorded_at := now();
  end if;
  return new;
end;
$$;
comment on function public.guard_meeting_attendance() is
  'Guard: attendance is taken from 12 hours before a meeting on (attendance_too_early), never for a cancelled one (meeting_cancelled), and stays on its meeting and person (not_allowed); stamps recorded_at.';

create trigger meeting_attendance_guard before insert or update on public.meeting_attendance
  for each row execute function public.guard_meeting_attendance();

create function public.guard_meeting_decision() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') and (
       new.id <> old.id or new.meeting_id <> old.meeting_id or new.created_by is distinct from old.created_by
       or new.created_at <> old.created_at or new.thread_id is distinct from old.thread_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_meeting_decision() is
  'Guard: through the API a decision''s words and agenda item change, never its meeting, author, time or thread (set by decision_to_thread(); not_allowed).';

create trigger meeting_decisions_guard before update on public.meeting_decisions
  for each row execute function public.guard_meeting_decision();

create function public.guard_meeting_guest_update() returns trigger
language plpgsql set search_path = '' as $$
begin
  if current_user in ('authenticated', 'anon') then
    if new.meeting_id <> old.meeting_id or new.user_id <> old.user_id or new.joined_at <> old.joined_at
       or new.organisation <> old.organisation or new.position <> old.position then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if old.removed_at is not null and new.removed_at is distinct from old.removed_at then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if new.removed_at is not null and old.removed_at is null then
      new.removed_at := now();
    end if;
  end if;
  return new;
end;
$$;
comment on function public.guard_meeting_guest_update() is
  'Guard: through the API a meeting guest can only be removed, once (not_allowed otherwise); stamps removed_at.';

create trigger meeting_guests_guard before update on public.meeting_guests
  for each row execute function public.guard_meeting_guest_update();

create trigger attendee_declarations_touch before update on public.attendee_declarations
  for each row execute function public.touch_updated_at();

-- ---------------------------------------------------------------------------
-- Planning a meeting: its notice thread (the opening post), the meeting and
-- its agenda in one transaction, as the caller (the policies decide). A
-- replayed id returns that id.
create function public.plan_meeting(
  p_id uuid,
  p_space uuid,
  p_topic text,
  p_starts_at timestamptz,
  p_duration_minutes integer,
  p_venue text,
  p_notice text,
  p_agenda jsonb default '[]'::jsonb,
  p_resource_member uuid default null,
  p_resource_note text default ''
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_item jsonb;
  v_position integer := 0;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.meetings m where m.id = p_id) then
    if public.can_run_meeting(p_id) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.is_space_moderator(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if jsonb_typeof(coalesce(p_agenda, '[]'::jsonb)) <> 'array' or jsonb_array_length(coalesce(p_agenda, '[]'::jsonb)) > 20 then
    raise exception 'too_many_agenda_items' using errcode = 'P0001';
  end if;
  if p_starts_at is null or p_starts_at < now() then
    raise exception 'meeting_in_past' using errcode = 'P0001';
  end if;
  insert into public.threads (id, space_id, author_id, title, topic)
  values (p_id, p_space, v_user, btrim(coalesce(p_topic, ''), E' \t\r\n'), 'club_life');
  insert into public.posts (thread_id, space_id, author_id, body, is_opening)
  values (p_id, p_space, v_user, btrim(coalesce(p_notice, ''), E' \t\r\n'), true);
  insert into public.meetings (id, space_id, topic, starts_at, duration_minutes, venue, resource_member_id, resource_note, created_by)
  values (p_id, p_space, btrim(coalesce(p_topic, ''), E' \t\r\n'), p_starts_at, coalesce(p_duration_minutes, 120),
          btrim(coalesce(p_venue, ''), E' \t\r\n'), p_resource_member, btrim(coalesce(p_resource_note, ''), E' \t\r\n'), v_user);
  for v_item in select * from jsonb_array_elements(coalesce(p_agenda, '[]'::jsonb)) loop
    if public.has_visible_text(v_item ->> 'title') then
      v_position := v_position + 1;
      insert into public.meeting_agenda_items (meeting_id, position, title, owner_id)
      values (p_id, v_position, btrim(v_item ->> 'title', E' \t\r\n'), nullif(v_item ->> 'owner', '')::uuid);
    end if;
  end loop;
  -- The notice is an announcement: the leaders see who has read it.
  insert into public.announcements (post_id, space_id, thread_id, marked_by)
  select p.id, p_space, p_id, v_user from public.posts p where p.thread_id = p_id and p.is_opening;
  return p_id;
end;
$$;
comment on function public.plan_meeting(uuid, uuid, text, timestamptz, integer, text, text, jsonb, uuid, text) is
  'RPC: a moderator plans a meeting: its notice thread and opening post (marked as an announcement), details and agenda (items with owners), in one step; a replayed id returns that id (not_signed_in, not_allowed, meeting_in_past, too_many_agenda_items, not_a_member).';
revoke execute on function public.plan_meeting(uuid, uuid, text, timestamptz, integer, text, text, jsonb, uuid, text) from anon, public;
grant execute on function public.plan_meeting(uuid, uuid, text, timestamptz, integer, text, text, jsonb, uuid, text) to authenticated;

-- RSVP: one answer per member, changed until the meeting starts.
create function public.answer_meeting(p_meeting uuid, p_answer public.meeting_answer) returns void
language sql security invoker set search_path = '' as $$
  insert into public.meeting_rsvps (meeting_id, user_id, answer) values (p_meeting, (select auth.uid()), p_answer)
  on conflict (meeting_id, user_id) do update set answer = excluded.answer
$$;
comment on function public.answer_meeting(uuid, public.meeting_answer) is
  'RPC (as the caller, under the policies): my answer to a meeting (going, maybe, cannot come), changed until it starts (meeting_started, meeting_cancelled).';
revoke execute on function public.answer_meeting(uuid, public.meeting_answer) from anon, public;
grant execute on function public.answer_meeting(uuid, public.meeting_answer) to authenticated;

-- Attendance: sets the state (present or not), so a replay or a second phone
-- sets the same row.
create function public.record_attendance(p_meeting uuid, p_user uuid, p_present boolean) returns void
language sql security invoker set search_path = '' as $$
  insert into public.meeting_attendance (meeting_id, user_id, present, recorded_by)
  values (p_meeting, p_user, p_present, (select auth.uid()))
  on conflict (meeting_id, user_id) do update set present = excluded.present, recorded_by = excluded.recorded_by
$$;
comment on function public.record_attendance(uuid, uuid, boolean) is
  'RPC (as the caller, under the policies): a moderator marks a member present or absent; the same state sent twice is one row (attendance_too_early, meeting_cancelled).';
revoke execute on function public.record_attendance(uuid, uuid, boolean) from anon, public;
grant execute on function public.record_attendance(uuid, uuid, boolean) to authenticated;

create function public.add_meeting_participants(
  p_id uuid, p_meeting uuid, p_name text, p_people integer, p_women integer, p_with_disability integer
) returns void
language plpgsql security invoker set search_path = '' as $$
begin
  if exists (select 1 from public.meetings m where m.id = p_meeting and m.cancelled_at is not null) then
    raise exception 'meeting_cancelled' using errcode = 'P0001';
  end if;
  insert into public.meeting_participants (id, meeting_id, name, people, women, with_disability, recorded_by)
  values (p_id, p_meeting, btrim(coalesce(p_name, ''), E' \t\r\n'), p_people, coalesce(p_women, 0),
          coalesce(p_with_disability, 0), (select auth.uid()))
  on conflict (id) do nothing;
end;
$$;
comment on function public.add_meeting_participants(uuid, uuid, text, integer, integer, integer) is
  'RPC (as the caller, under the policies): a moderator records participants who are not members (count, optional name, how many declared being women or living with a disability); a replayed id stores nothing more (meeting_cancelled).';
revoke execute on function public.add_meeting_participants(uuid, uuid, text, integer, integer, integer) from anon, public;
grant execute on function public.add_meeting_participants(uuid, uuid, text, integer, integer, integer) to authenticated;

-- Counts for the meeting page and history: answers, attendance and the
-- declared disaggregation (never who declared what).
create function public.meeting_counts(p_meeting uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when public.is_space_member(m.space_id) then jsonb_build_object(
    'members', (select count(*) from public.space_members x where x.space_id = m.space_id),
    'going', (select count(*) from public.meeting_rsvps r where r.meeting_id = m.id and r.answer = 'going'),
    'maybe', (select count(*) from public.meeting_rsvps r where r.meeting_id = m.id and r.answer = 'maybe'),
    'cant', (select count(*) from public.meeting_rsvps r where r.meeting_id = m.id and r.answer = 'cant'),
    'presentMembers', (select count(*) from public.meeting_attendance a where a.meeting_id = m.id and a.present),
    'presentWomen', (select count(*) from public.meeting_attendance a
                       join public.attendee_declarations d on d.user_id = a.user_id and d.woman
                      where a.meeting_id = m.id and a.present),
    'presentWithDisability', (select count(*) from public.meeting_attendance a
                               join public.attendee_declarations d on d.user_id = a.user_id and d.disability
                              where a.meeting_id = m.id and a.present),
    'participants', (select coalesce(sum(p.people), 0) from public.meeting_participants p where p.meeting_id = m.id),
    'participantWomen', (select coalesce(sum(p.women), 0) from public.meeting_participants p where p.meeting_id = m.id),
    'participantsWithDisability', (select coalesce(sum(p.with_disability), 0) from public.meeting_participants p where p.meeting_id = m.id)
  ) end
  from public.meetings m where m.id = p_meeting
$$;
comment on function public.meeting_counts(uuid) is
  'RPC (members of the space): a meeting''s answers (going, maybe, cannot), members present, other participants, and how many of each declared being women or living with a disability; counts only, null for others.';
revoke execute on function public.meeting_counts(uuid) from anon, public;
grant execute on function public.meeting_counts(uuid) to authenticated;

-- The space's notebook: meetings with their attendance over time.
create function public.meeting_history(p_space uuid, p_limit integer default 24) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', x.id, 'topic', x.topic, 'starts_at', x.starts_at, 'venue', x.venue,
           'cancelled_at', x.cancelled_at, 'counts', public.meeting_counts(x.id))
         order by x.starts_at desc), '[]'::jsonb)
    from (select m.* from public.meetings m
           where m.space_id = p_space and m.starts_at < now()
           order by m.starts_at desc limit least(greatest(coalesce(p_limit, 24), 1), 100)) x
$$;
comment on function public.meeting_history(uuid, integer) is
  'RPC (as the caller, under the policies): the space''s past meetings, newest first, with their counts.';
revoke execute on function public.meeting_history(uuid, integer) from anon, public;
grant execute on function public.meeting_history(uuid, integer) to authenticated;

-- A meeting guest's whole view: the meeting, its agenda titles (no owners,
-- no minutes), the materials attached, and their own badge. Nothing for
-- anyone else, and nothing of another meeting.
create function public.meeting_for_guest(p_meeting uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', m.id, 'topic', m.topic, 'starts_at', m.starts_at, 'duration_minutes', m.duration_minutes,
    'venue', m.venue, 'cancelled_at', m.cancelled_at, 'space_name', s.name,
    'agenda', coalesce((select jsonb_agg(jsonb_build_object('position', i.position, 'title', i.title) order by i.position)
                          from public.meeting_agenda_items i where i.meeting_id = m.id), '[]'::jsonb),
    'materials', coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'title', r.title, 'url', r.url) order by a.created_at)
                             from public.library_attachments a join public.library_resources r on r.id = a.resource_id
                            where a.thread_id = m.id and r.retired_at is null), '[]'::jsonb),
    'badge', jsonb_build_object('organisation', g.organisation, 'position', g.position))
    from public.meetings m
    join public.spaces s on s.id = m.space_id
    join public.meeting_guests g on g.meeting_id = m.id and g.user_id = (select auth.uid()) and g.removed_at is null
   where m.id = p_meeting
$$;
comment on function public.meeting_for_guest(uuid) is
  'RPC: for a guest resource person of this meeting (not removed): its topic, time, venue, agenda titles and attached materials, and their badge; null for anyone else.';
revoke execute on function public.meeting_for_guest(uuid) from anon, public;
grant execute on function public.meeting_for_guest(uuid) to authenticated;

create function public.my_guest_meetings() returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', m.id, 'topic', m.topic, 'starts_at', m.starts_at, 'space_name', s.name)
                            order by m.starts_at desc), '[]'::jsonb)
    from public.meetings m join public.spaces s on s.id = m.space_id
   where m.id in (select public.my_guest_meeting_ids())
$$;
comment on function public.my_guest_meetings() is
  'RPC: the meetings I am a guest resource person of (topic, time, the space''s name).';
revoke execute on function public.my_guest_meetings() from anon, public;
grant execute on function public.my_guest_meetings() to authenticated;

create function public.join_meeting(p_code text, p_organisation text, p_position text default '') returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_invite public.meeting_invites;
  v_meeting public.meetings;
  v_guest public.meeting_guests;
begin
  if v_user is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  select * into v_invite from public.meeting_invites i
   where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
   for update;
  if not found or v_invite.revoked_at is not null then
    raise exception 'invite_not_found' using errcode = 'P0001';
  end if;
  select * into v_meeting from public.meetings m where m.id = v_invite.meeting_id;
  if exists (select 1 from public.space_members m where m.space_id = v_meeting.space_id and m.user_id = v_user) then
    raise exception 'already_member' using errcode = 'P0001';
  end if;
  select * into v_guest from public.meeting_guests g where g.meeting_id = v_invite.meeting_id and g.user_id = v_user;
  if found and v_guest.removed_at is null then
    raise exception 'already_guest' using errcode = 'P0001';
  end if;
  if found and v_guest.removed_at >= v_invite.created_at then
    raise exception 'removed_from_meeting' using errcode = 'P0001';
  end if;
  if v_invite.expires_at < now() or (v_invite.max_uses is not null and v_invite.uses >= v_invite.max_uses)
     or v_meeting.cancelled_at is not null then
    raise exception 'invite_expired' using errcode = 'P0001';
  end if;
  insert into public.meeting_guests (meeting_id, user_id, organisation, position)
  values (v_invite.meeting_id, v_user, btrim(coalesce(p_organisation, '')), btrim(coalesce(p_position, '')))
  on conflict (meeting_id, user_id) do update
    set organisation = excluded.organisation, position = excluded.position, joined_at = now(), removed_at = null;
  update public.meeting_invites set uses = uses + 1 where id = v_invite.id;
  return v_invite.meeting_id;
end;
$$;
comment on function public.join_meeting(text, text, text) is
  'RPC: joins the meeting of an invite code as its guest resource person, with an organisation and position (not_signed_in, invite_not_found, already_member, already_guest, removed_from_meeting, invite_expired).';
revoke execute on function public.join_meeting(text, text, text) from anon, public;
grant execute on function public.join_meeting(text, text, text) to authenticated;

create function public.revoke_meeting_invite(p_invite uuid) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if not exists (select 1 from public.meeting_invites i where i.id = p_invite and public.can_run_meeting(i.meeting_id)) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  update public.meeting_invites set revoked_at = now() where id = p_invite and revoked_at is null;
end;
$$;
comment on function public.revoke_meeting_invite(uuid) is
  'RPC: a moderator cancels a meeting invite code (not_allowed).';
revoke execute on function public.revoke_meeting_invite(uuid) from anon, public;
grant execute on function public.revoke_meeting_invite(uuid) to authenticated;

-- A decision becomes a discussion thread in the space (the moderator is its
-- author); a replay returns the same thread.
create function public.decision_to_thread(p_decision uuid, p_thread uuid, p_title text, p_body text) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_decision public.meeting_decisions;
  v_space uuid;
begin
  select * into v_decision from public.meeting_decisions d where d.id = p_decision for update;
  if not found or not public.can_run_meeting(v_decision.meeting_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_decision.thread_id is not null then
    return v_decision.thread_id;
  end if;
  v_space := public.meeting_space(v_decision.meeting_id);
  insert into public.threads (id, space_id, author_id, title, topic)
  values (p_thread, v_space, (select auth.uid()), btrim(coalesce(p_title, ''), E' \t\r\n'), 'club_life');
  insert into public.posts (thread_id, space_id, author_id, body, is_opening)
  values (p_thread, v_space, (select auth.uid()), btrim(coalesce(p_body, ''), E' \t\r\n'), true);
  update public.meeting_decisions set thread_id = p_thread where id = p_decision;
  return p_thread;
end;
$$;
comment on function public.decision_to_thread(uuid, uuid, text, text) is
  'RPC: a moderator turns a meeting decision into a discussion thread of the space, once (a replay returns the same thread; not_allowed).';
revoke execute on function public.decision_to_thread(uuid, uuid, text, text) from anon, public;
grant execute on function public.decision_to_thread(uuid, uuid, text, text) to authenticated;

-- ---------------------------------------------------------------------------
-- Announcements: who has seen one. Seen = opened its thread (or the
-- meeting's page) since it was posted: the thread's read marker.
create function public.announcement_readers(p_post uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_post public.posts;
begin
  select p.* into v_post from public.posts p join public.announcements a on a.post_id = p.id where p.id = p_post;
  if not found or not public.is_space_moderator(v_post.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'user_id', m.user_id, 'display_name', coalesce(pr.display_name, ''), 'role', m.role,
             'seen', coalesce(r.last_read_at >= v_post.created_at, false))
           order by coalesce(r.last_read_at >= v_post.created_at, false), pr.display_name)
      from public.space_members m
      left join public.profiles pr on pr.id = m.user_id
      left join public.thread_reads r on r.thread_id = v_post.thread_id and r.user_id = m.user_id
     where m.space_id = v_post.space_id and m.user_id is distinct from v_post.author_id), '[]'::jsonb);
end;
$$;
comment on function public.announcement_readers(uuid) is
  'RPC (moderators of the space only, not_allowed for others): for an announcement, each member but its author with whether they have opened it since it was posted (their read marker on its thread).';
revoke execute on function public.announcement_readers(uuid) from anon, public;
grant execute on function public.announcement_readers(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Polls.
create function public.create_poll(
  p_id uuid, p_space uuid, p_question text, p_kind public.poll_kind, p_results_when public.poll_results_when,
  p_closes_at timestamptz, p_labels text[] default '{}', p_times timestamptz[] default '{}', p_meeting uuid default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_count integer;
  v_i integer;
begin
  if (select auth.uid()) is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.polls p where p.id = p_id) then
    if exists (select 1 from public.polls p where p.id = p_id and p.created_by = (select auth.uid())) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.is_space_moderator(p_space)
     or (p_meeting is not null and public.meeting_space(p_meeting) is distinct from p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_closes_at is null or p_closes_at <= now() then
    raise exception 'closes_in_past' using errcode = 'P0001';
  end if;
  v_count := case when p_kind = 'time' then cardinality(coalesce(p_times, '{}')) else cardinality(coalesce(p_labels, '{}')) end;
  if v_count < 2 or v_count > 20 then
    raise exception 'poll_options_count' using errcode = 'P0001';
  end if;
  insert into public.polls (id, space_id, meeting_id, question, kind, results_when, closes_at)
  values (p_id, p_space, p_meeting, btrim(coalesce(p_question, ''), E' \t\r\n'), p_kind, p_results_when, p_closes_at);
  for v_i in 1 .. v_count loop
    insert into public.poll_options (poll_id, position, label, starts_at)
    values (p_id, v_i,
            case when p_kind = 'time' then '' else btrim(p_labels[v_i], E' \t\r\n') end,
            case when p_kind = 'time' then p_times[v_i] end);
  end loop;
  return p_id;
end;
$$;
comment on function public.create_poll(uuid, uuid, text, public.poll_kind, public.poll_results_when, timestamptz, text[], timestamptz[], uuid) is
  'RPC: a moderator asks a poll (single, multiple or time) with 2 to 20 options, open until its closing time; a replayed id returns that id (not_signed_in, not_allowed, closes_in_past, poll_options_count).';
revoke execute on function public.create_poll(uuid, uuid, text, public.poll_kind, public.poll_results_when, timestamptz, text[], timestamptz[], uuid) from anon, public;
grant execute on function public.create_poll(uuid, uuid, text, public.poll_kind, public.poll_results_when, timestamptz, text[], timestamptz[], uuid) to authenticated;

-- My vote replaces my earlier one, under a lock per person and poll, so two
-- requests at once leave one vote (or one set of choices).
create function public.vote_in_poll(p_poll uuid, p_options uuid[]) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_poll public.polls;
  v_n integer := cardinality(coalesce(p_options, '{}'));
begin
  select * into v_poll from public.polls p where p.id = p_poll;
  if not found or v_user is null or not public.is_space_member(v_poll.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_poll.closes_at <= now() then
    raise exception 'poll_closed' using errcode = 'P0001';
  end if;
  if v_n = 0 or (v_poll.kind = 'single' and v_n <> 1)
     or (select count(distinct o.id) from public.poll_options o where o.poll_id = p_poll and o.id = any (p_options)) <> v_n then
    raise exception 'bad_choice' using errcode = 'P0001';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('poll:' || p_poll || ':' || v_user, 0));
  delete from public.poll_votes v where v.poll_id = p_poll and v.user_id = v_user;
  insert into public.poll_votes (poll_id, option_id, user_id)
  select p_poll, o, v_user from unnest(p_options) o;
end;
$$;
comment on function public.vote_in_poll(uuid, uuid[]) is
  'RPC: a member''s choices in an open poll (one for a single-choice poll), replacing their earlier ones; two at once leave one (not_allowed, poll_closed, bad_choice).';
revoke execute on function public.vote_in_poll(uuid, uuid[]) from anon, public;
grant execute on function public.vote_in_poll(uuid, uuid[]) to authenticated;

create function public.poll_results(p_poll uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case
    when not public.is_space_member(p.space_id) then null
    when p.closes_at > now() and not (
           p.results_when = 'after_vote'
           and exists (select 1 from public.poll_votes v where v.poll_id = p.id and v.user_id = (select auth.uid())))
      then jsonb_build_object('visible', false,
                              'voters', (select count(distinct v.user_id) from public.poll_votes v where v.poll_id = p.id))
    else jsonb_build_object(
      'visible', true,
      'voters', (select count(distinct v.user_id) from public.poll_votes v where v.poll_id = p.id),
      'options', coalesce((select jsonb_agg(jsonb_build_object(
                    'id', o.id, 'count', (select count(*) from public.poll_votes v where v.option_id = o.id))
                  order by o.position) from public.poll_options o where o.poll_id = p.id), '[]'::jsonb))
  end
  from public.polls p where p.id = p_poll
$$;
comment on function public.poll_results(uuid) is
  'RPC (members of the space): a poll''s counts per option and how many voted, once I voted (results after voting) or once it closed; before that only how many voted; null for others.';
revoke execute on function public.poll_results(uuid) from anon, public;
grant execute on function public.poll_results(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Elections.
create function public.create_election(
  p_id uuid, p_space uuid, p_role public.election_role, p_seats integer, p_title text,
  p_opens_at timestamptz, p_closes_at timestamptz
) returns uuid
language plpgsql security definer set search_path = '' as $$
begin
  if (select auth.uid()) is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.elections e where e.id = p_id) then
    if exists (select 1 from public.elections e where e.id = p_id and e.created_by = (select auth.uid())) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.can_convene(p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_opens_at is null or p_closes_at is null or p_opens_at < now() - interval '5 minutes' then
    raise exception 'opens_in_past' using errcode = 'P0001';
  end if;
  if p_closes_at <= p_opens_at then
    raise exception 'closes_before_opening' using errcode = 'P0001';
  end if;
  insert into public.elections (id, space_id, role, seats, title, opens_at, closes_at)
  values (p_id, p_space, p_role, coalesce(p_seats, 1), btrim(coalesce(p_title, ''), E' \t\r\n'), p_opens_at, p_closes_at);
  return p_id;
end;
$$;
comment on function public.create_election(uuid, uuid, public.election_role, integer, text, timestamptz, timestamptz) is
  'RPC: a facilitator or leader calls an election of leader(s) or deputies with its voting window (candidacies until it opens); a replayed id returns that id (not_signed_in, not_allowed, opens_in_past, closes_before_opening).';
revoke execute on function public.create_election(uuid, uuid, public.election_role, integer, text, timestamptz, timestamptz) from anon, public;
grant execute on function public.create_election(uuid, uuid, public.election_role, integer, text, timestamptz, timestamptz) to authenticated;

-- Standing (p_user is me) or nominating another member (on the ballot once
-- they consent), before voting opens.
create function public.propose_candidate(p_election uuid, p_user uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_me uuid := (select auth.uid());
  v_election public.elections;
begin
  select * into v_election from public.elections e where e.id = p_election;
  if not found or v_me is null or not public.is_space_member(v_election.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_election.opens_at <= now() then
    raise exception 'candidacies_closed' using errcode = 'P0001';
  end if;
  if not exists (select 1 from public.space_members m where m.space_id = v_election.space_id and m.user_id = p_user) then
    raise exception 'not_a_member' using errcode = 'P0001';
  end if;
  insert into public.election_candidates (election_id, user_id, nominated_by, consented_at)
  values (p_election, p_user, v_me, case when p_user = v_me then now() end)
  on conflict (election_id, user_id) do update
    set consented_at = coalesce(public.election_candidates.consented_at, excluded.consented_at)
    where excluded.consented_at is not null;
end;
$$;
comment on function public.propose_candidate(uuid, uuid) is
  'RPC: a member stands for election (themselves: consented) or nominates another member (on the ballot once they consent), before voting opens (not_allowed, candidacies_closed, not_a_member).';
revoke execute on function public.propose_candidate(uuid, uuid) from anon, public;
grant execute on function public.propose_candidate(uuid, uuid) to authenticated;

create function public.answer_candidacy(p_election uuid, p_accept boolean) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_election public.elections;
begin
  select * into v_election from public.elections e where e.id = p_election;
  if not found or not exists (
       select 1 from public.election_candidates c where c.election_id = p_election and c.user_id = (select auth.uid())) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_election.opens_at <= now() then
    raise exception 'candidacies_closed' using errcode = 'P0001';
  end if;
  if p_accept then
    update public.election_candidates set consented_at = coalesce(consented_at, now())
     where election_id = p_election and user_id = (select auth.uid());
  else
    delete from public.election_candidates where election_id = p_election and user_id = (select auth.uid());
  end if;
end;
$$;
comment on function public.answer_candidacy(uuid, boolean) is
  'RPC: a nominee accepts (goes on the ballot) or declines / withdraws, before voting opens (not_allowed, candidacies_closed).';
revoke execute on function public.answer_candidacy(uuid, boolean) from anon, public;
grant execute on function public.answer_candidacy(uuid, boolean) to authenticated;

-- Who may vote: members who had joined the space when voting opened and are
-- still members (someone who joins during the vote waits for the next one).
create function public.election_eligible(p_election uuid, p_user uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.elections e join public.space_members m on m.space_id = e.space_id
     where e.id = p_election and m.user_id = p_user and m.joined_at <= e.opens_at
  )
$$;
comment on function public.election_eligible(uuid, uuid) is
  'Is the person eligible to vote: a member of the space who had joined when voting opened? (for the election RPCs; not callable through the API)';
revoke execute on function public.election_eligible(uuid, uuid) from anon, authenticated, public;

create function public.election_candidate_count(p_election uuid) returns integer
language sql stable security definer set search_path = '' as $$
  select count(*)::int from public.election_candidates c where c.election_id = p_election and c.consented_at is not null
$$;
comment on function public.election_candidate_count(uuid) is
  'How many candidates are on the ballot (consented). For the election RPCs; not callable through the API.';
revoke execute on function public.election_candidate_count(uuid) from anon, authenticated, public;

-- The secret ballot, without the transaction-id link. The election row is
-- locked first, so votes in one election are taken one after another; in READ
-- COMMITTED every later statement takes a fresh snapshot after the lock is
-- granted, so it sees the previous voter's committed rows (nothing is lost,
-- and a second vote by the same person meets her row). After writing this
-- vote, every voter row and every ballot of the election is deleted and
-- written again in random order with fresh random ids: afterwards all of them
-- carry this transaction's id (xmin) and their physical order says nothing of
-- the order of the votes.
create function public.cast_ballot(p_election uuid, p_candidates uuid[]) returns void
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

-- What members see while an election runs: its candidates, how many may vote
-- and how many have (a count, never who), whether I may vote and whether I did.
create function public.election_state(p_election uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when public.is_space_member(e.space_id) then jsonb_build_object(
    'id', e.id, 'space_id', e.space_id, 'role', e.role, 'seats', e.seats, 'title', e.title,
    'opens_at', e.opens_at, 'closes_at', e.closes_at, 'published_at', e.published_at, 'elected', to_jsonb(e.elected),
    'candidates', coalesce((select jsonb_agg(jsonb_build_object(
                     'user_id', c.user_id, 'display_name', coalesce(pr.display_name, ''),
                     'consented', c.consented_at is not null, 'nominated_by_me', c.nominated_by = (select auth.uid()))
                   order by pr.display_name)
                   from public.election_candidates c left join public.profiles pr on pr.id = c.user_id
                  where c.election_id = e.id), '[]'::jsonb),
    'eligible', (select count(*) from public.space_members m where m.space_id = e.space_id and m.joined_at <= e.opens_at),
    'voted', (select count(*) from public.election_voters v where v.election_id = e.id),
    'iMayVote', public.election_eligible(e.id, (select auth.uid())),
    'iVoted', exists (select 1 from public.election_voters v where v.election_id = e.id and v.user_id = (select auth.uid())),
    'iCanRun', public.can_convene(e.space_id))
  end
  from public.elections e where e.id = p_election
$$;
comment on function public.election_state(uuid) is
  'RPC (members of the space): an election with its candidates, how many may vote and how many did (a count, never who), and whether I may vote and did; null for others.';
revoke execute on function public.election_state(uuid) from anon, public;
grant execute on function public.election_state(uuid) to authenticated;

-- Totals per candidate, only once voting has closed.
create function public.election_results(p_election uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when public.is_space_member(e.space_id) and now() >= e.closes_at then jsonb_build_object(
    'ballots', (select count(*) from public.election_voters v where v.election_id = e.id),
    'totals', coalesce((select jsonb_agg(jsonb_build_object('user_id', c.user_id, 'display_name', coalesce(pr.display_name, ''),
                                                           'votes', coalesce(t.n, 0))
                          order by coalesce(t.n, 0) desc, pr.display_name)
                          from public.election_candidates c
                          left join public.profiles pr on pr.id = c.user_id
                          left join (select b.candidate_id, count(*) as n from public.election_ballots b
                                      where b.election_id = e.id group by b.candidate_id) t on t.candidate_id = c.user_id
                         where c.election_id = e.id and c.consented_at is not null), '[]'::jsonb))
  end
  from public.elections e where e.id = p_election
$$;
comment on function public.election_results(uuid) is
  'RPC (members of the space): totals per candidate and the number of ballots, only once voting has closed; null before and for others. Never who voted for whom.';
revoke execute on function public.election_results(uuid) from anon, public;
grant execute on function public.election_results(uuid) to authenticated;

-- Opening voting early (the candidacies end) and closing it early once every
-- eligible member has voted: a facilitator or leader, at the meeting. Closing
-- early is refused while anyone may still vote, so nobody can close a vote
-- after the first ballots to read them.
create function public.move_election_window(p_election uuid, p_step text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_election public.elections;
begin
  select * into v_election from public.elections e where e.id = p_election for update;
  if not found or not public.can_convene(v_election.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if p_step = 'open' then
    if v_election.opens_at <= now() then
      raise exception 'election_open' using errcode = 'P0001';
    end if;
    if public.election_candidate_count(p_election) <= v_election.seats then
      raise exception 'not_enough_candidates' using errcode = 'P0001';
    end if;
    update public.elections set opens_at = now() where id = p_election;
  elsif p_step = 'close' then
    if v_election.opens_at > now() or v_election.closes_at <= now() then
      raise exception 'election_not_open' using errcode = 'P0001';
    end if;
    if (select count(*) from public.election_voters v where v.election_id = p_election)
       < (select count(*) from public.space_members m where m.space_id = v_election.space_id and m.joined_at <= v_election.opens_at) then
      raise exception 'votes_missing' using errcode = 'P0001';
    end if;
    update public.elections set closes_at = now() where id = p_election;
  else
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
end;
$$;
comment on function public.move_election_window(uuid, text) is
  'RPC: a facilitator or leader opens voting now (ending candidacies; needs more candidates than seats) or closes it now once every eligible member has voted (not_allowed, election_open, not_enough_candidates, election_not_open, votes_missing).';
revoke execute on function public.move_election_window(uuid, text) from anon, public;
grant execute on function public.move_election_window(uuid, text) to authenticated;

-- Publishing: the most voted take the seats (a tie at the last seat is
-- refused: a new vote decides), the roles change in the same transaction
-- (the elected get the role; holders of it who were not re-elected become
-- members; a facilitator keeps facilitating), and the election stays in the
-- space's history with who was elected.
create function public.publish_election(p_election uuid) returns uuid[]
language plpgsql security definer set search_path = '' as $$
declare
  v_election public.elections;
  v_winners uuid[];
  v_last bigint;
  v_next bigint;
begin
  select * into v_election from public.elections e where e.id = p_election for update;
  if not found or not public.can_convene(v_election.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_election.published_at is not null then
    raise exception 'already_published' using errcode = 'P0001';
  end if;
  if now() < v_election.closes_at then
    raise exception 'election_not_closed' using errcode = 'P0001';
  end if;
  if public.election_candidate_count(p_election) <= v_election.seats then
    raise exception 'not_enough_candidates' using errcode = 'P0001';
  end if;
  if not exists (select 1 from public.election_ballots b where b.election_id = p_election) then
    raise exception 'no_votes' using errcode = 'P0001';
  end if;
  with totals as (
    select c.user_id, count(b.id) as n
      from public.election_candidates c
      left join public.election_ballots b on b.election_id = c.election_id and b.candidate_id = c.user_id
     where c.election_id = p_election and c.consented_at is not null
     group by c.user_id
  ), ranked as (
    select t.user_id, t.n, row_number() over (order by t.n desc, t.user_id) as place from totals t
  )
  select array_agg(r.user_id order by r.place) filter (where r.place <= v_election.seats),
         min(r.n) filter (where r.place <= v_election.seats),
         max(r.n) filter (where r.place > v_election.seats)
    into v_winners, v_last, v_next
    from ranked r;
  if v_next is not null and v_next = v_last then
    raise exception 'tie' using errcode = 'P0001';
  end if;
  if exists (select 1 from unnest(v_winners) w
              where not exists (select 1 from public.space_members m where m.space_id = v_election.space_id and m.user_id = w)) then
    raise exception 'winner_not_a_member' using errcode = 'P0001';
  end if;
  update public.space_members m set role = 'member'
   where m.space_id = v_election.space_id and m.role = v_election.role::text::public.space_role
     and not (m.user_id = any (v_winners));
  update public.space_members m set role = v_election.role::text::public.space_role
   where m.space_id = v_election.space_id and m.user_id = any (v_winners) and m.role <> 'facilitator';
  update public.elections set published_at = now(), published_by = (select auth.uid()), elected = v_winners
   where id = p_election;
  return v_winners;
end;
$$;
comment on function public.publish_election(uuid) is
  'RPC: a facilitator or leader publishes a closed election: the most voted take the seats and the roles change in one step (the elected get the role unless facilitators; holders not re-elected become members); a tie at the last seat is refused (not_allowed, already_published, election_not_closed, not_enough_candidates, no_votes, tie, winner_not_a_member).';
revoke execute on function public.publish_election(uuid) from anon, public;
grant execute on function public.publish_election(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- Evaluation forms.
create function public.create_evaluation(
  p_id uuid, p_space uuid, p_title text, p_anonymous boolean, p_questions jsonb, p_meeting uuid default null
) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  v_q jsonb;
  v_position integer := 0;
begin
  if (select auth.uid()) is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if exists (select 1 from public.evaluations e where e.id = p_id) then
    if exists (select 1 from public.evaluations e where e.id = p_id and e.created_by = (select auth.uid())) then
      return p_id;
    end if;
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if not public.is_space_moderator(p_space)
     or (p_meeting is not null and public.meeting_space(p_meeting) is distinct from p_space) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if jsonb_typeof(p_questions) <> 'array' or jsonb_array_length(p_questions) not between 1 and 20 then
    raise exception 'questions_count' using errcode = 'P0001';
  end if;
  insert into public.evaluations (id, space_id, meeting_id, title, anonymous)
  values (p_id, p_space, p_meeting, btrim(coalesce(p_title, ''), E' \t\r\n'), coalesce(p_anonymous, true));
  for v_q in select * from jsonb_array_elements(p_questions) loop
    v_position := v_position + 1;
    insert into public.evaluation_questions (evaluation_id, position, kind, prompt, choices)
    values (p_id, v_position, (v_q ->> 'kind')::public.evaluation_question_kind, btrim(coalesce(v_q ->> 'prompt', ''), E' \t\r\n'),
            case when v_q ->> 'kind' = 'choice' then
              coalesce((select array_agg(btrim(c, E' \t\r\n')) from jsonb_array_elements_text(v_q -> 'choices') c
                         where public.has_visible_text(c)), '{}') else '{}' end);
  end loop;
  return p_id;
end;
$$;
comment on function public.create_evaluation(uuid, uuid, text, boolean, jsonb, uuid) is
  'RPC: a moderator makes an evaluation form (anonymous or named) with 1 to 20 questions: rating 1-5, single choice (2 to 10 choices) or short text; a replayed id returns that id (not_signed_in, not_allowed, questions_count).';
revoke execute on function public.create_evaluation(uuid, uuid, text, boolean, jsonb, uuid) from anon, public;
grant execute on function public.create_evaluation(uuid, uuid, text, boolean, jsonb, uuid) to authenticated;

-- Answering once, as with ballots: that I answered, apart from the answers
-- (which carry my id only on a named form).
create function public.answer_evaluation(p_evaluation uuid, p_answers jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_user uuid := (select auth.uid());
  v_form public.evaluations;
  v_q public.evaluation_questions;
  v_value jsonb;
  v_clean jsonb := '{}'::jsonb;
begin
  select * into v_form from public.evaluations e where e.id = p_evaluation;
  if not found or v_user is null or not public.is_space_member(v_form.space_id) then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  if v_form.closes_at is not null and v_form.closes_at <= now() then
    raise exception 'evaluation_closed' using errcode = 'P0001';
  end if;
  if jsonb_typeof(p_answers) <> 'object' then
    raise exception 'bad_answer' using errcode = 'P0001';
  end if;
  for v_q in select * from public.evaluation_questions q where q.evaluation_id = p_evaluation order by q.position loop
    v_value := p_answers -> v_q.id::text;
    if v_value is null or v_value = 'null'::jsonb or v_value = '""'::jsonb then
      continue; -- a question left blank
    end if;
    if v_q.kind = 'rating' then
      if jsonb_typeof(v_value) <> 'number' or (v_value #>> '{}')::numeric not in (1, 2, 3, 4, 5) then
        raise exception 'bad_answer' using errcode = 'P0001';
      end if;
    elsif v_q.kind = 'choice' then
      if jsonb_typeof(v_value) <> 'string' or not ((v_value #>> '{}') = any (v_q.choices)) then
        raise exception 'bad_answer' using errcode = 'P0001';
      end if;
    else
      if jsonb_typeof(v_value) <> 'string' or char_length(v_value #>> '{}') > 500
         or not public.has_no_bidi_controls(v_value #>> '{}') then
        raise exception 'bad_answer' using errcode = 'P0001';
      end if;
    end if;
    v_clean := v_clean || jsonb_build_object(v_q.id::text, v_value);
  end loop;
  insert into public.evaluation_respondents (evaluation_id, user_id) values (p_evaluation, v_user) on conflict do nothing;
  if not found then
    raise exception 'already_answered' using errcode = 'P0001';
  end if;
  insert into public.evaluation_responses (evaluation_id, respondent_id, answers)
  values (p_evaluation, case when v_form.anonymous then null else v_user end, v_clean);
end;
$$;
comment on function public.answer_evaluation(uuid, jsonb) is
  'RPC: a member answers an evaluation form once (ratings 1-5, one of the choices, text up to 500 characters; blanks allowed); on an anonymous form the answers carry no person (not_allowed, evaluation_closed, bad_answer, already_answered).';
revoke execute on function public.answer_evaluation(uuid, jsonb) from anon, public;
grant execute on function public.answer_evaluation(uuid, jsonb) to authenticated;

create function public.evaluation_results(p_evaluation uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select case when public.is_space_moderator(e.space_id) or e.created_by = (select auth.uid()) then jsonb_build_object(
    'responses', (select count(*) from public.evaluation_responses r where r.evaluation_id = e.id),
    'rows', coalesce((select jsonb_agg(jsonb_build_object(
                        'name', case when e.anonymous then null else coalesce(pr.display_name, '') end,
                        'answers', r.answers)
                      order by case when e.anonymous then null else pr.display_name end, r.id)
                      from public.evaluation_responses r left join public.profiles pr on pr.id = r.respondent_id
                     where r.evaluation_id = e.id), '[]'::jsonb))
  end
  from public.evaluations e where e.id = p_evaluation
$$;
comment on function public.evaluation_results(uuid) is
  'RPC (the form''s creator and the space''s moderators): every response''s answers (with the name on a named form only, in a random order on an anonymous one), for counts, averages and the CSV; null for others.';
revoke execute on function public.evaluation_results(uuid) from anon, public;
grant execute on function public.evaluation_results(uuid) to authenticated;

-- ---------------------------------------------------------------------------
-- The calendar feed, for calendar apps (no session: the token is the key).
create function public.calendar_feed(p_token text) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'space_name', s.name, 'sensitive', s.sensitive,
           'topic', case when s.sensitive then null else m.topic end,
           'venue', case when s.sensitive then null else m.venue end,
           'starts_at', m.starts_at, 'duration_minutes', m.duration_minutes,
           'cancelled', m.cancelled_at is not null, 'updated_at', m.updated_at, 'space_id', m.space_id)
         order by m.starts_at), '[]'::jsonb)
    from public.calendar_feeds f
    join public.space_members sm on sm.user_id = f.user_id
    join public.spaces s on s.id = sm.space_id
    join public.meetings m on m.space_id = s.id
   where f.token = p_token and char_length(coalesce(p_token, '')) >= 32
     and m.starts_at > now() - interval '60 days'
$$;
comment on function public.calendar_feed(text) is
  'RPC (anyone holding the token, anon included): the meetings of the token owner''s spaces from 60 days ago on (a sensitive space''s: time and space name only); nothing for an unknown token.';
revoke execute on function public.calendar_feed(text) from public;
grant execute on function public.calendar_feed(text) to anon, authenticated;

-- ---------------------------------------------------------------------------
-- Push reminders the day before and two hours before, to members going or
-- not yet answered (not those who cannot come), through the push
-- capability's queue_push(); the worker keeps quiet hours and checks access
-- again when sending. Moving or cancelling the meeting drops the pending
-- ones and queues new ones.
create function public.queue_meeting_reminders(p_meeting uuid, p_user uuid default null) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_meeting public.meetings;
  v_member uuid;
  v_at timestamptz;
  v_key text;
begin
  if pg_trigger_depth() = 0 then
    raise exception 'not_allowed' using errcode = 'P0001';
  end if;
  select * into v_meeting from public.meetings m where m.id = p_meeting;
  update public.push_jobs j set status = 'dropped', finished_at = now(), last_error = 'meeting_changed'
   where j.group_key = 'meeting:' || p_meeting and j.status = 'pending' and (p_user is null or j.user_id = p_user);
  if v_meeting.id is null or v_meeting.cancelled_at is not null or v_meeting.starts_at <= now() then
    return;
  end if;
  for v_member in
    select m.user_id from public.space_members m
     where m.space_id = v_meeting.space_id and (p_user is null or m.user_id = p_user)
       and not exists (select 1 from public.meeting_rsvps r
                        where r.meeting_id = p_meeting and r.user_id = m.user_id and r.answer = 'cant')
  loop
    foreach v_at in array array[v_meeting.starts_at - interval '1 day', v_meeting.starts_at - interval '2 hours'] loop
      if v_at > now() then
        v_key := 'meeting:' || p_meeting || ':' || v_member || ':' || extract(epoch from v_at)::bigint
                 || ':' || gen_random_uuid();
        perform public.queue_push(v_member, 'meeting_reminder', v_meeting.space_id, p_meeting, null, null,
                                  'meeting:' || p_meeting, v_key);
        update public.push_jobs j set run_at = v_at where j.dedupe_key = v_key and j.status = 'pending';
      end if;
    end loop;
  end loop;
end;
$$;
comment on function public.queue_meeting_reminders(uuid, uuid) is
  'Queues the meeting''s push reminders (a day and two hours before) for its members, or one member, who are going or have not answered, dropping pending ones first (triggers only; not_allowed otherwise).';
revoke execute on function public.queue_meeting_reminders(uuid, uuid) from anon, authenticated, public;

create function public.remind_on_meeting() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.starts_at <> old.starts_at or new.cancelled_at is distinct from old.cancelled_at then
    perform public.queue_meeting_reminders(new.id);
  end if;
  return null;
end;
$$;
comment on function public.remind_on_meeting() is
  'Trigger: a planned, moved or cancelled meeting (re)queues its push reminders.';
revoke execute on function public.remind_on_meeting() from anon, authenticated, public;

create trigger meetings_remind after insert or update on public.meetings
  for each row execute function public.remind_on_meeting();

create function public.remind_on_answer() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' and new.answer <> 'cant' then
    return null; -- already queued when the meeting was planned
  end if;
  if tg_op = 'UPDATE' and (new.answer = 'cant') = (old.answer = 'cant') then
    return null;
  end if;
  perform public.queue_meeting_reminders(new.meeting_id, new.user_id);
  return null;
end;
$$;
comment on function public.remind_on_answer() is
  'Trigger: answering "cannot come" drops a member''s pending reminders; changing one''s mind back queues them again.';
revoke execute on function public.remind_on_answer() from anon, authenticated, public;

create trigger meeting_rsvps_remind after insert or update on public.meeting_rsvps
  for each row execute function public.remind_on_answer();

-- ---------------------------------------------------------------------------
-- Widening other capabilities' reads (their own rules untouched): a meeting's
-- guest reads the library items attached to it, and members read their
-- meetings' guests' names and badges.
create policy "meeting guests read what is attached to their meeting" on public.library_resources
  for select to authenticated using (id in (select public.my_meeting_library_ids()));

create policy "meeting guests read the files attached to their meeting" on storage.objects
  for select to authenticated using (
    bucket_id = 'library' and exists (
      select 1 from public.library_files f
       where (f.object_path = name or f.thumb_path = name) and f.resource_id in (select public.my_meeting_library_ids()))
  );

create policy "profiles are readable by people who share a meeting" on public.profiles
  for select to authenticated using (public.shares_a_meeting_with(id));

-- ---------------------------------------------------------------------------
-- The meetings' figures for the programme: a part of programme_figures()
-- (supabase/schemas/programme.sql), called only by it, with the same arguments
-- and rows as the other parts (it applies member safety to what this returns).
--
-- A meeting counts as held when attendance was taken with someone there: a
-- member marked present or participants who are not members recorded. Planning
-- a meeting says nothing of whether it took place; attendance does, and it can
-- only be taken from 12 hours before the start (guard_meeting_attendance). So:
-- not cancelled, its notice thread not removed, started in the period and
-- before now (its month is the month it started), and someone present.
--
-- Attendance is counted over the meetings held: each member marked present
-- once per meeting, plus the outside participants recorded (their number, not
-- their rows). The disaggregation is what the attendance form records: members
-- as they declared themselves (attendee_declarations, as they stand today: the
-- table keeps no history), participants as the leader noted them. Each is
-- given as a split of the whole attendance (declared women / everyone else,
-- declared living with a disability / everyone else), so that the small-count
-- rule (the other part of a row hidden too) keeps a hidden count hidden.
create function public.programme_part_meetings(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  with held as (
    select m.id, m.space_id, public.programme_month(m.starts_at) as month
      from public.meetings m join public.threads t on t.id = m.id
     where m.space_id = any (p_spaces) and m.starts_at >= p_from and m.starts_at < least(p_to, now())
       and m.cancelled_at is null and t.deleted_at is null
       and (exists (select 1 from public.meeting_attendance a where a.meeting_id = m.id and a.present)
            or exists (select 1 from public.meeting_participants p where p.meeting_id = m.id))
  ), attendees as (
    select h.space_id, h.month, 'members'::text as kind, 1::bigint as people,
           (coalesce(d.woman, false))::int::bigint as women, (coalesce(d.disability, false))::int::bigint as with_disability
      from held h
      join public.meeting_attendance a on a.meeting_id = h.id and a.present
      left join public.attendee_declarations d on d.user_id = a.user_id
    union all
    select h.space_id, h.month, 'participants', p.people::bigint, p.women::bigint, p.with_disability::bigint
      from held h join public.meeting_participants p on p.meeting_id = h.id
  ), declared as (
    select a.space_id, sum(a.people)::bigint as people, sum(a.women)::bigint as women,
           sum(a.with_disability)::bigint as with_disability
      from attendees a group by a.space_id
  )
  select h.space_id, 'meetings_held', h.month, null::text, count(*)
    from held h group by grouping sets ((h.space_id), (h.space_id, h.month))
  union all
  select a.space_id, 'meeting_attendance', a.month, null, sum(a.people)::bigint
    from attendees a group by grouping sets ((a.space_id), (a.space_id, a.month))
  union all
  select a.space_id, 'meeting_attendance', null, a.kind, sum(a.people)::bigint from attendees a group by 1, 4
  union all
  select d.space_id, x.figure, null, x.part, x.n
    from declared d
   cross join lateral (values
     ('meeting_attendance_women', null, d.people),
     ('meeting_attendance_women', 'women', d.women),
     ('meeting_attendance_women', 'others', d.people - d.women),
     ('meeting_attendance_disability', null, d.people),
     ('meeting_attendance_disability', 'with_disability', d.with_disability),
     ('meeting_attendance_disability', 'others', d.people - d.with_disability)) as x (figure, part, n)
   where x.n > 0
  union all
  select e.space_id, 'elections_published', public.programme_month(e.published_at), null, count(*)
    from public.elections e
   where e.space_id = any (p_spaces) and e.published_at >= p_from and e.published_at < p_to
   group by grouping sets ((e.space_id), (e.space_id, public.programme_month(e.published_at)))
  union all
  select e.space_id, 'elections_published', null, e.role::text, count(*)
    from public.elections e
   where e.space_id = any (p_spaces) and e.published_at >= p_from and e.published_at < p_to
   group by 1, 4
  union all
  select m.space_id, 'meeting_decisions', public.programme_month(d.created_at), null, count(*)
    from public.meeting_decisions d
    join public.meetings m on m.id = d.meeting_id
    join public.threads t on t.id = m.id
   where m.space_id = any (p_spaces) and d.created_at >= p_from and d.created_at < p_to and t.deleted_at is null
   group by grouping sets ((m.space_id), (m.space_id, public.programme_month(d.created_at)))
$$;
comment on function public.programme_part_meetings(uuid[], timestamptz, timestamptz) is
  'Figures part (meetings): meetings held in the period (not cancelled, started, attendance taken with someone present; by month), their attendance (members present and outside participants; by month, by kind; and split by declared women and declared living with a disability), elections published (by month, by role), decisions recorded (by month).';
revoke execute on function public.programme_part_meetings(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

insert into private.programme_figure_parts (key, part, capability, position) values
  ('meetings', 'public.programme_part_meetings(uuid[], timestamptz, timestamptz)', 'meetings', 40);

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
