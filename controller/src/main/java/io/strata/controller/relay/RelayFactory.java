package io.strata.controller.relay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.strata.runtime.ConfiguredInputException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The {@code relay:} block of the controller's configuration: whether a follower replica takes its
 * agents' heartbeats whole, handing the leader only their task side in batches ({@link
 * HeartbeatRelay}), or points its agents to the leader (without {@code tokenFile}, as before).
 *
 * <ul>
 *   <li>{@code tokenFile}: a file holding the bearer token this replica presents to the leader, a
 *       token of role {@code replica} in the tokens file; relative to the working directory. No
 *       relay without it.
 *   <li>{@code maxBatch}: heartbeats per request to the leader, 1 to 5,000, default 500.
 *   <li>{@code maxWait}: how long the first heartbeat of a batch waits for others, 0 to 1 s,
 *       default 50 ms: the leader's cost is mostly per request (HTTP, filters, JAX-RS), so the
 *       larger the batch the less of it per heartbeat; at the design's rate a batch fills sooner.
 *   <li>{@code inFlight}: batches awaiting the leader's answer at once, 1 to 64, default 2; while
 *       they wait, the next batch gathers.
 *   <li>{@code timeout}: how long an agent's heartbeat waits for the leader's answer before it is
 *       answered without tasks (the agent sends its results again), 100 ms to 60 s, default 5 s;
 *       below the agents' own 10 s.
 * </ul>
 */
public class RelayFactory {
  private String tokenFile;

  @Min(1)
  @Max(HeartbeatRelay.MAX_BATCH)
  private int maxBatch = 500;

  @NotNull
  @MaxDuration(value = 1, unit = TimeUnit.SECONDS)
  private Duration maxWait = Duration.milliseconds(50);

  @Min(1)
  @Max(64)
  private int inFlight = 2;

  @NotNull
  @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
  @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
  private Duration timeout = Duration.seconds(5);

  /** Whether followers relay heartbeats: a token file is configured. */
  public boolean enabled() {
    return tokenFile != null && !tokenFile.isBlank();
  }

  /**
   * The relay's settings with the token read from its file.
   *
   * @throws ConfiguredInputException when the file cannot be read or holds no token, naming it
   */
  public HeartbeatRelay.Settings settings() {
    Path file = Path.of(tokenFile);
    String token;
    try {
      token = Files.readString(file).strip();
    } catch (IOException e) {
      throw new ConfiguredInputException(
          "relay.tokenFile: cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    if (token.isEmpty() || token.contains("\n")) {
      throw new ConfiguredInputException(
          "relay.tokenFile: " + file.toAbsolutePath() + " must hold one token on one line");
    }
    return new HeartbeatRelay.Settings(
        token, maxBatch, maxWait.toJavaDuration(), inFlight, timeout.toJavaDuration());
  }

  @JsonProperty
  public String getTokenFile() {
    return tokenFile;
  }

  @JsonProperty
  public void setTokenFile(String tokenFile) {
    this.tokenFile = tokenFile;
  }

  @JsonProperty
  public int getMaxBatch() {
    return maxBatch;
  }

  @JsonProperty
  public void setMaxBatch(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  @JsonProperty
  public Duration getMaxWait() {
    return maxWait;
  }

  @JsonProperty
  public void setMaxWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  @JsonProperty
  public int getInFlight() {
    return inFlight;
  }

  @JsonProperty
  public void setInFlight(int inFlight) {
    this.inFlight = inFlight;
  }

  @JsonProperty
  public Duration getTimeout() {
    return timeout;
  }

  @JsonProperty
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }
}
