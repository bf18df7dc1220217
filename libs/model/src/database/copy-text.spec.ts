import { copyTextRows } from './copy-text';

describe('copyTextRows', () => {
  it('writes tab-separated rows with \\N for null and escapes what would break a column', () => {
    expect(copyTextRows([[1, null, 'a\tb\nc\\d\re', undefined]])).toBe(
      '1\t\\N\ta\\tb\\nc\\\\d\\re\t\\N\n',
    );
  });
});
