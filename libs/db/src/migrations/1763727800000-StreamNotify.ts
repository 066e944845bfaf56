import { Kysely, sql } from 'kysely';

/**
 * Channel of the event stream (GET /stream/v1/stream): every execution created
 * or updated, told as `execution <create|update> <status> <id>`, every
 * output chunk, as `output <chunk id>`, and every announcement (core.announcement),
 * as `announcement <id>`. Ids only: a notification holds at most
 * 8000 bytes, so each gateway reads the row it is told about.
 */
export const STREAM_CHANNEL = 'tempest_stream';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What the announcement runner published, for each gateway to read when told; kept a day.
  await sql`create table stream_announcements (id bigserial primary key, route text not null, body jsonb not null, created_at timestamptz not null default now())`.execute(db);
  // The status rides along so that each event shows the status of its moment, even when the row has moved on.
  await sql`
    create function tempest_notify_stream() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'executions' then
        perform pg_notify('tempest_stream', 'execution ' || (case when tg_op = 'INSERT' then 'create' else 'update' end) || ' ' || new.status || ' ' || new.id);
      elsif tg_table_name = 'stream_announcements' then
        perform pg_notify('tempest_stream', 'announcement ' || new.id);
      else
        perform pg_notify('tempest_stream', 'output ' || new.id);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger executions_stream_create after insert on executions for each row execute function tempest_notify_stream()`.execute(db);
  await sql`create trigger executions_stream_update after update on executions for each row when (old.* is distinct from new.*) execute function tempest_notify_stream()`.execute(db);
  await sql`create trigger execution_output_stream after insert on execution_output for each row execute function tempest_notify_stream()`.execute(db);
  await sql`create trigger stream_announcements_stream after insert on stream_announcements for each row execute function tempest_notify_stream()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger stream_announcements_stream on stream_announcements`.execute(db);
  await sql`drop trigger execution_output_stream on execution_output`.execute(db);
  await sql`drop trigger executions_stream_update on executions`.execute(db);
  await sql`drop trigger executions_stream_create on executions`.execute(db);
  await sql`drop function tempest_notify_stream()`.execute(db);
  await sql`drop table stream_announcements`.execute(db);
}
