import { filterRulesCondition, parseFilterRules, pyRepr } from './filter-rules';

const TARGET = {
  storageId: 'd.storageId',
  labelsTable: 'deployments_labels',
  attributes: { id: 'd.id', blueprint_id: 'b.id' },
};

describe('parseFilterRules', () => {
  it('accepts label and attribute rules, lower-cases keys and drops duplicates', () => {
    const rule = { key: 'Env', values: ['prod'], operator: 'any_of', type: 'label' };
    expect(parseFilterRules([rule, { ...rule, key: 'env' }], 'deployments')).toEqual([
      { key: 'env', values: ['prod'], operator: 'any_of', type: 'label' },
    ]);
    expect(
      parseFilterRules(
        [{ key: 'blueprint_id', values: [], operator: 'is_not_empty', type: 'attribute' }],
        'deployments',
      ),
    ).toHaveLength(1);
  });

  it.each([
    [['x'], /is not a dictionary/],
    [[{ key: 'a', values: ['b'], type: 'label' }], /entries in the filter rule is missing/],
    [[{ key: 1, values: ['b'], operator: 'any_of', type: 'label' }], /key must be a string/],
    [[{ key: 'a', values: 'b', operator: 'any_of', type: 'label' }], /values must be a list/],
    [
      [{ key: 'a', values: ['b'], operator: 'contains', type: 'label' }],
      /by labels must be one of/,
    ],
    [[{ key: 'a', values: ['b'], operator: 'is_null', type: 'label' }], /must be empty/],
    [[{ key: 'a', values: [], operator: 'any_of', type: 'label' }], /at least one item/],
    [[{ key: 'a', values: ['b'], operator: 'is_not', type: 'attribute' }], /by attributes/],
    [
      [{ key: 'state', values: ['b'], operator: 'any_of', type: 'attribute' }],
      /Allowed attributes to filter deployments by are id, blueprint_id/,
    ],
    [[{ key: 'schedules', values: ['b'], operator: 'any_of', type: 'attribute' }], /schedules/],
    [
      [{ key: 'a', values: ['b'], operator: 'any_of', type: 'thing' }],
      /type must be one of label, attribute/,
    ],
    [[{ key: 'id', values: ['a b'], operator: 'any_of', type: 'attribute' }], /illegal characters/],
    [[{ key: 'a b', values: ['b'], operator: 'any_of', type: 'label' }], /illegal characters/],
  ])('refuses %j with invalid_filter_rule', (rules, message) => {
    expect(() => parseFilterRules(rules, 'deployments')).toThrow(message);
    try {
      parseFilterRules(rules, 'deployments');
    } catch (error) {
      expect((error as { errorCode: string }).errorCode).toBe('invalid_filter_rule');
      expect((error as Error).message).toMatch(/^The filter rule .* is not in the right format\. /);
    }
  });

  it('prints the rule as Python does', () => {
    expect(pyRepr({ key: 'a', values: ['b'], ok: true, n: null })).toBe(
      "{'key': 'a', 'values': ['b'], 'ok': True, 'n': None}",
    );
  });
});

describe('filterRulesCondition', () => {
  it('is undefined without rules', () => {
    expect(filterRulesCondition([], TARGET)).toBeUndefined();
  });

  it('ANDs label subqueries and attribute comparisons with parameters', () => {
    const rules = parseFilterRules(
      [
        { key: 'env', values: ['prod', 'dev'], operator: 'any_of', type: 'label' },
        { key: 'tier', values: [], operator: 'is_null', type: 'label' },
        { key: 'id', values: ['web'], operator: 'starts_with', type: 'attribute' },
        { key: 'blueprint_id', values: ['a', 'b'], operator: 'not_contains', type: 'attribute' },
      ],
      'deployments',
    );
    const condition = filterRulesCondition(rules, TARGET)!;
    expect(condition.sql).toBe(
      '(d.storageId IN (SELECT fl._labeled_model_fk FROM deployments_labels fl WHERE fl.key = :fr0 AND fl.value IN (:...fr1))) AND ' +
        '(d.storageId NOT IN (SELECT fl._labeled_model_fk FROM deployments_labels fl WHERE fl.key = :fr2)) AND ' +
        '((d.id ILIKE :fr3)) AND ' +
        "((b.id NOT LIKE '%' || :fr4 || '%' AND b.id NOT LIKE '%' || :fr5 || '%'))",
    );
    expect(condition.params).toEqual({
      fr0: 'env',
      fr1: ['prod', 'dev'],
      fr2: 'tier',
      fr3: 'web%',
      fr4: 'a',
      fr5: 'b',
    });
  });

  it('never matches an attribute without a column', () => {
    const rules = parseFilterRules(
      [{ key: 'schedules', values: [], operator: 'is_not_empty', type: 'attribute' }],
      'deployments',
    );
    expect(filterRulesCondition(rules, TARGET)!.sql).toBe('(FALSE)');
  });
});
