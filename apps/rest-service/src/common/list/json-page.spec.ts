import { ListQuery } from './list-query';
import { rawListEnvelope } from './json-page';

const query: ListQuery = {
  size: 2,
  offset: 4,
  sort: [],
  getAllResults: false,
  allTenants: false,
  getData: false,
  filters: {},
};

describe('rawListEnvelope', () => {
  it('writes the items and Cloudify’s pagination metadata as one UTF-8 JSON body', () => {
    const items = ['{"id":"café","ip":"10.0.0.1"}', '{"id":"🚀","note":"naïve \\"quoted\\""}'];
    const body = rawListEnvelope({ items, total: 7 }, query).bytes;
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      items: [
        { id: 'café', ip: '10.0.0.1' },
        { id: '🚀', note: 'naïve "quoted"' },
      ],
      metadata: { pagination: { total: 7, size: 2, offset: 4 }, filtered: null },
    });
    // Sized exactly: no stray bytes after the closing brace.
    expect(body.toString('utf8').endsWith('"filtered":null}}')).toBe(true);
  });

  it('writes an empty page as an empty array', () => {
    const body = rawListEnvelope({ items: [], total: 0 }, { ...query, offset: 0 }).bytes;
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      items: [],
      metadata: { pagination: { total: 0, size: 2, offset: 0 }, filtered: null },
    });
  });
});
