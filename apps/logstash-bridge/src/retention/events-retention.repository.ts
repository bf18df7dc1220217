import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Arbitrary key of the advisory lock that lets one bridge replica purge at a time. */
const PURGE_LOCK_KEY = 7_400_173;

/** Deleting old events and logs in small transactions. */
@Injectable()
export class EventsRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Deletes up to `limit` rows of `table` stored before `before`, in one short transaction.
   * Returns null when another replica holds the purge lock (it is doing the same work).
   */
  async deleteChunk(table: 'events' | 'logs', before: Date, limit: number): Promise<number | null> {
    return this.dataSource.transaction(async (em) => {
      const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [
        PURGE_LOCK_KEY,
      ]);
      if (!locked) return null;
      const [, count] = await em.query(
        `DELETE FROM ${table} WHERE _storage_id IN (
           SELECT _storage_id FROM ${table} WHERE reported_timestamp < $1 LIMIT $2)`,
        [before, limit],
      );
      return Number(count);
    });
  }
}
