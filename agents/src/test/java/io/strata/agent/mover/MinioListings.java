package io.strata.agent.mover;

import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectResponse;
import io.minio.messages.Item;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the listings of a real S3 pool as MinIO answers a ListObjectsV2 asked with {@code
 * metadata=true}, for a {@link FaultyProxy#intercepting} proxy in front of it; every other request
 * goes to the pool.
 *
 * <p>No MinIO server can run here, so the answer is written as MinIO's own source writes it
 * (minio/minio, {@code cmd/api-response.go}: {@code ListObjectsV2Response}, {@code Object}, {@code
 * Metadata.MarshalXML} and {@code generateListObjectsV2Response}), from what the pool holds: the
 * elements in the order of MinIO's structs; {@code <StartAfter>}, {@code <NextContinuationToken>}
 * and {@code <EncodingType>} only when set; keys URL-encoded but for {@code /} when {@code
 * encoding-type=url}; the ETag quoted, its quotes escaped as Go's XML encoder escapes them ({@code
 * &#34;}); and in each {@code <Contents>} a {@code <UserMetadata>} whose elements are named by the
 * stored keys (the user metadata as Go canonicalizes header names, {@code
 * X-Amz-Meta-Strata-Sha256}, then {@code content-type} and {@code expires}), followed by {@code
 * <Internal><K>..</K><M>..</M></Internal>}. The pool's listing gives each key, size, ETag and
 * modification time; a HEAD of each object gives its metadata. A test may make the answer show
 * another SHA-256 marker for a key than the pool holds ({@link #showSha256}), as a target that lost
 * or changed its marker would.
 */
final class MinioListings implements FaultyProxy.Interceptor {

  private static final DateTimeFormatter ISO8601 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final LocalS3Pool pool;
  private final Map<String, String> shownSha256 = new ConcurrentHashMap<>();
  private final AtomicInteger listings = new AtomicInteger();
  private final AtomicInteger heads = new AtomicInteger();
  private final AtomicInteger gets = new AtomicInteger();

  MinioListings(LocalS3Pool pool) {
    this.pool = pool;
  }

  /** Shows {@code sha256} as {@code key}'s marker in every later listing. */
  void showSha256(String key, String sha256) {
    shownSha256.put(key, sha256);
  }

  /** Listings answered so far, each asked with {@code metadata=true}. */
  int listings() {
    return listings.get();
  }

  /** HEAD requests passed on to the pool so far. */
  int heads() {
    return heads.get();
  }

  /** GET requests of objects passed on to the pool so far. */
  int objectGets() {
    return gets.get();
  }

  @Override
  public String answer(String requestHead) throws Exception {
    String requestLine = requestHead.substring(0, requestHead.indexOf("\r\n"));
    String[] parts = requestLine.split(" ");
    if (parts[0].equals("HEAD")) {
      heads.incrementAndGet();
      return null;
    }
    Map<String, String> query = query(parts[1]);
    if (!parts[0].equals("GET") || !"2".equals(query.get("list-type"))) {
      if (parts[0].equals("GET") && !query.containsKey("uploads")) {
        gets.incrementAndGet();
      }
      return null;
    }
    if (!"true".equals(query.get("metadata"))) {
      throw new IllegalStateException("a listing without metadata=true: " + requestLine);
    }
    listings.incrementAndGet();
    String path = parts[1].contains("?") ? parts[1].substring(0, parts[1].indexOf('?')) : parts[1];
    String bucket = path.replaceAll("^/+|/+$", "");
    String body = listing(bucket, query);
    return "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  private String listing(String bucket, Map<String, String> query) throws Exception {
    String prefix = query.getOrDefault("prefix", "");
    String startAfter = query.getOrDefault("start-after", "");
    int maxKeys = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
    boolean url = "url".equals(query.get("encoding-type"));
    ListObjectsArgs.Builder args =
        ListObjectsArgs.builder().bucket(bucket).recursive(true).prefix(prefix);
    if (!startAfter.isEmpty()) {
      args.startAfter(startAfter);
    }
    List<Item> objects = new ArrayList<>();
    boolean truncated = false;
    for (Result<Item> result : pool.client().listObjects(args.build())) {
      Item item = result.get();
      if (item.isDir()) {
        continue;
      }
      if (objects.size() == maxKeys) {
        truncated = true;
        break;
      }
      objects.add(item);
    }
    StringBuilder xml = new StringBuilder();
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
        .append(element("Name", bucket))
        .append(element("Prefix", encode(prefix, url)));
    if (!startAfter.isEmpty()) {
      xml.append(element("StartAfter", encode(startAfter, url)));
    }
    if (truncated) {
      String last = objects.get(objects.size() - 1).objectName();
      xml.append(
          element(
              "NextContinuationToken",
              Base64.getEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8))));
    }
    xml.append(element("KeyCount", Integer.toString(objects.size())))
        .append(element("MaxKeys", Integer.toString(maxKeys)))
        .append(element("IsTruncated", Boolean.toString(truncated)));
    for (Item item : objects) {
      xml.append(contents(bucket, item, url));
    }
    if (url) {
      xml.append(element("EncodingType", "url"));
    }
    return xml.append("</ListBucketResult>").toString();
  }

  private String contents(String bucket, Item item, boolean url) throws Exception {
    StatObjectResponse head = pool.head(bucket, item.objectName());
    Map<String, String> stored = new HashMap<>();
    head.userMetadata().forEach((k, v) -> stored.put(canonical("x-amz-meta-" + k), v));
    String shown = shownSha256.get(item.objectName());
    if (shown != null) {
      stored.put("X-Amz-Meta-Strata-Sha256", shown);
    }
    StringBuilder xml = new StringBuilder("<Contents>");
    xml.append(element("Key", encode(item.objectName(), url)))
        .append(element("LastModified", ISO8601.format(item.lastModified())))
        .append(element("ETag", "&#34;" + PoolClient.stripQuotes(item.etag()) + "&#34;", false))
        .append(element("Size", Long.toString(item.size())))
        .append(element("StorageClass", "STANDARD"))
        .append("<UserMetadata>");
    stored.forEach((k, v) -> xml.append(element(k, v)));
    xml.append(element("content-type", head.contentType()))
        .append(element("expires", "Mon, 01 Jan 0001 00:00:00 GMT"))
        .append("</UserMetadata>")
        .append("<Internal><K>1</K><M>0</M></Internal>");
    return xml.append("</Contents>").toString();
  }

  /** A header name as Go's {@code http.CanonicalHeaderKey} writes it: X-Amz-Meta-Study-Date. */
  static String canonical(String name) {
    StringBuilder out = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return out.toString();
  }

  /** {@code value} as MinIO's s3EncodeName writes it: URL-encoded but for {@code /}, or as is. */
  private static String encode(String value, boolean url) {
    if (!url) {
      return value;
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }

  private static String element(String name, String text) {
    return element(name, text, true);
  }

  private static String element(String name, String text, boolean escape) {
    String body =
        escape
            ? text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&#34;")
                .replace("'", "&#39;")
            : text;
    return "<" + name + ">" + body + "</" + name + ">";
  }

  private static Map<String, String> query(String target) {
    Map<String, String> query = new HashMap<>();
    int q = target.indexOf('?');
    if (q < 0) {
      return query;
    }
    for (String pair : target.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }
}
