/**
 * AMQP topic matching: words are separated by dots, `*` matches exactly one word and `#` zero or
 * more words.
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: string[], p: number, key: string[], k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    // `#` swallows zero words, or one and stays in place for more.
    return (
      matchWords(pattern, p + 1, key, k) || (k < key.length && matchWords(pattern, p, key, k + 1))
    );
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, p + 1, key, k + 1);
}
