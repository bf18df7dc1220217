import type { Execution } from '@nestify/client';
import { errorLine } from './execution-follower';
import { ProgressView } from './progress';

const execution = (finished: number, total: number) =>
  ({
    id: 'e1',
    workflow_id: 'install',
    status: 'started',
    finished_operations: finished,
    total_operations: total,
  }) as Execution;

describe('ProgressView', () => {
  it('draws a bar in place on a terminal and keeps event lines above it', () => {
    const out: string[] = [];
    const view = new ProgressView(true, false, (text) => out.push(text));
    view.update(execution(1, 4));
    view.line('an event');
    expect(out.join('')).toBe(
      `${'█'.repeat(8)}${'░'.repeat(22)} 1/4 operations  install started` +
        `\r\x1b[2Kan event\n${'█'.repeat(8)}${'░'.repeat(22)} 1/4 operations  install started`,
    );
  });

  it('prints plain progress lines, not too often, without a terminal', () => {
    const out: string[] = [];
    const view = new ProgressView(false, false, (text) => out.push(text));
    view.update(execution(1, 4));
    view.update(execution(2, 4));
    view.line('an event');
    expect(out).toEqual(['progress: install started: 1/4 operations\n', 'an event\n']);
  });
});

describe('errorLine', () => {
  it('keeps the summary of an execution error, not its traceback', () => {
    expect(
      errorLine(
        '2 operation errors:\na: X `m1`\nb: Y `m2`\nTraceback of a (most recent call last):\n  at f',
      ),
    ).toBe('2 operation errors: a: X `m1` b: Y `m2`');
    expect(errorLine('Traceback (most recent call last):\n  File x\nValueError: bad')).toBe(
      'ValueError: bad',
    );
  });
});
