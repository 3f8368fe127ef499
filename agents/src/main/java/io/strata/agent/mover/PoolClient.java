package io.strata.agent.mover;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsV2Response;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.Xml;
import io.minio.credentials.Credentials;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InternalException;
import io.minio.http.Method;
import io.minio.messages.Contents;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.Retention;
import io.minio.messages.RetentionMode;
import io.minio.messages.Upload;
import io.strata.agent.task.CancellationToken;
import io.strata.agent.task.TaskCancelledException;
import io.strata.protocol.object.StrataMetadata;
import io.strata.protocol.task.ListedObject;
import io.strata.topology.ObjectLock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;

/**
 * The S3 calls the mover makes on one pool, over the MinIO client. Thread-safe. Methods block and
 * throw the client's exceptions unwrapped; callers classify them with {@link S3Errors}. The client
 * of a task ({@link #forTask}) tags each request with the task's cancellation, so that cancelling
 * the task aborts its reads and whole-object writes in flight (see {@link PoolClients}).
 */
final class PoolClient extends MinioAsyncClient {

  /** One page of a listing. */
  record Page(List<ListedObject> objects, boolean truncated, String lastKey) {}

  /** Region sent to every pool, so the client never asks a bucket for its location first. */
  static final String REGION = "us-east-1";

  /** The signed payload hash header of AWS signature version 4. */
  static final String CONTENT_SHA256 = "x-amz-content-sha256";

  static final String CONTENT_MD5 = "Content-MD5";

  /** The payload hash of a request whose body is checked otherwise (here: by Content-MD5). */
  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  private static final byte[] NO_BYTES = new byte[0];

  /** The body of the PUT this thread is making in {@link #put}, for {@link #createRequest}. */
  private static final ThreadLocal<Buffer> BODY = new ThreadLocal<>();

  /** The S3 object-lock headers of a write (MinIO and AWS read them on PUT and multipart). */
  static final String LOCK_MODE = "x-amz-object-lock-mode";

  static final String LOCK_RETAIN_UNTIL = "x-amz-object-lock-retain-until-date";
  static final String LOCK_LEGAL_HOLD = "x-amz-object-lock-legal-hold";

  private final String poolId;
  private final CancellationToken cancellation;
  private final SseRequest sse;
  private final ObjectLock lock;

  PoolClient(String poolId, MinioAsyncClient client) {
    this(poolId, client, null, null, ObjectLock.NONE);
  }

  private PoolClient(
      String poolId,
      MinioAsyncClient client,
      CancellationToken cancellation,
      SseRequest sse,
      ObjectLock lock) {
    super(client);
    this.poolId = poolId;
    this.cancellation = cancellation;
    this.sse = sse;
    this.lock = lock == null ? ObjectLock.NONE : lock;
  }

  /** This pool's client for one task: its calls that are safe to cut end when it is cancelled. */
  PoolClient forTask(CancellationToken cancellation) {
    return forTask(cancellation, lock);
  }

  /**
   * This pool's client for one task, locking the copies it writes as {@code lock} says (the cluster
   * map's word, which may change while the agent runs).
   */
  PoolClient forTask(CancellationToken cancellation, ObjectLock lock) {
    return new PoolClient(poolId, this, cancellation, null, lock);
  }

  /** Whether, and how, this pool locks the copies written to it. */
  ObjectLock objectLock() {
    return lock;
  }

  /** The object lock one copy is written with: a retention until a date, a legal hold, or none. */
  record Lock(ObjectLock mode, ZonedDateTime retainUntil, boolean legalHold) {
    static final Lock NONE = new Lock(ObjectLock.NONE, null, false);

    boolean any() {
      return retainUntil != null || legalHold;
    }

    /** The headers that ask for this lock, as S3 names them. */
    Map<String, String> headers() {
      Map<String, String> headers = new LinkedHashMap<>();
      if (retainUntil != null) {
        headers.put(LOCK_MODE, mode.s3Mode());
        headers.put(
            LOCK_RETAIN_UNTIL, DateTimeFormatter.ISO_INSTANT.format(retainUntil.toInstant()));
      }
      if (legalHold) {
        headers.put(LOCK_LEGAL_HOLD, "ON");
      }
      return headers;
    }
  }

