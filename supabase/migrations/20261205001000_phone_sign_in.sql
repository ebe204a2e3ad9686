-- Phone sign-in (issue 22, part 1): limits on the codes sent by SMS.
--
-- Each SMS costs money, and phone codes attract SMS pumping: someone asks for
-- codes to numbers they are paid for (premium ranges), one after another,
-- often from many addresses. The app server (src/lib/auth/throttle.server.ts)
-- takes a slot here before every code it asks Supabase Auth to send, per
-- number, per client address and per block of numbers (the calling code and
-- national number without its last four digits: 10,000 numbers, the ranges
-- pumping walks through), and counts wrong codes per number, address and
-- block. Only the countries in SMS_COUNTRIES are ever sent to (checked by the
-- app before it comes here).
--
-- As for email (20261205000200_auth_throttle.sql): the app passes keyed
-- hashes (HMAC with a key only app servers hold) of the number, the block and
-- the address, never the values; the counters and rules stay in `private`;
-- a number's owner is never locked out by a stranger asking for codes to it:
-- when the number's counter is paused, one code per 15 minutes still goes.
-- The per-address and per-block counters refuse.

-- capability: auth
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
