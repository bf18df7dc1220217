import request from 'supertest';
import { DataSource } from 'typeorm';
import { Event, Execution, ExecutionStatus, Log, Tenant } from '@nestify/model';
import { EventNotificationsService } from '../../apps/rest-service/src/events/stream/event-notifications.service';
import { Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** A minimal SSE client over fetch: collects messages until the server ends the body. */
class SseClient {
  readonly messages: SseMessage[] = [];
  ended = false;
  private readonly abort = new AbortController();

  constructor(
    readonly status: number,
    body: ReadableStream<Uint8Array> | null,
  ) {
    void this.read(body);
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    const client = new SseClient(response.status, response.ok ? response.body : null);
    client.abort.signal.addEventListener('abort', () => controller.abort());
    if (!response.ok) {
      client.ended = true;
      client.messages.push({ event: 'error', data: await response.text() });
    }
    return client;
  }

  /** Waits (with a deadline) until `count` messages have arrived. */
  async waitFor(count: number, timeoutMs = 15000): Promise<SseMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline || (this.ended && this.messages.length < count)) {
        throw new Error(`got ${this.messages.length} of ${count} messages`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.messages.slice(0, count);
  }

  async waitForEnd(timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
  }

  private parse(block: string): void {
    const message: SseMessage = { event: 'message', data: '' };
    let hasData = false;
    for (const line of block.split('\n')) {
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
      else if (field === 'data') {
        message.data += value;
        hasData = true;
      }
    }
    if (hasData) this.messages.push(message);
  }
}

const messageOf = (m: SseMessage) => (JSON.parse(m.data) as { message: string }).message;

/** GET /events/stream over real HTTP, fed by rows in real PostgreSQL and the bridge's NOTIFY. */
describe('events stream (SSE)', () => {
  let rest: RestTestApp | undefined;
  let dataSource: DataSource;
  let f: Fixtures;
  let clock = 0;
  const open: SseClient[] = [];
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const bob = basic('bob', 'bob-pw');

  const url = (query: string) => `${rest?.baseUrl}/api/v3.1/events/stream${query}`;
  const stream = async (executionId: string, headers: Record<string, string> = {}) => {
    const client = await SseClient.open(url(`?execution_id=${executionId}`), {
      Authorization: admin,
      Tenant: 'default_tenant',
      ...headers,
    });
    open.push(client);
    return client;
  };
  /** Timestamps one second apart, so the merge order of the two tables is known. */
  const nextTime = () => new Date(Date.UTC(2026, 0, 1, 0, 0, (clock += 1)));
  const notify = (execution: Execution, events: number | null, logs: number | null) =>
    dataSource.query(`SELECT pg_notify('nestify_events', $1)`, [
      JSON.stringify({ execution_id: execution.id, tenant_id: execution.tenantId, events, logs }),
    ]);
  const addEvent = async (
    execution: Execution,
    message: string,
    eventType = 'workflow_node_event',
  ) => {
    const repository = dataSource.getRepository(Event);
    const row = await repository.save(
      repository.create({
        tenantId: execution.tenantId,
        creatorId: 0,
        executionFk: execution.storageId,
        timestamp: nextTime(),
        reportedTimestamp: new Date(),
        eventType,
        message,
      }),
    );
    await notify(execution, row.storageId, null);
  };
  const addLog = async (execution: Execution, message: string) => {
    const repository = dataSource.getRepository(Log);
    const row = await repository.save(
      repository.create({
        tenantId: execution.tenantId,
        creatorId: 0,
        executionFk: execution.storageId,
        timestamp: nextTime(),
        reportedTimestamp: new Date(),
        logger: 'ctx',
        level: 'info',
        message,
      }),
    );
    await notify(execution, null, row.storageId);
  };
  const setStatus = (execution: Execution, status: ExecutionStatus) =>
    dataSource.getRepository(Execution).update({ storageId: execution.storageId }, { status });

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    f = new Fixtures(dataSource.manager);
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
  });

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('delivers a NOTIFY of the bridge to the listener, naming the execution', async () => {
    const execution = await f.execution();
    const notifications = rest!.app.get(EventNotificationsService);
    const seen: Array<string | undefined> = [];
    const unsubscribe = notifications.subscribe((id) => seen.push(id));
    try {
      const deadline = Date.now() + 10000;
      // The listener connects in the background at start-up: notify until it hears one.
      while (!seen.includes(execution.id)) {
        if (Date.now() > deadline) throw new Error(`no notification; saw ${seen.join(',')}`);
        await notify(execution, 1, null);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      unsubscribe();
    }
  });

  it('sends stored and newly stored events and logs in order, as GET /events items', async () => {
    const execution = await f.execution();
    await setStatus(execution, ExecutionStatus.Started);
    await addEvent(execution, 'first', 'workflow_started');
    await addLog(execution, 'second');
    const client = await stream(execution.id);
    expect(client.status).toBe(200);
    await client.waitFor(2);
    await addLog(execution, 'third');
    await addEvent(execution, 'fourth');
    const messages = await client.waitFor(4);
    expect(messages.map(messageOf)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(messages.every((m) => m.event === 'message')).toBe(true);
    const listed = await request(rest!.baseUrl)
      .get(`/api/v3.1/events?execution_id=${execution.id}`)
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .expect(200);
    expect(messages.map((m) => JSON.parse(m.data))).toEqual(listed.body.items);
    // Ids only grow: each names the position after its row.
    const ids = messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(4);
    expect(client.ended).toBe(false);
  });

  it('resumes after a Last-Event-ID (header or query) with only the later rows', async () => {
    const execution = await f.execution();
    await setStatus(execution, ExecutionStatus.Started);
    for (const text of ['a', 'b']) await addEvent(execution, text);
    await addLog(execution, 'c');
    await addEvent(execution, 'd');
    const first = await stream(execution.id);
    const all = await first.waitFor(4);
    first.close();
    const resumed = await stream(execution.id, { 'Last-Event-ID': all[1].id! });
    await addLog(execution, 'e');
    expect((await resumed.waitFor(3)).map(messageOf)).toEqual(['c', 'd', 'e']);
    const byQuery = await SseClient.open(
      url(`?execution_id=${execution.id}&last_event_id=${encodeURIComponent(all[3].id!)}`),
      { Authorization: admin, Tenant: 'default_tenant' },
    );
    open.push(byQuery);
    expect((await byQuery.waitFor(1)).map(messageOf)).toEqual(['e']);
  });

  it('ends with an end event once the execution is over and its last event is sent', async () => {
    const execution = await f.execution();
    await setStatus(execution, ExecutionStatus.Started);
    await addEvent(execution, 'working');
    const client = await stream(execution.id);
    await client.waitFor(1);
    await setStatus(execution, ExecutionStatus.Failed);
    await addEvent(execution, "'install' workflow execution failed", 'workflow_failed');
    await client.waitForEnd();
    const [, last, end] = client.messages;
    expect(messageOf(last)).toBe("'install' workflow execution failed");
    expect(end.event).toBe('end');
    expect(JSON.parse(end.data)).toEqual({ execution_id: execution.id, status: 'failed' });
    expect(end.id).toBe(last.id);
  });

  it('ends at once for a finished execution whose events are all sent', async () => {
    const execution = await f.execution();
    await addEvent(execution, 'done', 'workflow_succeeded');
    await setStatus(execution, ExecutionStatus.Terminated);
    const client = await stream(execution.id);
    await client.waitForEnd();
    expect(client.messages.map((m) => m.event)).toEqual(['message', 'end']);
  });

  it("answers 404 for another tenant's execution and 400 without execution_id", async () => {
    const tenantB = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_b' });
    const other = await f.execution(null, { tenantId: tenantB.id });
    const mine = await f.execution();
    const asAdmin = await stream(other.id);
    expect(asAdmin.status).toBe(404);
    expect(JSON.parse(asAdmin.messages[0].data)).toMatchObject({ error_code: 'not_found_error' });
    const asBob = await stream(mine.id, { Authorization: bob, Tenant: 'tenant_b' });
    expect(asBob.status).toBe(404);
    const wrongTenant = await stream(mine.id, { Authorization: bob, Tenant: 'default_tenant' });
    expect(wrongTenant.status).toBe(403);
    const noCredentials = await SseClient.open(url(`?execution_id=${mine.id}`), {});
    expect(noCredentials.status).toBe(401);
    const missing = await SseClient.open(url(''), {
      Authorization: admin,
      Tenant: 'default_tenant',
    });
    expect(missing.status).toBe(400);
    const badId = await stream(mine.id, { 'Last-Event-ID': 'nope' });
    expect(badId.status).toBe(400);
  });

  it('closes open streams when the app shuts down', async () => {
    const execution = await f.execution();
    await setStatus(execution, ExecutionStatus.Started);
    const client = await stream(execution.id);
    await addEvent(execution, 'still running');
    await client.waitFor(1);
    const app = rest!;
    rest = undefined;
    await app.close();
    await client.waitForEnd();
    expect(client.messages.map((m) => m.event)).toEqual(['message']);
  });
});
