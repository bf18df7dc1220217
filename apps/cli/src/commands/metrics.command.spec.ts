import { UsageError } from '../inputs';
import { metricMessageOf, nodeNameOf } from './metrics.command';

describe('metrics send', () => {
  const options = { ttl: '30', tenant: 'default_tenant' };

  it('builds the Diamond-style message, the node name taken from the instance id', () => {
    expect(
      metricMessageOf('dep', 'web_host_a1b2c3', 'cpu.total.user', '91.5', {
        ...options,
        time: '100',
      }),
    ).toEqual({
      deployment_id: 'dep',
      node_name: 'web_host',
      node_id: 'web_host_a1b2c3',
      service: 'cpu.total.user',
      metric: 91.5,
      time: 100,
      ttl: 30,
      host: undefined,
      tenant_name: 'default_tenant',
    });
  });

  it('refuses a value that is not a number, a bad ttl and an id without a node', () => {
    expect(() => metricMessageOf('d', 'vm_a1b2c3', 'x', 'high', options)).toThrow(UsageError);
    expect(() => metricMessageOf('d', 'vm_a1b2c3', 'x', '1', { ...options, ttl: '0' })).toThrow(
      UsageError,
    );
    expect(() => nodeNameOf('vm')).toThrow(/--node-name/);
  });
});
