import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Execution, NestifyClient } from '@nestify/client';
import { CliExit } from '../exit-codes';
import { ExecutionFollower } from './execution-follower';

const event = (message: string, second: number) => ({
  type: 'cloudify_event',
  timestamp: `2026-01-01T00:00:0${second}.000Z`,
  message,
  event_type: 'workflow_node_event',
  deployment_id: 'd',
  node_instance_id: null,
  operation: null,
});

/**
 * A stand-in manager over real HTTP whose event stream is unavailable (503): the follower must
 * fall back to polling GET /events, print each event once, and end with the execution.
 */
function fakeManager(finalStatus: string): Server {
  let polls = 0;
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/api/v3.1/events/stream') {
      res.statusCode = 503;
      return res.end(JSON.stringify({ message: 'no stream', error_code: 'unavailable' }));
    }
    if (url.pathname === '/api/v3.1/events') {
      const all = polls > 2 ? [event('one', 1), event('two', 2)] : [event('one', 1)];
      const items = all.slice(Number(url.searchParams.get('_offset') ?? 0));
      return res.end(JSON.stringify({ items, metadata: { pagination: { total: all.length } } }));
    }
    polls += 1;
    const ended = polls > 4;
    res.end(
      JSON.stringify({
        id: 'e1',
        workflow_id: 'install',
        status: ended ? finalStatus : 'started',
        error: ended && finalStatus === 'failed' ? 'Task failed: boom\nTraceback of x:\n at y' : '',
        total_operations: 2,
        finished_operations: ended ? 2 : 1,
      }),
    );
  });
}

describe('ExecutionFollower', () => {
  let server: Server;

  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });

  async function follow(finalStatus: string): Promise<{ out: string; result: unknown }> {
    server = fakeManager(finalStatus).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = new NestifyClient({ url: `http://127.0.0.1:${port}` });
    let out = '';
    const follower = new ExecutionFollower(client, {
      tty: false,
      write: (text) => (out += text),
    });
    const result = await follower
      .follow({ id: 'e1', status: 'pending' } as Execution)
      .catch((error: unknown) => error);
    return { out, result };
  }

  it('polls events when the stream is unavailable and ends with the execution', async () => {
    const { out, result } = await follow('terminated');
    expect(result).toMatchObject({ id: 'e1', status: 'terminated' });
    const lines = out.trim().split('\n');
    expect(lines.filter((line) => line.endsWith(' one'))).toHaveLength(1);
    expect(lines.filter((line) => line.endsWith(' two'))).toHaveLength(1);
    expect(lines[lines.length - 1]).toBe('Execution e1 (install) terminated: 2/2 operations');
  }, 20_000);

  it('throws a one-line CliExit when the execution failed', async () => {
    const { result } = await follow('failed');
    expect(result).toBeInstanceOf(CliExit);
    expect(result).toMatchObject({
      exitCode: 1,
      message: 'execution e1 (install) failed: Task failed: boom',
    });
  }, 20_000);
});
