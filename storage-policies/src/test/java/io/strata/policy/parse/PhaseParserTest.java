package io.strata.policy.parse;

import static io.strata.policy.parse.Policies.errors;
import static io.strata.policy.parse.Policies.replacing;
import static io.strata.policy.parse.Policies.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.topology.DomainLevel;
import io.strata.topology.placement.PlacementRule;
import io.strata.topology.placement.TierCopies;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhaseParserTest {
  private static final String PHASE_0 = "0d: 2 × hot-nvme spread room";

  private static PlacementRule firstRule(String phase) {
    return valid(replacing(PHASE_0, phase)).phases().get(0).rule();
  }

  private static List<String> phaseErrors(String phase) {
    return errors(replacing(PHASE_0, phase));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0d: 2 × hot-nvme spread room",
        "0d: 2 x hot-nvme spread room",
        "0d: 2 X hot-nvme spread room",
        "0d: 2 * hot-nvme spread room",
        "0d: 2x hot-nvme spread room",
        "0d: 2×hot-nvme  spread  room",
        "0d: {copies: {hot-nvme: 2}, spread: room}",
        "0d:\n    copies:\n      hot-nvme: 2\n    spread: ROOM"
      })
  void everySpellingOfTwoHotCopiesInDistinctRoomsCompilesToTheSameRule(String phase) {
    assertThat(firstRule(phase))
        .isEqualTo(new PlacementRule(DomainLevel.ROOM, List.of(new TierCopies("hot-nvme", 2))));
  }

  @Test
  void aTierWithoutACountIsOneCopyAndTermsAddUp() {
    assertThat(firstRule("0d: warm-hdd + 2 × cold-archive spread site"))
        .isEqualTo(
            new PlacementRule(
                DomainLevel.SITE,
                List.of(new TierCopies("warm-hdd", 1), new TierCopies("cold-archive", 2))));
  }

  @Test
  void aPhaseWithoutSpreadIsAnError() {
    assertThat(phaseErrors("0d: 2 × hot-nvme"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: '2 × hot-nvme' names no spread; write COUNT × TIER [+ COUNT ×"
                + " TIER ...] spread LEVEL, e.g. 2 × hot-nvme spread room");
  }

  @Test
  void aMisspeltLevelGetsASuggestion() {
    assertThat(phaseErrors("0d: 2 × hot-nvme spread rom"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: spread 'rom' is not a level; did you mean 'room'? allowed:"
                + " region, site, room, row, rack, node");
  }

  @Test
  void aTermThatIsNotCountTimesTierIsAnError() {
    assertThat(phaseErrors("0d: two x hot-nvme spread room"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: 'two x hot-nvme' in 'two x hot-nvme spread room' is not COUNT"
                + " × TIER; write COUNT × TIER [+ COUNT × TIER ...] spread LEVEL, e.g. 2 × hot-nvme"
                + " spread room");
  }

  @Test
  void anEmptyTermIsAnError() {
    assertThat(phaseErrors("0d: hot-nvme + spread room"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: '' in 'hot-nvme + spread room' is not COUNT × TIER; write"
                + " COUNT × TIER [+ COUNT × TIER ...] spread LEVEL, e.g. 2 × hot-nvme spread room");
  }

  @Test
  void zeroCopiesAndTooManyCopiesAreErrors() {
    assertThat(phaseErrors("0d: 0 × hot-nvme + 17 × warm-hdd spread room"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: 0 copies of hot-nvme is not allowed; write 1 to 16",
            "t.yaml:5:7: phases.0d: 17 copies of warm-hdd is not allowed; write 1 to 16");
  }

  @Test
  void aTierNamedTwiceIsAnError() {
    assertThat(phaseErrors("0d: hot-nvme + hot-nvme spread room"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: tier hot-nvme is named twice; write the total once, e.g. 2 ×"
                + " hot-nvme");
  }

  @Test
  void anExpandedPhaseNeedsCopiesAndSpread() {
    assertThat(phaseErrors("0d: {copies: {hot-nvme: 2}}"))
        .containsExactly("t.yaml:5:7: phases.0d.spread: missing; 'phases.0d' needs spread");
  }

  @Test
  void anExpandedPhaseChecksItsCountsTiersAndKeys() {
    assertThat(phaseErrors("0d: {copies: {hot-nvme: many, Warm: 1}, spread: room, speed: fast}"))
        .containsExactly(
            "t.yaml:5:27: phases.0d.copies.hot-nvme: 'many' is not allowed; write a whole number"
                + " from 1 to 16",
            "t.yaml:5:33: phases.0d.copies: 'Warm' is not a tier name; tier names are lowercase"
                + " letters, digits, '.', '_', '-'",
            "t.yaml:5:57: phases.0d.speed: unknown key 'speed'; did you mean 'spread'? allowed:"
                + " copies, spread");
  }

  @Test
  void anExpandedPhaseWithNoTierIsAnError() {
    assertThat(phaseErrors("0d: {copies: {}, spread: room}"))
        .containsExactly(
            "t.yaml:5:16: phases.0d.copies: names no tier; write a map of tier to count, e.g."
                + " {hot-nvme: 2}");
  }

  @Test
  void aPhaseThatIsAListIsAnError() {
    assertThat(phaseErrors("0d: [hot-nvme]"))
        .containsExactly(
            "t.yaml:5:7: phases.0d: expected a placement (COUNT × TIER [+ COUNT × TIER ...] spread"
                + " LEVEL, e.g. 2 × hot-nvme spread room) or a map, found a list");
  }

  @Test
  void phasesMustStartAtZero() {
    assertThat(phaseErrors("1d: 2 × hot-nvme spread room"))
        .containsExactly(
            "t.yaml:5:3: phases.1d: the first phase is at 1d; phases start at 0d so that every"
                + " object has one");
  }

  @Test
  void phasesMustBeInIncreasingAge() {
    assertThat(errors(replacing("90d:", "0h:")))
        .containsExactly(
            "t.yaml:6:3: phases.0h: phase 0h comes after phase 0d; list phases by increasing age");
  }

  @Test
  void aPhaseAgeMustBeADuration() {
    assertThat(errors(replacing("90d:", "90 days:")))
        .containsExactly(
            "t.yaml:6:3: phases.90 days: '90 days' is not a duration; write a whole number"
                + " followed by h, d, w, mo or y (36h, 90d, 5y)");
  }

  @Test
  void phasesMustBeAMapWithAtLeastOnePhase() {
    String noPhases =
        replacing(
            "  0d: 2 × hot-nvme spread room\n  90d: warm-hdd + cold-archive spread site\n", "");
    assertThat(errors(noPhases.replace("phases:", "phases: {}")))
        .containsExactly(
            "t.yaml:4:9: phases: names no phase; write at least 0d: COUNT × TIER spread LEVEL");
    assertThat(errors(noPhases.replace("phases:", "phases: 2 × hot-nvme spread room")))
        .containsExactly("t.yaml:4:9: phases: expected a map, found '2 × hot-nvme spread room'");
  }
}
