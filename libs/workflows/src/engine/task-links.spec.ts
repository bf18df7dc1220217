import { TaskLinks } from './task-links';

describe('TaskLinks', () => {
  it('keeps insertion order and ignores duplicates, below and above the set threshold', () => {
    for (const count of [3, 40]) {
      const links = new TaskLinks<number>();
      for (let i = 0; i < count; i++) expect(links.add(i)).toBe(true);
      expect(links.add(1)).toBe(false);
      expect(links.size).toBe(count);
      expect(links.delete(1)).toBe(true);
      expect(links.delete(1)).toBe(false);
      links.add(1);
      const expected = [...Array(count).keys()].filter((i) => i !== 1).concat(1);
      expect([...links]).toEqual(expected);
      expect(links.toArray()).toEqual(expected);
      expect(links.has(1)).toBe(true);
      expect(links.has(count)).toBe(false);
    }
  });

  it('is empty after clear and after deleting its only item', () => {
    const links = new TaskLinks<string>();
    links.add('a');
    links.delete('a');
    expect(links.size).toBe(0);
    expect([...links]).toEqual([]);
    for (let i = 0; i < 20; i++) links.add(`t${i}`);
    links.clear();
    expect(links.size).toBe(0);
    expect(links.toArray()).toEqual([]);
  });

  it('gives a copy from toArray, safe to iterate while the links change', () => {
    const links = new TaskLinks<number>();
    [1, 2, 3].forEach((i) => links.add(i));
    for (const item of links.toArray()) links.delete(item);
    expect(links.size).toBe(0);
  });
});
