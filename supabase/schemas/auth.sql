-- supabase/schemas/auth.sql: the current definition of every object of the auth capability.
-- Change it together with a new migration that makes the same change; tests/integration/schemas.spec.ts
-- checks that these files and the migrations build the same database.

set check_function_bodies = off;

-- Sign-in throttling counters in the database (issue 20, item 4).
--
-- The app server throttles wrong passwords, wrong codes, emails and sign-ups
-- per client address and per account (src/lib/auth/throttle.server.ts). The
-- counters used to live in each server's memory, so two app servers doubled
-- every limit; here every app server sees the same counts, updated atomically
-- (a row lock per counter).
--
-- Who can do what:
-- - The counters live in the `private` schema, which no API role may use: no
--   one reads or edits them through the API.
-- - The sign-in steps run before a session exists, so the app server calls
--   these functions as `anon`: anyone holding the publishable key can too.
--   So the app server never passes an email or an address: it passes their
--   keyed hashes (HMAC-SHA256 with a key only app servers hold,
--   src/lib/auth/throttle-key.server.ts). A caller without the key cannot
--   name anyone's counter: whatever they count lands on counters no sign-in
--   ever consults, so they can neither lock out an account nor a workshop's
--   shared address. They never read a row or list keys; clearing takes a
--   session (auth_throttle_signed_in).
-- - The subjects are hashed again (sha256) before they are stored: the table
--   holds no email or IP address, keyed or not, in clear. Inputs are capped (an email of at most 320
--   characters, an address of at most 100), each call adds at most three rows,
--   and each call sweeps rows idle for 12 hours (longer than any window or
--   pause), so the table holds only recent activity.
--
-- Owners are never refused their correct credentials by a per-account counter
-- (an attacker elsewhere can trip those): a tripped per-account password
-- counter asks for an emailed code as well (a step-up, `step_up`), a tripped
-- per-account email counter still lets one email a 5 minutes through, and a
-- tripped per-account code counter asks for a new code (`new_code`), after
-- which three tries are allowed per code sent. Per-address counters (one
-- account from one address, one address for any account) refuse as before.

create table private.auth_throttle_rules (
  rule text primary key,
  max_events integer not null check (max_events > 0),
  window_length interval not null check (window_length > interval '0'),
  pause interval not null check (pause > interval '0'),
  max_pause interval not null check (max_pause >= pause)
);
comment on table private.auth_throttle_rules is
  'Sign-in throttling rules: max_events in window_length, then a pause that doubles with each further round up to max_pause (a quiet spell of max_pause forgives earlier rounds). Operators may tune them with SQL.';
revoke all on private.auth_throttle_rules from public, anon, authenticated;

