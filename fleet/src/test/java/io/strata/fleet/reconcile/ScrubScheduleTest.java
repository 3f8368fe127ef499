package io.strata.fleet.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.protocol.task.KeyRange;
import io.strata.protocol.task.ListedObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrubScheduleTest {
  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  private static final long TIB = 1L << 40;
  private static final ScrubSchedule.Settings SETTINGS =
      new ScrubSchedule.Settings(Duration.ofDays(20), Duration.ofDays(30), 512L << 20);

  private static ScrubSchedule.Candidate copy(String shard, String pool, long daysAgo) {
    ListedObject o = new ListedObject("k", 100, Instant.EPOCH, "e", null, Map.of());
    return new ScrubSchedule.Candidate(
        new Shard("ds:" + shard, "ds", KeyRange.ALL),
        new PoolScan(pool, 1, NOW, Map.of("k", o)),
        NOW.minus(Duration.ofDays(daysAgo)));
  }

  private static List<String> picked(List<ScrubSchedule.Scrub> scrubs) {
    return scrubs.stream()
        .map(s -> s.candidate().shard().id() + "@" + s.candidate().pool() + ":" + s.priority())
        .toList();
  }

  @Test
  void theCopiesVerifiedLongestAgoGoFirstAndThoseNotDueNotAtAll() {
    List<ScrubSchedule.Candidate> copies =
        List.of(copy("a", "p1", 21), copy("b", "p1", 40), copy("c", "p1", 19), copy("d", "p1", 26));

    List<ScrubSchedule.Scrub> scrubs =
        ScrubSchedule.pick(copies, NOW, SETTINGS, Map.of("p1", 16), Map.of("p1", 16));

    assertThat(picked(scrubs))
        .containsExactly("ds:b@p1:SCRUB_DEADLINE", "ds:d@p1:SCRUB_DEADLINE", "ds:a@p1:SCAN");
  }

  @Test
  void fromALargeBacklogEachPoolGetsItsOldestCopiesUpToItsFreeSlots() {
    java.util.Random random = new java.util.Random(7);
    java.util.List<ScrubSchedule.Candidate> copies = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      copies.add(copy("s" + i, "p" + (i % 5), 10 + random.nextInt(40)));
    }
    Map<String, Integer> free = Map.of("p0", 16, "p1", 3, "p2", 0, "p3", 1, "p4", 16);
    Map<String, Integer> routine = Map.of("p0", 4, "p1", 4, "p2", 4, "p3", 0, "p4", 0);

    List<ScrubSchedule.Scrub> scrubs = ScrubSchedule.pick(copies, NOW, SETTINGS, free, routine);

    for (String pool : List.of("p0", "p1", "p2", "p3", "p4")) {
      // The pool's due copies, oldest first (ties by shard id): what it should take from.
      List<ScrubSchedule.Candidate> due =
          copies.stream()
              .filter(c -> c.pool().equals(pool) && ScrubSchedule.due(c, NOW, SETTINGS))
              .sorted(
                  java.util.Comparator.comparing(ScrubSchedule.Candidate::lastVerified)
                      .thenComparing(c -> c.shard().id()))
              .toList();
      List<String> expected = new java.util.ArrayList<>();
      int slots = free.get(pool);
      int routineLeft = routine.get(pool);
      for (ScrubSchedule.Candidate c : due) {
        if (expected.size() == slots) {
          break;
        }
        TaskPriority priority = ScrubSchedule.priority(c, NOW, SETTINGS);
        if (priority == TaskPriority.SCAN && routineLeft-- <= 0) {
          break; // The rest are routine, and younger.
        }
        expected.add(c.shard().id() + "@" + pool + ":" + priority);
      }
      assertThat(picked(scrubs).stream().filter(p -> p.contains("@" + pool + ":")).toList())
          .as(pool)
          .containsExactlyElementsOf(expected);
    }
    assertThat(picked(scrubs)).hasSize(16 + 3 + 1 + 16);
  }

  @Test
  void aCopyPastHalfItsSlackBeforeTheDeadlineGoesAboveVoluntaryMovementAndBelowRepairs() {
    assertThat(ScrubSchedule.priority(copy("a", "p1", 24), NOW, SETTINGS))
        .as("due, 24 of 30 days")
        .isEqualTo(TaskPriority.SCAN);
    assertThat(ScrubSchedule.priority(copy("a", "p1", 25), NOW, SETTINGS))
        .as("halfway from falling due to the deadline")
        .isEqualTo(TaskPriority.SCRUB_DEADLINE);
    assertThat(TaskPriority.SCRUB_DEADLINE)
        .isGreaterThan(TaskPriority.MISSING_COPY)
        .isLessThan(TaskPriority.TRANSITION)
        .isLessThan(TaskPriority.SCAN);
    assertThat(RoundQueue.isVoluntary(TaskPriority.SCRUB_DEADLINE)).isFalse();
  }

  @Test
  void routineScrubsTakeTheirShareOfAPoolAndOverdueOnesAnyFreeSlot() {
    List<ScrubSchedule.Candidate> copies =
        List.of(
            copy("r1", "p1", 21),
            copy("r2", "p1", 22),
            copy("r3", "p1", 23),
            copy("late1", "p1", 31),
            copy("late2", "p1", 35),
            copy("late3", "p1", 33),
            copy("other", "p2", 21));

    List<ScrubSchedule.Scrub> scrubs =
        ScrubSchedule.pick(copies, NOW, SETTINGS, Map.of("p1", 4, "p2", 0), Map.of("p1", 1));

    assertThat(picked(scrubs))
        .as("three overdue, one routine (the oldest), none where the queue is full")
        .containsExactly(
            "ds:late2@p1:SCRUB_DEADLINE",
            "ds:late3@p1:SCRUB_DEADLINE",
            "ds:late1@p1:SCRUB_DEADLINE",
            "ds:r3@p1:SCAN");
  }

  @Test
  void overdueCopiesComeBeforeRoutineOnesWhenSlotsAreShort() {
    List<ScrubSchedule.Candidate> copies =
        List.of(copy("r", "p1", 21), copy("late", "p1", 31), copy("near", "p1", 27));

    assertThat(picked(ScrubSchedule.pick(copies, NOW, SETTINGS, Map.of("p1", 2), Map.of("p1", 4))))
        .containsExactly("ds:late@p1:SCRUB_DEADLINE", "ds:near@p1:SCRUB_DEADLINE");
  }

  @Test
  void aPoolIsFeasibleWhenItsBudgetReadsEverythingItHoldsWithinTheDeadline() {
    // 512 MiB/s is 42.2 TiB a day: 1,000 TiB takes 23.7 days, 1,500 TiB 35.6.
    List<ScrubSchedule.Held> held =
        List.of(
            new ScrubSchedule.Held("small", 600 * TIB, NOW.minus(Duration.ofDays(3))),
            new ScrubSchedule.Held("small", 400 * TIB, NOW.minus(Duration.ofDays(31))),
            new ScrubSchedule.Held("large", 1_500 * TIB, NOW.minus(Duration.ofDays(30))));

    Map<String, ScrubSchedule.PoolFigures> figures = ScrubSchedule.figures(held, NOW, SETTINGS);

    assertThat(figures.get("small").bytes()).isEqualTo(1_000 * TIB);
    assertThat(figures.get("small").passDays())
        .isCloseTo(23.7, org.assertj.core.data.Offset.offset(0.1));
    assertThat(figures.get("small").feasible()).isTrue();
    assertThat(figures.get("small").overdue()).isEqualTo(1);
    assertThat(figures.get("large").passDays())
        .isCloseTo(35.6, org.assertj.core.data.Offset.offset(0.1));
    assertThat(figures.get("large").feasible()).isFalse();
    assertThat(figures.get("large").overdue()).as("30 days is the deadline").isEqualTo(1);
  }

  @Test
  void withoutABudgetEveryPoolIsFeasible() {
    ScrubSchedule.Settings uncapped =
        new ScrubSchedule.Settings(Duration.ofDays(20), Duration.ofDays(30), 0);

    ScrubSchedule.PoolFigures f =
        ScrubSchedule.figures(
                List.of(new ScrubSchedule.Held("p", 1_000_000 * TIB, NOW)), NOW, uncapped)
            .get("p");

    assertThat(f.passSeconds()).isZero();
    assertThat(f.feasible()).isTrue();
  }

  @Test
  void anIntervalLongerThanTheDeadlineIsRefused() {
    assertThatThrownBy(
            () -> new ScrubSchedule.Settings(Duration.ofDays(31), Duration.ofDays(30), 0))
        .hasMessageContaining("scrubInterval")
        .hasMessageContaining("scrubDeadline");
  }
}
