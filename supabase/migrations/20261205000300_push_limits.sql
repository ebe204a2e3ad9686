-- Push notifications' limits (issue 20, item 7), added beside 20261122000800_push.sql.
--
-- - Which endpoints may be stored: https to a known push service (the
--   browsers' own, or one an operator adds to push_services). The worker POSTs
--   to every stored endpoint from inside the server's network, so a person
--   must not be able to make it POST anywhere. Plain http only to loopback
--   hosts, and only where push_services says so: the tests' local push service
--   (scripts/serve-built.ts adds those rows; no migration does).
-- - At most 10 phones per person: the worker sends one request per phone per
--   notification. A new phone is never refused: turning notifications on for
--   an 11th turns them off on the phone where they were turned on longest ago
--   (a person with a new phone rarely turns the old one off first).
-- - An endpoint moves to another account only with the same keys: whoever
--   signs in on a shared phone sends the keys that phone's browser holds, but
--   someone who only knows (or guesses) an endpoint cannot take it over.
--
-- These are guard triggers on push_subscriptions, so they hold for every
-- writer (save_push_subscription(), the secret key, the SQL editor).

create table public.push_services (
  -- A host name; its subdomains are push services too (e.g. fcm.googleapis.com).
  host text primary key,
  -- Plain http as well as https: the tests' local push service only.
  plain_http boolean not null default false,
  created_at timestamptz not null default now(),
  constraint push_services_host check (
    case when plain_http
      then host in ('localhost', '[::1]') or host ~ '^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$'
      else host ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'
    end)
);
comment on table public.push_services is
  'The push services the worker may send to: https to these hosts and their subdomains; plain http only to a loopback host marked plain_http (the tests'' local push service). Operators add a self-hosted push service here (and to PUSH_SERVICE_HOSTS for the worker). Nobody reads it through the API.';
comment on column public.push_services.plain_http is
  'Plain http to exactly this loopback host (localhost, 127.x.x.x, [::1]): for the tests'' local push service only, never in production.';

insert into public.push_services (host) values
  ('fcm.googleapis.com'),         -- Chrome, Edge and most Android browsers
  ('push.services.mozilla.com'),  -- Firefox
  ('notify.windows.com'),         -- Edge on Windows (legacy)
  ('push.apple.com');             -- Safari

alter table public.push_services enable row level security;
revoke all on public.push_services from anon, authenticated, public;

create function public.push_endpoint_allowed(p_endpoint text) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  -- Scheme, host (a name or a bracketed IPv6 address; no user info), an optional
  -- port, then a path of printable ASCII: anything else is not a push endpoint.
  v_parts text[] := regexp_match(coalesce(p_endpoint, ''),
    '^(https?)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?/[!-~]*$');
  v_scheme text := v_parts[1];
  v_host text := lower(v_parts[2]);
begin
  if v_parts is null then
    return false;
  end if;
  return exists (
    select 1 from public.push_services s
     where (s.plain_http and v_host = s.host)
        or (not s.plain_http and v_scheme = 'https'
            and (v_host = s.host or right(v_host, char_length(s.host) + 1) = '.' || s.host))
  );
end;
$$;
comment on function public.push_endpoint_allowed(text) is
  'Is this a push endpoint the worker may send to? https to a host in push_services (or its subdomain); http only to a loopback host marked plain_http there.';
revoke execute on function public.push_endpoint_allowed(text) from anon, authenticated, public;
grant execute on function public.push_endpoint_allowed(text) to service_role;

-- BEFORE triggers fire in name order: this one before any later guard.
create function public.guard_push_subscription() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- One person's subscriptions change one at a time, so the cap below counts right.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('push_subscriptions:' || new.user_id::text, 0));
  if (tg_op = 'INSERT' or new.endpoint is distinct from old.endpoint)
     and not public.push_endpoint_allowed(new.endpoint) then
    raise exception 'push_endpoint_not_allowed' using errcode = 'P0001';
  end if;
  if tg_op = 'UPDATE' and new.user_id is distinct from old.user_id
     and (new.p256dh is distinct from old.p256dh or new.auth is distinct from old.auth) then
    raise exception 'push_endpoint_taken' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function public.guard_push_subscription() is
  'Trigger: a phone''s endpoint must be a known push service''s (push_endpoint_not_allowed), and moves to another account only with the same keys (push_endpoint_taken).';
create trigger push_subscriptions_guard before insert or update on public.push_subscriptions
  for each row execute function public.guard_push_subscription();

create function public.cap_push_subscriptions() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Keeps this phone and the 9 others most recently turned on.
  delete from public.push_subscriptions s
   where s.user_id = new.user_id
     and s.id not in (
       select x.id from public.push_subscriptions x
        where x.user_id = new.user_id
        order by (x.id = new.id) desc, x.created_at desc, x.id desc
        limit 10);
  return null;
end;
$$;
comment on function public.cap_push_subscriptions() is
  'Trigger: at most 10 phones per person; turning notifications on for another one turns them off on the phone where they were turned on longest ago.';
create trigger push_subscriptions_cap after insert or update of user_id on public.push_subscriptions
  for each row execute function public.cap_push_subscriptions();

revoke execute on function public.guard_push_subscription(), public.cap_push_subscriptions()
  from anon, authenticated, public;

comment on function public.save_push_subscription(text, text, text) is
  'RPC: registers this phone''s push endpoint and keys for me, taking it over from whoever had it on this phone before only with the same keys (not_signed_in, push_endpoint_not_allowed, push_endpoint_taken; bad keys fail the table''s checks). My 10 most recently turned-on phones are kept.';
