import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { ListMetadataDto } from './list-envelope.dto';

/**
 * Documents a Cloudify list endpoint: the shared `_`-parameters (see `parseListQuery`) and the
 * `{items, metadata}` envelope around `model`. Needed because the plugin cannot see through the
 * generic `ListEnvelope<T>` or the free-form `@Query() RawQuery`.
 */
export function ApiListResponse(model: Type): MethodDecorator & ClassDecorator {
  const flag = { type: 'boolean' } as const;
  const list = { type: 'array', items: { type: 'string' } } as const;
  return applyDecorators(
    ApiExtraModels(model, ListMetadataDto),
    ApiQuery({ name: '_size', required: false, schema: { type: 'integer', minimum: 0 } }),
    ApiQuery({ name: '_offset', required: false, schema: { type: 'integer', minimum: 0 } }),
    ApiQuery({
      name: '_sort',
      required: false,
      schema: list,
      description: '`field` (ascending) or `-field`',
    }),
    ApiQuery({
      name: '_include',
      required: false,
      schema: list,
      description: 'Fields to return (repeated or comma-separated)',
    }),
    ApiQuery({ name: '_search', required: false, schema: { type: 'string' } }),
    ApiQuery({ name: '_get_all_results', required: false, schema: flag }),
    ApiQuery({ name: '_all_tenants', required: false, schema: flag }),
    ApiOkResponse({
      description: 'One page of items; other query parameters filter by field equality.',
      schema: {
        type: 'object',
        required: ['items', 'metadata'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          metadata: { $ref: getSchemaPath(ListMetadataDto) },
        },
      },
    }),
  );
}
