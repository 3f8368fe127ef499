package io.strata.agent.mover;

import io.minio.RemoveObjectArgs;
import io.minio.StatObjectResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers as a MinIO pool whose bucket has object lock enabled (and so versioning), for a {@link
 * FaultyProxy#intercepting} proxy in front of a real S3 pool that supports neither.
 *
 * <p>No MinIO server can run here, so its answers are written as MinIO's source and the S3
 * documentation give them (minio/minio {@code cmd/bucket-object-lock.go}, {@code
 * enforceRetentionBypassForDelete}; {@code cmd/api-errors.go}, {@code ErrObjectLocked}):
 *
 * <ul>
 *   <li>a PUT, or the request that creates a multipart upload, with {@code x-amz-object-lock-mode}
 *       and {@code x-amz-object-lock-retain-until-date} locks the version it writes until that
 *       date; {@code x-amz-object-lock-legal-hold: ON} puts it under legal hold. The write goes on
 *       to the pool, and the lock is remembered with a version id of the object's;
 *   <li>a HEAD of an object is answered with its version id ({@code x-amz-version-id}) and its lock
 *       ({@code x-amz-object-lock-mode}, {@code -retain-until-date}, {@code -legal-hold});
 *   <li>a DELETE of a version under legal hold, under compliance retention until a date to come, or
 *       under governance retention without {@code x-amz-bypass-governance-retention: true}, is
 *       answered 400 InvalidRequest "Object is WORM protected and cannot be overwritten"; a DELETE
 *       of another version than the object's answers 404 NoSuchVersion; any other DELETE removes
 *       the object from the pool and answers 204 with the version id.
 * </ul>
 *
 * <p>Every request's head is kept for the test to read ({@link #requests}). Retention dates are
 * compared with real time, as a pool does.
 */
final class MinioObjectLocks implements FaultyProxy.Interceptor {

  /** The lock MinIO holds for one object version. */
  record Lock(String versionId, String mode, Instant retainUntil, boolean legalHold) {}

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final LocalS3Pool pool;
  private final Map<String, Lock> locks = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  MinioObjectLocks(LocalS3Pool pool) {
    this.pool = pool;
  }

  /** The heads of the requests received so far, in order. */
  List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The heads of the requests received so far whose request line starts with {@code start}. */
  List<String> requests(String start) {
    return requests().stream().filter(h -> h.startsWith(start)).toList();
  }

  /** The lock held on {@code bucket/key}, or null. */
  Lock lock(String bucket, String key) {
    return locks.get(bucket + "/" + key);
  }

  @Override
  public String answer(String requestHead) throws Exception {
    requests.add(requestHead);
    String requestLine = requestHead.substring(0, requestHead.indexOf("\r\n"));
    String[] parts = requestLine.split(" ");
    String method = parts[0];
    String target = parts[1];
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    Map<String, String> query = query(target);
    String[] bucketKey = URLDecoder.decode(path, StandardCharsets.UTF_8).substring(1).split("/", 2);
    if (bucketKey.length < 2 || bucketKey[1].isEmpty()) {
      return null; // a bucket's request: listings, multipart listings
    }
    String bucket = bucketKey[0];
    String key = bucketKey[1];
    String id = bucket + "/" + key;
    Map<String, String> headers = headers(requestHead);
    boolean creates =
        method.equals("PUT") && !query.containsKey("uploadId")
            || method.equals("POST") && query.containsKey("uploads");
    if (creates) {
      String mode = headers.get("x-amz-object-lock-mode");
      String until = headers.get("x-amz-object-lock-retain-until-date");
      boolean hold = "ON".equals(headers.get("x-amz-object-lock-legal-hold"));
      locks.put(
          id,
          new Lock(
              UUID.randomUUID().toString(),
              mode,
              until == null ? null : Instant.parse(until),
              hold));
      return null;
    }
    if (method.equals("HEAD")) {
      return head(bucket, key, id);
    }
    if (method.equals("DELETE")) {
      return delete(bucket, key, id, query.get("versionId"), headers);
    }
    return null;
  }

  private String head(String bucket, String key, String id) throws Exception {
    if (!pool.has(bucket, key)) {
      return null; // the pool's own 404
    }
    StatObjectResponse stat = pool.head(bucket, key);
    Lock lock =
        locks.computeIfAbsent(id, k -> new Lock(UUID.randomUUID().toString(), null, null, false));
    StringBuilder out =
        new StringBuilder("HTTP/1.1 200 OK\r\n")
            .append("Accept-Ranges: bytes\r\n")
            .append("Content-Length: ")
            .append(stat.size())
            .append("\r\nContent-Type: ")
            .append(stat.contentType())
            .append("\r\nETag: \"")
            .append(PoolClient.stripQuotes(stat.etag()))
            .append("\"\r\nLast-Modified: ")
            .append(HTTP_DATE.format(stat.lastModified()))
            .append("\r\nServer: MinIO\r\n");
    stat.userMetadata()
        .forEach(
            (k, v) ->
                out.append(MinioListings.canonical("x-amz-meta-" + k))
                    .append(": ")
                    .append(v)
                    .append("\r\n"));
    if (lock.mode() != null) {
      out.append("X-Amz-Object-Lock-Mode: ").append(lock.mode()).append("\r\n");
      out.append("X-Amz-Object-Lock-Retain-Until-Date: ")
          .append(DateTimeFormatter.ISO_INSTANT.format(lock.retainUntil()))
          .append("\r\n");
    }
    if (lock.legalHold()) {
      out.append("X-Amz-Object-Lock-Legal-Hold: ON\r\n");
    }
    return out.append("X-Amz-Version-Id: ")
        .append(lock.versionId())
        .append("\r\nConnection: close\r\n\r\n")
        .toString();
  }

  private String delete(
      String bucket, String key, String id, String versionId, Map<String, String> headers)
      throws Exception {
    Lock lock = locks.get(id);
    if (lock == null || !pool.has(bucket, key)) {
      return null; // the pool's own answer to a missing object
    }
    if (versionId != null && !versionId.equals(lock.versionId())) {
      return error(404, "Not Found", "NoSuchVersion", "The specified version does not exist.", id);
    }
    boolean inForce = lock.retainUntil() != null && Instant.now().isBefore(lock.retainUntil());
    boolean bypass = "true".equalsIgnoreCase(headers.get("x-amz-bypass-governance-retention"));
    if (lock.legalHold()
        || inForce && "COMPLIANCE".equals(lock.mode())
        || inForce && "GOVERNANCE".equals(lock.mode()) && !bypass) {
      return error(
          400,
          "Bad Request",
          "InvalidRequest",
          "Object is WORM protected and cannot be overwritten",
          id);
    }
    pool.client().removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    locks.remove(id);
    return "HTTP/1.1 204 No Content\r\nX-Amz-Version-Id: "
        + lock.versionId()
        + "\r\nServer: MinIO\r\nConnection: close\r\n\r\n";
  }

  private static String error(int status, String reason, String code, String message, String id) {
    String body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message><Key>"
            + id.substring(id.indexOf('/') + 1)
            + "</Key><BucketName>"
            + id.substring(0, id.indexOf('/'))
            + "</BucketName><Resource>/"
            + id
            + "</Resource><RequestId>1</RequestId><HostId>1</HostId></Error>";
    return "HTTP/1.1 "
        + status
        + " "
        + reason
        + "\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\nServer: MinIO\r\nConnection: close\r\n\r\n"
        + body;
  }

  /** The headers of a request head, names in lower case. */
  static Map<String, String> headers(String requestHead) {
    Map<String, String> out = new HashMap<>();
    String[] lines = requestHead.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        out.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return out;
  }

  private static Map<String, String> query(String target) {
    Map<String, String> out = new HashMap<>();
    int q = target.indexOf('?');
    if (q < 0) {
      return out;
    }
    for (String pair : target.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }
}
