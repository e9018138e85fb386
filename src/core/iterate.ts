// Generators over iterables: how a cursor's rows become output rows one at a time (a million rows are
// never an array). Imports nothing.

/** Each item through `f`, as it is read. */
export function* mapped<A, B>(items: Iterable<A>, f: (a: A) => B): Generator<B> {
  for (const a of items) yield f(a);
}

/** The items, each passed to `seen` as it is read (a count for a field written after them). */
export function* counted<T>(items: Iterable<T>, seen: (item: T) => void): Generator<T> {
  for (const i of items) {
    seen(i);
    yield i;
  }
}
