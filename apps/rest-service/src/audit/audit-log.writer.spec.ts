import { Logger } from '@nestjs/common';
import { loadConfig } from '@nestify/config';
import { AuditLogRepository, NewAuditLogEntry } from './audit-log.repository';
import { AuditLogWriter } from './audit-log.writer';

function entry(path: string): NewAuditLogEntry {
  return {
    createdAt: new Date(),
    username: 'admin',
    tenantName: 'default_tenant',
    method: 'POST',
    path,
    status: 200,
    requestId: path,
    ip: '127.0.0.1',
  };
}

/** A repository fake that records each INSERT's rows; `failNext` makes one write fail. */
class RecordingRepository {
  readonly inserts: NewAuditLogEntry[][] = [];
  failNext = false;
  async insertMany(rows: NewAuditLogEntry[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database down');
    }
    this.inserts.push(rows);
  }
}

function writerWith(repository: RecordingRepository, batchSize: number, latencyMs = 60_000) {
  const config = loadConfig({
    AUDIT_BATCH_SIZE: String(batchSize),
    AUDIT_BATCH_LATENCY_MS: String(latencyMs),
  });
  return new AuditLogWriter(repository as unknown as AuditLogRepository, config);
}

describe('AuditLogWriter', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  it('writes full batches in one INSERT each, not one per request', async () => {
    const repository = new RecordingRepository();
    const writer = writerWith(repository, 3);
    for (let i = 0; i < 7; i++) writer.add(entry(`/r${i}`));
    await writer.flush();
    expect(repository.inserts.map((rows) => rows.length)).toEqual([3, 3, 1]);
    await writer.beforeApplicationShutdown();
  });

  it('writes a partial batch once its latency has passed', async () => {
    const repository = new RecordingRepository();
    const writer = writerWith(repository, 100, 10);
    writer.add(entry('/a'));
    writer.add(entry('/b'));
    expect(repository.inserts).toEqual([]);
    const deadline = Date.now() + 5000;
    while (repository.inserts.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(repository.inserts.map((rows) => rows.map((row) => row.path))).toEqual([['/a', '/b']]);
    await writer.beforeApplicationShutdown();
  });

  it('keeps a failed batch and writes it with the next flush, and at shutdown', async () => {
    const repository = new RecordingRepository();
    const writer = writerWith(repository, 100);
    writer.add(entry('/a'));
    repository.failNext = true;
    await writer.flush();
    expect(repository.inserts).toEqual([]);
    writer.add(entry('/b'));
    await writer.beforeApplicationShutdown();
    expect(repository.inserts.map((rows) => rows.map((row) => row.path))).toEqual([['/a', '/b']]);
  });
});
