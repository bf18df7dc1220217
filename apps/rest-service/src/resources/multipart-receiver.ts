import type { MultipartFile } from '@fastify/multipart';
import { BadRequestException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { FileServerService } from './file-server.service';

const MIB = 1024 * 1024;

/** A multipart request as received: its text fields, and its files already on disk. */
export interface ReceivedForm {
  fields: Record<string, string>;
  files: Array<{ field: string; path: string }>;
}

export interface ReceiveOptions {
  /** The only file field accepted; any other file part is a 400. Default: any name. */
  fileField?: string;
}

/** Limit errors of @fastify/multipart that are a malformed request (400), not a large one. */
const BAD_REQUEST_LIMITS = new Set(['FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT']);

/**
 * Reads multipart uploads (blueprint and plugin archives): text fields into memory, the file
 * part streamed to the file server's scratch folder (never memory), one file at most, each
 * archive no larger than an upload may be. The caller removes the files.
 */
@Injectable()
export class MultipartReceiver {
  private readonly dir: string;
  private readonly limits: { fileSize: number; files: number; fieldSize: number };

  constructor(files: FileServerService, @Inject(NESTIFY_CONFIG) config: NestifyConfig) {
    this.dir = join(files.root, 'tmp', 'multipart');
    // Compressed archives rarely exceed what they unpack to; tar adds headers.
    this.limits = {
      fileSize: config.resources.maxUnpackedBytes * 2 + MIB,
      files: 1,
      fieldSize: MIB,
    };
  }

  /** The form of a multipart request; undefined for any other request. */
  async receive(
    request: FastifyRequest,
    options: ReceiveOptions = {},
  ): Promise<ReceivedForm | undefined> {
    if (!request.isMultipart()) return undefined;
    const form: ReceivedForm = { fields: {}, files: [] };
    try {
      for await (const part of request.parts({ limits: this.limits })) {
        if (part.type === 'file') await this.saveFile(part, form, options);
        else if (part.valueTruncated) throw new BadRequestException('Field value too long');
        else if (typeof part.value === 'string') form.fields[part.fieldname] = part.value;
      }
    } catch (error) {
      await Promise.all(form.files.map(({ path }) => rm(path, { force: true })));
      throw asHttpError(error);
    }
    return form;
  }

  private async saveFile(
    part: MultipartFile,
    form: ReceivedForm,
    { fileField }: ReceiveOptions,
  ): Promise<void> {
    if (fileField !== undefined && part.fieldname !== fileField) {
      throw new BadRequestException(`Unexpected field: ${part.fieldname}`);
    }
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, randomUUID());
    form.files.push({ field: part.fieldname, path });
    await pipeline(part.file, createWriteStream(path));
    if (part.file.truncated) throw new PayloadTooLargeException('File too large');
  }
}

function asHttpError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && BAD_REQUEST_LIMITS.has(code)) {
    return new BadRequestException((error as Error).message);
  }
  return error;
}
