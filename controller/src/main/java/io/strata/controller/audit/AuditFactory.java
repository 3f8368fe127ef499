package io.strata.controller.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.strata.controller.s3.S3ClientFactory;
import io.strata.controller.s3.SystemDataset;
import io.strata.runtime.ConfiguredInputException;
import io.strata.topology.ClusterMap;
import io.strata.topology.Pool;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The audit trail (the {@code audit:} block of the controller's configuration).
 *
 * <ul>
 *   <li>{@code spoolDir}: this replica's spool and chain head; keep it on a persistent volume, one
 *       per replica; default {@code audit-spool}.
 *   <li>{@code bucket}: the system dataset on the pools; default {@code strata-system}.
 *   <li>{@code flushInterval}: how often spooled records are retried when no pool took them; 100 ms
 *       to 10 min, default 5 s. A new record is flushed at once.
 * </ul>
 */
public class AuditFactory {
  @NotEmpty private String spoolDir = "audit-spool";

  @NotEmpty
  @Pattern(regexp = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", message = "must be an S3 bucket name")
  private String bucket = "strata-system";

  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
  private Duration flushInterval = Duration.seconds(5);

  @Min(1)
  @Max(16)
  private int poolCandidates = 3;

  /**
   * Builds this replica's trail over the pools of the cluster map; the application manages it and
   * registers what records into it and reads it.
   */
  public AuditTrail build(
      ObjectMapper json, String replicaId, Supplier<ClusterMap> map, S3ClientFactory clients) {
    // Checked here, before anything starts, so that a bad path is one line, not a failed start.
    Path spool = spoolDirectory(spoolDir);
    AuditStore store = new AuditStore(new PoolTargets(map, clients, poolCandidates), bucket, json);
    AuditTrail trail =
        new AuditTrail(
            replicaId, Clock.systemUTC(), spool, store, flushInterval.toJavaDuration(), json);
    return trail;
  }

  /**
   * Checks, creating nothing, that the spool directory can be used: it is a writable directory, or
   * it can be created (its nearest existing parent is a writable directory).
   *
   * @throws ConfiguredInputException naming {@code audit.spoolDir} and what is wrong
   */
  public void checkSpoolDirectory() {
    Path spool = Path.of(spoolDir).toAbsolutePath();
    Path existing = spool;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new ConfiguredInputException(
          "audit.spoolDir: cannot create "
              + spool
              + (existing == null ? "" : " (" + existing + " is not a directory)"));
    }
    if (!Files.isWritable(existing)) {
      throw new ConfiguredInputException(
          "audit.spoolDir: "
              + (existing.equals(spool)
                  ? spool + " is not writable"
                  : "cannot create " + spool + " (" + existing + " is not writable)")
              + " by this process");
    }
  }

  /**
   * The spool directory, created if missing.
   *
   * @throws ConfiguredInputException naming {@code audit.spoolDir} when it cannot be created or
   *     written
   */
  static Path spoolDirectory(String spoolDir) {
    Path spool = Path.of(spoolDir);
    try {
      Files.createDirectories(spool);
    } catch (IOException e) {
      throw new ConfiguredInputException(
          "audit.spoolDir: cannot create "
              + spool.toAbsolutePath()
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (!Files.isWritable(spool)) {
      throw new ConfiguredInputException(
          "audit.spoolDir: " + spool.toAbsolutePath() + " is not writable by this process");
    }
    return spool;
  }

  /**
   * The first {@code candidates} pools of the current map in map order, with a client each (built
   * once per pool).
   */
  private record PoolTargets(Supplier<ClusterMap> map, S3ClientFactory clients, int candidates)
      implements Supplier<List<SystemDataset.Target>> {

    @Override
    public List<SystemDataset.Target> get() {
      List<SystemDataset.Target> out = new ArrayList<>();
      for (Pool pool : map.get().pools().values().stream().limit(candidates).toList()) {
        try {
          out.add(new SystemDataset.Target(pool.id(), clients.client(pool)));
        } catch (IllegalArgumentException e) {
          // Credentials cannot be read: the pool's health check says why; try the next pool.
        }
      }
      return out;
    }
  }

  @JsonProperty
  public int getPoolCandidates() {
    return poolCandidates;
  }

  @JsonProperty
  public void setPoolCandidates(int poolCandidates) {
    this.poolCandidates = poolCandidates;
  }

  @JsonProperty
  public String getSpoolDir() {
    return spoolDir;
  }

  @JsonProperty
  public void setSpoolDir(String spoolDir) {
    this.spoolDir = spoolDir;
  }

  @JsonProperty
  public String getBucket() {
    return bucket;
  }

  @JsonProperty
  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  @JsonProperty
  public Duration getFlushInterval() {
    return flushInterval;
  }

  @JsonProperty
  public void setFlushInterval(Duration flushInterval) {
    this.flushInterval = flushInterval;
  }
}
