import { topicMatches } from './topic-match';

describe('topicMatches', () => {
  it.each([
    ['events.#', 'events.default_tenant.dep.ex-1', true],
    ['events.#', 'events', true],
    ['events.*', 'events.a.b', false],
    ['events.*.dep.*', 'events.t.dep.ex', true],
    ['*.*.*.cpu.#', 'dep.vm.vm_1.cpu.total.user', true],
    ['*.*.*.cpu.#', 'dep.vm.vm_1.memory.free', false],
    ['#', '', true],
    ['#.ex', 'a.b.ex', true],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c', false],
    ['workflow', 'workflow', true],
  ])('%s against %s is %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
