package io.strata.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.bench.BenchArgs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakMainTest {
  @TempDir Path dir;

  @Test
  void minutesScaleTheObjectsAndFaultsAndTheSeedIsKept() throws Exception {
    Soak.Options options =
        SoakMain.options(new String[] {"--minutes", "20", "--seed", "42", "--dir", dir.toString()});

    assertThat(options.duration()).isEqualTo(Duration.ofMinutes(20));
    assertThat(options.seed()).isEqualTo(42);
    assertThat(options.objects()).isEqualTo(20_000);
    assertThat(options.faults()).isEqualTo(60);
    assertThat(options.convergeBound()).isEqualTo(Duration.ofSeconds(580));
  }

  @Test
  void badArgumentsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> SoakMain.options(new String[] {"--seed", "x"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessageContaining("--seed");
    assertThatThrownBy(() -> SoakMain.options(new String[] {"--minutes", "0"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessageContaining("--minutes");
    assertThatThrownBy(() -> SoakMain.options(new String[] {"--faults", "3"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessageContaining("--faults")
        .hasMessageContaining("one of each kind");
    assertThatThrownBy(() -> SoakMain.options(new String[] {"--hours", "1"}))
        .isInstanceOf(BenchArgs.BadArgs.class)
        .hasMessageContaining("--hours");
  }
}
