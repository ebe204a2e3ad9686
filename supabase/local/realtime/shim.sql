-- The `realtime` schema objects hosted Supabase has (from the tenant migrations
-- of supabase/realtime), recreated for the local stack only, so that migrations and RLS
-- policies on realtime.messages work the same locally. Never put this in
-- supabase/migrations: hosted projects already have all of it.
-- Idempotent: it runs at every start, right after platform-shim.sql.
--
-- Differences from hosted, on purpose:
--   * realtime.messages is one plain table, not partitioned by day, and the local
--     server deletes rows older than 3 days (hosted drops old partitions).
--   * Hosted streams committed inserts to Realtime by logical replication, here an
--     AFTER INSERT trigger NOTIFYs the local server (delivered at commit, never for
--     rolled-back rows, like replication).
--   * The postgres_changes objects (realtime.subscription, wal2json helpers) are absent.
-- Like hosted, realtime.send and realtime.broadcast_changes run with the rights of
-- the caller (not security definer): called by a role under RLS, the insert into
-- realtime.messages needs an INSERT policy, or a security definer trigger function.

create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role;

create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at),
  constraint messages_payload_exclusive check (payload is null or binary_payload is null)
);
create index if not exists messages_inserted_at_topic_index
  on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;

-- The channel being authorized, for RLS policies: set by the Realtime server (and by
-- realtime.send for its own insert).
create or replace function realtime.topic() returns text
language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;

create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
set search_path = ''
as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    -- Hosted adds the message id to the payload unless it has one.
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    execute format('SET LOCAL realtime.topic TO %L', topic);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      -- As hosted: a refused or failed send never fails the statement of the caller.
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

create or replace function realtime.send(payload bytea, event text, topic text, private boolean default true)
returns void
language plpgsql
set search_path = ''
as $$
declare
  generated_id uuid;
begin
  begin
    generated_id := gen_random_uuid();
    execute format('SET LOCAL realtime.topic TO %L', topic);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (generated_id, payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

create or replace function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void
language sql
set search_path = ''
as $$
  select realtime.send(payload, event, topic, private);
$$;

create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  row_data jsonb := '{}'::jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation = 'INSERT' or operation = 'UPDATE' or operation = 'DELETE' then
    row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                                   'table', table_name, 'schema', table_schema);
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
exception
  when others then
    raise exception 'Failed to process the row: %', sqlerrm;
end;
$$;

-- Local only: tell the Realtime server about a committed message. Small payloads ride
-- along (NOTIFY carries at most 8000 bytes), the server reads larger ones by id.
create or replace function realtime.local_notify_message() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  note text;
begin
  note := json_build_object('id', new.id, 'topic', new.topic, 'event', new.event,
                            'private', coalesce(new.private, false), 'payload', new.payload)::text;
  if new.binary_payload is not null or octet_length(note) > 7000 then
    note := json_build_object('id', new.id, 'topic', new.topic, 'event', new.event,
                              'private', coalesce(new.private, false), 'fetch', true)::text;
  end if;
  perform pg_notify('realtime_local_messages', note);
  return null;
end;
$$;

-- As with replication on hosted: only rows with an event and a payload are broadcast
-- (the authorization probes of the server have neither, and are rolled back anyway).
create or replace trigger local_notify_message
  after insert on realtime.messages
  for each row
  when (new.event is not null and (new.payload is not null or new.binary_payload is not null))
  execute function realtime.local_notify_message();
