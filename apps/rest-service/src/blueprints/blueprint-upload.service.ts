import { Inject, Injectable, Logger } from '@nestjs/common';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import {
  BadParametersError,
  ConflictError,
  ForbiddenError,
  InvalidBlueprintError,
  newUuid,
  validateResourceId,
  Visibility,
} from '@nestify/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { JsonObject } from '@nestify/dsl';
import {
  Blueprint,
  BlueprintState,
  Execution,
  ExecutionStatus,
  isFailedBlueprintState,
} from '@nestify/model';
import { TenantScope } from '../common/tenancy/tenant-scope';
import {
  ArchiveFormat,
  detectArchiveFile,
  SUPPORTED_ARCHIVE_TYPES,
} from '../resources/archive/archive-format';
import { receiveArchive } from '../resources/archive/receive-archive';
import { ArchiveError, extractArchive } from '../resources/archive/safe-extract';
import { FileServerService, resolveInside } from '../resources/file-server.service';
import { PluginCatalogService } from '../plugins/plugin-catalog.service';
import { BlueprintDslError, BlueprintFolder, parseBlueprintFolder } from './blueprint-parser';
import { mergeLabels, planLabels } from './blueprint-labels';
import { BlueprintsRepository } from './blueprints.repository';
import { DEFAULT_MAIN_FILE, UploadParams } from './upload-params';

/** The archive of an upload: a file the multipart reader already wrote, or the raw request body. */
export type UploadedArchive = { path: string } | { stream: Readable };

export interface UploadRequest {
  params: UploadParams;
  archive?: UploadedArchive;
}

export type UploadCaller = TenantScope & { username: string };

/** Ends an upload in a failed state: the row keeps the state and error, the files go. */
class UploadFailure extends Error {
  constructor(
    readonly state: BlueprintState,
    readonly error: string,
    /** Thrown to the client instead of the usual invalid_blueprint_error. */
    readonly clientError?: Error,
  ) {
    super(error);
  }
}

/** Upload of one blueprint: what the steps share. */
interface Upload {
  blueprint: Blueprint;
  execution: Execution;
  tenant: string;
  params: UploadParams;
  caller: UploadCaller;
}

const MIB = 1024 * 1024;

function failureMessage(id: string, state: string, error: string): string {
  const display =
    state === BlueprintState.Invalid ? 'is invalid' : `has ${state.replace(/_/g, ' ')}`;
  return `Blueprint \`${id}\` ${display}. Error: ${error}`;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505'
  );
}

/**
 * PUT /blueprints/{id}: stores the archive, unpacks it safely, parses the main file and records
 * the result. Cloudify hands the unpacking and parsing to an `upload_blueprint` workflow on its
 * mgmtworker; ours does not run workflows yet, so this service does that work inside the request
 * and records an already finished upload_blueprint execution, which keeps the states the
 * workflow would report (uploading → extracting → parsing → uploaded, or a failed state).
 */
@Injectable()
export class BlueprintUploadService {
  private readonly logger = new Logger(BlueprintUploadService.name);

