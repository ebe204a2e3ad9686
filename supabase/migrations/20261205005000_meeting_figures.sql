-- Meetings figures for the programme (issues 25 and 27): meetings held,
-- attendance and its declared disaggregation, elections published and
-- decisions recorded, added to programme_figures() as one more family (a row
-- in private.programme_figure_parts), never by rewriting it. The same
-- definitions as supabase/schemas/meetings.sql.

-- capability: meetings

set check_function_bodies = off;

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

-- capability: programme

comment on table private.programme_figure_parts is
  'The families of figures programme_figures() runs, in order: one function each (space_id, figure, month, breakdown, n). A capability adds its figures with a row (meetings do); adding one never rewrites programme_figures().';
