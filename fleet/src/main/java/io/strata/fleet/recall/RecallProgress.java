package io.strata.fleet.recall;

/**
 * How far a recall has come: the objects it names, as the leader's last scans show them, and those
 * of them with a good copy on their hot tier. Immutable; {@link #plus} adds shards up.
 *
 * @param objects objects named
 * @param bytes their bytes
 * @param hotObjects of them, those with a good copy on the hot tier
 * @param hotBytes their bytes
 */
public record RecallProgress(long objects, long bytes, long hotObjects, long hotBytes) {
  public static final RecallProgress NONE = new RecallProgress(0, 0, 0, 0);

  /** One object named: {@code hot} when it has a good copy on its hot tier. */
  public static RecallProgress of(long bytes, boolean hot) {
    return new RecallProgress(1, bytes, hot ? 1 : 0, hot ? bytes : 0);
  }

  public RecallProgress plus(RecallProgress other) {
    return new RecallProgress(
        objects + other.objects,
        bytes + other.bytes,
        hotObjects + other.hotObjects,
        hotBytes + other.hotBytes);
  }

  /** Bytes still to come back. */
  public long remainingBytes() {
    return bytes - hotBytes;
  }

  /** Whether every object named is on the hot tier (true of none). */
  public boolean complete() {
    return hotObjects == objects;
  }
}
