import { cellText, renderFields, renderTable } from './table';

describe('renderTable', () => {
  it('aligns columns to the widest cell and shows nulls as blanks', () => {
    const table = renderTable(
      ['id', 'state', 'created_at'],
      [
        { id: 'a', state: 'started', created_at: '2026-01-01T00:00:00.000Z' },
        { id: 'longer-id', state: null, created_at: null },
      ],
    );
    expect(table.split('\n')).toEqual([
      'id         state    created_at',
      '---------  -------  -----------------------',
      'a          started  2026-01-01 00:00:00.000',
      'longer-id',
    ]);
  });

  it('prints structures as JSON', () => {
    expect(cellText('inputs', { a: 1 })).toBe('{"a":1}');
    expect(cellText('n', 0)).toBe('0');
  });
});

describe('renderFields', () => {
  it('aligns the values', () => {
    expect(renderFields(['id', 'status'], { id: 'x', status: 'ok' })).toBe('id:     x\nstatus: ok');
  });
});
