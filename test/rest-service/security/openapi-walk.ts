import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the security suites walk. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

type Content = Record<string, { schema?: Schema }>;

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Content };
  responses?: Record<string, { content?: Content }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One operation of the document, with what the walkers need. */
export interface Endpoint {
  method: string;
  /** The path template under /api/v3.1, e.g. `/sites/{name}`. */
  path: string;
  pathParams: string[];
  queryParams: Parameter[];
  /** The JSON body schema, if the operation takes one. */
  jsonBody?: Schema;
  /** Whether it is a Cloudify list (documented with `_size`). */
  isList: boolean;
  /** A documented list's item fields: its equality filters. */
  itemFields: string[];
}

export function endpointsOf(doc: OpenApiDocument): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = operation.parameters ?? [];
      const queryParams = parameters.filter((p) => p.in === 'query');
      endpoints.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams,
        jsonBody: operation.requestBody?.content?.['application/json']?.schema,
        isList: queryParams.some((p) => p.name === '_size'),
        itemFields: itemFieldsOf(operation, doc),
      });
    }
  }
  return endpoints;
}

/** The properties of a list response's items, from `{items: {$ref}}` in its 200 schema. */
function itemFieldsOf(operation: Operation, doc: OpenApiDocument): string[] {
  const schema = operation.responses?.['200']?.content?.['application/json']?.schema;
  const items = schema?.properties?.items?.items;
  return items ? Object.keys(resolve(items, doc).properties ?? {}) : [];
}

/** Fills `{param}`s of a path template (URL-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

const MAX_DEPTH = 4;

/**
 * Values that fit a JSON schema, loosely: every documented property may appear, required ones
 * always do, strings are short. Deep or unknown shapes fall back to arbitrary JSON.
 */
export function arbitraryOf(
  schema: Schema | undefined,
  doc: OpenApiDocument,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > MAX_DEPTH) return fc.jsonValue({ maxDepth: 2 });
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return arbitraryOf(doc.components?.schemas?.[name], doc, depth + 1);
  }
  const alternatives = schema.oneOf ?? schema.anyOf ?? schema.allOf;
  if (alternatives?.length)
    return fc.oneof(...alternatives.map((s) => arbitraryOf(s, doc, depth + 1)));
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const value = valueOf(schema, doc, depth);
  return schema.nullable ? fc.option(value, { nil: null }) : value;
}

function valueOf(schema: Schema, doc: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return schema.format === 'date-time'
        ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
        : fc.string({ maxLength: 12 });
    case 'integer':
      return fc.integer({ min: -5, max: 5000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryOf(schema.items, doc, depth + 1), { maxLength: 3 });
    case 'object':
    case undefined: {
      if (!schema.properties)
        return fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), {
          maxKeys: 3,
        });
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(schema.properties)) {
        fields[name] = arbitraryOf(property, doc, depth + 1);
      }
      return fc.record(fields, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Bodies for an endpoint: mostly shaped by its schema, some with each documented field turned
 * into arbitrary JSON, and some plain garbage (any JSON value, arrays and primitives included).
 */
export function bodyArbitrary(schema: Schema, doc: OpenApiDocument): fc.Arbitrary<unknown> {
  const shaped = arbitraryOf(schema, doc);
  const names = Object.keys(resolve(schema, doc).properties ?? {});
  const wrongTypes = names.length
    ? fc.dictionary(fc.constantFrom(...names), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: names.length,
      })
    : fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    { weight: 3, arbitrary: shaped },
    { weight: 2, arbitrary: wrongTypes },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

function resolve(schema: Schema, doc: OpenApiDocument): Schema {
  if (!schema.$ref) return schema;
  return doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''] ?? {};
}
