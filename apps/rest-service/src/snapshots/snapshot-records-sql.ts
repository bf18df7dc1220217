import type { PortableExecution, PortableSnapshot } from './snapshots.repository';

/**
 * SQL that puts the live manager's snapshot records back after the archive's tables replaced
 * them; it runs at the end of the restore script, in the same transaction, so the records are
 * never missing. Names are looked up in the restored tables; unknown ones fall back to the
 * bootstrap tenant and user (id 0). The script sets an empty search_path: names are qualified.
 */

/** A string literal (standard_conforming_strings is on: only quotes are escaped), or NULL. */
export function sqlLiteral(value: string | null | undefined): string {
  return value === null || value === undefined ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
}

function timestamp(value: Date | null): string {
  return value ? `${sqlLiteral(value.toISOString())}::timestamptz` : 'NULL';
}

function tenantId(name: string): string {
  return `COALESCE((SELECT id FROM public.tenants WHERE name = ${sqlLiteral(name)}), 0)`;
}

function userId(name: string): string {
  return `COALESCE((SELECT id FROM public.users WHERE username = ${sqlLiteral(name)}), 0)`;
}

export function snapshotRecordsSql(
  snapshots: PortableSnapshot[],
  executions: PortableExecution[],
  workflows: readonly string[],
): string {
  const statements = [
    'DELETE FROM public.snapshots;',
    `DELETE FROM public.executions WHERE workflow_id IN (${workflows.map(sqlLiteral).join(', ')});`,
  ];
  if (snapshots.length) {
    const rows = snapshots.map((s) =>
      [
        sqlLiteral(s.id),
        sqlLiteral(s.visibility),
        tenantId(s.tenantName),
        userId(s.creatorName),
        timestamp(s.createdAt),
        sqlLiteral(s.status),
        sqlLiteral(s.error),
      ].join(', '),
    );
    statements.push(
      'INSERT INTO public.snapshots (id, visibility, _tenant_id, _creator_id, created_at, status, error) VALUES\n' +
        rows.map((row) => `  (${row})`).join(',\n') +
        ';',
    );
  }
  if (executions.length) {
    const sequence = "pg_get_serial_sequence('public.executions', '_storage_id')";
    for (const e of executions) {
      // Its own _storage_id unless the archive's rows took it (then a fresh one).
      const storageId = `CASE WHEN EXISTS (SELECT 1 FROM public.executions WHERE _storage_id = ${Number(e.storageId)}) THEN nextval(${sequence}) ELSE ${Number(e.storageId)} END`;
      const values = [
        storageId,
        sqlLiteral(e.id),
        sqlLiteral(e.workflowId),
        sqlLiteral(e.status),
        `${sqlLiteral(JSON.stringify(e.parameters))}::jsonb`,
        sqlLiteral(e.error),
        'true',
        sqlLiteral(e.visibility),
        tenantId(e.tenantName),
        userId(e.creatorName),
        timestamp(e.createdAt),
        timestamp(e.startedAt),
        timestamp(e.endedAt),
      ];
      statements.push(
        'INSERT INTO public.executions (_storage_id, id, workflow_id, status, parameters, error, is_system_workflow, visibility, _tenant_id, _creator_id, created_at, started_at, ended_at)\n' +
          `  VALUES (${values.join(', ')});`,
      );
    }
    // Later executions must not be handed an id kept above.
    statements.push(
      `SELECT setval(${sequence}, (SELECT max(_storage_id) FROM public.executions));`,
    );
  }
  return statements.join('\n') + '\n';
}

/**
 * Takes every table's exclusive lock at the start of the restore: readers then wait for the
 * commit instead of interleaving with the drops (which could deadlock them).
 */
export function lockTablesSql(tables: string[]): string {
  if (!tables.length) return '';
  const names = tables.map((table) => `public."${table.replace(/"/g, '""')}"`).join(', ');
  return `LOCK TABLE ${names} IN ACCESS EXCLUSIVE MODE;\n`;
}
