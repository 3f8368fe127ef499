package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchArgsTest {

  private static final String USAGE = "strata bench x [--rooms N] [--target F] [--no-crushtool]";

  private static BenchArgs parse(String... args) {
    return BenchArgs.parse(args, USAGE);
  }

  @Test
  void readsTheOptionsTheUsageNames() {
    BenchArgs args = parse("--rooms", "7", "--no-crushtool", "--target", "1.2");

    assertThat(args.integer("rooms", 20, 1)).isEqualTo(7);
    assertThat(args.decimal("target", 1.05)).isEqualTo(1.2);
    assertThat(args.has("no-crushtool")).isTrue();
  }

  @Test
  void fallsBackToDefaultsForOptionsNotGiven() {
    BenchArgs args = parse();

    assertThat(args.integer("rooms", 20, 1)).isEqualTo(20);
    assertThat(args.decimal("target", 1.05)).isEqualTo(1.05);
    assertThat(args.has("no-crushtool")).isFalse();
  }

  @Test
  void refusesAnOptionTheUsageDoesNotName() {
    assertThatThrownBy(() -> parse("--room", "7"))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessage("unknown option --room")
        .satisfies(e -> assertThat(((BenchArgs.BadArgs) e).usage()).isEqualTo(USAGE));
    assertThatThrownBy(() -> parse("7")).hasMessage("unknown option 7");
  }

  @Test
  void refusesAnOptionWithoutItsValue() {
    assertThatThrownBy(() -> parse("--no-crushtool", "--rooms"))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessage("--rooms needs a value");
  }

  @Test
  void refusesValuesThatAreNotNumbersOrOutOfRange() {
    assertThatThrownBy(() -> parse("--rooms", "many").integer("rooms", 20, 1))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessage("--rooms takes a whole number, got 'many'");
    assertThatThrownBy(() -> parse("--rooms", "0").integer("rooms", 20, 1))
        .hasMessage("--rooms must be at least 1, got 0");
    assertThatThrownBy(() -> parse("--target", "NaN").decimal("target", 1.05))
        .hasMessage("--target takes a number, got 'NaN'");
  }
}
