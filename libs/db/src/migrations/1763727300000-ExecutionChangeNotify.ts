import { Kysely, sql } from 'kysely';

/**
 * Channel on which every change of an execution's status, and every chunk of its
 * output, is told as `<execution id> <new status>` or `<execution id> output`.
 */
export const EXECUTION_CHANGES_CHANNEL = 'tempest_executions';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Whoever waits on an execution (GET …/output?wait, `tempest run`, `st2 run`) wakes
  // on this instead of polling, whichever process wrote the change.
  await sql`
    create function tempest_notify_execution_change() returns trigger language plpgsql as $$
    begin
      -- Two branches, not a case: plpgsql resolves every field named in an expression.
      if tg_table_name = 'executions' then
        perform pg_notify('tempest_executions', new.id || ' ' || new.status);
      else
        perform pg_notify('tempest_executions', new.execution_id || ' output');
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger executions_notify after update of status on executions for each row when (old.status is distinct from new.status) execute function tempest_notify_execution_change()`.execute(db);
  await sql`create trigger execution_output_notify after insert on execution_output for each row execute function tempest_notify_execution_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger execution_output_notify on execution_output`.execute(db);
  await sql`drop trigger executions_notify on executions`.execute(db);
  await sql`drop function tempest_notify_execution_change()`.execute(db);
}
