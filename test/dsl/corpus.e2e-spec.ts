import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  DslError,
  InputError,
  JsonObject,
  parseBlueprint,
  prepareDeploymentPlan,
} from '@nestify/dsl';
import { CORPUS, corpusCases, sourcesFor } from './corpus-files';
import { projectPlan, sequentialIds } from './plan-projection';

/**
 * The blueprint corpus: each folder of test/fixtures/blueprints holds a blueprint.yaml (with the
 * files it imports and its scripts), optional inputs.yaml, and either expected-plan.json (the
 * projected deployment plan, instance ids made sequential) or expected-error.json (`code`,
 * `path`, `file` and `line` where given, and a `message` substring; `"error": "InputError"` with
 * its `kind` for inputs a deployment is refused for). `plugins/<name>.yaml` and
 * `blueprints/<id>.yaml` answer `plugin:` and `blueprint:` imports.
 *
 * UPDATE_EXPECTED=1 writes expected-plan.json from the parser — only for a new blueprint, and
 * only to be reviewed line by line against the spec before it is committed.
 */
const cases = corpusCases();

async function run(dir: string) {
  const file = join(dir, 'blueprint.yaml');
  const inputsFile = join(dir, 'inputs.yaml');
  const inputs = existsSync(inputsFile)
    ? ((parse(readFileSync(inputsFile, 'utf8')) ?? {}) as JsonObject)
    : {};
  const plan = await parseBlueprint(readFileSync(file, 'utf8'), file, { sources: sourcesFor(dir) });
  return prepareDeploymentPlan(plan, inputs, { newId: sequentialIds() });
}

describe('blueprint corpus', () => {
  it('has at least 40 blueprints', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(CORPUS, name);
    const errorFile = join(dir, 'expected-error.json');
    const planFile = join(dir, 'expected-plan.json');
    if (existsSync(errorFile)) {
      const expected = JSON.parse(readFileSync(errorFile, 'utf8'));
      const error = await run(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (expected.error === 'InputError') {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toContain(expected.message);
        expect((error as InputError).kind).toBe(expected.kind);
        return;
      }
      expect(error).toBeInstanceOf(DslError);
      const dsl = error as DslError;
      expect(dsl.message).toContain(expected.message);
      if ('code' in expected) expect(dsl.code).toBe(expected.code);
      if ('path' in expected) expect(dsl.path).toBe(expected.path);
      if ('line' in expected) expect(dsl.location?.line).toBe(expected.line);
      if ('file' in expected) expect(dsl.location?.file).toBe(join(dir, expected.file));
      return;
    }
    const projected = projectPlan(await run(dir));
    if (process.env.UPDATE_EXPECTED === '1' && !existsSync(planFile)) {
      writeFileSync(planFile, `${JSON.stringify(projected, null, 2)}\n`);
    }
    expect(projected).toEqual(JSON.parse(readFileSync(planFile, 'utf8')));
  });
});