  /**
   * The object lock a copy with {@code userMetadata} is written with on this pool: its {@code
   * strata-retain-until} date when it is still to come, and a legal hold when its {@code
   * strata-legal-hold} marker holds it (or cannot be read). None on a pool that locks nothing. The
   * date is compared with real time, as the pool compares it: a pool refuses a lock date in the
   * past.
   */
  Lock lockFor(Map<String, String> userMetadata) {
    if (lock == ObjectLock.NONE) {
      return Lock.NONE;
    }
    Instant until =
        StrataMetadata.retainUntilOf(userMetadata).filter(Instant.now()::isBefore).orElse(null);
    return new Lock(
        lock,
        until == null ? null : until.atZone(ZoneOffset.UTC),
        StrataMetadata.legalHold(userMetadata).isPresent());
  }

  /**
   * This client with every object it writes asking {@code request} of the server (null for none).
   *
   * @throws IllegalArgumentException when the request must go over TLS and the pool is not reached
   *     over HTTPS
   */
  PoolClient encrypting(SseRequest request) {
    if (request != null && request.tlsRequired() && !secure()) {
      throw new IllegalArgumentException(
          request.asked() + " is sent only over TLS, and pool " + poolId + " is reached over http");
    }
    return new PoolClient(poolId, this, cancellation, request, lock);
  }

  /** Whether the pool is reached over HTTPS. */
  boolean secure() {
    return baseUrl.isHttps();
  }

  String poolId() {
    return poolId;
  }

  /**
   * Lists up to {@code maxKeys} keys that start with {@code prefix} (empty for all), after {@code
   * startAfter}, asking for user metadata (a MinIO extension that other servers ignore). Sends no
   * continuation token: S3Proxy rejects requests that carry both, and paging by start-after alone
   * is valid everywhere. Keys come URL-encoded, and are decoded here: XML 1.0 cannot carry control
   * characters, which S3 allows in keys, and a server that writes them raw breaks the listing, or
   * mangles the key and pages on from the wrong place.
   */
  Page listPage(String bucket, String prefix, String startAfter, int maxKeys) throws Exception {
    ListObjectsV2Response response =
        listObjectsV2(
            bucket,
            null,
            null,
            "url",
            startAfter,
            maxKeys,
            prefix.isEmpty() ? null : prefix,
            null,
            false,
            true,
            null,
            null);
    List<ListedObject> objects = new ArrayList<>();
    String lastKey = null;
    boolean encoded = "url".equals(response.result().encodingType());
    for (Contents item : response.result().contents()) {
      // This call's results come as the server wrote them: the library decodes none of them.
      lastKey =
          encoded
              ? URLDecoder.decode(item.objectName(), StandardCharsets.UTF_8)
              : item.objectName();
      objects.add(
          new ListedObject(
              lastKey,
              item.size(),
              toInstant(item.lastModified()),
              stripQuotes(item.etag()),
              StrataMetadata.get(item.userMetadata(), StrataMetadata.SHA256),
              listedUserMetadata(item.userMetadata())));
    }
    return new Page(objects, response.result().isTruncated(), lastKey);
  }

