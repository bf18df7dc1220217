import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  ForbiddenError,
  newUuid,
  NotFoundError,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import {
  BlueprintPlan,
  DeploymentPlan,
  DslError,
  InputError,
  JsonObject,
  prepareDeploymentPlan,
} from '@nestify/dsl';
import {
  BlueprintState,
  Deployment,
  ExecutionStatus,
  JsonObject as ModelJson,
  NodeInstance,
} from '@nestify/model';
import { mergeLabels, planLabels } from '../blueprints/blueprint-labels';
import { LabelPair } from '../blueprints/blueprints.repository';
import {
  applyRenames,
  assignIndexes,
  findInstanceRenames,
  newInstanceRow,
} from '../node-instances/new-instances';
import { NewNodeDto } from '../nodes/dto/create-nodes.dto';
import { newNodeRow } from '../nodes/new-nodes';
import { SecretsService } from '../secrets/secrets.service';
import {
  DeploymentCreationError,
  MissingRequiredDeploymentInputError,
  UnknownDeploymentInputError,
} from './deployment-errors';
import { parseDeploymentLabels } from './deployment-labels';
import { deploymentStatusOf, installationStatusOf } from './deployment-response';
import { checkSiteVisibility, Caller } from './deployments.service';
import {
  DeployableBlueprint,
  DeploymentsRepository,
  NewDeploymentRows,
} from './deployments.repository';
import { CreateDeploymentDto } from './dto/create-deployment.dto';

export const CREATE_DEPLOYMENT_ENVIRONMENT = 'create_deployment_environment';

/** The last line of an error, which is what Cloudify answers for a failed create-dep-env. */
export function lastLine(message: string): string {
  const lines = message.trim().split('\n');
  return lines[lines.length - 1];
}

/**
 * Input problems Cloudify's REST layer reports itself (missing before unknown, nothing stored);
 * type and constraint problems surface in create_deployment_environment, so they come back as
 * its failure.
 */
export function inputFailure(error: InputError): Error | string {
  const names = (kind: string) =>
    [...new Set(error.problems.filter((p) => p.kind === kind).map((p) => p.input))].join(', ');
  const missing = names('missing_required_input');
  if (missing) return new MissingRequiredDeploymentInputError(`missing inputs: ${missing}`);
  const unknown = names('unknown_input');
  if (unknown)
    return new UnknownDeploymentInputError(`Cannot create deployment - unknown inputs: ${unknown}`);
  return lastLine(error.message);
}

/** Cloudify's checks of a display name (length, control characters), NFKC-normalised. */
export function checkDisplayName(displayName: string): string {
  if (displayName.length > 256) {
    throw new DslError(
      'The deployment display name is too long. Maximum allowed length is 256 characters',
    );
  }
  if (/\p{C}/u.test(displayName)) {
    throw new DslError(
      'The deployment display name contains illegal characters. Control characters are not allowed',
    );
  }
  return displayName.normalize('NFKC');
}

/** What PUT /deployments decided before writing. */
interface Prepared {
  id: string;
  blueprint: DeployableBlueprint;
  siteFk: number | null;
  visibility: Visibility;
  labels: LabelPair[];
}

/**
 * PUT /deployments/{id}. Cloudify runs the environment creation as the
 * create_deployment_environment workflow on the mgmtworker; nestify has no such workflow yet, so
 * the REST service does the same work inside the request — prepare the plan, check secrets, write
 * the deployment, its nodes and instances — and records the execution (terminated, or failed
 * with the error) that clients poll for.
 */
