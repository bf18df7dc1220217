import { Visibility } from '@nestify/common';
import { newNodeRow, trimRelationship } from './new-nodes';

const parent = { deploymentFk: 3, tenantId: 2, visibility: Visibility.Private, creatorId: 5 };

describe('newNodeRow', () => {
  it('fills Cloudify’s defaults for a bare node', () => {
    expect(newNodeRow({ id: 'vm', type: 'cloudify.nodes.Compute' }, parent)).toEqual({
      id: 'vm',
      deploymentFk: 3,
      tenantId: 2,
      creatorId: 5,
      visibility: 'private',
      type: 'cloudify.nodes.Compute',
      typeHierarchy: ['cloudify.nodes.Compute'],
      properties: {},
      operations: {},
      relationships: [],
      plugins: [],
      pluginsToInstall: null,
      hostId: null,
      numberOfInstances: 1,
      plannedNumberOfInstances: 1,
      deployNumberOfInstances: 1,
      minNumberOfInstances: 1,
      maxNumberOfInstances: 1,
    });
  });

  it('takes instance counts from capabilities.scalable.properties unless given', () => {
    const row = newNodeRow(
      {
        id: 'vm',
        type: 'cloudify.nodes.Compute',
        capabilities: {
          scalable: {
            properties: {
              current_instances: 3,
              default_instances: 2,
              min_instances: 0,
              max_instances: -1,
            },
          },
        },
        planned_number_of_instances: 4,
      },
      parent,
    );
    expect(row).toMatchObject({
      numberOfInstances: 3,
      plannedNumberOfInstances: 4,
      deployNumberOfInstances: 2,
      minNumberOfInstances: 0,
      maxNumberOfInstances: -1,
    });
  });
});

describe('trimRelationship', () => {
  it('keeps only the six stored keys', () => {
    expect(
      trimRelationship({
        target_id: 'db',
        type: 'cloudify.relationships.connected_to',
        type_hierarchy: ['cloudify.relationships.depends_on'],
        properties: { connection_type: 'all_to_all' },
        source_operations: {},
        target_operations: {},
        source_interfaces: {},
        target_interfaces: {},
      }),
    ).toEqual({
      target_id: 'db',
      type: 'cloudify.relationships.connected_to',
      type_hierarchy: ['cloudify.relationships.depends_on'],
      properties: { connection_type: 'all_to_all' },
      source_operations: {},
      target_operations: {},
    });
  });
});
