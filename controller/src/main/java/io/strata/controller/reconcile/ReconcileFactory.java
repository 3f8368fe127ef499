package io.strata.controller.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.strata.fleet.reconcile.ReconcileSettings;
import io.strata.fleet.reconcile.ScaledClock;
import io.strata.policy.model.Bandwidth;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code reconcile:} block of the controller's configuration.
 *
 * <ul>
 *   <li>{@code interval}: between rounds, 100 ms to 10 min, default 10 s.
 *   <li>{@code rescanInterval}: a shard's scan older than this is repeated, 1 s to 7 days, default
 *       1 h.
 *   <li>{@code grace}: a pool without an up agent keeps counting its copies this long, 0 to 7 days,
 *       default 10 min.
 *   <li>{@code taskLease}: an agent that does not report a task for this long loses it, 5 s to 1
 *       day, default 2 min.
 *   <li>{@code tasksPerAgent}: 1 to 64, default 4. {@code tasksPerPool}: queued tasks per executing
 *       pool, 1 to 10,000, default 16. {@code ingestTasksPerDataset}: of those, ingest tasks of one
 *       dataset (one hospital's new objects), 1 to {@code tasksPerPool}, default 4, so that one
 *       hospital's migration cannot starve the others' new studies.
 *   <li>{@code misplacedShare}: share of stored bytes voluntary movement may have queued, 0.001 to
 *       1, default 0.05 (Ceph's balancer uses 5%).
 *   <li>{@code shardMaxObjects}: a shard listed with more objects in any pool is split, 10 to 10^9,
 *       default 20,000. {@code shardMaxBytes}: the same for the bytes it lists, 1 MiB to 1 PiB,
 *       default 32 TiB. A shard past a threshold is cut into pieces of about half of it (at most 64
 *       at once). Why these defaults: the README's "Shards, splits and budgets".
 *   <li>{@code scrubInterval}: how long after its last verification each pool's copy of a shard is
 *       re-read against its SHA-256 (a {@code verify} task, at the lowest priority); a copy found
 *       wrong is repaired from a verified one and never counts meanwhile. 1 s to 365 days, default
 *       20 days (Ceph deep-scrubs weekly; archives of cold data read less often). {@code
 *       scrubDeadline}: every copy is verified at least this often; a copy past half of the time
 *       between falling due and its deadline is scrubbed before any voluntary movement. At least
 *       {@code scrubInterval}, at most 365 days, default 30 days. {@code scrubBytesPerSecond}: the
 *       bytes one pool may re-read for scrubs, as a rate, 1 MiB/s to 1 TiB/s, default 512 MiB/s (a
 *       pool of 1.2 PiB read in 30 days); the leader shows per pool whether it suffices ({@code
 *       strata_scrub_deadline_feasible}).
 *   <li>{@code rackBytesInFlight}: bytes of copies leased at once through one rack (read from or
 *       written to a pool in it), as a size ({@code 64GiB}); a rack with none in flight takes any
 *       one copy. Default 0: no cap.
 *   <li>{@code balanceTarget}: the live balancer evens out each tier until its fullest pool holds
 *       at most this many times its weighted share, 1.01 to 2, default 1.05. {@code
 *       balanceInterval}: how often it runs at most, 1 s to 1 day, default 10 min.
 *   <li>{@code rackBytesPerSecond}, {@code roomBytesPerSecond}: byte-rate budgets on copies through
 *       one rack and one room, repairs included (a policy's {@code movement.bandwidth} caps its
 *       voluntary movement besides), as a rate ({@code 2GiB/s}), 1 MiB/s to 1 TiB/s; defaults 2
 *       GiB/s per rack (about a third of two 25 Gbit/s uplinks, so that hospitals' writes and reads
 *       keep the rest) and 20 GiB/s per room.
 *   <li>{@code recallHold}: how long recalled data stays on the hot tier before it returns to its
 *       phase, counted from the recall on the clock objects age by; a recall's deadline must fall
 *       within it. 1 min to 365 days, default 14 days.
 *   <li>{@code policyFiles}: storage policy files; empty (the default) means the bundled library.
 *   <li>{@code timeScale}: how much faster than real time objects age, 1 to 10^7, default 1; the
 *       demo uses 86,400 (a day per second).
 *   <li>{@code timeOrigin}: the instant from which sped-up time counts (ISO-8601, e.g. {@code
 *       2026-12-06T12:00:00Z}); default none: from when the replica starts. Replicas that plan with
 *       a {@code timeScale} above 1 must share one, or each ages objects from its own start and a
 *       fail-over moves the age clock back by the difference times the scale (a replica restarted
 *       ten seconds after another, at a day per second, reads ten days earlier).
 * </ul>
 */
public class ReconcileFactory {
  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
  private Duration interval = Duration.seconds(10);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 7, unit = TimeUnit.DAYS)
  private Duration rescanInterval = Duration.hours(1);

  @NotNull
  @MinDuration(value = 0, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 7, unit = TimeUnit.DAYS)
  private Duration grace = Duration.minutes(10);

  @NotNull
  @MinDuration(value = 5, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  private Duration taskLease = Duration.minutes(2);

  @Min(1)
  @Max(64)
  private int tasksPerAgent = 4;

  @Min(1)
  @Max(10_000)
  private int tasksPerPool = 16;

  @Min(1)
  @Max(10_000)
  private int ingestTasksPerDataset = 4;

  @DecimalMin("0.001")
  @DecimalMax("1")
  private double misplacedShare = 0.05;

  @Min(10)
  @Max(1_000_000_000)
  private long shardMaxObjects = 20_000;

  @NotNull
  @MinDataSize(value = 1, unit = DataSizeUnit.MEBIBYTES)
  @MaxDataSize(value = 1, unit = DataSizeUnit.PEBIBYTES)
  private DataSize shardMaxBytes = DataSize.tebibytes(32);

  @JsonProperty
  public DataSize getShardMaxBytes() {
    return shardMaxBytes;
  }

  @JsonProperty
  public void setShardMaxBytes(DataSize shardMaxBytes) {
    this.shardMaxBytes = shardMaxBytes;
  }

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 365, unit = TimeUnit.DAYS)
  private Duration scrubInterval = Duration.days(20);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 365, unit = TimeUnit.DAYS)
  private Duration scrubDeadline = Duration.days(30);

  private long scrubBytesPerSecond = 512L << 20;

  @JsonProperty
  public Duration getScrubDeadline() {
    return scrubDeadline;
  }

  @JsonProperty
  public void setScrubDeadline(Duration scrubDeadline) {
    this.scrubDeadline = scrubDeadline;
  }

  @JsonProperty("scrubBytesPerSecond")
  public String getScrubBytesPerSecond() {
    return new Bandwidth(scrubBytesPerSecond).toString();
  }

  @JsonProperty("scrubBytesPerSecond")
  public void setScrubBytesPerSecond(String rate) {
    this.scrubBytesPerSecond = rate("scrubBytesPerSecond", rate);
  }

  /** A copy falls due before its deadline, or the deadline could not be kept. */
  @io.dropwizard.validation.ValidationMethod(
      message = "reconcile.scrubInterval must not be longer than reconcile.scrubDeadline")
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isScrubDueBeforeItsDeadline() {
    return scrubInterval == null
        || scrubDeadline == null
        || scrubInterval.toJavaDuration().compareTo(scrubDeadline.toJavaDuration()) <= 0;
  }

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MINUTES)
  @MaxDuration(value = 365, unit = TimeUnit.DAYS)
  private Duration recallHold = Duration.days(14);

  @NotNull private List<String> policyFiles = new ArrayList<>();

  private long rackBytesPerSecond = 2L << 30;
  private long roomBytesPerSecond = 20L << 30;

  /** The least and the most a byte-rate budget may be. */
  static final long MIN_RATE = 1L << 20;

  static final long MAX_RATE = 1L << 40;

  @JsonProperty("rackBytesPerSecond")
  public String getRackBytesPerSecond() {
    return new Bandwidth(rackBytesPerSecond).toString();
  }

  @JsonProperty("rackBytesPerSecond")
  public void setRackBytesPerSecond(String rate) {
    this.rackBytesPerSecond = rate("rackBytesPerSecond", rate);
  }

  @JsonProperty("roomBytesPerSecond")
  public String getRoomBytesPerSecond() {
    return new Bandwidth(roomBytesPerSecond).toString();
  }

  @JsonProperty("roomBytesPerSecond")
  public void setRoomBytesPerSecond(String rate) {
    this.roomBytesPerSecond = rate("roomBytesPerSecond", rate);
  }

  /** A rate within the bounds, or an error that names the setting and what it takes. */
  private static long rate(String key, String text) {
    long bytes;
    try {
      bytes = Bandwidth.parse(text).bytesPerSecond();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reconcile." + key + ": " + e.getMessage());
    }
    if (bytes < MIN_RATE || bytes > MAX_RATE) {
      throw new IllegalArgumentException(
          "reconcile." + key + ": " + text + " is not between 1 MiB/s and 1 TiB/s");
    }
    return bytes;
  }

  @DecimalMin("1.01")
  @DecimalMax("2")
  private double balanceTarget = 1.05;

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.DAYS)
  private Duration balanceInterval = Duration.minutes(10);

  @JsonProperty
  public double getBalanceTarget() {
    return balanceTarget;
  }

  @JsonProperty
  public void setBalanceTarget(double balanceTarget) {
    this.balanceTarget = balanceTarget;
  }

  @JsonProperty
  public Duration getBalanceInterval() {
    return balanceInterval;
  }

  @JsonProperty
  public void setBalanceInterval(Duration balanceInterval) {
    this.balanceInterval = balanceInterval;
  }

  @JsonProperty
  public Duration getRecallHold() {
    return recallHold;
  }

  @JsonProperty
  public void setRecallHold(Duration recallHold) {
    this.recallHold = recallHold;
  }

  @JsonProperty
  public Duration getScrubInterval() {
    return scrubInterval;
  }

  @JsonProperty
  public void setScrubInterval(Duration scrubInterval) {
    this.scrubInterval = scrubInterval;
  }

  @JsonProperty
  public long getShardMaxObjects() {
    return shardMaxObjects;
  }

  @JsonProperty
  public void setShardMaxObjects(long shardMaxObjects) {
    this.shardMaxObjects = shardMaxObjects;
  }

  @DecimalMin("1")
  @DecimalMax("10000000")
  private double timeScale = 1;

  @NotNull private DataSize rackBytesInFlight = DataSize.bytes(0);

  @JsonProperty
  public DataSize getRackBytesInFlight() {
    return rackBytesInFlight;
  }

  @JsonProperty
  public void setRackBytesInFlight(DataSize rackBytesInFlight) {
    this.rackBytesInFlight = rackBytesInFlight;
  }

  /** The settings as a value. */
  public ReconcileSettings settings() {
    return new ReconcileSettings(
        interval.toJavaDuration(),
        rescanInterval.toJavaDuration(),
        grace.toJavaDuration(),
        taskLease.toJavaDuration(),
        tasksPerAgent,
        tasksPerPool,
        misplacedShare,
        shardMaxObjects,
        shardMaxBytes.toBytes(),
        scrubInterval.toJavaDuration(),
        rackBytesInFlight.toBytes(),
        balanceTarget,
        balanceInterval.toJavaDuration(),
        rackBytesPerSecond,
        roomBytesPerSecond,
        ingestTasksPerDataset,
        scrubDeadline.toJavaDuration(),
        scrubBytesPerSecond);
  }

  /** An ingest share above a pool's whole queue would share nothing. */
  @io.dropwizard.validation.ValidationMethod(
      message = "reconcile.ingestTasksPerDataset must not be more than reconcile.tasksPerPool")
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isIngestShareWithinThePool() {
    return ingestTasksPerDataset <= tasksPerPool;
  }

  @JsonProperty
  public Duration getInterval() {
    return interval;
  }

  @JsonProperty
  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  @JsonProperty
  public Duration getRescanInterval() {
    return rescanInterval;
  }

  @JsonProperty
  public void setRescanInterval(Duration rescanInterval) {
    this.rescanInterval = rescanInterval;
  }

  @JsonProperty
  public Duration getGrace() {
    return grace;
  }

  @JsonProperty
  public void setGrace(Duration grace) {
    this.grace = grace;
  }

  @JsonProperty
  public Duration getTaskLease() {
    return taskLease;
  }

  @JsonProperty
  public void setTaskLease(Duration taskLease) {
    this.taskLease = taskLease;
  }

  @JsonProperty
  public int getTasksPerAgent() {
    return tasksPerAgent;
  }

  @JsonProperty
  public void setTasksPerAgent(int tasksPerAgent) {
    this.tasksPerAgent = tasksPerAgent;
  }

  @JsonProperty
  public int getTasksPerPool() {
    return tasksPerPool;
  }

  @JsonProperty
  public void setTasksPerPool(int tasksPerPool) {
    this.tasksPerPool = tasksPerPool;
  }

  @JsonProperty
  public int getIngestTasksPerDataset() {
    return ingestTasksPerDataset;
  }

  @JsonProperty
  public void setIngestTasksPerDataset(int ingestTasksPerDataset) {
    this.ingestTasksPerDataset = ingestTasksPerDataset;
  }

  @JsonProperty
  public double getMisplacedShare() {
    return misplacedShare;
  }

  @JsonProperty
  public void setMisplacedShare(double misplacedShare) {
    this.misplacedShare = misplacedShare;
  }

  @JsonProperty
  public List<String> getPolicyFiles() {
    return policyFiles;
  }

  @JsonProperty
  public void setPolicyFiles(List<String> policyFiles) {
    this.policyFiles = policyFiles;
  }

  private Instant timeOrigin;

  @JsonProperty
  public Instant getTimeOrigin() {
    return timeOrigin;
  }

  @JsonProperty
  public void setTimeOrigin(Instant timeOrigin) {
    this.timeOrigin = timeOrigin;
  }

  /**
   * The clock objects age by: {@code clock} sped up {@code timeScale} times from {@code
   * timeOrigin}, or from {@code clock}'s present instant when no origin is set.
   */
  public Clock ageClock(Clock clock) {
    return new ScaledClock(clock, timeOrigin == null ? clock.instant() : timeOrigin, timeScale);
  }

  @JsonProperty
  public double getTimeScale() {
    return timeScale;
  }

  @JsonProperty
  public void setTimeScale(double timeScale) {
    this.timeScale = timeScale;
  }
}
