package io.strata.runtime.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.MinioClient;
import io.minio.messages.Bucket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool closes a connection that stayed idle (MinIO and S3Proxy after 30 s); a census or health
 * check that comes less often must not take the closed connection for an unreachable pool.
 */
class S3ClientsTest {
  private static final String BUCKETS =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult"
          + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>o</ID>"
          + "<DisplayName>o</DisplayName></Owner><Buckets><Bucket><Name>h01-imaging</Name>"
          + "<CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
          + "</ListAllMyBucketsResult>";

  private ServerSocket server;
  private Thread serving;
  private final AtomicInteger connections = new AtomicInteger();

  /**
   * A pool that answers one request per connection, keeping the connection open as HTTP/1.1 allows
   * by default, then closes it without saying so: what a pool's idle timeout does to a pooled
   * connection.
   */
  @BeforeEach
  void startPool() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serving =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                  connections.incrementAndGet();
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                  for (String line = in.readLine(); line != null && !line.isEmpty(); ) {
                    line = in.readLine();
                  }
                  byte[] body = BUCKETS.getBytes(StandardCharsets.UTF_8);
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: "
                              + body.length
                              + "\r\n\r\n")
                          .getBytes(StandardCharsets.UTF_8));
                  out.write(body);
                  out.flush();
                } catch (IOException e) {
                  // Closed: the test is over.
                }
              }
            },
            "closing-pool");
    serving.setDaemon(true);
    serving.start();
  }

  @AfterEach
  void stopPool() throws Exception {
    server.close();
    serving.join();
  }

  @Test
  void aConnectionThePoolClosedWhileIdleIsNotAnUnreachablePool() throws Exception {
    try (S3Clients clients = new S3Clients()) {
      MinioClient client =
          clients.client(
              "http://127.0.0.1:" + server.getLocalPort(),
              new PoolCredentials("ak", "sk-12345678"));

      for (int census = 0; census < 3; census++) {
        List<Bucket> buckets = client.listBuckets();
        assertThat(buckets).extracting(Bucket::name).containsExactly("h01-imaging");
      }
    }
    assertThat(connections.get()).as("each census found its connection closed").isEqualTo(3);
  }
}
