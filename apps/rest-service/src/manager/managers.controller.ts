import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { RequirePermission } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { MANAGER_FIELDS, ManagerResponseDto } from './dto/manager-response.dto';
import { ManagersService } from './managers.service';

const LIST_SPEC = { fields: MANAGER_FIELDS };

@Controller('managers')
export class ManagersController {
  constructor(private readonly managers: ManagersService) {}

  @Get()
  @RequirePermission('manager_get')
  @ApiListResponse(ManagerResponseDto)
  @ApiQuery({ name: 'hostname', required: false })
  list(@Query() query: RawQuery): Promise<ListEnvelope<Partial<ManagerResponseDto>>> {
    return this.managers.list(parseListQuery(query, LIST_SPEC));
  }
}
