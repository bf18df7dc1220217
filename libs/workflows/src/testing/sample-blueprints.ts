/** Blueprints the specs share: a host with a database and an app connected to it. */
export const APP_DB_BLUEPRINT = `
tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
plugins:
  p:
    executor: central_deployment_agent
    install: false
node_templates:
  host:
    type: cloudify.nodes.Compute
    properties:
      agent_config:
        install_method: none
  db:
    type: cloudify.nodes.Root
    relationships:
      - type: cloudify.relationships.contained_in
        target: host
    interfaces:
      cloudify.interfaces.lifecycle:
        create: p.ops.db_create
        start: p.ops.db_start
        stop: p.ops.db_stop
        delete: p.ops.db_delete
  app:
    type: cloudify.nodes.Root
    relationships:
      - type: cloudify.relationships.contained_in
        target: host
      - type: cloudify.relationships.connected_to
        target: db
        source_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            preconfigure: p.ops.pre_src
            unlink: p.ops.unlink_src
        target_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            preconfigure: p.ops.pre_tgt
            unlink: p.ops.unlink_tgt
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: p.ops.app_create
          inputs:
            port: 8080
        configure: p.ops.app_configure
        start: p.ops.app_start
        stop: p.ops.app_stop
        delete: p.ops.app_delete
`;