  constructor(
    private readonly blueprints: BlueprintsRepository,
    private readonly files: FileServerService,
    private readonly pluginCatalog: PluginCatalogService,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  /** Largest archive accepted: compressed data rarely exceeds what it unpacks to, tar adds headers. */
  get maxArchiveBytes(): number {
    return this.config.resources.maxUnpackedBytes * 2 + MIB;
  }

  /**
   * Uploads a blueprint. Throws when refused (bad parameters, conflict) and, unless
   * `async_upload`, when the upload fails (the row then stays in its failed state).
   */
  async upload(id: string, request: UploadRequest, caller: UploadCaller): Promise<void> {
    validateResourceId(id, 'blueprint_id');
    const { params, archive } = request;
    if (params.archiveUrl && archive) {
      throw new BadParametersError(
        'Can pass blueprint as only one of: URL via query parameters, multi-form or chunked.',
      );
    }
    if (!params.archiveUrl && !archive) {
      throw new BadParametersError(
        'Missing the blueprint archive: send it as the `blueprint_archive` part of a multipart request, as the request body, or name it in `blueprint_archive_url`',
      );
    }
    const visibility = params.visibility ?? Visibility.Tenant;
    if (visibility === Visibility.Global && !caller.isAdmin) {
      throw new ForbiddenError(
        `User \`${caller.username}\` is not permitted to set or create a global resource`,
      );
    }
    try {
      await this.replaceFailed(id, visibility, caller);
      await this.uploadNew(id, request, visibility, caller);
    } finally {
      if (archive && 'path' in archive) await this.files.remove(archive.path);
    }
  }

  private async uploadNew(
    id: string,
    { params, archive }: UploadRequest,
    visibility: Visibility,
    caller: UploadCaller,
  ): Promise<void> {
    const upload = await this.start(id, params, visibility, caller);
    try {
      await this.run(upload, archive);
    } catch (error) {
      if (!(error instanceof UploadFailure)) {
        await this.fail(upload, new UploadFailure(BlueprintState.FailedUploading, String(error)));
        throw error;
      }
      await this.fail(upload, error);
      // An async upload reports its outcome through the blueprint's state, as Cloudify's does.
      if (error.clientError) throw error.clientError;
      if (!params.asyncUpload) {
        throw new InvalidBlueprintError(failureMessage(id, error.state, error.error));
      }
    }
  }

  /** A failed upload of the same id is replaced; any other existing blueprint is a conflict. */
  private async replaceFailed(
    id: string,
    visibility: Visibility,
    caller: UploadCaller,
  ): Promise<void> {
    const global = visibility === Visibility.Global;
    const clashing = await this.blueprints.findClashing(id, caller.tenantId, global);
    for (const existing of clashing) {
      const replaceable =
        isFailedBlueprintState(existing.state) && existing.tenantId === caller.tenantId;
      if (!replaceable) {
        throw new ConflictError(
          global
            ? `Can't set or create the resource \`${id}\`, its visibility can't be global because it also exists in other tenants`
            : `blueprint with id=${id} already exists on tenant ${caller.tenantName} or with global visibility`,
        );
      }
    }
    for (const existing of clashing) await this.blueprints.delete(existing);
  }

  private async start(
    id: string,
    params: UploadParams,
    visibility: Visibility,
    caller: UploadCaller,
  ): Promise<Upload> {
    const now = new Date();
    const owner = { visibility, tenantId: caller.tenantId, creatorId: caller.userId };
    let blueprint: Blueprint;
    try {
      blueprint = await this.blueprints.insert({
        ...owner,
        id,
        createdAt: now,
        updatedAt: now,
        mainFileName: params.applicationFileName,
        state: BlueprintState.Uploading,
        isHidden: false,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError(
        `blueprint with id=${id} already exists on tenant ${caller.tenantName} or with global visibility`,
      );
    }
    const execution = await this.blueprints.insertUploadExecution({
      ...owner,
      id: newUuid(),
      workflowId: 'upload_blueprint',
      status: ExecutionStatus.Started,
      blueprintId: id,
      createdAt: now,
      startedAt: now,
      error: '',
      parameters: {
        blueprint_id: id,
        app_file_name: params.applicationFileName,
        url: params.archiveUrl ?? null,
        file_server_root: this.files.root,
        marketplace_api_url: null,
        validate_only: false,
        labels: params.labels as unknown as JsonObject[],
      },
    });
    await this.blueprints.update(blueprint, { uploadExecutionFk: execution.storageId });
    return { blueprint, execution, tenant: caller.tenantName, params, caller };
  }

  private async run(upload: Upload, archive: UploadedArchive | undefined): Promise<void> {
    const { blueprint, params } = upload;
    if (!archive || params.archiveUrl) {
      throw new UploadFailure(
        BlueprintState.FailedUploading,
        `Cannot fetch ${params.archiveUrl}: this manager does not download blueprint archives (it works offline); upload the archive file instead`,
      );
    }
    const { path, format } = await this.store(upload, archive);
    await this.blueprints.update(blueprint, { state: BlueprintState.Extracting });
    const scratch = await this.files.makeTempDir('extract');
    try {
      const folder = await this.extract(path, format, scratch, params.applicationFileName);
      await this.blueprints.update(blueprint, { state: BlueprintState.Parsing });
      const plan = await this.parse(folder, upload);
      await this.files.moveInto(folder.dir, this.files.blueprintDir(upload.tenant, blueprint.id));
      await this.blueprints.completeUpload(
        blueprint,
        {
          plan,
          requirements: (plan.requirements as JsonObject) ?? null,
          description: typeof plan.description === 'string' ? plan.description : null,
          mainFileName: folder.mainFile,
          state: BlueprintState.Uploaded,
          error: null,
          errorTraceback: null,
        },
        mergeLabels(planLabels(plan.blueprint_labels), params.labels),
      );
      await this.blueprints.finishUploadExecution(upload.execution, {
        status: ExecutionStatus.Terminated,
      });
    } finally {
      await this.files.remove(scratch);
    }
  }

  /** Saves the archive as `uploaded-blueprints/<tenant>/<id>/<id>.<ext>`, its format sniffed. */
  private async store(
    upload: Upload,
    archive: UploadedArchive,
  ): Promise<{ path: string; format: ArchiveFormat }> {
    const scratch = await this.files.makeTempDir('upload');
    try {
      const received = 'path' in archive ? archive.path : await this.receive(archive, scratch);
      const format = await detectArchiveFile(received);
      if (!format) {
        const message = `Blueprint archive is of an unrecognized format. Supported formats are: ${SUPPORTED_ARCHIVE_TYPES}`;
        throw new UploadFailure(
          BlueprintState.FailedUploading,
          message,
          new BadParametersError(message),
        );
      }
      const { id } = upload.blueprint;
      const path = join(this.files.uploadedBlueprintDir(upload.tenant, id), `${id}.${format}`);
      await this.files.moveInto(received, path);
      return { path, format };
    } finally {
      await this.files.remove(scratch);
    }
  }

  /** Streams a raw request body to a file, refusing more than maxArchiveBytes. */
  private async receive(archive: { stream: Readable }, scratch: string): Promise<string> {
    const path = join(scratch, 'archive');
    try {
      await receiveArchive(archive.stream, path, this.maxArchiveBytes, 'Blueprint archive');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new UploadFailure(
        BlueprintState.FailedUploading,
        message,
        new BadParametersError(message),
      );
    }
    return path;
  }

  /** Unpacks safely and finds the main yaml in the archive's single folder. */
  private async extract(
    archive: string,
    format: ArchiveFormat,
    scratch: string,
    mainFile: string,
  ): Promise<BlueprintFolder> {
    let topLevel: string;
    try {
      ({ topLevel } = await extractArchive(archive, format, scratch, {
        maxUnpackedBytes: this.config.resources.maxUnpackedBytes,
      }));
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      throw new UploadFailure(BlueprintState.FailedExtracting, error.message);
    }
    const dir = join(scratch, topLevel);
    const main = resolveInside(dir, mainFile);
    if (!main || !(await this.files.isFile(main))) {
      throw new UploadFailure(
        BlueprintState.FailedExtracting,
        mainFile === DEFAULT_MAIN_FILE
          ? 'Application directory is missing blueprint.yaml and application_file_name query parameter was not passed'
          : `${mainFile} does not exist in the application directory`,
      );
    }
    return { dir, mainFile };
  }

  /**
   * Parses with libs/dsl. `blueprint:<id>` imports read the main file of an uploaded blueprint
   * the caller sees; `plugin:<name>?version=…` imports read the yaml of an uploaded plugin.
   */
  private async parse(folder: BlueprintFolder, upload: Upload): Promise<JsonObject> {
    try {
      const plan = await parseBlueprintFolder({
        ...folder,
        importedBlueprint: async (id) => {
          const row = await this.blueprints.findVisible(id, upload.caller);
          const { blueprint } = row ?? {};
          if (!row || !blueprint || blueprint.state !== BlueprintState.Uploaded) return undefined;
          return {
            dir: this.files.blueprintDir(row.tenantName, id),
            mainFile: blueprint.mainFileName ?? DEFAULT_MAIN_FILE,
          };
        },
        pluginYaml: (name, query) => this.pluginCatalog.resolveImport(name, query, upload.caller),
      });
      return plan as unknown as JsonObject;
    } catch (error) {
      if (error instanceof BlueprintDslError) {
        throw new UploadFailure(BlueprintState.Invalid, `Invalid blueprint - ${error.description}`);
      }
      this.logger.error({ err: error }, 'blueprint parsing failed');
      const message = error instanceof Error ? error.message : String(error);
      throw new UploadFailure(
        BlueprintState.FailedParsing,
        `Failed parsing blueprint - ${message}`,
      );
    }
  }

  private async fail(upload: Upload, failure: UploadFailure): Promise<void> {
    const { blueprint, execution, tenant } = upload;
    await this.blueprints.update(blueprint, {
      state: failure.state,
      error: failure.error,
      errorTraceback: null,
    });
    await this.blueprints.finishUploadExecution(execution, {
      status: ExecutionStatus.Failed,
      error: failure.error,
    });
    await this.files.remove(this.files.uploadedBlueprintDir(tenant, blueprint.id));
    await this.files.remove(this.files.blueprintDir(tenant, blueprint.id));
  }
}
