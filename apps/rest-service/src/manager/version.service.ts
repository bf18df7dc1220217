import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { VersionResponseDto } from './dto/version-response.dto';

export type ManagerVersion = VersionResponseDto;

/** What `GET /version` reports. nestify is the open edition with multi-tenancy included. */
@Injectable()
export class VersionService {
  private readonly info: ManagerVersion = {
    edition: 'community',
    version: readPackageVersion(),
    build: null,
    date: null,
    commit: null,
    distribution: process.platform,
    distro_release: release(),
  };

  current(): ManagerVersion {
    return this.info;
  }
}

/** The version of the nestify package, found by walking up from this file (src or dist). */
function readPackageVersion(): string {
  for (let dir = __dirname, i = 0; i < 6; dir = join(dir, '..'), i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'nestify' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
  }
  return '0.0.0';
}
