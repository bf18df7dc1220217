import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { Event, Execution, ExecutionStatus } from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';
import { nestify, startNestify, waitFor } from './local-cli';

jest.setTimeout(120_000);

/** `nestify events tail` against the REST service over real HTTP, on real PostgreSQL. */
describe('nestify events tail', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let f: Fixtures;
  let second = 0;

  const tailArgs = (executionId: string, ...extra: string[]) => [
    'events',
    'tail',
    executionId,
    '--url',
    rest.baseUrl,
    '--user',
    'admin',
    '--password',
    TEST_ADMIN_PASSWORD,
    ...extra,
  ];
  /** Stores an event and NOTIFYs as logstash-bridge does after a batch. */
  const addEvent = async (execution: Execution, message: string, eventType: string) => {
    const repository = dataSource.getRepository(Event);
    const row = await repository.save(
      repository.create({
        tenantId: execution.tenantId,
        creatorId: 0,
        executionFk: execution.storageId,
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, (second += 1))),
        reportedTimestamp: new Date(),
        eventType,
        message,
      }),
    );
    await dataSource.query(`SELECT pg_notify('nestify_events', $1)`, [
      JSON.stringify({
        execution_id: execution.id,
        tenant_id: execution.tenantId,
        events: row.storageId,
        logs: null,
      }),
    ]);
  };
  const setStatus = (execution: Execution, status: ExecutionStatus) =>
    dataSource.getRepository(Execution).update({ storageId: execution.storageId }, { status });

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    f = new Fixtures(dataSource.manager);
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('prints each event as it is stored and exits 0 when the execution terminates', async () => {
    const execution = await f.execution(undefined, undefined);
    await setStatus(execution, ExecutionStatus.Started);
    await addEvent(execution, "Starting 'install' workflow execution", 'workflow_started');
    const cli = startNestify(tmpdir(), ...tailArgs(execution.id));
    await waitFor(() => cli.stdout().includes('Starting'), 'the first event');
    await addEvent(execution, 'creating the vm', 'workflow_node_event');
    await setStatus(execution, ExecutionStatus.Terminated);
    await addEvent(execution, "'install' workflow execution succeeded", 'workflow_succeeded');
    const result = await cli.done;
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^2026-01-01 00:00:0\d\.000 {2}CFY <dep-\S+> Starting 'install'/);
    expect(lines[1]).toMatch(/creating the vm$/);
    expect(lines[2]).toMatch(/'install' workflow execution succeeded$/);
  });

  it('exits 1 for a failed execution and prints JSON items with --json', async () => {
    const execution = await f.execution();
    await addEvent(execution, "'install' workflow execution failed", 'workflow_failed');
    await setStatus(execution, ExecutionStatus.Failed);
    const result = await nestify(tmpdir(), ...tailArgs(execution.id, '--json'));
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      type: 'cloudify_event',
      event_type: 'workflow_failed',
      execution_id: execution.id,
    });
  });

  it('exits 3 with the reason when the manager refuses', async () => {
    const result = await nestify(tmpdir(), ...tailArgs('00000000-0000-4000-8000-000000000000'));
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(
      /404: Requested `Execution` with ID `00000000-0000-4000-8000-000000000000` was not found/,
    );
  });
});
