import { sql } from 'kysely';
import type { Database } from '../database';

export interface Announcement {
  id: string;
  route: string;
  body: unknown;
}

/** Announcements for the event stream: written by the announcement runner, read by every gateway when Postgres tells it. */
export class AnnouncementRepository {
  constructor(private readonly db: Database) {}

  /** Records it (each gateway is notified) and forgets those older than a day: the stream shows only what happens while one listens. */
  async create(route: string, body: unknown): Promise<void> {
    await this.db.deleteFrom('stream_announcements').where('created_at', '<', sql<Date>`now() - interval '1 day'`).execute();
    await this.db.insertInto('stream_announcements').values({ route, body: JSON.stringify(body) }).execute();
  }

  getById(id: string): Promise<Announcement | undefined> {
    return this.db.selectFrom('stream_announcements').select(['id', 'route', 'body']).where('id', '=', id).executeTakeFirst();
  }
}
