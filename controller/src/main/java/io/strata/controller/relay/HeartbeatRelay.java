package io.strata.controller.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.strata.protocol.heartbeat.Heartbeat;
import io.strata.protocol.heartbeat.HeartbeatResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower replica's side of heartbeat aggregation (the design's "followers take heartbeats and
 * aggregate"). The follower takes an agent's heartbeat whole, as every replica does: it
 * authenticates the agent, keeps its record and when it was heard ({@link
 * io.strata.controller.zookeeper.AgentRegistry}). Only the task side goes on to the leader ({@link
 * #taskSide}: results, running tasks, reachable pools; no inventory), gathered with other agents'
 * into one request of up to {@code maxBatch} heartbeats. The agent's request waits for the leader's
 * answer for it and returns the tasks, acknowledgements and cancellations the leader would have
 * answered itself. The agent stays on the follower: the leader takes one request per batch instead
 * of one per agent, and never parses an inventory.
 *
 * <p>Nothing is lost when the leader does not answer (none known, unreachable, a fail-over, a
 * timeout): the agent gets no tasks and no acknowledgements, so it sends its results again with its
 * next heartbeat, and the leader records a result once whichever way it came. A heartbeat whose
 * agent stopped waiting is not sent. Failures are counted and logged at most every 30 s; {@link
 * #healthy} turns false while the last batch failed.
 *
 * <p>Thread-safe. One thread gathers batches; at most {@code inFlight} await the leader at once.
 */
public final class HeartbeatRelay implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatRelay.class);

  /** The most heartbeats one request to the leader carries. */
  public static final int MAX_BATCH = 5_000;

  /** The most heartbeats waiting to be sent: every agent of a large follower once. */
  static final int MAX_WAITING = 100_000;

  private static final Duration LEADER_URL_TTL = Duration.ofSeconds(1);
  private static final Duration LOG_EVERY = Duration.ofSeconds(30);

  /** How often a follower reads the leader's board of work ({@link #wakeAgents}). */
  static final Duration BOARD_EVERY = Duration.ofSeconds(1);

  /**
   * @param token the bearer token of role {@code replica} presented to the leader
   * @param maxBatch heartbeats per request, 1 to {@link #MAX_BATCH}
   * @param maxWait how long the first heartbeat of a batch waits for others
   * @param inFlight batches awaiting the leader at once
   * @param timeout how long an agent's heartbeat waits for the leader's answer
   */
  public record Settings(
      String token, int maxBatch, Duration maxWait, int inFlight, Duration timeout) {}

  /** A heartbeat waiting for the leader; answered once, by whoever claims it first. */
  private record Pending(
      Heartbeat beat, CompletableFuture<HeartbeatResponse> answer, AtomicBoolean claimed) {
    Pending(Heartbeat beat) {
      this(beat, new CompletableFuture<>(), new AtomicBoolean());
    }

    boolean claim() {
      return claimed.compareAndSet(false, true);
    }
  }

  private final Supplier<String> leaderUrl;
  private final ObjectMapper json;
  private final Settings settings;
  private final Clock clock;
  private final LinkedBlockingQueue<Pending> waiting = new LinkedBlockingQueue<>(MAX_WAITING);
  private final Semaphore inFlight;
  private final ExecutorService answers;
  private final HttpClient http;
  private final LongAdder relayed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder boardReads = new LongAdder();
  private final LongAdder boardReadsFailed = new LongAdder();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private volatile boolean lastBatchFailed;
  private volatile String url;
  private volatile Instant urlReadAt = Instant.EPOCH;
  private volatile Instant loggedAt = Instant.EPOCH;
  private volatile Thread sender;
  private volatile Thread reader;
  private volatile WorkSignals signals;
  private volatile BooleanSupplier leads = () -> false;
  private String board = ""; // Of the leader's board, read by the reader thread only.
  private long boardVersion;

  /**
   * @param leaderUrl where the leader serves now, or null when unknown; read at most once a second
   *     and again after a failure
   */
  public HeartbeatRelay(
      Supplier<String> leaderUrl, ObjectMapper json, Settings settings, Clock clock) {
    this.leaderUrl = leaderUrl;
    this.json = json;
    this.settings = settings;
    this.clock = clock;
    this.inFlight = new Semaphore(settings.inFlight());
    this.answers = Executors.newFixedThreadPool(2, named("heartbeat-relay-answers"));
    this.http =
        HttpClient.newBuilder()
            .executor(answers)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .build();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void start() {
    Thread t = new Thread(this::gather, "heartbeat-relay");
    t.setDaemon(true);
    sender = t;
    t.start();
    if (signals != null) {
      Thread r = new Thread(this::readBoard, "heartbeat-relay-work");
      r.setDaemon(true);
      reader = r;
      r.start();
    }
  }

  /**
   * Wakes the agents waiting on this follower ({@link WorkSignals}) when the leader queues work for
   * their pools: once a second it reads the leader's board ({@code GET /api/v1/relay/work}), one
   * request whatever the number of agents, and always, so that it has read on to the board's
   * present when an agent comes to wait; not while this replica leads ({@code leads}), whose own
   * queue signals its waits: read back, its board woke each pool's agents a second time. Call
   * before {@link #start}.
   */
  public void wakeAgents(WorkSignals signals, BooleanSupplier leads) {
    this.signals = signals;
    this.leads = leads;
  }

  @Override
  public void stop() throws InterruptedException {
    Thread t = sender;
    sender = null;
    if (t != null) {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(5));
    }
    Thread r = reader;
    reader = null;
    if (r != null) {
      r.interrupt();
      r.join(TimeUnit.SECONDS.toMillis(5));
    }
    for (Pending p; (p = waiting.poll()) != null; ) {
      if (p.claim()) {
        p.answer().complete(null);
      }
    }
    answers.shutdownNow();
  }

  /**
   * What the leader's dispatcher reads of a heartbeat: its results, the tasks it runs and the pools
   * it reaches. The inventory stays with the follower, which keeps the agent's record.
   */
  public static Heartbeat taskSide(Heartbeat beat) {
    return new Heartbeat(
        beat.agentId(),
        beat.node(),
        beat.version(),
        null,
        beat.sequence(),
        beat.sentAt(),
        null,
        beat.pools(),
        beat.progress(),
        beat.results());
  }

  /**
   * Hands the task side of {@code beat} to the leader with the next batch and waits for the
   * leader's answer for it, at most the configured timeout.
   *
   * @return the leader's answer (tasks, acknowledgements, cancellations), or null when none came:
   *     the agent is then answered without tasks and sends its results again
   */
  public HeartbeatResponse relay(Heartbeat beat) throws InterruptedException {
    Pending pending = new Pending(taskSide(beat));
    if (!waiting.offer(pending)) {
      failed(1, "more than " + MAX_WAITING + " heartbeats waiting for the leader");
      return null;
    }
    try {
      return pending.answer().get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // Not sent if it still waits; if the leader leased it tasks meanwhile, their lease lapses.
      if (pending.claim()) {
        failed(1, "no answer from the leader within " + settings.timeout());
        return null;
      }
      return answered(pending); // The answer came just now.
    } catch (ExecutionException e) {
      return null;
    }
  }

  private static HeartbeatResponse answered(Pending pending) throws InterruptedException {
    try {
      return pending.answer().get();
    } catch (ExecutionException e) {
      return null;
    }
  }

  private void gather() {
    while (sender != null) {
      try {
        Pending first = waiting.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        List<Pending> batch = new ArrayList<>();
        batch.add(first);
        long deadline = System.nanoTime() + settings.maxWait().toNanos();
        while (batch.size() < settings.maxBatch()) {
          long left = deadline - System.nanoTime();
          Pending next = left <= 0 ? waiting.poll() : waiting.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        inFlight.acquire();
        // Waiting for a permit gathers more: a slow leader gets fewer, larger batches.
        while (batch.size() < settings.maxBatch()) {
          Pending next = waiting.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        batch.removeIf(p -> p.claimed().get());
        if (batch.isEmpty()) {
          inFlight.release();
          continue;
        }
        send(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("heartbeat relay: {}", e.toString(), e);
      }
    }
  }

  /** Sends one batch; the permit taken for it is released when its answer is in. */
  private void send(List<Pending> batch) {
    String base = leader();
    if (base == null) {
      fail(batch, "no leader known");
      inFlight.release();
      return;
    }
    byte[] body;
    try {
      body = json.writeValueAsBytes(new RelayedBeats(batch.stream().map(Pending::beat).toList()));
    } catch (java.io.IOException e) {
      fail(batch, e.toString());
      inFlight.release();
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base).resolve("api/v1/relay/heartbeats"))
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + settings.token())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    batches.increment();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, error) -> {
              try {
                answer(batch, response, error);
              } finally {
                inFlight.release();
              }
            });
  }

  private void answer(List<Pending> batch, HttpResponse<byte[]> response, Throwable error) {
    if (error != null) {
      urlReadAt = Instant.EPOCH; // The leader may have moved: read where it is again.
      fail(batch, error.toString());
      return;
    }
    if (response.statusCode() != 200) {
      urlReadAt = Instant.EPOCH;
      String text = new String(response.body(), StandardCharsets.UTF_8);
      fail(
          batch,
          "the leader answered "
              + response.statusCode()
              + ": "
              + text.substring(0, Math.min(200, text.length())));
      return;
    }
    List<HeartbeatResponse> answered;
    try {
      answered = json.readValue(response.body(), RelayAnswers.class).answers();
    } catch (java.io.IOException e) {
      fail(batch, "unreadable answer from the leader: " + e.getMessage());
      return;
    }
    if (answered == null || answered.size() != batch.size()) {
      fail(
          batch,
          "the leader answered "
              + (answered == null ? "no" : answered.size())
              + " heartbeats of "
              + batch.size());
      return;
    }
    lastBatchFailed = false;
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      if (!pending.claim()) {
        continue; // Its agent stopped waiting.
      }
      HeartbeatResponse one = answered.get(i);
      if (one == null) {
        failed(1, "the leader could not record a heartbeat of " + pending.beat().agentId());
      } else {
        relayed.increment();
      }
      pending.answer().complete(one);
    }
  }

  private void readBoard() {
    while (reader != null) {
      try {
        if (!leads.getAsBoolean()) {
          readBoardOnce();
        }
        Thread.sleep(BOARD_EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("heartbeat relay, reading the leader's work: {}", e.toString(), e);
      }
    }
  }

  /**
   * Reads what the leader queued work for since the last read, and wakes the agents waiting here on
   * those pools. What cannot be read is missed: its agents beat on their schedule.
   */
  void readBoardOnce() throws InterruptedException {
    String base = leader();
    if (base == null) {
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base)
                    .resolve(
                        "api/v1/relay/work?board="
                            + URLEncoder.encode(board, StandardCharsets.UTF_8)
                            + "&since="
                            + boardVersion))
            .timeout(settings.timeout())
            .header("Authorization", "Bearer " + settings.token())
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        urlReadAt = Instant.EPOCH;
        boardReadsFailed.increment();
        return;
      }
      WorkSignals.Read read = json.readValue(response.body(), WorkSignals.Read.class);
      board = read.board();
      boardVersion = read.version();
      boardReads.increment();
      if (read.pools() != null && !read.pools().isEmpty()) {
        signals.wake(read.pools());
      }
    } catch (java.io.IOException e) {
      urlReadAt = Instant.EPOCH;
      boardReadsFailed.increment();
    }
  }

  private String leader() {
    Instant now = clock.instant();
    if (urlReadAt.plus(LEADER_URL_TTL).isBefore(now)) {
      String read = leaderUrl.get();
      url = read == null ? null : read.endsWith("/") ? read : read + "/";
      urlReadAt = now;
    }
    return url;
  }

  private void fail(List<Pending> batch, String why) {
    lastBatchFailed = true;
    List<Pending> unanswered = batch.stream().filter(Pending::claim).toList();
    failed(unanswered.size(), why);
    unanswered.forEach(p -> p.answer().complete(null));
  }

  private void failed(int count, String why) {
    failed.add(count);
    lastError.set(why);
    Instant now = clock.instant();
    if (loggedAt.plus(LOG_EVERY).isBefore(now)) {
      loggedAt = now;
      LOG.warn(
          "heartbeats not relayed to the leader ({} so far): {}; their agents get no tasks and"
              + " send their results again",
          failed.sum(),
          why);
    }
  }

  /** Heartbeats the leader answered. */
  public long relayed() {
    return relayed.sum();
  }

  /** Heartbeats that got no answer from the leader. */
  public long failed() {
    return failed.sum();
  }

  /** Requests sent to the leader. */
  public long batches() {
    return batches.sum();
  }

  /** Reads of the leader's board of work that it answered. */
  public long boardReads() {
    return boardReads.sum();
  }

  /** Reads of the leader's board of work that failed. */
  public long boardReadsFailed() {
    return boardReadsFailed.sum();
  }

  /** False while the last batch sent got no answer; then {@link #lastError} says why. */
  public boolean healthy() {
    return !lastBatchFailed;
  }

  public String lastError() {
    return lastError.get();
  }
}