  /**
   * The user metadata a listing carries for an object (MinIO's, asked with {@code metadata=true}:
   * {@code <UserMetadata><X-Amz-Meta-Study-Date>...}), keyed as a HEAD's is: lower case, without
   * {@code x-amz-meta-}. What else MinIO puts there ({@code content-type}, {@code expires}) is no
   * user metadata and is left out. Empty from a server that carries none, whose objects a scan then
   * HEADs.
   */
  static Map<String, String> listedUserMetadata(Map<String, String> listed) {
    if (listed == null || listed.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    listed.forEach(
        (k, v) -> {
          String lower = k.toLowerCase(Locale.ROOT);
          if (lower.startsWith(StrataMetadata.HEADER_PREFIX)) {
            out.put(lower.substring(StrataMetadata.HEADER_PREFIX.length()), v);
          }
        });
    return out;
  }

  /** HEAD of an object; null when it does not exist. */
  StatObjectResponse head(String bucket, String key) throws Exception {
    try {
      return join(statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
    } catch (Exception e) {
      if (S3Errors.isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The answer to a GET of an object, its body not read yet; the caller must close it. Its body is
   * read as an okio source, so that a small object is taken into memory without a copy (see {@link
   * BufferedCopy}).
   */
  Response get(String bucket, String key) throws Exception {
    return join(
        executeAsync(
            Method.GET, bucket, key, REGION, Headers.of(), HashMultimap.create(), null, 0));
  }

  /**
   * The first {@code length} bytes of an object, fewer when it is shorter, in one ranged GET; null
   * when it does not exist.
   */
  byte[] readPrefix(String bucket, String key, int length) throws Exception {
    GetObjectArgs args =
        GetObjectArgs.builder().bucket(bucket).object(key).offset(0L).length((long) length).build();
    try (GetObjectResponse response = join(getObject(args))) {
      return response.readNBytes(length);
    } catch (Exception e) {
      if (S3Errors.isNotFound(e)) {
        return null;
      }
      throw e;
    }
  }

  /** Opens an object for reading; {@code etag} (nullable) makes the read fail if it changed. */
  GetObjectResponse open(String bucket, String key, String etag) throws Exception {
    GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(key);
    if (etag != null) {
      args.matchETag(etag);
    }
    return join(getObject(args.build()));
  }

  /**
   * Writes an object from a stream of exactly {@code size} bytes, in one PUT up to {@code partSize}
   * and as a multipart upload above. Metadata, and the server-side encryption asked, are sent with
   * the first request, so the object never exists without them.
   */
  ObjectWriteResponse write(
      String bucket,
      String key,
      InputStream data,
      long size,
      long partSize,
      String contentType,
      Map<String, String> userMetadata)
      throws Exception {
    PutObjectArgs.Builder args =
        PutObjectArgs.builder().bucket(bucket).object(key).stream(data, size, partSize)
            .userMetadata(userMetadata);
    if (contentType != null) {
      args.contentType(contentType);
    }
    if (sse != null) {
      args.sse(sse.sse());
    }
    // The client library sends the lock on the PUT, or on the request that creates a multipart
    // upload, so the copy never exists unlocked.
    Lock locked = lockFor(userMetadata);
    if (locked.retainUntil() != null) {
      args.retention(
          new Retention(
              locked.mode() == ObjectLock.COMPLIANCE
                  ? RetentionMode.COMPLIANCE
                  : RetentionMode.GOVERNANCE,
              locked.retainUntil()));
    }
    if (locked.legalHold()) {
      args.legalHold(true);
    }
    return join(putObject(args.build()));
  }

  /**
   * How the target checks the body of a one-request PUT before it stores it. Either way the target
   * refuses the PUT, and stores nothing, unless the bytes it received are the ones checked.
   *
   * @param contentMd5 base64 MD5 sent as Content-MD5 with an unsigned payload (the server hashes
   *     MD5 for the ETag anyway, so the check costs it nothing more); null to sign {@code sha256}
   * @param sha256 lowercase hex SHA-256 of the body: the signed payload hash when {@code
   *     contentMd5} is null (MinIO and AWS answer XAmzContentSHA256Mismatch to a body that does not
   *     hash to it, S3Proxy SignatureDoesNotMatch)
   */
  record BodyCheck(String contentMd5, String sha256) {

    static BodyCheck md5(String contentMd5) {
      return new BodyCheck(Objects.requireNonNull(contentMd5), null);
    }

    static BodyCheck sha256(String sha256) {
      return new BodyCheck(null, Objects.requireNonNull(sha256));
    }

    String payloadHash() {
      return contentMd5 == null ? sha256 : UNSIGNED_PAYLOAD;
    }
  }

  /** {@link #put(String, String, Buffer, BodyCheck, String, Map)} of a byte array. */
  ObjectWriteResponse put(
      String bucket,
      String key,
      byte[] content,
      BodyCheck check,
      String contentType,
      Map<String, String> userMetadata)
      throws Exception {
    return put(bucket, key, new Buffer().write(content), check, contentType, userMetadata);
  }

  /**
   * Writes {@code content} in one PUT that the target checks as {@code check} says, with a hash the
   * caller computed while reading the content, instead of ones the client library would compute by
   * hashing (and copying) the bytes twice more. Metadata is sent with the same request, so the
   * object never exists without it. The body is sent from {@code content}'s own segments, which it
   * shares and leaves unread: the caller may send it again.
   */
  ObjectWriteResponse put(
      String bucket,
      String key,
      Buffer content,
      BodyCheck check,
      String contentType,
      Map<String, String> userMetadata)
      throws Exception {
    Multimap<String, String> headers = HashMultimap.create();
    headers.put("Content-Type", contentType == null ? DEFAULT_CONTENT_TYPE : contentType);
    userMetadata.forEach((k, v) -> headers.put(StrataMetadata.HEADER_PREFIX + k, v));
    headers.put(CONTENT_SHA256, check.payloadHash());
    if (check.contentMd5() != null) {
      headers.put(CONTENT_MD5, check.contentMd5());
    }
    if (sse != null) {
      sse.sse().headers().forEach(headers::put);
    }
    Lock locked = lockFor(userMetadata);
    if (locked.any()) {
      locked.headers().forEach(headers::put);
      if (check.contentMd5() == null) {
        // S3 asks a PUT that sets a lock for its Content-MD5; the body is checked by both then.
        headers.put(CONTENT_MD5, content.md5().base64());
      }
    }
    Multimap<String, String> query = HashMultimap.create();
    // The client library takes a body only as bytes (anything else it marshals as XML), so the
    // buffer goes to createRequest, which the library calls on this thread, beside the call.
    BODY.set(content);
    CompletableFuture<Response> call;
    try {
      call =
          executeAsync(
              Method.PUT,
              bucket,
              key,
              REGION,
              httpHeaders(headers),
              query,
              NO_BYTES,
              Math.toIntExact(content.size()));
    } finally {
      BODY.remove();
    }
    try (Response response = join(call)) {
      return new ObjectWriteResponse(
          response.headers(),
          bucket,
          REGION,
          key,
          response.header("ETag"),
          response.header("x-amz-version-id"));
    }
  }

  /**
   * Builds requests as the client library does, except for the body of {@link #put}, whose headers
   * already carry a payload hash: that hash is signed as given, and Content-MD5 is the caller's or
   * none, so the body is not hashed twice more on the client. Only {@link #put} sets a body and a
   * payload hash header, so all other requests are built unchanged. A task's client tags each
   * request with the task's cancellation.
   */
  @Override
  protected Request createRequest(
      HttpUrl url, Method method, Headers headers, Object body, int length, Credentials credentials)
      throws InsufficientDataException, InternalException, IOException, NoSuchAlgorithmException {
    Request request = build(url, method, headers, body, length, credentials);
    return cancellation == null
        ? request
        : request.newBuilder().tag(CancellationToken.class, cancellation).build();
  }

  private Request build(
      HttpUrl url, Method method, Headers headers, Object body, int length, Credentials credentials)
      throws InsufficientDataException, InternalException, IOException, NoSuchAlgorithmException {
    String payloadHash = headers == null ? null : headers.get(CONTENT_SHA256);
    Buffer content = BODY.get();
    if (payloadHash == null || content == null) {
      return super.createRequest(url, method, headers, body, length, credentials);
    }
    String contentMd5 = headers.get(CONTENT_MD5);
    Request request = super.createRequest(url, method, headers, NO_BYTES, 0, credentials);
    Request.Builder builder = request.newBuilder().removeHeader(CONTENT_MD5);
    if (contentMd5 != null) {
      builder.header(CONTENT_MD5, contentMd5);
    }
    String contentType = headers.get("Content-Type");
    return builder
        .header(CONTENT_SHA256, payloadHash)
        .method(
            method.toString(),
            new BufferBody(content, contentType == null ? null : MediaType.parse(contentType)))
        .build();
  }

  /**
   * A request body sent from a buffer's segments without copying them, and without consuming the
   * buffer, so OkHttp may send it again on a fresh connection.
   */
  private static final class BufferBody extends RequestBody {
    private final Buffer content;
    private final MediaType contentType;

    BufferBody(Buffer content, MediaType contentType) {
      this.content = content;
      this.contentType = contentType;
    }

    @Override
    public MediaType contentType() {
      return contentType;
    }

    @Override
    public long contentLength() {
      return content.size();
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      // A copy of a buffer shares its segments: nothing is copied here but their references.
      sink.writeAll(content.copy());
    }
  }

  /**
   * Deletes an object if it still has {@code etag} (sent as If-Match; null for no condition). A
   * server that supports conditional deletes answers PreconditionFailed when the object changed.
   */
  void remove(String bucket, String key, String etag) throws Exception {
    remove(bucket, key, etag, null, false);
  }

  /**
   * Deletes one version of an object ({@code versionId}; null for the object as unversioned buckets
   * hold it), if it still has {@code etag}. A pool that locks objects keeps them in versioned
   * buckets, where a DELETE without a version only hides the object behind a delete marker: there
   * the caller names the version it checked. {@code bypassGovernance} asks the pool to delete a
   * version under governance retention ({@code x-amz-bypass-governance-retention}); a version under
   * compliance retention or legal hold is refused whatever is asked (403 AccessDenied).
   */
  void remove(String bucket, String key, String etag, String versionId, boolean bypassGovernance)
      throws Exception {
    RemoveObjectArgs.Builder args = RemoveObjectArgs.builder().bucket(bucket).object(key);
    if (etag != null) {
      args.extraHeaders(Map.of("If-Match", "\"" + stripQuotes(etag) + "\""));
    }
    if (versionId != null) {
      args.versionId(versionId);
    }
    if (bypassGovernance) {
      args.bypassGovernanceMode(true);
    }
    join(removeObject(args.build()));
  }

  /**
   * Incomplete multipart uploads of the keys that start with {@code prefix} (null for all), all
   * pages. MinIO lists nothing without a prefix, and takes one as the name of a single object. The
   * first request carries no max-uploads (the client library always sends one, so the request is
   * built here): S3Proxy answers 501 to it, and servers return their default page size without it.
   */
  List<Upload> incompleteUploads(String bucket, String prefix) throws Exception {
    List<Upload> uploads = new ArrayList<>();
    Multimap<String, String> query = HashMultimap.create();
    query.put("uploads", "");
    if (prefix != null) {
      query.put("prefix", prefix);
    }
    while (true) {
      ListMultipartUploadsResult result;
      try (Response response =
          join(executeAsync(Method.GET, bucket, null, REGION, Headers.of(), query, null, 0))) {
        result = Xml.unmarshal(ListMultipartUploadsResult.class, response.body().charStream());
      }
      uploads.addAll(result.uploads());
      if (!result.isTruncated()) {
        return uploads;
      }
      query.replaceValues("key-marker", List.of(result.nextKeyMarker()));
      query.replaceValues("upload-id-marker", List.of(result.nextUploadIdMarker()));
    }
  }

  /** Aborts a multipart upload; one already gone (completed or aborted) is fine. */
  void abortIgnoringMissing(String bucket, String key, String uploadId) throws Exception {
    Multimap<String, String> none = HashMultimap.create();
    try {
      join(abortMultipartUploadAsync(bucket, null, key, uploadId, none, none));
    } catch (ErrorResponseException e) {
      if (!"NoSuchUpload".equals(e.errorResponse().code())) {
        throw e;
      }
    }
  }

  static String stripQuotes(String etag) {
    if (etag == null) {
      return "";
    }
    return etag.startsWith("\"") && etag.endsWith("\"") && etag.length() >= 2
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  static Instant toInstant(ZonedDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskCancelledException();
    }
  }
}
