-- Library items saved offline, counted for the programme (issue 27), and a
-- small count no longer given away by its row's total or by the network's.

set check_function_bodies = off;

-- capability: library

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

-- capability: programme

-- Library items saved offline (public.library_saves, supabase/schemas/library.sql):
-- one more family, added with a row (rules grow by addition).
create function public.programme_part_library_saves(p_spaces uuid[], p_from timestamptz, p_to timestamptz)
returns table (space_id uuid, figure text, month date, breakdown text, n bigint)
language sql stable set search_path = '' as $$
  select r.space_id, 'library_saves', public.programme_month(s.saved_at), null::text, count(*)
    from public.library_saves s join public.library_resources r on r.id = s.resource_id
   where r.space_id = any (p_spaces) and s.saved_at >= p_from and s.saved_at < p_to
   group by grouping sets ((r.space_id), (r.space_id, public.programme_month(s.saved_at)))
  union all
  select null, 'library_saves_shared', null, null, count(*)
    from public.library_saves s join public.library_resources r on r.id = s.resource_id
   where r.space_id is null and s.saved_at >= p_from and s.saved_at < p_to
$$;
comment on function public.programme_part_library_saves(uuid[], timestamptz, timestamptz) is
  'Figures part (library saves): items of the spaces'' libraries saved for offline in the period (by month), and of the shared library (network); each person counted once per item, in the month she first saved it.';
revoke execute on function public.programme_part_library_saves(uuid[], timestamptz, timestamptz) from anon, authenticated, public;

insert into private.programme_figure_parts (key, part, capability, position) values
  ('library_saves', 'public.programme_part_library_saves(uuid[], timestamptz, timestamptz)', 'programme', 75);

