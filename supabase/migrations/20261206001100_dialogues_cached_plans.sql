-- capability: dialogues
-- The same queries, with plans that last (issue 24, requests per second). A
-- `language sql` function with a `set` clause (search_path here) is never
-- inlined, and PostgreSQL before 18 plans its query again at every call: for
-- list_actions() that is ~4 ms of planning (the policies of four tables) to
-- run a query of 0.7 ms. PL/pgSQL keeps each statement's plan for the
-- connection, and after five calls uses a generic plan when it costs no more
-- than planning each time. The dialogue's page calls these for every view:
-- dialogue_overview and list_actions once, the profile policies'
-- shares_a_dialogue_with for each name, can_update_action for each action, and
-- the rights helpers (can_convene, is_dialogue_convener, is_dialogue_guest,
-- dialogue_posting_window) from the policies and the hubs several times each.
-- Each body is the earlier query unchanged, returned as is: the same rows,
-- the same rights (security definer or invoker as before), the same grants
-- and comments (kept by `create or replace`). `#variable_conflict use_column`
-- gives a column the name's meaning where it could also name an output
-- column, as in a SQL function. Measured as CPU per request, both versions
-- in one run (issue 24's closing note): the dialogue page's PostgreSQL time
-- 16.7 → 8.4 ms with the first seven functions of these migrations, then
-- 6.9 → 5.4 ms (the thread page's 6.0 → 3.9) with the helpers.

create or replace function public.dialogue_overview(p_dialogue uuid)
returns table (
  id uuid, space_id uuid, space_name text, title text, purpose text, meeting_at timestamptz, venue text,
  language public.app_language, status public.dialogue_status, locked boolean,
  am_convener boolean, am_member boolean, am_guest boolean, am_muted boolean, can_post boolean,
  members_taking_part integer
)
language plpgsql stable security definer set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  select d.id, d.space_id, s.name, t.title, d.purpose, d.meeting_at, d.venue, d.language, d.status, t.locked,
         public.is_dialogue_convener(d.id), public.is_space_member(d.space_id), public.is_dialogue_guest(d.id),
         exists (select 1 from public.dialogue_guests g
                  where g.dialogue_id = d.id and g.user_id = (select auth.uid()) and g.muted_at is not null),
         public.can_post_in_thread(d.id),
         -- Members who wrote in it, openly or not, or chose to be named: a number for the report, never names.
         (select count(distinct x.user_id)::int from (
            select p.author_id as user_id from public.posts p
             join public.space_members sm on sm.space_id = d.space_id and sm.user_id = p.author_id
             where p.thread_id = d.id
            union select h.author_id from public.dialogue_hidden_authors h where h.dialogue_id = d.id
            union select n.user_id from public.dialogue_named_members n where n.dialogue_id = d.id
          ) x)
    from public.dialogues d
    join public.threads t on t.id = d.id
    join public.spaces s on s.id = d.space_id
   where d.id = p_dialogue and t.deleted_at is null and public.can_read_thread(d.id);
end;
$$;
create or replace function public.list_actions(
  p_space uuid default null,
  p_dialogue uuid default null,
  p_status public.action_status default null,
  p_organisation text default null,
  p_overdue boolean default false,
  p_limit integer default 300
) returns table (
  id uuid, dialogue_id uuid, dialogue_title text, space_id uuid, description text,
  owner_kind public.action_owner_kind, owner_user_id uuid, owner_organisation text, supporting text,
  due_on date, status public.action_status, dropped_reason text, created_at timestamptz, updated_at timestamptz,
  done_at timestamptz, overdue boolean, last_update_at timestamptz, can_update boolean
)
language plpgsql stable security invoker set search_path = '' as $$
#variable_conflict use_column
begin
  return query
  select a.id, a.dialogue_id, t.title, a.space_id, a.description, a.owner_kind, a.owner_user_id,
         coalesce(a.owner_organisation, g.organisation), a.supporting, a.due_on, a.status, a.dropped_reason,
         a.created_at, a.updated_at, a.done_at,
         a.due_on < current_date and a.status in ('agreed', 'in_progress'),
         (select max(u.created_at) from public.action_updates u where u.action_id = a.id),
         public.can_update_action(a.id)
    from public.dialogue_actions a
    join public.threads t on t.id = a.dialogue_id
    left join public.dialogue_guests g on a.owner_kind = 'guest' and g.dialogue_id = a.dialogue_id and g.user_id = a.owner_user_id
   where (p_space is null or a.space_id = p_space)
     and (p_dialogue is null or a.dialogue_id = p_dialogue)
     and (p_status is null or a.status = p_status)
     and (p_organisation is null
          or lower(btrim(coalesce(a.owner_organisation, g.organisation, ''))) = lower(btrim(p_organisation)))
     and (not coalesce(p_overdue, false) or (a.due_on < current_date and a.status in ('agreed', 'in_progress')))
   order by (a.due_on < current_date and a.status in ('agreed', 'in_progress')) desc,
            a.due_on nulls last, a.created_at
   limit least(greatest(coalesce(p_limit, 300), 1), 1000);
end;
$$;
create or replace function public.can_update_action(p_action uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
    select 1 from public.dialogue_actions a
     where a.id = p_action and (
       public.is_dialogue_convener(a.dialogue_id)
       or (a.owner_kind = 'guest' and a.owner_user_id = (select auth.uid()) and public.is_dialogue_guest(a.dialogue_id))
       or (a.owner_kind = 'organisation' and exists (
             select 1 from public.dialogue_guests g
              where g.dialogue_id = a.dialogue_id and g.user_id = (select auth.uid()) and g.removed_at is null
                and lower(btrim(g.organisation)) = lower(btrim(a.owner_organisation))))
     )
  ));
end;
$$;
create or replace function public.shares_a_dialogue_with(p_user uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (
      select 1 from public.dialogue_guests mine
       where mine.user_id = (select auth.uid()) and mine.removed_at is null and (
         exists (select 1 from public.dialogue_guests theirs
                  where theirs.dialogue_id = mine.dialogue_id and theirs.user_id = p_user)
         or exists (select 1 from public.posts p
                     where p.thread_id = mine.dialogue_id and p.author_id = p_user and p.deleted_at is null)
         or exists (select 1 from public.dialogue_named_members n
                     where n.dialogue_id = mine.dialogue_id and n.user_id = p_user)
       )
    )
    or exists (
      select 1 from public.dialogue_guests theirs join public.dialogues d on d.id = theirs.dialogue_id
       where theirs.user_id = p_user and d.space_id in (select public.my_space_ids())
    ));
end;
$$;

create or replace function public.can_convene(p_space uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select public.has_space_role(p_space, array['facilitator', 'leader']::public.space_role[]));
end;
$$;

create or replace function public.is_dialogue_convener(p_dialogue uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select exists (select 1 from public.dialogues d where d.id = p_dialogue and public.can_convene(d.space_id)));
end;
$$;

create or replace function public.is_dialogue_guest(p_dialogue uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select p_dialogue in (select public.my_guest_dialogue_ids()));
end;
$$;

create or replace function public.dialogue_posting_window(p_thread uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
  select coalesce((
    select public.is_dialogue_convener(d.id) or (not t.locked and d.status in ('preparing', 'open'))
      from public.dialogues d join public.threads t on t.id = d.id
     where d.id = p_thread), true));
end;
$$;
