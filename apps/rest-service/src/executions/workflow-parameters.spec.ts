import { mergeWorkflowParameters } from './workflow-parameters';

describe('mergeWorkflowParameters', () => {
  const declared = {
    count: { type: 'integer', default: 1 },
    ratio: { type: 'float', default: 0.5 },
    flag: { type: 'boolean', default: false },
    name: { type: 'string', default: 'x' },
    ids: { type: 'list', item_type: 'integer', default: [] },
    operation: { description: 'required, no default' },
    optional: { required: false },
  };

  it('fills defaults and converts strings to the declared types', () => {
    expect(
      mergeWorkflowParameters(
        'w',
        declared,
        { count: '3', flag: 'True', ids: ['1', 2], operation: 'op' },
        false,
      ),
    ).toEqual({ count: 3, ratio: 0.5, flag: true, name: 'x', ids: [1, 2], operation: 'op' });
  });

  it('refuses undeclared parameters unless custom ones are allowed', () => {
    expect(() =>
      mergeWorkflowParameters('w', declared, { operation: 'o', extra: 1 }, false),
    ).toThrow('Workflow "w" does not have the following parameters declared: extra.');
    expect(
      mergeWorkflowParameters('w', declared, { operation: 'o', extra: 1 }, true),
    ).toHaveProperty('extra', 1);
  });

  it('refuses wrong types, naming each', () => {
    expect(() =>
      mergeWorkflowParameters('w', declared, { operation: 'o', count: 'many', ids: ['a'] }, false),
    ).toThrow(
      'Parameter "count" must be of type integer\nParameter "ids" must be of type list of integers',
    );
    expect(() =>
      mergeWorkflowParameters('w', declared, { operation: 'o', name: 5 }, false),
    ).toThrow(/"name" must be of type string/);
  });

  it('refuses missing required parameters', () => {
    expect(() => mergeWorkflowParameters('w', declared, {}, false)).toThrow(
      'Workflow "w" must be provided with the following parameters to execute: operation',
    );
  });
});
