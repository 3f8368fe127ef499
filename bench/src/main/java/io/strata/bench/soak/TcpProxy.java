package io.strata.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one pool, through which every client of the pool goes (its
 * endpoint in the topology is the proxy's port). It passes bytes through, or, while a fault is on,
 * resets connections (a TCP RST: {@code SO_LINGER 0} then close) at their start or in the middle of
 * a transfer, or delays every chunk it forwards.
 *
 * <p>Thread-safe. Must be closed.
 */
final class TcpProxy implements AutoCloseable {
  /** What the proxy does to the traffic now. */
  enum Mode {
    PASS,
    RESET,
    DELAY
  }

  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Random random;
  private final AtomicLong resets = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile int delayMillis;
  private volatile boolean closed;

  /**
   * @param port the port to listen on (chosen free beforehand)
   * @param targetPort the pool's own port
   */
  TcpProxy(int port, int targetPort, long seed) throws IOException {
    this.targetPort = targetPort;
    this.random = new Random(seed);
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread accept = new Thread(this::acceptLoop, "soak-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Resets half of the connections at their start and one chunk in 20 of the others. */
  void resets() {
    mode = Mode.RESET;
  }

  /** Delays every chunk forwarded by {@code millis}. */
  void delays(int millis) {
    delayMillis = millis;
    mode = Mode.DELAY;
  }

  /** Passes everything through again. */
  void heal() {
    mode = Mode.PASS;
  }

  /** Connections reset so far. */
  long resetCount() {
    return resets.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> serve(client), "soak-proxy-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket client) {
    open.add(client);
    Socket upstream = new Socket();
    try {
      if (mode == Mode.RESET && chance(2)) {
        reset(client, upstream);
        return;
      }
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
      open.add(upstream);
      Thread back = new Thread(() -> pump(upstream, client, upstream), "soak-proxy-back");
      back.setDaemon(true);
      back.start();
      pump(client, upstream, upstream);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private void pump(Socket from, Socket to, Socket upstream) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        Mode now = mode;
        if (now == Mode.RESET && chance(20)) {
          reset(from, to);
          return;
        }
        if (now == Mode.DELAY && delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (from.isClosed() || to.isClosed()) {
        open.remove(from);
        open.remove(to);
      }
    }
  }

  private boolean chance(int oneIn) {
    synchronized (random) {
      return random.nextInt(oneIn) == 0;
    }
  }

  private void reset(Socket a, Socket b) {
    resets.incrementAndGet();
    for (Socket s : new Socket[] {a, b}) {
      try {
        if (!s.isClosed()) {
          s.setSoLinger(true, 0);
        }
      } catch (IOException e) {
        // Not connected: closing it is all there is to do.
      }
      closeQuietly(s);
      open.remove(s);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing: nothing left to do with it.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}