-- The small-count rule, where it lives: a row whose counts are all small (one
-- count of 1 to 4 and zeros elsewhere) hid that count while its total, equal
-- to it, was shown. Now the whole figure of that space goes, total included.
-- And across spaces: a space's count hidden alone in its cell (month, part or
-- total) was the network's count less the shown ones; now the next smallest
-- space count of that cell goes with it (or the network's, when there is none).
-- Parts are still read from private.programme_figure_parts (meetings' row kept).
-- Why a rewrite, not an addition: programme_figures() is the programme
-- capability's own (20261205004000_programme.sql), and suppression has to run
-- over every family's counts at once, after all parts are gathered; a part or
-- a policy cannot hide a cell that depends on other parts' or spaces' counts.
-- Other capabilities still add their families by a row in
-- private.programme_figure_parts, as before.
create or replace function public.programme_figures(p_space uuid default null, p_from date default null, p_to date default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_today date := public.programme_day(now());
  v_to date := least(coalesce(p_to, v_today), v_today);
  v_from date := coalesce(p_from, (date_trunc('month', v_to) - interval '11 months')::date);
  v_officer boolean := public.is_programme_officer();
  v_spaces uuid[];
  v_parts text;
  v_keys jsonb;
  v_result jsonb;
begin
  if (select auth.uid()) is null then
    raise exception 'not_signed_in' using errcode = 'P0001';
  end if;
  if p_space is null then
    if not v_officer then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    select coalesce(array_agg(s.id), '{}') into v_spaces from public.spaces s;
  else
    -- Whether a space exists is told to officers only (they see every space's name).
    if not (v_officer or public.is_space_facilitator(p_space)) then
      raise exception 'not_allowed' using errcode = 'P0001';
    end if;
    if not exists (select 1 from public.spaces s where s.id = p_space) then
      raise exception 'space_not_found' using errcode = 'P0001';
    end if;
    v_spaces := array[p_space];
  end if;
  if p_from is not null and p_from > v_today then
    raise exception 'period_future' using errcode = 'P0001';
  end if;
  if p_to is not null and p_from is not null and p_from > p_to then
    raise exception 'period_reversed' using errcode = 'P0001';
  end if;
  if v_from > v_to then
    raise exception 'period_reversed' using errcode = 'P0001';
  end if;
  -- Months are listed one by one: two years at most.
  if v_from < (v_to - interval '731 days')::date then
    raise exception 'period_too_long' using errcode = 'P0001';
  end if;

  select string_agg(format('select * from %s($1, $2, $3)', p.part::regproc), ' union all ' order by p.position),
         coalesce(jsonb_agg(p.key order by p.position), '[]')
    into v_parts, v_keys
    from private.programme_figure_parts p;

  execute format($q$
    with raw as (%s),
    scoped as (
      select r.space_id, r.figure, r.month, r.breakdown, r.n from raw r
       where r.space_id = any ($1) or ($4 and r.space_id is null)
    ),
    -- The network's value: its own row when a part gave one, else the sum over its spaces.
    cells as (
      select s.space_id, s.figure, s.month, s.breakdown, s.n from scoped s
        join public.spaces sp on sp.id = s.space_id
       -- A sensitive space gives totals only.
       where not (sp.sensitive and (s.month is not null or s.breakdown is not null))
      union all
      select null, s.figure, s.month, s.breakdown, s.n from scoped s where s.space_id is null
      union all
      -- A sensitive space's months and parts stay out of the network's too (its
      -- total is in): else the network's month less the other spaces' gives it.
      select null, s.figure, s.month, s.breakdown, sum(s.n)::bigint from scoped s
        join public.spaces sp on sp.id = s.space_id
       where $4 and s.space_id is not null
         and not (sp.sensitive and (s.month is not null or s.breakdown is not null))
         and not exists (select 1 from scoped x where x.space_id is null and x.figure = s.figure)
       group by s.figure, s.month, s.breakdown
    ),
    -- Small counts: a broken-down count of 1 to 4 is null ("fewer than 5"); when
    -- it is the only one in its row (months, or parts), the next smallest goes too;
    -- when nothing else in its row is larger, the whole figure goes (whole, below).
    marked as (
      select c.*, (c.month is not null or c.breakdown is not null) as broken,
             (c.month is not null or c.breakdown is not null) and c.n between 1 and 4 as small
        from cells c
    ),
    ranked as (
      select m.*,
             count(*) filter (where m.small) over w as smalls,
             count(*) filter (where not m.small and m.n > 0) over w as larger,
             row_number() over (partition by m.space_id, m.figure, m.month is null, m.breakdown is null, m.small
                                order by m.n, m.month, m.breakdown) as rank
        from marked m
      window w as (partition by m.space_id, m.figure, m.month is null, m.breakdown is null)
    ),
    -- A row whose counts are all small (one count of 1 to 4 with zeros around
    -- it, or several small ones): nothing else in it can be hidden, and its sum
    -- is the figure's total. Then the whole figure goes for that space (or the
    -- network): its total and every other row's counts, which would add up to it.
    whole as (
      select distinct r.space_id, r.figure from ranked r where r.broken and r.smalls > 0 and r.larger = 0
    ),
    shown as (
      select r.space_id, r.figure, r.month, r.breakdown, r.n as counted,
             case when r.small or (r.broken and r.smalls = 1 and not r.small and r.rank = 1 and r.n > 0)
                       or (w.figure is not null and r.n > 0)
                  then null else r.n end as n
        from ranked r
        left join whole w on w.space_id is not distinct from r.space_id and w.figure = r.figure
    ),
    -- Across spaces (the network's pages): the network's count of a cell (a
    -- month, a part, or the total) less the shown counts of its spaces would
    -- give away a space's hidden count when it is the only one hidden there.
    -- Then the next smallest non-zero space count of that cell goes too, or,
    -- when no other space counts anything there, the network's count.
    across as (
      select s.*,
             count(*) filter (where s.space_id is not null and s.n is null and s.counted > 0) over c as hidden_spaces,
             (array_agg(s.space_id) filter (where s.space_id is not null and s.n is null and s.counted > 0) over c)[1] as alone,
             bool_or(s.space_id is null and s.n is not null) over c as network_shown,
             count(*) filter (where s.space_id is not null and s.n > 0) over c as shown_spaces,
             row_number() over (partition by s.figure, s.month, s.breakdown, s.space_id is not null and s.n > 0
                                order by s.n, s.space_id) as rank
        from shown s
      window c as (partition by s.figure, s.month, s.breakdown)
    ),
    crossed as (
      select a.*, a.hidden_spaces = 1 and a.network_shown and a.n > 0
                  and case when a.space_id is null then a.shown_spaces = 0 else a.rank = 1 end as hide
        from across a
    ),
    -- The space hidden with it then has one hidden count in its row, which its
    -- total less its shown counts would give away: it also hides its counts
    -- where the lone space's other counts of that figure are hidden (a
    -- rectangle: two hidden in every row and cell) ...
    corners as (
      select distinct x.space_id, h.figure, h.month, h.breakdown
        from crossed x
        join shown h on h.space_id = x.alone and h.figure = x.figure and h.n is null and h.counted > 0
       where x.hide and x.space_id is not null
         and not (h.month is not distinct from x.month and h.breakdown is not distinct from x.breakdown)
    ),
    cornered as (
      select x.space_id, x.figure, x.month, x.breakdown, x.counted,
             case when x.hide or k.space_id is not null then null else x.n end as n
        from crossed x
        left join corners k on k.space_id = x.space_id and k.figure = x.figure
             and k.month is not distinct from x.month and k.breakdown is not distinct from x.breakdown
    ),
    -- ... and when it counts nothing there, a space row (months, parts) left
    -- with one hidden count loses its total.
    lonely as (
      select c.*, count(*) filter (where c.n is null and c.counted > 0)
                    over (partition by c.space_id, c.figure, c.month is null, c.breakdown is null) as hidden_in_row
        from cornered c
    ),
    safe as (
      select l.space_id, l.figure, l.month, l.breakdown,
             case when l.space_id is not null and l.month is null and l.breakdown is null and l.counted > 0
                       and bool_or(l.hidden_in_row = 1 and (l.month is not null or l.breakdown is not null))
                             over (partition by l.space_id, l.figure)
                  then null else l.n end as n
        from lonely l
    ),
    figures as (
      select s.space_id, s.figure, jsonb_build_object(
               -- null (hidden) stays null: a sum over nothing would say 0.
               'total', case when bool_or(s.month is null and s.breakdown is null and s.n is null) then null
                             else coalesce(sum(s.n) filter (where s.month is null and s.breakdown is null), 0) end,
               'months', coalesce(jsonb_object_agg(s.month, s.n) filter (where s.month is not null and s.breakdown is null), '{}'),
               'breakdown', coalesce(jsonb_object_agg(s.breakdown, s.n) filter (where s.breakdown is not null and s.month is null), '{}')
             ) as value
        from safe s group by s.space_id, s.figure
    )
    select jsonb_build_object(
      'period', jsonb_build_object(
        'from', $7, 'to', $8, 'today', $5, 'clamped', $9,
        'months', (select jsonb_agg(to_char(m, 'YYYY-MM-DD') order by m)
                     from generate_series(date_trunc('month', $7::timestamp), $8::timestamp, interval '1 month') m)),
      'parts', $6::jsonb,
      'network', case when $4 then coalesce((select jsonb_object_agg(f.figure, f.value) from figures f where f.space_id is null), '{}') end,
      'spaces', coalesce((
        select jsonb_agg(jsonb_build_object(
                 'id', sp.id, 'name', sp.name, 'kind', sp.kind, 'sensitive', sp.sensitive,
                 'language', sp.primary_language,
                 'figures', coalesce((select jsonb_object_agg(f.figure, f.value) from figures f where f.space_id = sp.id), '{}'))
               order by sp.name, sp.id)
          from public.spaces sp where sp.id = any ($1)), '[]')
    )
  $q$, v_parts)
  into v_result
  using v_spaces,
        (v_from::timestamp at time zone 'Asia/Ho_Chi_Minh'),
        ((v_to + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'),
        p_space is null, v_today, v_keys, v_from, v_to, coalesce(p_to > v_today, false);
  return v_result;
end;
$$;
comment on function public.programme_figures(uuid, date, date) is
  'RPC: counts, never rows, for a period (default: the last 12 months; up to today): the network''s and every space''s (programme officers), or one space''s (officers and its facilitators). Broken-down counts of 1 to 4 are null ("fewer than 5"), with the next smallest of their row when alone, and the whole figure (total included) when nothing in their row is larger; on the network''s page, a space''s count hidden alone in its cell (month, part or total) takes the next smallest space count of that cell with it and hides where that space''s other counts are hidden (or the network''s count); sensitive spaces give totals only (not_signed_in, not_allowed, space_not_found, period_future, period_reversed, period_too_long).';
revoke execute on function public.programme_figures(uuid, date, date) from anon, public;
grant execute on function public.programme_figures(uuid, date, date) to authenticated;