insert into private.auth_throttle_rules (rule, max_events, window_length, pause, max_pause) values
  -- Wrong passwords: one account from one address, one account from anywhere, one address for any account.
  ('password_account_address', 5, '15 minutes', '1 minute', '30 minutes'),
  ('password_account', 30, '60 minutes', '15 minutes', '60 minutes'),
  ('password_address', 60, '15 minutes', '5 minutes', '60 minutes'),
  -- Wrong 6-digit codes.
  ('code_account_address', 5, '60 minutes', '15 minutes', '60 minutes'),
  ('code_account', 20, '60 minutes', '60 minutes', '60 minutes'),
  ('code_address', 60, '15 minutes', '15 minutes', '60 minutes'),
  -- While code_account is paused: tries allowed per code sent since the pause began.
  ('code_account_fresh', 3, '60 minutes', '60 minutes', '60 minutes'),
  -- Emails sent (sign-in codes, sign-up codes again, password resets).
  ('email_account', 5, '15 minutes', '15 minutes', '60 minutes'),
  -- While email_account is paused: still one email per 5 minutes for the account (its owner's way in).
  ('email_account_floor', 1, '5 minutes', '5 minutes', '5 minutes'),
  ('email_address', 30, '15 minutes', '15 minutes', '60 minutes'),
  -- New accounts from one address (a workshop signs up together).
  ('sign_up_address', 40, '60 minutes', '60 minutes', '6 hours');

create table private.auth_throttle (
  rule text not null references private.auth_throttle_rules (rule),
  key bytea not null check (octet_length(key) = 32),
  events integer not null default 0,
  window_start timestamptz not null,
  paused_at timestamptz,
  paused_until timestamptz,
  pauses integer not null default 0,
  last_event timestamptz not null,
  primary key (rule, key)
);
comment on table private.auth_throttle is
  'Sign-in throttling counters, one per rule and hashed subject (sha256 of an account, an address or both); shared by every app server. Rows idle for 12 hours are swept.';
revoke all on private.auth_throttle from public, anon, authenticated;

create index auth_throttle_last_event_idx on private.auth_throttle (last_event);

create function private.auth_throttle_key(p_subject text) returns bytea
language sql immutable set search_path = '' as $$
  select sha256(convert_to(p_subject, 'UTF8'))
$$;
comment on function private.auth_throttle_key(text) is
  'The stored key of a subject: its sha256, so no address is kept in clear.';
revoke execute on function private.auth_throttle_key(text) from public, anon, authenticated;

create function private.auth_throttle_paused_until(p_rule text, p_subject text) returns timestamptz
language sql stable set search_path = '' as $$
  select t.paused_until from private.auth_throttle t
  where t.rule = p_rule and t.key = private.auth_throttle_key(p_subject) and t.paused_until > now()
$$;
comment on function private.auth_throttle_paused_until(text, text) is
  'Until when a counter is paused; null when it is not.';
revoke execute on function private.auth_throttle_paused_until(text, text) from public, anon, authenticated;

create function private.auth_throttle_hit(p_rule text, p_subject text) returns timestamptz
language plpgsql set search_path = '' as $$
declare
  r private.auth_throttle_rules;
  c private.auth_throttle;
  k bytea := private.auth_throttle_key(p_subject);
  t timestamptz := now();
begin
  select * into strict r from private.auth_throttle_rules where rule = p_rule;
  insert into private.auth_throttle (rule, key, window_start, last_event)
  values (p_rule, k, t, t) on conflict (rule, key) do nothing;
  -- The row lock makes concurrent hits from several app servers count one after another.
  select * into strict c from private.auth_throttle where rule = p_rule and key = k for update;
  if t - c.last_event > r.max_pause then c.pauses := 0; end if;
  if t - c.window_start > r.window_length then
    c.events := 0;
    c.window_start := t;
  end if;
  c.events := c.events + 1;
  if c.events >= r.max_events then
    c.paused_at := t;
    c.paused_until := t + least(r.pause * power(2, least(c.pauses, 16)), r.max_pause);
    c.pauses := c.pauses + 1;
    c.events := 0;
    c.window_start := t;
  end if;
  update private.auth_throttle
  set events = c.events, window_start = c.window_start, paused_at = c.paused_at,
      paused_until = c.paused_until, pauses = c.pauses, last_event = t
  where rule = p_rule and key = k;
  return case when c.paused_until > t then c.paused_until end;
end;
$$;
comment on function private.auth_throttle_hit(text, text) is
  'Counts one event on a counter (creating it), pausing it when the rule''s limit is reached; returns until when it is paused, or null.';
revoke execute on function private.auth_throttle_hit(text, text) from public, anon, authenticated;

create function private.auth_throttle_sweep() returns void
language sql set search_path = '' as $$
  delete from private.auth_throttle where ctid in (
    select ctid from private.auth_throttle
    where last_event < now() - interval '12 hours' and coalesce(paused_until, '-infinity') < now()
    limit 50
  )
$$;
comment on function private.auth_throttle_sweep() is
  'Deletes up to 50 counters idle for 12 hours (longer than any window or pause); every counting call runs it, so the table holds recent activity only.';
revoke execute on function private.auth_throttle_sweep() from public, anon, authenticated;

create function private.auth_throttle_subjects(p_email text, p_address text, out account text, out address text)
language plpgsql immutable set search_path = '' as $$
begin
  if length(coalesce(p_email, '')) > 320 or length(coalesce(p_address, '')) > 100 then
    raise exception 'throttle subject too long' using errcode = '22001';
  end if;
  account := 'account ' || lower(btrim(coalesce(p_email, '')));
  address := 'address ' || coalesce(p_address, '');
end;
$$;
comment on function private.auth_throttle_subjects(text, text) is
  'The subjects counted for an account and a client address (length-checked; prefixed so that an address never names an account).';
revoke execute on function private.auth_throttle_subjects(text, text) from public, anon, authenticated;

create function private.auth_throttle_ms(p_until timestamptz) returns integer
language sql stable set search_path = '' as $$
  select coalesce(greatest(0, ceil(extract(epoch from (p_until - now())) * 1000))::integer, 0)
$$;
comment on function private.auth_throttle_ms(timestamptz) is
  'Milliseconds from now until a time (0 for null or past).';
revoke execute on function private.auth_throttle_ms(timestamptz) from public, anon, authenticated;

create function public.auth_throttle_check(p_step text, p_email text, p_address text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  s record;
  account_paused timestamptz;
  fresh private.auth_throttle;
begin
  select * into s from private.auth_throttle_subjects(p_email, p_address);
  if p_step = 'password' then
    return jsonb_build_object(
      'wait_ms', private.auth_throttle_ms(greatest(
        private.auth_throttle_paused_until('password_account_address', s.account || ' ' || s.address),
        private.auth_throttle_paused_until('password_address', s.address))),
      'step_up', private.auth_throttle_paused_until('password_account', s.account) is not null,
      'new_code', false);
  elsif p_step = 'code' then
    select t.paused_at into account_paused from private.auth_throttle t
    where t.rule = 'code_account' and t.key = private.auth_throttle_key(s.account) and t.paused_until > now();
    if account_paused is not null then
      select * into fresh from private.auth_throttle t
      where t.rule = 'code_account_fresh' and t.key = private.auth_throttle_key(s.account);
    end if;
    return jsonb_build_object(
      'wait_ms', private.auth_throttle_ms(greatest(
        private.auth_throttle_paused_until('code_account_address', s.account || ' ' || s.address),
        private.auth_throttle_paused_until('code_address', s.address))),
      'step_up', false,
      -- Paused for the account: only a code sent since then, and only three tries at it.
      'new_code', account_paused is not null and not coalesce(
        fresh.window_start >= account_paused and fresh.events < 3
          and coalesce(fresh.paused_until, '-infinity') <= now(), false));
  elsif p_step = 'email' then
    -- What auth_throttle_take would answer, without taking the slot.
    return jsonb_build_object(
      'wait_ms', private.auth_throttle_ms(greatest(
        private.auth_throttle_paused_until('email_address', s.address),
        case when private.auth_throttle_paused_until('email_account', s.account) is not null
          then private.auth_throttle_paused_until('email_account_floor', s.account) end)),
      'step_up', false,
      'new_code', false);
  end if;
  raise exception 'unknown throttle step' using errcode = '22023';
end;
$$;
comment on function public.auth_throttle_check(text, text, text) is
  'RPC (sign-in forms, before a session): would a password, code or email step for this email from this address wait? Returns wait_ms (a per-address counter is paused), step_up (the account''s password counter is paused: finish with an emailed code) and new_code (the account''s code counter is paused: ask for a new code). Reads nothing else.';
revoke execute on function public.auth_throttle_check(text, text, text) from public, anon, authenticated;
grant execute on function public.auth_throttle_check(text, text, text) to anon, authenticated;

create function public.auth_throttle_take(p_step text, p_email text, p_address text) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  s record;
  wait timestamptz;
begin
  select * into s from private.auth_throttle_subjects(p_email, p_address);
  perform private.auth_throttle_sweep();
  if p_step = 'sign_up' then
    wait := private.auth_throttle_paused_until('sign_up_address', s.address);
    if wait is null then perform private.auth_throttle_hit('sign_up_address', s.address); end if;
    return private.auth_throttle_ms(wait);
  elsif p_step = 'email' then
    wait := private.auth_throttle_paused_until('email_address', s.address);
    if wait is not null then return private.auth_throttle_ms(wait); end if;
    if private.auth_throttle_paused_until('email_account', s.account) is not null then
      -- The owner's way in: an attacker spamming requests cannot hold every email back.
      wait := private.auth_throttle_paused_until('email_account_floor', s.account);
      if wait is not null then return private.auth_throttle_ms(wait); end if;
      perform private.auth_throttle_hit('email_account_floor', s.account);
    else
      perform private.auth_throttle_hit('email_account', s.account);
    end if;
    perform private.auth_throttle_hit('email_address', s.address);
    -- A new code was sent: it gets its own three tries (see auth_throttle_check).
    insert into private.auth_throttle (rule, key, window_start, last_event)
    values ('code_account_fresh', private.auth_throttle_key(s.account), now(), now())
    on conflict (rule, key) do update
      set events = 0, window_start = now(), last_event = now(), paused_at = null, paused_until = null;
    return 0;
  end if;
  raise exception 'unknown throttle step' using errcode = '22023';
end;
$$;
comment on function public.auth_throttle_take(text, text, text) is
  'RPC (sign-in forms, before a session): takes a slot to send an email to an account (step email) or to create an account (step sign_up) from an address, atomically. Returns 0 when taken (counted), else the milliseconds to wait. A paused account still gets one email every 5 minutes.';
revoke execute on function public.auth_throttle_take(text, text, text) from public, anon, authenticated;
grant execute on function public.auth_throttle_take(text, text, text) to anon, authenticated;

create function public.auth_throttle_failed(p_step text, p_email text, p_address text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  s record;
  prefix text;
begin
  if p_step not in ('password', 'code') then
    raise exception 'unknown throttle step' using errcode = '22023';
  end if;
  select * into s from private.auth_throttle_subjects(p_email, p_address);
  perform private.auth_throttle_sweep();
  prefix := p_step;
  if p_step = 'code' and private.auth_throttle_paused_until('code_account', s.account) is not null then
    update private.auth_throttle set events = events + 1, last_event = now()
    where rule = 'code_account_fresh' and key = private.auth_throttle_key(s.account);
  end if;
  perform private.auth_throttle_hit(prefix || '_account_address', s.account || ' ' || s.address);
  perform private.auth_throttle_hit(prefix || '_account', s.account);
  perform private.auth_throttle_hit(prefix || '_address', s.address);
end;
$$;
comment on function public.auth_throttle_failed(text, text, text) is
  'RPC (sign-in forms, before a session): counts one wrong password or wrong code for this email from this address (per account and address, per account, per address).';
revoke execute on function public.auth_throttle_failed(text, text, text) from public, anon, authenticated;
grant execute on function public.auth_throttle_failed(text, text, text) to anon, authenticated;

create function public.auth_throttle_signed_in(p_email text, p_address text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  s record;
begin
  if auth.uid() is null then
    raise exception 'not signed in' using errcode = '42501';
  end if;
  select * into s from private.auth_throttle_subjects(p_email, p_address);
  -- Only the caller's own account from this address: one good password does not
  -- excuse a spray from the address, nor guesses at the account from elsewhere.
  delete from private.auth_throttle
  where rule in ('password_account_address', 'code_account_address')
    and key = private.auth_throttle_key(s.account || ' ' || s.address);
end;
$$;
comment on function public.auth_throttle_signed_in(text, text) is
  'RPC (right after a successful sign-in, as the person): forgives the failures counted for the account from this address (both given as the app server''s keyed hashes).';
revoke execute on function public.auth_throttle_signed_in(text, text) from public, anon, authenticated;
grant execute on function public.auth_throttle_signed_in(text, text) to authenticated;

-- Phone sign-in (issue 22, part 1): limits on the codes sent by SMS, per number, per client address and
-- per block of 10,000 numbers (SMS pumping walks through ranges), and on wrong codes per block. The app
-- passes keyed hashes, as for email; a paused number still gets one code every 15 minutes.
insert into private.auth_throttle_rules (rule, max_events, window_length, pause, max_pause) values
  -- Codes sent to one number (Supabase Auth adds its own one a minute).
  ('sms_number', 5, '60 minutes', '60 minutes', '6 hours'),
  -- While sms_number is paused: still one code per 15 minutes to the number (its owner's way in).
  ('sms_number_floor', 1, '15 minutes', '15 minutes', '15 minutes'),
  -- Codes sent from one address to any numbers (a workshop signs up together on one Wi-Fi).
  ('sms_address', 30, '60 minutes', '60 minutes', '24 hours'),
  -- Codes sent to one block of 10,000 numbers.
  ('sms_prefix', 10, '60 minutes', '60 minutes', '24 hours'),
  -- Wrong codes for numbers of one block (per number and per address: the code_* rules).
  ('code_prefix', 30, '60 minutes', '60 minutes', '24 hours');

create function private.auth_throttle_block(p_block text) returns text
language plpgsql immutable set search_path = '' as $$
begin
  if length(coalesce(p_block, '')) > 100 then
    raise exception 'throttle subject too long' using errcode = '22001';
  end if;
  return 'prefix ' || coalesce(p_block, '');
end;
$$;
comment on function private.auth_throttle_block(text) is
  'The subject counted for a block of phone numbers (length-checked; prefixed so that it never names an account or an address).';

create function public.auth_throttle_sms_take(p_number text, p_block text, p_address text) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  s record;
  b text := private.auth_throttle_block(p_block);
  wait timestamptz;
begin
  select * into s from private.auth_throttle_subjects(p_number, p_address);
  perform private.auth_throttle_sweep();
  wait := greatest(private.auth_throttle_paused_until('sms_address', s.address),
                   private.auth_throttle_paused_until('sms_prefix', b));
  if wait is not null then return private.auth_throttle_ms(wait); end if;
  if private.auth_throttle_paused_until('sms_number', s.account) is not null then
    -- The owner's way in: a stranger asking for codes cannot hold every code back.
    wait := private.auth_throttle_paused_until('sms_number_floor', s.account);
    if wait is not null then return private.auth_throttle_ms(wait); end if;
    perform private.auth_throttle_hit('sms_number_floor', s.account);
  else
    perform private.auth_throttle_hit('sms_number', s.account);
  end if;
  perform private.auth_throttle_hit('sms_address', s.address);
  perform private.auth_throttle_hit('sms_prefix', b);
  -- A new code was sent: it gets its own three tries (see auth_throttle_check, step code).
  insert into private.auth_throttle (rule, key, window_start, last_event)
  values ('code_account_fresh', private.auth_throttle_key(s.account), now(), now())
  on conflict (rule, key) do update
    set events = 0, window_start = now(), last_event = now(), paused_at = null, paused_until = null;
  return 0;
end;
$$;
comment on function public.auth_throttle_sms_take(text, text, text) is
  'RPC (phone sign-in and sign-up forms, before a session): takes a slot to send a code by SMS to a number (given with its block of numbers and the client address, all as the app server''s keyed hashes), atomically. Returns 0 when taken (counted per number, address and block), else the milliseconds to wait. A paused number still gets one code every 15 minutes.';

create function public.auth_throttle_sms_check(p_number text, p_block text, p_address text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  gate jsonb := public.auth_throttle_check('code', p_number, p_address);
  prefix_wait integer := private.auth_throttle_ms(
    private.auth_throttle_paused_until('code_prefix', private.auth_throttle_block(p_block)));
begin
  return jsonb_set(gate, '{wait_ms}', to_jsonb(greatest((gate ->> 'wait_ms')::integer, prefix_wait)));
end;
$$;
comment on function public.auth_throttle_sms_check(text, text, text) is
  'RPC (phone code form, before a session): would trying an SMS code for this number from this address wait? auth_throttle_check''s answer for step code, with the wait of the number''s block of numbers as well.';

create function public.auth_throttle_sms_failed(p_number text, p_block text, p_address text) returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform public.auth_throttle_failed('code', p_number, p_address);
  perform private.auth_throttle_hit('code_prefix', private.auth_throttle_block(p_block));
end;
$$;
comment on function public.auth_throttle_sms_failed(text, text, text) is
  'RPC (phone code form, before a session): counts one wrong SMS code for this number (per number and address, per number, per address, as auth_throttle_failed) and for its block of numbers.';

revoke execute on function private.auth_throttle_block(text) from public, anon, authenticated;
revoke execute on function
  public.auth_throttle_sms_take(text, text, text), public.auth_throttle_sms_check(text, text, text),
  public.auth_throttle_sms_failed(text, text, text)
from public, anon, authenticated;
grant execute on function
  public.auth_throttle_sms_take(text, text, text), public.auth_throttle_sms_check(text, text, text),
  public.auth_throttle_sms_failed(text, text, text)
to anon, authenticated;
