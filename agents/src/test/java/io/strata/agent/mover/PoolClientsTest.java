package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;

import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** Which calls a cancelled task cuts: those that leave nothing behind when cut at any moment. */
class PoolClientsTest {

  private static final String OBJECT = "http://127.0.0.1:9000/h01-imaging/s/1.dcm";

  @Test
  void cutsReadsAndWholeObjectWrites() {
    assertThat(PoolClients.safeToCut(request("GET", OBJECT))).isTrue();
    assertThat(
            PoolClients.safeToCut(request("GET", "http://127.0.0.1:9000/h01-imaging?list-type=2")))
        .as("a listing")
        .isTrue();
    assertThat(PoolClients.safeToCut(request("HEAD", OBJECT))).isTrue();
    assertThat(PoolClients.safeToCut(request("PUT", OBJECT))).as("a whole object").isTrue();
  }

  @Test
  void leavesPartsAndUploadBookkeepingToEndOnTheirOwn() {
    assertThat(PoolClients.safeToCut(request("PUT", OBJECT + "?partNumber=2&uploadId=u1")))
        .as("a part, which could land after its upload was aborted")
        .isFalse();
    assertThat(PoolClients.safeToCut(request("POST", OBJECT + "?uploads"))).isFalse();
    assertThat(PoolClients.safeToCut(request("POST", OBJECT + "?uploadId=u1"))).isFalse();
    assertThat(PoolClients.safeToCut(request("DELETE", OBJECT + "?uploadId=u1")))
        .as("an abort, the task's clean-up")
        .isFalse();
    assertThat(PoolClients.safeToCut(request("DELETE", OBJECT))).isFalse();
  }

  private static Request request(String method, String url) {
    RequestBody body =
        method.equals("GET") || method.equals("HEAD") ? null : RequestBody.create(new byte[0]);
    return new Request.Builder().url(url).method(method, body).build();
  }
}
