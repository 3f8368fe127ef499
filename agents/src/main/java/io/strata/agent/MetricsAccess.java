package io.strata.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.runtime.ConfiguredInputException;
import io.strata.runtime.http.JsonErrors;
import io.strata.topology.FleetYaml;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the agent's HTTP port ({@code /metrics}, {@code /status}) as the controller guards its
 * {@code /metrics}: a request needs {@code Authorization: Bearer <token>} of a token with the role
 * {@code metrics} (401 without a known token, 403 with a token of other roles). The tokens are read
 * from a file of the controller's tokens format (SHA-256 of each token, never a token), so the
 * controller's {@code tokens.yml} can be given as it is. With {@code loopback}, a request from the
 * loopback address needs no token (a Prometheus on the same host, the demo).
 *
 * <p>The file is looked at on each request (one {@code stat}) and read again when it changed; a
 * change that cannot be used is logged and leaves the tokens read before in force. Thread-safe.
 */
public final class MetricsAccess implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsAccess.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String METRICS = "metrics";

  /** One entry of the tokens file; what else it holds (agent ids) is not the agent's business. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Token(
      @JsonProperty("name") String name,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("roles") List<String> roles) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record TokensFile(@JsonProperty("tokens") List<Token> tokens) {}

  /** What a request gets. */
  enum Decision {
    ADMIT,
    UNAUTHORIZED,
    FORBIDDEN
  }

  private final Path tokensFile;
  private final boolean loopback;
  private volatile Map<String, Set<String>> rolesByHash;
  private volatile FileTime readAt;

  /**
   * @param tokensFile the tokens file; null for none (then only loopback, if allowed, is admitted)
   * @param loopback whether requests from the loopback address need no token
   * @throws ConfiguredInputException naming the file and entry when the file cannot be used
   */
  public MetricsAccess(Path tokensFile, boolean loopback) {
    this.tokensFile = tokensFile;
    this.loopback = loopback;
    this.rolesByHash = tokensFile == null ? Map.of() : read(tokensFile);
    this.readAt = tokensFile == null ? null : modified(tokensFile);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    switch (decide(request.getRemoteAddr(), request.getHeader("Authorization"))) {
      case ADMIT -> chain.doFilter(req, res);
      case UNAUTHORIZED -> {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"strata-agent\"");
        JsonErrors.write(
            response, 401, "this agent's port needs a bearer token with the role metrics");
      }
      case FORBIDDEN ->
          JsonErrors.write(response, 403, "this agent's port is for the role metrics");
    }
  }

  /** What a request from {@code address} with this {@code Authorization} header gets. */
  Decision decide(String address, String authorization) {
    if (loopback && isLoopback(address)) {
      return Decision.ADMIT;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Decision.UNAUTHORIZED;
    }
    Set<String> roles = tokens().get(sha256(authorization.substring(7).trim()));
    if (roles == null) {
      return Decision.UNAUTHORIZED;
    }
    return roles.contains(METRICS) ? Decision.ADMIT : Decision.FORBIDDEN;
  }

  private Map<String, Set<String>> tokens() {
    if (tokensFile == null) {
      return rolesByHash;
    }
    FileTime now = modified(tokensFile);
    if (now != null && !now.equals(readAt)) {
      synchronized (this) {
        if (!now.equals(readAt)) {
          readAt = now;
          try {
            rolesByHash = read(tokensFile);
            LOG.info("{} read again: {} tokens", tokensFile, rolesByHash.size());
          } catch (ConfiguredInputException e) {
            LOG.error(
                "{} changed but cannot be used; the tokens read before stay in force:\n{}",
                tokensFile,
                e.getMessage());
          }
        }
      }
    }
    return rolesByHash;
  }

  /**
   * Reads a tokens file.
   *
   * @throws ConfiguredInputException naming the file and each bad entry
   */
  static Map<String, Set<String>> read(Path file) {
    TokensFile parsed;
    try {
      parsed = new ObjectMapper(FleetYaml.factory()).readValue(file.toFile(), TokensFile.class);
    } catch (IOException e) {
      throw new ConfiguredInputException(
          "metrics.tokensFile: cannot read "
              + file
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    Map<String, Set<String>> out = new HashMap<>();
    List<Token> tokens = parsed == null || parsed.tokens() == null ? List.of() : parsed.tokens();
    StringBuilder problems = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.sha256() == null || !SHA256.matcher(t.sha256()).matches()) {
        problems.append(
            "\nmetrics.tokensFile: %s: tokens[%d]: sha256 must be 64 lower-case hex digits"
                .formatted(file, i));
      } else {
        out.put(t.sha256(), t.roles() == null ? Set.of() : Set.copyOf(t.roles()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfiguredInputException(problems.substring(1));
    }
    return Map.copyOf(out);
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return address != null && InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
