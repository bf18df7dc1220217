/** What one chaos scenario measured; the assertions and the printed table read it. */
export interface ScenarioResult {
  scenario: string;
  fault: string;
  status: string;
  error: string;
  seconds: number;
  instances: number;
  instancesStarted: number;
  operations: number;
  succeededAtFault: number;
  /** The execution's stored status when the fault struck. */
  statusAtFault: string;
  operationsNeverRun: string[];
  /** Operations that ran more than once (in flight when the fault struck: allowed). */
  ranAgain: number;
  succeededThenRanAgain: string[];
  ranMoreThanThrice: string[];
  events: {
    total: number;
    distinctMessageIds: number;
    withoutMessageId: number;
    workflowSucceeded: number;
    /** Workflow-level events, to show when their count is off. */
    workflow: string[];
    missingSucceeded: string[];
    duplicateSucceeded: string[];
  };
  /** Whether the supervisor started the killed process again (kill scenarios only). */
  restarted: boolean | undefined;
}

export function passed(result: ScenarioResult): boolean {
  const events = result.events;
  return (
    result.status === 'terminated' &&
    result.instancesStarted === result.instances &&
    result.operationsNeverRun.length === 0 &&
    result.succeededThenRanAgain.length === 0 &&
    result.ranMoreThanThrice.length === 0 &&
    result.statusAtFault === 'started' &&
    result.succeededAtFault > 0 &&
    events.missingSucceeded.length === 0 &&
    events.duplicateSucceeded.length === 0 &&
    events.workflowSucceeded === 1 &&
    events.withoutMessageId === 0 &&
    events.distinctMessageIds === events.total &&
    result.restarted !== false
  );
}

/** A plain-text table, one row per scenario. */
export function formatTable(results: ScenarioResult[]): string {
  const header = [
    'scenario',
    'fault',
    'status',
    's',
    'started',
    'ops ran',
    'succeeded@fault',
    'ran again',
    'succeeded ran again',
    'task_succeeded missing/dup',
    'events (unique ids)',
    'restarted',
    'result',
  ];
  const rows = results.map((r) => [
    r.scenario,
    r.fault,
    r.status,
    r.seconds.toFixed(1),
    `${r.instancesStarted}/${r.instances}`,
    `${r.operations - r.operationsNeverRun.length}/${r.operations}`,
    String(r.succeededAtFault),
    String(r.ranAgain),
    String(r.succeededThenRanAgain.length),
    `${r.events.missingSucceeded.length}/${r.events.duplicateSucceeded.length}`,
    `${r.events.total} (${r.events.distinctMessageIds})`,
    r.restarted === undefined ? '-' : r.restarted ? 'yes' : 'NO',
    passed(r) ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i].length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  const errors = results.filter((r) => r.error).map((r) => `${r.scenario}: ${r.error}`);
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...rows.map(line),
    ...errors,
  ].join('\n');
}
