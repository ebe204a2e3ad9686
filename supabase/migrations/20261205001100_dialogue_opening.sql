-- Issue 22 (reach): an invite link opened again lands where it leads, and an
-- unusable code says why. Two read-only RPCs beside the previews; nothing
-- earlier changes. (The file's name is the brief's: opening a dialogue to its
-- first guests needed no database change, the conveners' update policy on
-- dialogues already lets them open it.)

-- capability: spaces

-- What a tapped invite link or a typed code leads to, for the join page and
-- the sign-in page: the person's own standing first (a member who opens their
-- space's link again is sent into the space, whatever the code's state), then
-- which of cancelled, expired or used up keeps the code from working, so the
-- page can say which and what to do. The space's id goes only to its members
-- (who know it already); its name and kind only with a usable code, as
-- invite_preview() gives them. An unknown code answers nothing. Callable
-- signed out like invite_preview(): 31^8 codes make guessing hopeless, and a
-- state says no more about a space than the code's holder could learn anyway.
create function public.invite_state(p_code text)
returns table (state text, space_id uuid, name text, kind public.space_kind)
language sql stable security definer set search_path = '' as $$
  select x.state,
         case when x.state = 'member' then x.space_id end,
         case when x.state in ('member', 'usable') then s.name end,
         case when x.state in ('member', 'usable') then s.kind end
    from (
      select i.space_id,
             case
               when exists (select 1 from public.space_members m
                             where m.space_id = i.space_id and m.user_id = (select auth.uid())) then 'member'
               when i.revoked_at is not null then 'cancelled'
               when i.expires_at < now() then 'expired'
               when i.max_uses is not null and i.uses >= i.max_uses then 'used_up'
               else 'usable'
             end as state
        from public.space_invites i
       where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
    ) x
    join public.spaces s on s.id = x.space_id
$$;
comment on function public.invite_state(text) is
  'RPC (anyone): what a space invite code leads to: member (with the space''s id, for its members only), usable (with the space''s name and kind), cancelled, expired or used_up; nothing for an unknown code.';
revoke execute on function public.invite_state(text) from public;
grant execute on function public.invite_state(text) to anon, authenticated;

-- capability: dialogues

-- What a dialogue invite code leads to, for the dialogue join page: someone
-- who already reads the dialogue (a member of its space, or a guest not
-- removed) is sent into it; otherwise which of closed (concluded, archived or
-- deleted), cancelled, expired or used up keeps the code from working. The
-- dialogue's id goes only to those who read it; its title and space's name
-- only with a usable code, as dialogue_invite_preview() gives them. An
-- unknown code answers nothing.
create function public.dialogue_invite_state(p_code text)
returns table (state text, dialogue_id uuid, title text, space_name text)
language sql stable security definer set search_path = '' as $$
  select x.state,
         case when x.state = 'reader' then x.dialogue_id end,
         case when x.state in ('reader', 'usable') then x.title end,
         case when x.state in ('reader', 'usable') then x.space_name end
    from (
      select d.id as dialogue_id, t.title, s.name as space_name,
             case
               when t.deleted_at is not null then 'closed'
               when d.space_id in (select public.my_space_ids())
                    or d.id in (select public.my_guest_dialogue_ids()) then 'reader'
               when d.status not in ('preparing', 'open') then 'closed'
               when i.revoked_at is not null then 'cancelled'
               when i.expires_at < now() then 'expired'
               when i.max_uses is not null and i.uses >= i.max_uses then 'used_up'
               else 'usable'
             end as state
        from public.dialogue_invites i
        join public.dialogues d on d.id = i.dialogue_id
        join public.threads t on t.id = d.id
        join public.spaces s on s.id = d.space_id
       where i.code = upper(regexp_replace(coalesce(p_code, ''), '[^A-Za-z0-9]', '', 'g'))
    ) x
$$;
comment on function public.dialogue_invite_state(text) is
  'RPC (anyone): what a dialogue invite code leads to: reader (with the dialogue''s id, for its members and guests only), usable (with its title and space''s name), closed, cancelled, expired or used_up; nothing for an unknown code.';
revoke execute on function public.dialogue_invite_state(text) from public;
grant execute on function public.dialogue_invite_state(text) to anon, authenticated;
