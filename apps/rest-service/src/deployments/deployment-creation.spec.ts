import { InputError } from '@nestify/dsl';
import { checkDisplayName, inputFailure, lastLine } from './deployment-creation.service';

function inputError(problems: { kind: string; input: string; message: string }[]): InputError {
  return new InputError(
    problems[0].kind as never,
    problems.map((p) => p.input),
    problems as never,
    problems.map((p) => p.message).join('\n'),
  );
}

describe('inputFailure', () => {
  it('reports missing inputs first, as Cloudify checks them before unknown ones', () => {
    const error = inputFailure(
      inputError([
        { kind: 'unknown_input', input: 'x', message: 'Unknown' },
        { kind: 'missing_required_input', input: 'a', message: 'Missing a' },
        { kind: 'missing_required_input', input: 'b', message: 'Missing b' },
      ]),
    );
    expect(error).toMatchObject({
      errorCode: 'missing_required_deployment_input_error',
      message: 'missing inputs: a, b',
    });
  });

  it('reports unknown inputs', () => {
    expect(
      inputFailure(inputError([{ kind: 'unknown_input', input: 'x', message: 'u' }])),
    ).toMatchObject({
      errorCode: 'unknown_deployment_input_error',
      message: 'Cannot create deployment - unknown inputs: x',
    });
  });

  it("turns type and constraint problems into create-dep-env's failure: the last line", () => {
    const failure = inputFailure(
      inputError([
        { kind: 'input_type', input: 'a', message: 'first' },
        { kind: 'input_constraint', input: 'b', message: 'second' },
      ]),
    );
    expect(failure).toBe('second');
  });
});

describe('lastLine', () => {
  it('keeps the last non-blank line', () => {
    expect(lastLine('Traceback\n  at x\nValueError: boom\n')).toBe('ValueError: boom');
  });
});

describe('checkDisplayName', () => {
  it('normalises to NFKC and refuses control characters and names over 256 characters', () => {
    expect(checkDisplayName('ｄep')).toBe('dep');
    expect(() => checkDisplayName('a\u0007b')).toThrow(/Control characters/);
    expect(() => checkDisplayName('x'.repeat(257))).toThrow(/too long/);
  });
});
