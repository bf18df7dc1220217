import { MaintenanceModeStatus } from '@nestify/model';
import { maintenanceVerdict, routeShape } from './maintenance-rules';

const { Activated, Activating, Deactivated } = MaintenanceModeStatus;

describe('maintenanceVerdict', () => {
  it('lets everything through when deactivated', () => {
    expect(maintenanceVerdict(Deactivated, 'POST', 'executions')).toBe('pass');
    expect(maintenanceVerdict(Deactivated, 'GET', 'blueprints')).toBe('pass');
  });

  it.each([
    ['GET', 'maintenance'],
    ['POST', 'maintenance/:action'],
    ['GET', 'status'],
    ['GET', 'version'],
    ['GET', 'ok'],
    ['GET', 'config'],
    ['PUT', 'config/:name'],
    ['GET', 'managers'],
    ['GET', 'snapshots/:id'],
    ['GET', 'snapshot-status'],
  ])('answers %s %s while activated', (method, route) => {
    expect(maintenanceVerdict(Activated, method, route)).toBe('pass');
  });

  it.each([
    ['GET', 'blueprints'],
    ['GET', 'deployments/:id'],
    ['POST', 'executions'],
    ['GET', 'tokens'],
    ['GET', 'summary/deployments'],
    ['GET', 'agents'],
  ])('refuses %s %s while activated with maintenance_mode_active', (method, route) => {
    expect(maintenanceVerdict(Activated, method, route)).toBe('maintenance_mode_active');
  });

  it.each([
    ['POST', 'executions'],
    ['PUT', 'deployments/:id'],
    ['PATCH', 'deployments/:deployment_id'],
    ['POST', 'deployment-modifications'],
    ['PUT', 'snapshots/:id'],
    ['POST', 'snapshots/:id/restore'],
    ['GET', 'snapshots/:id/restore'],
  ])('refuses %s %s while activating with entering_maintenance_mode', (method, route) => {
    expect(maintenanceVerdict(Activating, method, route)).toBe('entering_maintenance_mode');
  });

  it.each([
    ['GET', 'executions'],
    ['PATCH', 'executions/:id'],
    ['GET', 'deployments/:id'],
    ['DELETE', 'deployments/:id'],
    ['POST', 'deployments/:id/labels'],
    ['PUT', 'blueprints/:id'],
    ['PATCH', 'node-instances/:id'],
    ['POST', 'events'],
  ])('lets %s %s through while activating (running work must finish)', (method, route) => {
    expect(maintenanceVerdict(Activating, method, route)).toBe('pass');
  });
});

describe('routeShape', () => {
  it('drops parameter names, empty segments and queries', () => {
    expect(routeShape('/deployments/:id/')).toBe('deployments/:');
    expect(routeShape('snapshots/:snapshot_id/restore?x=1')).toBe('snapshots/:/restore');
  });
});
