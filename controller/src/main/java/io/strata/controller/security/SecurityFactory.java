package io.strata.controller.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.strata.controller.files.FileChange;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;

/**
 * Who may call the controller (the {@code security:} block of the controller's configuration).
 *
 * <ul>
 *   <li>{@code usersFile}: people, with bcrypt password hashes and roles; default {@code
 *       users.yml}. Missing means no users.
 *   <li>{@code tokensFile}: bearer tokens by SHA-256, with roles (and an agent id for agents);
 *       default {@code tokens.yml}. Missing means no tokens.
 *   <li>{@code sessionTimeout}: a console session ends after this long without a request; 1 min to
 *       12 h, default 15 min.
 *   <li>{@code maxSessions}: live console sessions, counted over all replicas (sessions are kept in
 *       ZooKeeper), 1 to 100,000, default 1,000.
 *   <li>{@code secureCookie}: mark the session cookie {@code Secure}; default true. Only a
 *       plain-HTTP deployment reached by a browser on another host needs false.
 *   <li>{@code metrics.public}: serve {@code /metrics} without a token; default false. For
 *       loopback-only deployments (the demo), where Prometheus scrapes from the same host.
 *   <li>{@code loginThrottle}: password guessing limits, shared by all replicas; see {@link
 *       LoginThrottleFactory}.
 * </ul>
 *
 * Relative file names resolve against the working directory.
 */
public class SecurityFactory {
  @NotEmpty private String usersFile = "users.yml";

  @NotEmpty private String tokensFile = "tokens.yml";

  @NotNull
  @MinDuration(value = 1, unit = java.util.concurrent.TimeUnit.MINUTES)
  @MaxDuration(value = 12, unit = java.util.concurrent.TimeUnit.HOURS)
  private Duration sessionTimeout = Duration.minutes(15);

  @Min(1)
  @Max(100_000)
  private int maxSessions = 1_000;

  private boolean secureCookie = true;

  @Valid @NotNull private MetricsAccess metrics = new MetricsAccess();

  @Valid @NotNull private LoginThrottleFactory loginThrottle = new LoginThrottleFactory();

  /** Access to {@code /metrics}. */
  public static class MetricsAccess {
    private boolean open;

    @JsonProperty("public")
    public boolean isPublic() {
      return open;
    }

    @JsonProperty("public")
    public void setPublic(boolean open) {
      this.open = open;
    }
  }

  /**
   * Reads the users and tokens (and again whenever their files change) and builds the console's
   * session store; the application registers what they guard.
   *
   * @param onChange told of every change of the files taken up, taken or refused
   * @throws IllegalArgumentException naming every bad entry of the users or tokens file
   */
  public Security build(CuratorFramework curator, Clock clock, Consumer<FileChange> onChange) {
    IdentityFiles identities =
        IdentityFiles.load(Path.of(usersFile), Path.of(tokensFile), onChange);
    IdentityStore store = new IdentityStore(curator, identities);
    SessionStore sessions =
        new SessionStore(
            curator,
            clock,
            sessionTimeout.toJavaDuration(),
            maxSessions,
            user -> store.get().roles(user));
    return new Security(
        identities,
        store,
        sessions,
        new LoginThrottle(curator, clock, loginThrottle.settings()),
        secureCookie,
        metrics.isPublic());
  }

  /**
   * Who may call what, built: the users and tokens of the files (to be managed: it watches them),
   * those in force (the files' changed by the user API's entries in ZooKeeper; to be managed), the
   * console's sessions, the login throttle (to be managed: it sweeps), and the settings of the
   * filters that check them.
   */
  public record Security(
      IdentityFiles identities,
      IdentityStore store,
      SessionStore sessions,
      LoginThrottle throttle,
      boolean secureCookie,
      boolean metricsPublic) {

    /** The filter that guards the console's pages and {@code /metrics}, for every path. */
    public WebSecurityFilter webFilter() {
      return new WebSecurityFilter(store, sessions, metricsPublic);
    }
  }

  @JsonProperty
  public String getUsersFile() {
    return usersFile;
  }

  @JsonProperty
  public void setUsersFile(String usersFile) {
    this.usersFile = usersFile;
  }

  @JsonProperty
  public String getTokensFile() {
    return tokensFile;
  }

  @JsonProperty
  public void setTokensFile(String tokensFile) {
    this.tokensFile = tokensFile;
  }

  @JsonProperty
  public Duration getSessionTimeout() {
    return sessionTimeout;
  }

  @JsonProperty
  public void setSessionTimeout(Duration sessionTimeout) {
    this.sessionTimeout = sessionTimeout;
  }

  @JsonProperty
  public int getMaxSessions() {
    return maxSessions;
  }

  @JsonProperty
  public void setMaxSessions(int maxSessions) {
    this.maxSessions = maxSessions;
  }

  @JsonProperty
  public boolean isSecureCookie() {
    return secureCookie;
  }

  @JsonProperty
  public void setSecureCookie(boolean secureCookie) {
    this.secureCookie = secureCookie;
  }

  @JsonProperty
  public LoginThrottleFactory getLoginThrottle() {
    return loginThrottle;
  }

  @JsonProperty
  public void setLoginThrottle(LoginThrottleFactory loginThrottle) {
    this.loginThrottle = loginThrottle;
  }

  @JsonProperty
  public MetricsAccess getMetrics() {
    return metrics;
  }

  @JsonProperty
  public void setMetrics(MetricsAccess metrics) {
    this.metrics = metrics;
  }
}
