package io.strata.agent.mover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a pool that answers the first {@code failures} requests with
 * 503 SlowDown-style errors and closes the connection, then passes everything through; or, made by
 * {@link #droppingPuts}, a pool that loses what it acknowledges; or, made by {@link
 * #misreportingEtags}, a pool whose objects have ETags of 32 hex digits that are not their MD5; or,
 * made by {@link #recording}, a pool whose requests are recorded; or, made by {@link
 * #holdingListings}, a pool whose listing pages after the first wait until the test releases them;
 * or, made by {@link #intercepting}, a pool whose requests a test may answer itself; or, made by
 * {@link #encrypting}, an emulation of a pool that encrypts what it is asked to.
 */
final class FaultyProxy implements AutoCloseable {

  /** A test's hand in the requests of an {@link #intercepting} proxy. */
  @FunctionalInterface
  interface Interceptor {
    /**
     * Called with each request's head (request line and headers) before it is passed on.
     *
     * @return a whole HTTP response to answer with instead, or null to pass the request on
     */
    String answer(String requestHead) throws Exception;
  }

  /** How the proxy misbehaves; see the factories. */
  private record Mode(
      int failures,
      boolean dropPuts,
      String reportedEtag,
      boolean reportedEncrypted,
      boolean recording,
      int listingsPassed,
      Interceptor interceptor,
      boolean encrypting) {
    /** Whether each connection carries one request, which the proxy reads. */
    boolean oneRequestPerConnection() {
      return dropPuts
          || encrypting
          || reportedEtag != null
          || recording
          || listingsPassed < Integer.MAX_VALUE
          || interceptor != null;
    }
  }

  private static final byte[] ERROR_BODY =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code>"
              + "<Message>injected fault</Message><RequestId>0</RequestId></Error>")
          .getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicInteger failuresLeft;
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Mode mode;
  private final AtomicInteger listings = new AtomicInteger();
  private final CountDownLatch held = new CountDownLatch(1);
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final Thread acceptor;

  FaultyProxy(int upstreamPort, int failures) throws IOException {
    this(
        upstreamPort,
        new Mode(failures, false, null, false, false, Integer.MAX_VALUE, null, false));
  }

  /**
   * A proxy that acknowledges every PUT with 200 and an ETag of its body, but never passes it on,
   * as a target that loses writes it acknowledged; every other request is passed through. Each
   * connection carries one request, so no PUT can slip through on a kept-alive one.
   */
  static FaultyProxy droppingPuts(int upstreamPort) throws IOException {
    return new FaultyProxy(
        upstreamPort, new Mode(0, true, null, false, false, Integer.MAX_VALUE, null, false));
  }

  /**
   * A proxy that answers every GET and HEAD with the ETag {@code etag} (32 hex digits) in place of
   * the object's; everything else is passed through. Each connection carries one request. With
   * {@code encrypted}, the answers also say the object is encrypted with a KMS key, as servers do
   * whose ETags of encrypted objects are not an MD5 of their content; without, it is a pool whose
   * content is not what its ETag says.
   */
  static FaultyProxy misreportingEtags(int upstreamPort, String etag, boolean encrypted)
      throws IOException {
    return new FaultyProxy(
        upstreamPort, new Mode(0, false, etag, encrypted, false, Integer.MAX_VALUE, null, false));
  }

  /**
   * A proxy that passes everything through and records the request line of each request (see {@link
   * #requests}). Each connection carries one request.
   */
  static FaultyProxy recording(int upstreamPort) throws IOException {
    return new FaultyProxy(
        upstreamPort, new Mode(0, false, null, false, true, Integer.MAX_VALUE, null, false));
  }

  /**
   * A proxy that passes the first {@code passed} listing requests through and holds every later one
   * until {@link #release}; everything else is passed through. Each connection carries one request.
   */
  static FaultyProxy holdingListings(int upstreamPort, int passed) throws IOException {
    return new FaultyProxy(
        upstreamPort, new Mode(0, false, null, false, false, passed, null, false));
  }

  /**
   * A proxy that shows each request's head to {@code interceptor} first, and answers with what it
   * returns, or passes the request on when it returns null. Each connection carries one request.
   */
  static FaultyProxy intercepting(int upstreamPort, Interceptor interceptor) throws IOException {
    return new FaultyProxy(
        upstreamPort,
        new Mode(0, false, null, false, false, Integer.MAX_VALUE, interceptor, false));
  }

  /**
   * An emulation of a pool that encrypts: S3Proxy stores objects as they come and neither honours
   * nor reports {@code x-amz-server-side-encryption}. This proxy remembers each object whose PUT
   * (or multipart initiation) asked server-side encryption, and answers a HEAD or GET of it with
   * the headers an encrypting server sends ({@code x-amz-server-side-encryption}, and for a KMS key
   * the key's ARN as AWS names it). The bytes are stored unencrypted: this tests what the agent
   * sends and how it reads the answer, not encryption. Each connection carries one request.
   */
  static FaultyProxy encrypting(int upstreamPort) throws IOException {
    return new FaultyProxy(
        upstreamPort, new Mode(0, false, null, false, false, Integer.MAX_VALUE, null, true));
  }

  /** The encryption each object was asked, by request path, as {@link #encrypting} saw it. */
  private final java.util.Map<String, String> encryptedPaths =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Writes that asked server-side encryption, as an {@link #encrypting} proxy saw them. */
  int encryptedWrites() {
    return encryptedWrites.get();
  }

  private final AtomicInteger encryptedWrites = new AtomicInteger();

  private FaultyProxy(int upstreamPort, Mode mode) throws IOException {
    this.upstreamPort = upstreamPort;
    this.mode = mode;
    this.failuresLeft = new AtomicInteger(mode.failures());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * Requests answered with an injected error (or, when dropping, PUTs dropped; when misreporting,
   * ETags replaced; when intercepting, answered by the test) so far.
   */
  int failedRequests() {
    return failed.get();
  }

  /** Lets the held listing requests, and every later one, through. */
  void release() {
    held.countDown();
  }

  /**
   * Requests (of a proxy that carries one per connection) received and not yet ended: a request
   * passed on ends once the pool has answered it, or failed it, and the proxy closed both sides.
   */
  int requestsInFlight() {
    return inFlight.get();
  }

  /** The method and target of every request received, as {@code "HEAD /bucket/key"}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> handle(client), "faulty-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    if (mode.oneRequestPerConnection()) {
      handleOneRequest(client);
      return;
    }
    try (client) {
      if (failuresLeft.getAndDecrement() > 0) {
        readHead(client.getInputStream());
        // Counted before it is answered: a client that has its answer finds it counted.
        failed.incrementAndGet();
        OutputStream out = client.getOutputStream();
        out.write(
            ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\n"
                    + "Content-Length: "
                    + ERROR_BODY.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(ERROR_BODY);
        out.flush();
        return;
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        Thread back = new Thread(() -> pump(upstream, client), "faulty-proxy-back");
        back.setDaemon(true);
        back.start();
        pump(client, upstream);
        back.join();
      }
    } catch (IOException | InterruptedException e) {
      // the connection ended; the client sees a reset, which is what a faulty network does
    }
  }

  private void handleOneRequest(Socket client) {
    inFlight.incrementAndGet();
    try (client) {
      String head = readHead(client.getInputStream());
      if (mode.interceptor() != null) {
        String answer = mode.interceptor().answer(head);
        if (answer != null) {
          failed.incrementAndGet();
          client.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      if (mode.recording()) {
        String line = head.substring(0, Math.max(0, head.indexOf('\r')));
        requests.add(line.substring(0, Math.max(0, line.lastIndexOf(' '))));
      }
      if (head.startsWith("GET ")
          && head.substring(0, head.indexOf('\r')).contains("list-type=2")
          && listings.incrementAndGet() > mode.listingsPassed()) {
        held.await();
      }
      if (mode.dropPuts() && head.startsWith("PUT ")) {
        byte[] body = client.getInputStream().readNBytes(contentLength(head));
        failed.incrementAndGet();
        String etag =
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
        client
            .getOutputStream()
            .write(
                ("HTTP/1.1 200 OK\r\nETag: \""
                        + etag
                        + "\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        // Connection is not a signed header: asking the pool to close after its answer ends the
        // client's connection with it, so the client's next request opens a new one.
        String closing = head.substring(0, head.length() - 2) + "Connection: close\r\n\r\n";
        upstream.getOutputStream().write(closing.getBytes(StandardCharsets.ISO_8859_1));
        Thread body = new Thread(() -> pump(client, upstream), "faulty-proxy-body");
        body.setDaemon(true);
        body.start();
        InputStream answer = upstream.getInputStream();
        if (mode.encrypting()) {
          answerEncrypting(head, answer, client.getOutputStream());
          return;
        }
        String reportedEtag = mode.reportedEtag();
        if (reportedEtag != null && (head.startsWith("GET ") || head.startsWith("HEAD "))) {
          String answerHead = readHead(answer);
          String rewritten =
              answerHead.replaceAll("(?im)^ETag: .*$", "ETag: \"" + reportedEtag + "\"");
          if (mode.reportedEncrypted()) {
            rewritten =
                rewritten.substring(0, rewritten.length() - 2)
                    + "x-amz-server-side-encryption: aws:kms\r\n\r\n";
          }
          if (!rewritten.equals(answerHead)) {
            failed.incrementAndGet();
          }
          client.getOutputStream().write(rewritten.getBytes(StandardCharsets.ISO_8859_1));
        }
        answer.transferTo(client.getOutputStream());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the connection ended, or the test's interceptor failed: the client sees a reset
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * Passes the pool's answer to {@code head} on, as an encrypting pool would give it: a write that
   * asked encryption is remembered once the pool took it, and a read of a remembered object says
   * how it is encrypted.
   */
  private void answerEncrypting(String head, InputStream answer, OutputStream client)
      throws IOException {
    String line = head.substring(0, head.indexOf('\r'));
    String target = line.split(" ")[1];
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    String asked = header(head, "x-amz-server-side-encryption");
    String answerHead = readHead(answer);
    boolean taken = answerHead.startsWith("HTTP/1.1 200");
    boolean write =
        line.startsWith("PUT ") && !target.contains("uploadId=")
            || line.startsWith("POST ") && target.contains("uploads");
    if (write && taken) {
      if (asked == null) {
        encryptedPaths.remove(path);
      } else {
        encryptedWrites.incrementAndGet();
        String key = header(head, "x-amz-server-side-encryption-aws-kms-key-id");
        encryptedPaths.put(
            path,
            "x-amz-server-side-encryption: "
                + asked
                + "\r\n"
                + (key == null
                    ? ""
                    : "x-amz-server-side-encryption-aws-kms-key-id:"
                        + " arn:aws:kms:us-east-1:000000000000:key/"
                        + key
                        + "\r\n"));
      }
    }
    String reported = encryptedPaths.get(path);
    if (reported != null && (line.startsWith("HEAD ") || line.startsWith("GET "))) {
      answerHead = answerHead.substring(0, answerHead.length() - 2) + reported + "\r\n";
    }
    client.write(answerHead.getBytes(StandardCharsets.ISO_8859_1));
    answer.transferTo(client);
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        return Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // either side closed
    }
  }

  /** Reads a request's or response's head, up to and with the blank line that ends it. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      head.append((char) b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    held.countDown();
    server.close();
  }
}
