package io.strata.agent.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.Iterators;
import com.google.common.collect.Lists;
import io.strata.protocol.task.ListedObject;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CopyPlanTest {

  static ListedObject o(String key, long size, String sha) {
    return new ListedObject(key, size, null, "etag-" + key, sha);
  }

  static List<CopyPlan.Item> plan(List<ListedObject> sources, List<ListedObject> targets) {
    return Lists.newArrayList(CopyPlan.join(sources.iterator(), targets.iterator()));
  }

  @Test
  void planJoinsListingsAndDecidesPerKey() {
    List<CopyPlan.Item> plan =
        plan(
            List.of(o("a", 1, "s"), o("b", 2, null), o("c", 3, "s"), o("d", 4, "x")),
            List.of(
                o("0", 9, null), o("a", 1, "s"), o("b", 2, "t"), o("d", 4, "y"), o("e", 1, null)));

    assertThat(plan)
        .extracting(CopyPlan.Item::decision)
        .containsExactly(
            CopyPlan.Decision.PRESENT,
            CopyPlan.Decision.CHECK_TARGET,
            CopyPlan.Decision.COPY,
            CopyPlan.Decision.COPY);
  }

  @Test
  void joinReadsNoFurtherIntoEitherListingThanTheItemsAskedFor() {
    List<ListedObject> sources = List.of(o("a", 1, "s"), o("c", 3, null), o("e", 5, null));
    List<ListedObject> targets = List.of(o("a", 1, "s"), o("b", 2, null), o("d", 4, null));
    int[] targetsRead = {0};
    Iterator<ListedObject> targetListing =
        Iterators.transform(
            targets.iterator(),
            t -> {
              targetsRead[0]++;
              return t;
            });

    Iterator<CopyPlan.Item> plan = CopyPlan.join(sources.iterator(), targetListing);

    assertThat(targetsRead[0]).as("before the first item").isZero();
    assertThat(plan.next().decision()).isEqualTo(CopyPlan.Decision.PRESENT);
    assertThat(targetsRead[0]).as("after a: a and the entry after it").isEqualTo(2);
    assertThat(plan.next().decision()).isEqualTo(CopyPlan.Decision.COPY);
    assertThat(targetsRead[0]).as("after c: up to d, the first key past c").isEqualTo(3);
    assertThat(plan.next().source().key()).isEqualTo("e");
    assertThat(plan.hasNext()).isFalse();
  }

  @Test
  void differentSizeMeansCopy() {
    assertThat(CopyPlan.decide(o("a", 1, "s"), o("a", 2, "s"))).isEqualTo(CopyPlan.Decision.COPY);
  }

  @Test
  void equalMarkersUnderDifferentEtagsAreCheckedAtTheTarget() {
    ListedObject source = new ListedObject("a", 1, null, "rewritten", "s");
    ListedObject target = new ListedObject("a", 1, null, "etag-a", "s");

    assertThat(CopyPlan.decide(source, target)).isEqualTo(CopyPlan.Decision.CHECK_TARGET);
    assertThat(CopyPlan.decide(o("a", 1, "s"), o("a", 1, "s")))
        .isEqualTo(CopyPlan.Decision.PRESENT);
  }

  @Test
  void unsortedListingIsRejected() {
    assertThatThrownBy(() -> plan(List.of(o("b", 1, null), o("a", 1, null)), List.of()))
        .hasMessageContaining("not in key order");
  }

  @Test
  void namedKeysAreDecidedFromTheWindowsThatCoverThemAndLeftToHeadsBeyond() {
    // The source's window reached "m", the target's "f".
    ShardLister.Window sources =
        new ShardLister.Window(
            Map.of(
                "a",
                o("a", 1, "s"),
                "b",
                o("b", 2, null),
                "c",
                o("c", 3, "s"),
                "g",
                o("g", 7, null)),
            "m");
    ShardLister.Window targets =
        new ShardLister.Window(Map.of("a", o("a", 1, "s"), "b", o("b", 2, null)), "f");

    List<CopyPlan.Item> plan =
        Stream.of("a", "b", "c", "g", "z").map(k -> CopyPlan.named(k, sources, targets)).toList();

    assertThat(plan)
        .extracting(i -> i.source().key() + " " + i.sourceListed() + " " + i.decision())
        .containsExactly(
            "a true PRESENT", // listed alike on both sides
            "b true CHECK_TARGET", // same size, no SHA-256 listed: the target's marker decides
            "c true COPY", // the target's window covers it, and it is not there
            "g true CHECK_TARGET", // beyond the target's window: HEAD of the target
            "z false CHECK_TARGET"); // beyond the source's window: HEAD of both
  }

  @Test
  void aWindowThatReadToTheEndOfItsKeysCoversThemAll() {
    ShardLister.Window whole = new ShardLister.Window(Map.of(), null);
    ShardLister.Window none = new ShardLister.Window(Map.of(), "");
    ShardLister.Window toM = new ShardLister.Window(Map.of(), "m");

    assertThat(whole.covers("\uD83D\uDE00")).isTrue();
    assertThat(none.covers("a")).isFalse();
    assertThat(toM.covers("m")).isTrue();
    assertThat(toM.covers("m0")).isFalse();
  }
}
