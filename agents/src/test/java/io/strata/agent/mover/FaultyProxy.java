package io.strata.agent.mover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a pool that answers the first {@code failures} requests with
 * 503 SlowDown-style errors and closes the connection, then passes everything through.
 */
final class FaultyProxy implements AutoCloseable {

  private static final byte[] ERROR_BODY =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ServiceUnavailable</Code>"
              + "<Message>injected fault</Message><RequestId>0</RequestId></Error>")
          .getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicInteger failuresLeft;
  private final AtomicInteger failed = new AtomicInteger();
  private final Thread acceptor;

  FaultyProxy(int upstreamPort, int failures) throws IOException {
    this.upstreamPort = upstreamPort;
    this.failuresLeft = new AtomicInteger(failures);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Requests answered with an injected error so far. */
  int failedRequests() {
    return failed.get();
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
    try (client) {
      if (failuresLeft.getAndDecrement() > 0) {
        readRequestHead(client.getInputStream());
        OutputStream out = client.getOutputStream();
        out.write(
            ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\n"
                    + "Content-Length: "
                    + ERROR_BODY.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(ERROR_BODY);
        out.flush();
        failed.incrementAndGet();
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

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // either side closed
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
