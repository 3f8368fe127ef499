package io.strata.controller.kubernetes;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fabric8's Kubernetes mock server in CRUD mode on loopback, which records the calls the
 * controller's client makes (told apart by its user agent) and can refuse every call as an API
 * server refuses a service account without the permission. Closing it closes its clients.
 */
public final class MockKubernetes implements AutoCloseable {
  /** The user agent of {@link #controllerClient()}: its calls are the ones recorded. */
  public static final String CONTROLLER_AGENT = "strata-controller-under-test";

  /** One call: the HTTP method and the path with its query. */
  public record Call(String method, String path) {}

  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final KubernetesMockServer server;
  private volatile boolean refusing;

  public MockKubernetes() {
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            boolean controller = CONTROLLER_AGENT.equals(request.getHeader("User-Agent"));
            if (controller) {
              calls.add(new Call(request.getMethod(), request.getPath()));
              if (refusing) {
                return forbidden(request);
              }
            }
            return crud.dispatch(request);
          }
        };
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  private static MockResponse forbidden(RecordedRequest request) {
    return new MockResponse()
        .setResponseCode(403)
        .setHeader("Content-Type", "application/json")
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":"
                + "\"Forbidden\",\"code\":403,\"message\":\"forbidden: User"
                + " \\\"system:serviceaccount:strata:strata-controller\\\" cannot "
                + request.getMethod()
                + " "
                + request.getPath().replace("\"", "")
                + "\"}");
  }

  /** The API server's URL. */
  public String url() {
    return server.url("/");
  }

  /** A client for the test's own calls (not recorded). */
  public KubernetesClient client() {
    KubernetesClient client = server.createClient();
    clients.add(client);
    return client;
  }

  /** A client for the code under test, in namespace {@code strata}; its calls are recorded. */
  public KubernetesClient controllerClient() {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl(server.url("/"))
                    .withNamespace("strata")
                    .withTrustCerts(true)
                    .withUserAgent(CONTROLLER_AGENT)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    clients.add(client);
    return client;
  }

  /** Serves custom resources of this kind too (a ServiceMonitor, say). */
  public void expectCustomResource(CustomResourceDefinitionContext kind) {
    crud.expectCustomResource(kind);
  }

  /** Every call of the controller's clients so far. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** From now on, the controller's calls are refused with 403 (or served again). */
  public void refuseController(boolean refuse) {
    this.refusing = refuse;
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    server.destroy();
  }
}
