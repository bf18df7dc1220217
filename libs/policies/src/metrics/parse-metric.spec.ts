import { MetricFormatError, parseMetric, parseMetrics } from './parse-metric';

describe('parseMetric', () => {
  const body = {
    host: 'vm-1',
    service: 'cpu.total.user',
    metric: 42.5,
    time: 1700000000,
    ttl: 30,
    node_id: 'vm_abc123',
    node_name: 'vm',
    deployment_id: 'dep1',
    tenant_name: 'default_tenant',
  };

  it('reads the Diamond fields', () => {
    expect(parseMetric(body)).toEqual({
      tenantName: 'default_tenant',
      deploymentId: 'dep1',
      nodeName: 'vm',
      nodeInstanceId: 'vm_abc123',
      service: 'cpu.total.user',
      value: 42.5,
      time: 1700000000,
      ttl: 30,
      host: 'vm-1',
      state: undefined,
    });
  });

  it('takes missing context from the routing key, time from now and ttl 60', () => {
    const metric = parseMetric({ metric: '7' }, 'dep1.vm.vm_1.cpu.total.user', 5_000);
    expect(metric).toMatchObject({
      deploymentId: 'dep1',
      nodeName: 'vm',
      nodeInstanceId: 'vm_1',
      service: 'cpu.total.user',
      value: 7,
      time: 5,
      ttl: 60,
    });
  });

  it.each([
    ['not an object', 'hello'],
    ['an array', [1]],
    ['no value', { ...body, metric: undefined }],
    ['a non-numeric value', { ...body, metric: 'high' }],
    ['no deployment', { ...body, deployment_id: undefined }],
    ['a zero ttl', { ...body, ttl: 0 }],
  ])('refuses %s', (_what, value) => {
    expect(() => parseMetric(value)).toThrow(MetricFormatError);
  });
});

describe('parseMetrics', () => {
  const one = { deployment_id: 'd', node_name: 'vm', node_id: 'vm_1', service: 's', metric: 1 };

  it('reads one metric or an array of them', () => {
    expect(parseMetrics(one)).toHaveLength(1);
    expect(parseMetrics([one, { ...one, metric: 2 }]).map((m) => m.value)).toEqual([1, 2]);
  });

  it('refuses the whole array for one bad element, naming it', () => {
    expect(() => parseMetrics([one, { ...one, metric: 'x' }])).toThrow(/metric 1: /);
  });
});
