/**
 * Work started ahead of its turn: the work for the next `depth` items is under way (in the image
 * workers) while the caller is busy with the item before, and each is taken in order. A failure
 * waits for its item's turn: it does not count as unhandled before, and taking it rejects.
 */
export class Ahead<Result> {
  private readonly queue: Promise<Result>[] = [];

  constructor(
    private readonly start: (index: number) => Promise<Result>,
    private readonly total: number,
    private readonly depth: number,
    private next = 0,
  ) {
    this.fill();
  }

  /** The next item's work, the one after the last taken; the work `depth` items on starts now. */
  take(): Promise<Result> {
    const taken = this.queue.shift();
    if (!taken) throw new RangeError(`all ${this.total} items were taken`);
    this.fill();
    return taken;
  }

  private fill(): void {
    while (this.queue.length < this.depth && this.next < this.total) {
      const work = this.start(this.next++);
      work.catch(() => undefined);
      this.queue.push(work);
    }
  }
}
