package io.strata.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.strata.controller.TestZooKeeper;
import io.strata.fleet.recall.Recall;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecallStoreTest {
  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private TestZooKeeper zookeeper;

  @BeforeEach
  void start() throws Exception {
    zookeeper = new TestZooKeeper();
  }

  @AfterEach
  void stop() throws Exception {
    zookeeper.close();
  }

  private static Recall recall(String id, Instant created) {
    return new Recall(
        id,
        "h01-imaging",
        "1.2.3",
        null,
        null,
        created.plus(Duration.ofHours(1)),
        created.plus(Duration.ofDays(14)),
        created,
        "operator");
  }

  @Test
  void recallsAddedOnOneReplicaAreReadOnAnotherAsWritten() throws Exception {
    RecallStore one = new RecallStore(zookeeper.client(), JSON);
    RecallStore other = new RecallStore(zookeeper.client(), JSON);
    assertThat(other.all()).isEmpty();

    one.add(recall("recall-b", T0.plusSeconds(1)));
    one.add(recall("recall-a", T0));

    assertThat(other.all())
        .containsExactly(recall("recall-a", T0), recall("recall-b", T0.plusSeconds(1)));
    assertThat(other.get("recall-b")).contains(recall("recall-b", T0.plusSeconds(1)));
    assertThat(other.holding(T0.plus(Duration.ofDays(14))))
        .containsExactly(recall("recall-b", T0.plusSeconds(1)));
    assertThat(other.holding(T0.plus(Duration.ofDays(15)))).isEmpty();
  }

  @Test
  void recallsAreForgottenADayAfterTheirHoldEnds() throws Exception {
    RecallStore store = new RecallStore(zookeeper.client(), JSON);
    store.add(recall("recall-a", T0));
    store.add(recall("recall-b", T0.plus(Duration.ofDays(2))));

    store.forgetEnded(T0.plus(Duration.ofDays(15)).minusSeconds(1));
    assertThat(store.all()).hasSize(2);
    store.forgetEnded(T0.plus(Duration.ofDays(15)));
    assertThat(new RecallStore(zookeeper.client(), JSON).all())
        .extracting(Recall::id)
        .containsExactly("recall-b");
  }

  @Test
  void noMoreThanTheBoundAreKept() throws Exception {
    RecallStore store = new RecallStore(zookeeper.client(), JSON);
    for (int i = 0; i < RecallStore.MAX_RECALLS; i++) {
      store.add(recall("recall-" + i, T0));
    }
    assertThatThrownBy(() -> store.add(recall("one-more", T0)))
        .isInstanceOf(RecallStore.FullException.class)
        .hasMessageContaining("1000 recalls");
    assertThat(store.get("one-more")).isEmpty();
  }
}
