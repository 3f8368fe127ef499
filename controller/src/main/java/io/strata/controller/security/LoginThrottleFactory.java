package io.strata.controller.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * Password guessing limits (the {@code security.loginThrottle:} block); see {@link LoginThrottle}.
 *
 * <ul>
 *   <li>{@code user.backoffAfter}, {@code user.lockAfter}: failures of one user name after which
 *       each attempt waits, and after which it is locked; 1 to 1,000, defaults 2 and 5.
 *   <li>{@code address.backoffAfter}, {@code address.lockAfter}: the same per source address;
 *       defaults 10 and 20 (one address may be a whole hospital's NAT).
 *   <li>{@code backoff}: the first wait, doubled with each further failure; 0 to 1 min, default 1
 *       s; 0 turns back-off off (locks only).
 *   <li>{@code maxBackoff}: the longest wait before the lock; 1 s to 1 h, default 5 min.
 *   <li>{@code lockFor}: how long a lock lasts, and how long failures are remembered; 1 min to 24
 *       h, default 15 min.
 * </ul>
 */
public class LoginThrottleFactory {
  @Valid @NotNull private RuleFactory user = new RuleFactory(2, 5);

  @Valid @NotNull private RuleFactory address = new RuleFactory(10, 20);

  @NotNull
  @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
  private Duration backoff = Duration.seconds(1);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @MaxDuration(value = 1, unit = TimeUnit.HOURS)
  private Duration maxBackoff = Duration.minutes(5);

  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MINUTES)
  @MaxDuration(value = 24, unit = TimeUnit.HOURS)
  private Duration lockFor = Duration.minutes(15);

  /** One kind of key's counts. */
  public static class RuleFactory {
    @Min(1)
    @Max(1_000)
    private int backoffAfter;

    @Min(1)
    @Max(1_000)
    private int lockAfter;

    public RuleFactory() {}

    RuleFactory(int backoffAfter, int lockAfter) {
      this.backoffAfter = backoffAfter;
      this.lockAfter = lockAfter;
    }

    @AssertTrue(message = "backoffAfter must not be more than lockAfter")
    public boolean isOrdered() {
      return backoffAfter <= lockAfter;
    }

    LoginThrottle.Rule rule() {
      return new LoginThrottle.Rule(backoffAfter, lockAfter);
    }

    @JsonProperty
    public int getBackoffAfter() {
      return backoffAfter;
    }

    @JsonProperty
    public void setBackoffAfter(int backoffAfter) {
      this.backoffAfter = backoffAfter;
    }

    @JsonProperty
    public int getLockAfter() {
      return lockAfter;
    }

    @JsonProperty
    public void setLockAfter(int lockAfter) {
      this.lockAfter = lockAfter;
    }
  }

  /** The settings these keys give. */
  public LoginThrottle.Settings settings() {
    return new LoginThrottle.Settings(
        user.rule(),
        address.rule(),
        backoff.toJavaDuration(),
        maxBackoff.toJavaDuration(),
        lockFor.toJavaDuration());
  }

  @JsonProperty
  public RuleFactory getUser() {
    return user;
  }

  @JsonProperty
  public void setUser(RuleFactory user) {
    this.user = user;
  }

  @JsonProperty
  public RuleFactory getAddress() {
    return address;
  }

  @JsonProperty
  public void setAddress(RuleFactory address) {
    this.address = address;
  }

  @JsonProperty
  public Duration getBackoff() {
    return backoff;
  }

  @JsonProperty
  public void setBackoff(Duration backoff) {
    this.backoff = backoff;
  }

  @JsonProperty
  public Duration getMaxBackoff() {
    return maxBackoff;
  }

  @JsonProperty
  public void setMaxBackoff(Duration maxBackoff) {
    this.maxBackoff = maxBackoff;
  }

  @JsonProperty
  public Duration getLockFor() {
    return lockFor;
  }

  @JsonProperty
  public void setLockFor(Duration lockFor) {
    this.lockFor = lockFor;
  }
}
