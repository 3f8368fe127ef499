package io.strata.controller.audit;

import io.strata.controller.security.Hashes;
import io.strata.controller.security.Roles;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an audit record for every call of the API that may change something (POST, PUT, PATCH,
 * DELETE), whatever its outcome (401 and 403 included), and so for every login, and for every read
 * refused as a password login held back by the login throttle (HTTP Basic). One exception: an
 * agent's accepted heartbeat, and a follower's accepted batch of them ({@link #TELEMETRY}), is
 * telemetry, not an action (50,000 agents beat every 10 s), so it is recorded only when refused;
 * and a preview of a change ({@link #READS}) changes nothing, so it is not recorded, as reads are
 * not. The parameters enter the record only as a SHA-256 of the query string and the body, computed
 * as the body streams to the resource: nothing is buffered and no parameter is ever kept.
 *
 * <p>It fails closed with {@link AuditGate}: a call that may change something runs only once room
 * for its record is reserved in the spool.
 */
public final class AuditFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
  private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

  /**
   * Routes whose accepted calls are telemetry, recorded only when refused, with the role whose
   * calls they are: an agent's heartbeat, and a follower's batch of heartbeats it relays.
   */
  static final Map<String, String> TELEMETRY =
      Map.of(
          "POST /v1/agents/{id}/heartbeat", Roles.AGENT,
          "POST /v1/relay/heartbeats", Roles.REPLICA);

  /** Routes that take a body but change nothing: recorded as reads are, not at all. */
  static final Set<String> READS = Set.of("POST /v1/previews");

  /** What is left of a body the resource did not read is digested up to this many bytes. */
  private static final long MAX_DRAIN = 16L * 1024 * 1024;

  /** The request attribute holding the call's {@link Pending} record. */
  public static final String PENDING = "strata.audit.pending";

  private final AuditTrail trail;

  public AuditFilter(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (!MUTATING.contains(request.getMethod())) {
      chain.doFilter(req, res);
      if (request.getAttribute(AuditTags.REFUSED_LOGIN) != null) {
        record(new DigestingRequest(request), ((HttpServletResponse) res).getStatus(), null);
      }
      return;
    }
    DigestingRequest digesting = new DigestingRequest(request);
    Pending pending = new Pending(digesting);
    request.setAttribute(PENDING, pending);
    int outcome = 500;
    try {
      chain.doFilter(digesting, res);
      outcome = ((HttpServletResponse) res).getStatus();
    } finally {
      pending.complete(outcome);
    }
  }

  /** The record of one call, appended once: by whichever of the two filters completes it first. */
  public final class Pending {
    private final DigestingRequest request;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile AuditTrail.Reservation reservation;

    Pending(DigestingRequest request) {
      this.request = request;
    }

    /**
     * Reserves room in the spool for this call's record, before the call changes anything.
     *
     * @throws IOException when the spool cannot take it: the call must be refused
     */
    public void reserve() throws IOException {
      reservation = trail.reserve();
    }

    /** Appends the record with {@code outcome}; later calls do nothing. */
    public void complete(int outcome) {
      if (done.compareAndSet(false, true)) {
        AuditTrail.Reservation held = reservation;
        try {
          record(request, outcome, held);
        } finally {
          if (held != null) {
            held.close();
          }
        }
      }
    }
  }

  /**
   * True when a call of {@code action} by {@code role} needs no room reserved before it runs: a
   * preview, which changes nothing, and an agent's heartbeat, which is telemetry (agents go on
   * beating while the spool is full; a refused heartbeat's record may then be lost, and is logged).
   */
  static boolean exempt(Object action, Object role) {
    String a = String.valueOf(action);
    return READS.contains(a) || telemetry(a, role);
  }

  private static boolean telemetry(String action, Object role) {
    String by = TELEMETRY.get(action);
    return by != null && by.equals(role);
  }

  private void record(DigestingRequest request, int outcome, AuditTrail.Reservation reservation) {
    if (READS.contains(String.valueOf(request.getAttribute(AuditTags.ACTION)))) {
      // Not recorded; what is left of its body is still read, as for every other call, so that
      // a refused call does not leave bytes on a connection the client goes on using.
      request.drain();
      return;
    }
    if (outcome / 100 == 2
        && telemetry(
            String.valueOf(request.getAttribute(AuditTags.ACTION)),
            request.getAttribute(AuditTags.ROLE))) {
      return;
    }
    String path = request.getRequestURI();
    Object secretFree = request.getAttribute(AuditTags.PARAMETERS);
    String parameters;
    if (secretFree != null) {
      parameters = Hashes.sha256(secretFree.toString());
    } else {
      request.drain();
      parameters = request.digest();
    }
    AuditEvent event =
        new AuditEvent(
            text(request.getAttribute(AuditTags.PRINCIPAL)),
            text(request.getAttribute(AuditTags.ROLE)),
            request.getAttribute(AuditTags.ACTION) != null
                ? request.getAttribute(AuditTags.ACTION).toString()
                : request.getMethod() + " " + path,
            path,
            parameters,
            outcome,
            request.getRemoteAddr());
    try {
      trail.append(event, reservation);
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "AUDIT RECORD LOST for {} {} by {}: {}",
          event.action(),
          event.outcome(),
          event.principal(),
          e.toString());
    }
  }

  private static String text(Object o) {
    return o == null ? "-" : o.toString();
  }

  /** Feeds the query string and every body byte read into a SHA-256. */
  private static final class DigestingRequest extends HttpServletRequestWrapper {
    private final MessageDigest digest = Hashes.sha256Digest();
    private ServletInputStream stream;
    private BufferedReader reader;

    DigestingRequest(HttpServletRequest request) {
      super(request);
      String query = request.getQueryString();
      digest.update(("?" + (query == null ? "" : query) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream in = super.getInputStream();
        stream =
            new ServletInputStream() {
              @Override
              public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                  digest.update((byte) b);
                }
                return b;
              }

              @Override
              public int read(byte[] buf, int off, int len) throws IOException {
                int n = in.read(buf, off, len);
                if (n > 0) {
                  digest.update(buf, off, n);
                }
                return n;
              }

              @Override
              public boolean isFinished() {
                return in.isFinished();
              }

              @Override
              public boolean isReady() {
                return in.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
              }
            };
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      if (reader == null) {
        String encoding = getCharacterEncoding();
        reader =
            new BufferedReader(
                new InputStreamReader(getInputStream(), encoding == null ? "UTF-8" : encoding));
      }
      return reader;
    }

    /** Digests what the resource left unread, so that the digest covers the whole body. */
    void drain() {
      try {
        ServletInputStream in = getInputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total < MAX_DRAIN && (n = in.read(buf, 0, buf.length)) > 0) {
          total += n;
        }
      } catch (IOException | IllegalStateException e) {
        // The body is gone (connection closed, or read as a reader): digest what was seen.
      }
    }

    String digest() {
      return HexFormat.of().formatHex(digest.digest());
    }
  }
}
