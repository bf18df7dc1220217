import { Visibility } from '@nestify/common';
import { ExecutionStatus, SnapshotStatus } from '@nestify/model';
import { snapshotRecordsSql, sqlLiteral } from './snapshot-records-sql';

describe('snapshot records SQL', () => {
  it('quotes literals so text cannot end the string', () => {
    expect(sqlLiteral("it's'; DROP TABLE users; --")).toBe("'it''s''; DROP TABLE users; --'");
    expect(sqlLiteral(null)).toBe('NULL');
  });

  it('replaces the snapshot rows and executions, looking tenants and users up by name', () => {
    const sql = snapshotRecordsSql(
      [
        {
          id: 'backup-1',
          visibility: Visibility.Private,
          tenantName: "o'brien",
          creatorName: 'admin',
          createdAt: new Date('2026-11-25T10:00:00.000Z'),
          status: SnapshotStatus.Created,
          error: null,
        },
      ],
      [
        {
          storageId: 42,
          id: 'e-1',
          workflowId: 'create_snapshot',
          status: ExecutionStatus.Terminated,
          parameters: { snapshot_id: "a'b" },
          error: '',
          visibility: Visibility.Private,
          tenantName: 'default_tenant',
          creatorName: 'admin',
          createdAt: new Date('2026-11-25T10:00:00.000Z'),
          startedAt: null,
          endedAt: null,
        },
      ],
      ['create_snapshot', 'restore_snapshot'],
    );
    expect(sql).toContain('DELETE FROM public.snapshots;');
    expect(sql).toContain(
      "DELETE FROM public.executions WHERE workflow_id IN ('create_snapshot', 'restore_snapshot');",
    );
    expect(sql).toContain("COALESCE((SELECT id FROM public.tenants WHERE name = 'o''brien'), 0)");
    expect(sql).toContain("'2026-11-25T10:00:00.000Z'::timestamptz");
    expect(sql).toContain(`'{"snapshot_id":"a''b"}'::jsonb`);
    expect(sql).toContain('WHERE _storage_id = 42) THEN nextval(');
    expect(sql).toMatch(/SELECT setval\(.*max\(_storage_id\)/);
  });

  it('only deletes when there is nothing to keep', () => {
    expect(snapshotRecordsSql([], [], ['create_snapshot']).trim().split('\n')).toHaveLength(2);
  });
});
