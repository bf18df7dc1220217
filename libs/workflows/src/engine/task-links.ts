/** Read access to a task's links: a Set's reading API, iterated in insertion order. */
export interface TaskLinksView<T> extends Iterable<T> {
  readonly size: number;
  has(item: T): boolean;
  toArray(): T[];
}

/**
 * An insertion-ordered set of tasks (a task's dependencies or dependents), created on first use.
 * Almost every task has one to three links, where a small array is several times cheaper to
 * allocate than a Set; the few tasks with many (a db every app connects to, a subgraph's
 * children) switch to a Set so that removals stay O(1).
 */
export class TaskLinks<T> implements TaskLinksView<T> {
  private static readonly SET_ABOVE = 16;
  private items: T[] | null = null;
  private set: Set<T> | null = null;

  get size(): number {
    return this.set ? this.set.size : (this.items?.length ?? 0);
  }

  has(item: T): boolean {
    return this.set ? this.set.has(item) : this.items !== null && this.items.includes(item);
  }

  /** Adds `item` unless present; returns whether it was added. */
  add(item: T): boolean {
    if (this.set) {
      if (this.set.has(item)) return false;
      this.set.add(item);
      return true;
    }
    if (this.items === null) {
      this.items = [item];
      return true;
    }
    if (this.items.includes(item)) return false;
    this.items.push(item);
    if (this.items.length > TaskLinks.SET_ABOVE) {
      this.set = new Set(this.items);
      this.items = null;
    }
    return true;
  }

  /** Removes `item` keeping the order of the others; returns whether it was there. */
  delete(item: T): boolean {
    if (this.set) return this.set.delete(item);
    if (this.items === null) return false;
    const index = this.items.indexOf(item);
    if (index < 0) return false;
    if (this.items.length === 1) this.items = null;
    else this.items.splice(index, 1);
    return true;
  }

  clear(): void {
    this.items = null;
    this.set = null;
  }

  /** The links as an array (a copy: safe to iterate while the links change). */
  toArray(): T[] {
    if (this.set) return [...this.set];
    return this.items ? this.items.slice() : [];
  }

  /** Iterates in insertion order; the links must not change meanwhile (use toArray then). */
  [Symbol.iterator](): Iterator<T> {
    if (this.set) return this.set.values();
    return (this.items ?? EMPTY)[Symbol.iterator]() as Iterator<T>;
  }
}

const EMPTY: readonly never[] = [];
