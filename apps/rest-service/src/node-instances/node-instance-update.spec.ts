import {
  instanceChanges,
  jsonEqual,
  PatchableInstance,
  systemPropertyFlags,
  versionConflictMessage,
} from './node-instance-update';

const stored: PatchableInstance = {
  state: 'started',
  runtimeProperties: { ip: '10.0.0.1', nested: { a: 1, b: [1, 2] } },
  systemProperties: null,
  relationships: [{ target_id: 'db_1', target_name: 'db', type: 'connected_to' }],
};

describe('jsonEqual', () => {
  it('compares objects by content, ignoring key order', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({}, [])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});

describe('instanceChanges', () => {
  it('replaces runtime properties whole instead of merging them', () => {
    expect(instanceChanges(stored, { runtime_properties: { ip: '10.0.0.2' } })).toEqual({
      runtimeProperties: { ip: '10.0.0.2' },
    });
  });

  it('changes nothing for null, absent or equal fields (so the version stays)', () => {
    expect(
      instanceChanges(stored, {
        state: 'started',
        runtime_properties: { nested: { b: [1, 2], a: 1 }, ip: '10.0.0.1' },
        system_properties: null,
        relationships: undefined,
      }),
    ).toEqual({});
  });

  it('reports a state and a relationships change', () => {
    expect(instanceChanges(stored, { state: 'stopped', relationships: [] })).toEqual({
      state: 'stopped',
      relationships: [],
    });
  });

  it('recomputes the drift and status flags when system properties change', () => {
    expect(instanceChanges(stored, { system_properties: { status: { ok: true } } })).toEqual({
      systemProperties: { status: { ok: true } },
      hasConfigurationDrift: false,
      isStatusCheckOk: true,
    });
  });
});

describe('systemPropertyFlags', () => {
  it('is not drifted and not ok without properties', () => {
    expect(systemPropertyFlags(null)).toEqual({
      hasConfigurationDrift: false,
      isStatusCheckOk: false,
    });
  });

  it('is drifted when the instance or any relationship side reports drift', () => {
    expect(systemPropertyFlags({ configuration_drift: { ok: false } }).hasConfigurationDrift).toBe(
      true,
    );
    expect(
      systemPropertyFlags({ configuration_drift: { ok: true, result: { x: 1 } } })
        .hasConfigurationDrift,
    ).toBe(true);
    expect(
      systemPropertyFlags({
        configuration_drift: { ok: true, result: null },
        target_relationships_configuration_drift: { db_1: { ok: false } },
      }).hasConfigurationDrift,
    ).toBe(true);
    expect(
      systemPropertyFlags({
        configuration_drift: { ok: true, result: null },
        source_relationships_configuration_drift: { web_1: { ok: true } },
      }).hasConfigurationDrift,
    ).toBe(false);
  });
});

describe('versionConflictMessage', () => {
  it('spells Cloudify’s message', () => {
    expect(versionConflictMessage(3, 1)).toBe(
      'Node instance update conflict [current version=3, update version=1]',
    );
  });
});
