import { parseSummaryRequest } from './summary-request';
import { SUMMARY_SOURCES } from './summary-sources';
import { foldSummary } from './summary.service';

const deployments = SUMMARY_SOURCES.deployments;
const parse = (raw: Record<string, unknown>) =>
  parseSummaryRequest(raw, Object.keys(deployments.groupFields), Object.keys(deployments.filters));

describe('parseSummaryRequest', () => {
  it('reads the target and sub field, paging and filters', () => {
    const request = parse({
      _target_field: 'blueprint_id',
      _sub_field: 'site_name',
      _size: '2',
      _all_tenants: 'true',
      visibility: 'tenant',
    });
    expect(request).toMatchObject({
      targetField: 'blueprint_id',
      subField: 'site_name',
      query: { size: 2, allTenants: true, filters: { visibility: ['tenant'] } },
    });
  });

  it('requires _target_field', () => {
    expect(() => parse({})).toThrow(/_target_field/);
  });

  it.each([
    [{ _target_field: 'created_at' }, 'created_at'],
    [{ _target_field: 'blueprint_id', _sub_field: 'inputs' }, 'inputs'],
  ])('refuses a field the resource cannot be summarized by (%j)', (raw, field) => {
    expect(() => parse(raw)).toThrow(
      `Invalid summary field: ${field}. Allowed values: blueprint_id, tenant_name, visibility, site_name, deployment_status`,
    );
  });

  it('refuses unknown filters with bad_parameters_error', () => {
    try {
      parse({ _target_field: 'visibility', colour: 'red' });
      throw new Error('accepted');
    } catch (error) {
      expect((error as { errorCode?: string }).errorCode).toBe('bad_parameters_error');
    }
  });

  it('knows the executions-only status_display field', () => {
    const executions = SUMMARY_SOURCES.executions;
    expect(
      parseSummaryRequest(
        { _target_field: 'status_display' },
        Object.keys(executions.groupFields),
        Object.keys(executions.filters),
      ).targetField,
    ).toBe('status_display');
  });
});

describe('foldSummary', () => {
  it('sums sub-groups into one item per target value, in row order', () => {
    const rows = [
      { target: 'bp1', sub: 'site-a', count: 2 },
      { target: 'bp1', sub: null, count: 1 },
      { target: 'bp2', sub: 'site-a', count: 4 },
    ];
    expect(foldSummary(rows, 'deployments', 'blueprint_id', 'site_name')).toEqual([
      {
        blueprint_id: 'bp1',
        deployments: 3,
        'by site_name': [
          { site_name: 'site-a', deployments: 2 },
          { site_name: null, deployments: 1 },
        ],
      },
      {
        blueprint_id: 'bp2',
        deployments: 4,
        'by site_name': [{ site_name: 'site-a', deployments: 4 }],
      },
    ]);
    expect(foldSummary([{ target: 'tenant', count: 5 }], 'blueprints', 'visibility')).toEqual([
      { visibility: 'tenant', blueprints: 5 },
    ]);
  });
});
