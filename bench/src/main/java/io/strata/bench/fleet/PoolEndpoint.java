package io.strata.bench.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The S3 surface the controller itself touches on the simulated pools, on loopback: it keeps the
 * dataset's bucket on every pool and writes its system dataset (audit trail, capacity samples)
 * there. Every pool answers here: buckets exist, writes are taken (and forgotten), listings are
 * empty and objects missing. The agents' data path does not come here: simulated agents work on
 * {@link SimPools}.
 *
 * <p>Must be closed.
 */
public final class PoolEndpoint implements AutoCloseable {
  private static final String EMPTY_LISTING =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult"
          + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix></Prefix>"
          + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
          + "</ListBucketResult>";
  private static final String LOCATION =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LocationConstraint"
          + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>";
  private static final String NO_SUCH_KEY =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
          + "<Message>The specified key does not exist.</Message></Error>";

  private final HttpServer server;

  public PoolEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sim-s3");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::answer);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      body.transferTo(java.io.OutputStream.nullOutputStream());
      String method = exchange.getRequestMethod();
      String query = exchange.getRequestURI().getRawQuery();
      String path = exchange.getRequestURI().getRawPath();
      boolean bucketOnly = path.indexOf('/', 1) < 0 || path.indexOf('/', 1) == path.length() - 1;
      exchange.getResponseHeaders().add("x-amz-request-id", "sim");
      if (method.equals("GET") && query != null && query.contains("location")) {
        send(exchange, 200, LOCATION);
      } else if (method.equals("GET") && bucketOnly) {
        send(exchange, 200, EMPTY_LISTING);
      } else if (method.equals("GET") || (method.equals("HEAD") && !bucketOnly)) {
        send(exchange, 404, method.equals("HEAD") ? null : NO_SUCH_KEY);
      } else {
        exchange.getResponseHeaders().add("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\"");
        send(exchange, 200, null);
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    if (xml == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