@Injectable()
export class DeploymentCreationService {
  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly secrets: SecretsService,
  ) {}

  /** Creates the deployment. A failed creation is kept (as Cloudify keeps it) and, unless async, a 400. */
  async create(
    id: string,
    body: CreateDeploymentDto,
    caller: Caller,
    async: boolean,
  ): Promise<void> {
    const prepared = await this.prepare(id, body, caller);
    const inputs = (body.inputs ?? {}) as JsonObject;
    let plan: DeploymentPlan | undefined;
    let failure: string | undefined;
    let displayName = id;
    try {
      plan = prepareDeploymentPlan(prepared.blueprint.plan as unknown as BlueprintPlan, inputs);
      displayName = checkDisplayName(body.display_name || id);
      failure = await this.missingSecrets(plan, caller);
    } catch (error) {
      if (error instanceof InputError) {
        const outcome = inputFailure(error);
        if (outcome instanceof Error) throw outcome;
        failure = outcome;
      } else if (error instanceof DslError) {
        failure = lastLine(error.message);
      } else throw error;
    }
    await this.cleanupFailed(id, caller);
    const rows =
      plan && failure === undefined
        ? await this.successRows(prepared, plan, displayName, body, caller)
        : this.failedRows(prepared, failure ?? '', body, caller);
    await this.deployments.insertDeployment(rows);
    if (failure !== undefined && !async) throw new DeploymentCreationError(failure);
  }

  private async prepare(id: string, body: CreateDeploymentDto, caller: Caller): Promise<Prepared> {
    validateResourceId(id, 'deployment_id', { mustStartWithLetter: false });
    const blueprint = await this.deployments.findBlueprint(body.blueprint_id, caller);
    if (!blueprint) throw new NotFoundError('Blueprint', body.blueprint_id);
    if (blueprint.state !== BlueprintState.Uploaded || !blueprint.plan) {
      throw new DeploymentCreationError(
        `Unable to create a deployment based on a blueprint which is not \`uploaded\` but: \`${blueprint.state}\``,
      );
    }
    const visibility = body.visibility ?? Visibility.Tenant;
    if (visibility === Visibility.Global) {
      if (!caller.mayCreateGlobal) {
        throw new ForbiddenError(
          `User \`${caller.username}\` is not permitted to set or create a global resource`,
        );
      }
      if (blueprint.visibility !== Visibility.Global) {
        throw new ForbiddenError(
          `Can't create global deployment ${id} because blueprint ${blueprint.id} is not global`,
        );
      }
    }
    let siteFk: number | null = null;
    if (body.site_name !== undefined && body.site_name !== null) {
      const name = validateResourceId(body.site_name, 'site_name');
      const site = await this.deployments.findSite(name, caller);
      if (!site) throw new NotFoundError('Site', name);
      checkSiteVisibility({ id, visibility }, { name, visibility: site.visibility });
      siteFk = site.storageId;
    }
    const labels = parseDeploymentLabels(body.labels);
    // Plugins: Cloudify refuses a plan whose central-deployment or host-agent plugins are not
    // uploaded (`deployment_plugin_not_found`) unless skip_plugins_validation. nestify cannot
    // upload plugins yet, so the check is skipped rather than failing every such blueprint.
    return { id, blueprint, siteFk, visibility, labels };
  }

  /** Cloudify's plan check: every secret a get_secret names must exist in the tenant. */
  private async missingSecrets(plan: DeploymentPlan, caller: Caller): Promise<string | undefined> {
    const keys = (plan.requirements?.secrets ?? []).filter(
      (key): key is string => typeof key === 'string',
    );
    const missing = await this.secrets.missingKeys(keys, caller);
    if (!missing.length) return undefined;
    return `Required secrets: [${missing.join(', ')}] don't exist in this tenant`;
  }

  /**
   * A deployment whose only execution is a failed create_deployment_environment is deleted, so
   * creating it again can succeed (with better inputs, say); any other holder of the id is a 409.
   */
  private async cleanupFailed(id: string, caller: Caller): Promise<void> {
    const clash = await this.deployments.findClash(id, caller.tenantId);
    if (!clash) return;
    const [only, ...more] = clash.executions;
    const failedCreation =
      only !== undefined &&
      more.length === 0 &&
      only.workflowId === CREATE_DEPLOYMENT_ENVIRONMENT &&
      only.status === ExecutionStatus.Failed;
    if (!failedCreation) {
      throw new ConflictError(
        `<Deployment id=\`${id}\` tenant=\`${caller.tenantName}\`> already exists on <Tenant name=\`${caller.tenantName}\`> or with global visibility`,
      );
    }
    await this.deployments.delete(clash.storageId);
  }

  private baseDeployment(prepared: Prepared, body: CreateDeploymentDto, caller: Caller) {
    const now = new Date();
    return {
      id: prepared.id,
      displayName: body.display_name || prepared.id,
      blueprintFk: prepared.blueprint.storageId,
      siteFk: prepared.siteFk,
      visibility: prepared.visibility,
      tenantId: caller.tenantId,
      creatorId: caller.userId,
      runtimeOnlyEvaluation: body.runtime_only_evaluation ?? false,
      createdAt: now,
      updatedAt: now,
    } satisfies Partial<Deployment>;
  }

  private execution(
    prepared: Prepared,
    body: CreateDeploymentDto,
    caller: Caller,
    outcome: { status: ExecutionStatus; error: string },
  ) {
    const now = new Date();
    const parameters: ModelJson = {
      inputs: (body.inputs ?? {}) as ModelJson,
      display_name: body.display_name ?? null,
    };
    if (prepared.labels.length)
      parameters.labels = prepared.labels.map(({ key, value }) => ({ key, value }));
    return {
      id: newUuid(),
      workflowId: CREATE_DEPLOYMENT_ENVIRONMENT,
      status: outcome.status,
      error: outcome.error,
      parameters,
      isSystemWorkflow: false,
      isDryRun: false,
      createdAt: now,
      startedAt: now,
      endedAt: now,
      blueprintId: prepared.blueprint.id,
      visibility: prepared.visibility,
      tenantId: caller.tenantId,
      creatorId: caller.userId,
    };
  }

  /** A failed creation: the bare row and its failed execution, as Cloudify leaves them. */
  private failedRows(
    prepared: Prepared,
    error: string,
    body: CreateDeploymentDto,
    caller: Caller,
  ): NewDeploymentRows {
    const installation = installationStatusOf([]);
    return {
      deployment: {
        ...this.baseDeployment(prepared, body, caller),
        installationStatus: installation,
        deploymentStatus: deploymentStatusOf(ExecutionStatus.Failed, installation),
      },
      labels: [],
      execution: this.execution(prepared, body, caller, { status: ExecutionStatus.Failed, error }),
      nodes: [],
      instances: [],
    };
  }

  private async successRows(
    prepared: Prepared,
    plan: DeploymentPlan,
    displayName: string,
    body: CreateDeploymentDto,
    caller: Caller,
  ): Promise<NewDeploymentRows> {
    const instances = await this.instanceRows(plan, prepared.visibility, caller);
    const installation = installationStatusOf(instances.map((instance) => String(instance.state)));
    const asJson = (value: unknown) => (value ?? null) as ModelJson | null;
    return {
      deployment: {
        ...this.baseDeployment(prepared, body, caller),
        displayName,
        description: plan.description,
        inputs: asJson(plan.inputs),
        outputs: asJson(plan.outputs),
        capabilities: asJson(plan.capabilities ?? {}),
        groups: asJson(plan.groups),
        scalingGroups: asJson(plan.scaling_groups),
        policyTypes: asJson(plan.policy_types),
        policyTriggers: asJson(plan.policy_triggers),
        workflows: asJson(plan.workflows),
        resourceTags: asJson(plan.resource_tags),
        installationStatus: installation,
        deploymentStatus: deploymentStatusOf(ExecutionStatus.Terminated, installation),
      },
      labels: mergeLabels(prepared.labels, planLabels(plan.labels)),
      execution: this.execution(prepared, body, caller, {
        status: ExecutionStatus.Terminated,
        error: '',
      }),
      nodes: plan.nodes.map((node) =>
        newNodeRow(node as unknown as NewNodeDto, {
          deploymentFk: 0,
          tenantId: caller.tenantId,
          creatorId: caller.userId,
          visibility: prepared.visibility,
        }),
      ),
      instances,
    };
  }

  /** The plan's instances, ids that are taken in the tenant renamed, numbered per node. */
  private async instanceRows(
    plan: DeploymentPlan,
    visibility: Visibility,
    caller: Caller,
  ): Promise<(Partial<NodeInstance> & { node_id: string })[]> {
    const planned = plan.node_instances.map((instance) => ({
      ...instance,
      relationships: instance.relationships as ModelJson[],
      scaling_groups: (instance.scaling_groups ?? []) as ModelJson[],
    }));
    const renames = await findInstanceRenames(planned, (ids) =>
      this.deployments.takenInstanceIds(ids, caller.tenantId),
    );
    const renamed = planned.map((instance) => applyRenames(instance, renames));
    const indexes = assignIndexes(renamed, new Map());
    return renamed.map((instance, i) => ({
      ...newInstanceRow(instance, indexes[i], {
        tenantId: caller.tenantId,
        creatorId: caller.userId,
        nodeFk: 0,
        visibility,
      }),
      node_id: instance.node_id,
    }));
  }
}
