import { parseListQuery } from './list-query';
import { listEnvelope } from './list-envelope';

const SPEC = { fields: ['id', 'name', 'created_at', 'visibility'], searchField: 'id' };

describe('parseListQuery', () => {
  it('applies the defaults', () => {
    expect(parseListQuery({}, SPEC)).toEqual({
      size: 1000,
      offset: 0,
      sort: [],
      include: undefined,
      search: undefined,
      getAllResults: false,
      allTenants: false,
      getData: false,
      filters: {},
    });
  });

  it('reads paging, sorting, include, search, flags and equality filters', () => {
    const query = parseListQuery(
      {
        _size: '5',
        _offset: '10',
        _sort: ['-created_at', '+name', '@id'],
        _include: 'id,name',
        _search: 'web',
        _get_all_results: 'True',
        _all_tenants: '1',
        visibility: ['tenant', 'global'],
      },
      SPEC,
    );
    expect(query).toMatchObject({
      size: 5,
      offset: 10,
      sort: [
        { field: 'created_at', direction: 'DESC' },
        { field: 'name', direction: 'ASC' },
        { field: 'id', direction: 'ASC' },
      ],
      include: ['id', 'name'],
      search: 'web',
      getAllResults: true,
      allTenants: true,
      filters: { visibility: ['tenant', 'global'] },
    });
  });

  it.each([
    [{ _size: '-1' }, /_size/],
    [{ _offset: 'x' }, /_offset/],
    [{ _sort: 'nope' }, /Sort keys '\['nope'\]' do not exist/],
    [{ color: 'red' }, /Filter keys '\['color'\]' do not exist/],
    [{ _get_all_results: 'maybe' }, /must be a boolean/],
  ])('refuses %j with bad_parameters_error', (query, message) => {
    expect(() => parseListQuery(query, SPEC)).toThrow(message);
    try {
      parseListQuery(query, SPEC);
    } catch (error) {
      expect((error as { errorCode: string }).errorCode).toBe('bad_parameters_error');
    }
  });

  it('refuses unknown include keys with no_such_include_field_error, listing the allowed ones', () => {
    expect(() => parseListQuery({ _include: 'id,colour' }, SPEC)).toThrow(
      "Include keys '['colour']' do not exist. Allowed keys are: ['id', 'name', 'created_at', 'visibility']",
    );
  });
});

describe('listEnvelope', () => {
  it('echoes the requested page size and keeps only included fields', () => {
    const query = parseListQuery({ _size: '2', _include: 'id' }, SPEC);
    expect(listEnvelope([{ id: 'a', name: 'x' }], 7, query)).toEqual({
      items: [{ id: 'a' }],
      metadata: { pagination: { total: 7, size: 2, offset: 0 }, filtered: null },
    });
  });
});
