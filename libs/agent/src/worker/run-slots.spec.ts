import { RunSlots } from './run-slots';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('RunSlots', () => {
  it('lets `size` holders in at once and the next waiter in, in order, on each release', async () => {
    const slots = new RunSlots(2);
    const entered: string[] = [];
    const enter = (name: string) => slots.acquire().then(() => entered.push(name));
    void enter('a');
    void enter('b');
    void enter('c');
    void enter('d');
    await settled();
    expect(entered).toEqual(['a', 'b']);
    expect(slots.inUse).toBe(2);

    slots.release();
    await settled();
    expect(entered).toEqual(['a', 'b', 'c']);
    slots.release();
    await settled();
    expect(entered).toEqual(['a', 'b', 'c', 'd']);

    slots.release();
    slots.release();
    expect(slots.inUse).toBe(0);
  });

  it('refuses a size below one', () => {
    expect(() => new RunSlots(0)).toThrow(/at least 1/);
  });
});
