package io.strata.bench.mover;

/** Wall time and CPU time of one copy. */
record Run(long nanos, CpuTime cpu) {

  interface Copy {
    void run() throws Exception;
  }

  static Run timed(Copy copy) {
    CpuTime.Snapshot before = CpuTime.snapshot();
    long start = System.nanoTime();
    try {
      copy.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long elapsed = System.nanoTime() - start;
    return new Run(elapsed, CpuTime.snapshot().since(before));
  }
}
