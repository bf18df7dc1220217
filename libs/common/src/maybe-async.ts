/** A value, or the promise of one: what a cache answers now and a database later. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Applies `next` to `value` at once when it is already there, else once it arrives: hot paths
 * whose caches usually answer stay free of a promise per call, and stay one code path.
 */
export function thenOrNow<T, R>(
  value: MaybePromise<T>,
  next: (value: T) => MaybePromise<R>,
): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
