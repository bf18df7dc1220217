import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import {
  DslError,
  InputError,
  Json,
  JsonObject,
  parseBlueprint,
  prepareDeploymentPlan,
} from '@nestify/dsl';
import { CORPUS, sourcesFor } from './corpus-files';
import { sequentialIds } from './plan-projection';

/**
 * Random text and random mutations of the corpus blueprints: parsing and preparing either succeed
 * or fail with one of the DSL's own errors (DslError, or InputError for deployment inputs) —
 * never a TypeError from a shape the parser did not expect, and never a hang.
 */
const corpus = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(CORPUS, entry.name))
  .filter((dir) => existsSync(join(dir, 'expected-plan.json')))
  .sort()
  .map((dir) => ({ dir, value: parse(readFileSync(join(dir, 'blueprint.yaml'), 'utf8')) as Json }));

/** Parses and prepares; resolves to the unexpected error, or undefined when all is well. */
async function unexpectedError(text: string, dir: string): Promise<unknown> {
  try {
    const plan = await parseBlueprint(text, join(dir, 'blueprint.yaml'), {
      sources: sourcesFor(dir),
    });
    prepareDeploymentPlan(plan, {}, { newId: sequentialIds() });
    return undefined;
  } catch (error) {
    return error instanceof DslError || error instanceof InputError ? undefined : error;
  }
}

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -3, max: 1000 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('UNBOUNDED', 'SELF', 'TARGET', 'cloudify.nodes.Root', 'scripts/x.sh', ''),
);

const functionCall = fc
  .tuple(
    fc.constantFrom(
      'get_input',
      'get_property',
      'get_attribute',
      'get_secret',
      'concat',
      'merge',
      'string_find',
      'string_upper',
      'get_sys',
      'get_label',
    ),
    fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })),
  )
  .map(([name, args]): Json => ({ [name]: args }));

const randomValue: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    functionCall,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

type Mutation =
  { kind: 'drop' | 'duplicate'; pick: number } | { kind: 'replace'; pick: number; value: Json };

/** Every path to a mapping entry or list item of a value. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => [[...prefix, i], ...paths(item, [...prefix, i])]);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...paths(item, [...prefix, key]),
    ]);
  return [];
}

/** Applies one mutation at the entry `mutation.pick` selects (modulo the number of entries). */
function mutate(root: Json, mutation: Mutation): Json {
  const copy = structuredClone(root);
  const all = paths(copy);
  if (all.length === 0) return copy;
  const path = all[mutation.pick % all.length];
  let parent: Json = copy;
  for (const segment of path.slice(0, -1)) parent = (parent as JsonObject)[segment as string];
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (mutation.kind === 'replace') parent[index] = mutation.value;
    else if (mutation.kind === 'drop') parent.splice(index, 1);
    else parent.push(structuredClone(parent[index]));
  } else if (parent !== null && typeof parent === 'object') {
    const key = String(last);
    if (mutation.kind === 'replace') parent[key] = mutation.value;
    else if (mutation.kind === 'drop') delete parent[key];
    else parent[`${key}_copy`] = structuredClone(parent[key]);
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: randomValue }),
);

describe('DSL fuzzing', () => {
  jest.setTimeout(30000);

  it('random YAML-ish text fails only with DslError', async () => {
    const yamlish = fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.constantFrom(
            'tosca_definitions_version: cloudify_dsl_1_3\n',
            'node_templates:\n',
            '  a: {type: cloudify.nodes.Root}\n',
            'imports: [cloudify/types/types.yaml]\n',
            '- ',
            ': ',
            '&a ',
            '*a',
            '<<: *a\n',
            '{',
            '[',
            '"',
            '\n  ',
            '\t',
          ),
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(yamlish, async (text) => {
        expect(await unexpectedError(text, CORPUS)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('mutated corpus blueprints fail only with DslError or InputError', async () => {
    const blueprint = fc.constantFrom(...corpus);
    await fc.assert(
      fc.asyncProperty(
        blueprint,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async ({ dir, value }, mutations) => {
          const mutated = mutations.reduce(mutate, value);
          expect(await unexpectedError(stringify(mutated), dir)).toBeUndefined();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('truncated corpus blueprints fail only with DslError', async () => {
    const blueprint = fc.constantFrom(...corpus);
    await fc.assert(
      fc.asyncProperty(blueprint, fc.double({ min: 0, max: 1, noNaN: true }), async (bp, at) => {
        const text = readFileSync(join(bp.dir, 'blueprint.yaml'), 'utf8');
        const cut = text.slice(0, Math.floor(text.length * at));
        expect(await unexpectedError(cut, bp.dir)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
