import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { hostname, networkInterfaces } from 'node:os';
import { formatTimestamp } from '@nestify/common';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { ManagerResponseDto } from './dto/manager-response.dto';
import { ManagerRepository, ManagerRow } from './manager.repository';
import { VersionService } from './version.service';

/** The first external IPv4 address of this host, else loopback. */
export function primaryAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

function toResponse(row: ManagerRow): ManagerResponseDto {
  return { ...row, last_seen: formatTimestamp(row.last_seen) };
}

/** Manager nodes: each running rest-service registers (or refreshes) its host at start-up. */
@Injectable()
export class ManagersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ManagersService.name);

  constructor(
    private readonly manager: ManagerRepository,
    private readonly version: VersionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const address = primaryAddress();
    const info = this.version.current();
    const registration = {
      hostname: hostname(),
      private_ip: address,
      public_ip: address,
      version: info.version,
      edition: info.edition,
      distribution: info.distribution,
      distro_release: info.distro_release,
      networks: { default: address },
    };
    await this.manager.registerManager(registration);
    this.logger.log({ hostname: registration.hostname, address }, 'manager registered');
  }

  /** The managers, equality-filtered (e.g. `hostname`) and paged; the table holds a handful. */
  async list(query: ListQuery): Promise<ListEnvelope<Partial<ManagerResponseDto>>> {
    const all = (await this.manager.managers()).map(toResponse);
    const matching = all.filter((manager) =>
      Object.entries(query.filters).every(([field, values]) =>
        values.includes(String(manager[field as keyof ManagerResponseDto])),
      ),
    );
    const page = query.getAllResults
      ? matching
      : matching.slice(query.offset, query.offset + query.size);
    return listEnvelope(page, matching.length, query);
  }
}
