package io.strata.controller.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's two message bundles hold the same texts, and every text the pages and scripts name
 * by a literal key is in them: a key missing from one language would show as the key itself.
 */
class ConsoleMessagesTest {
  private static final Pattern MARKED = Pattern.compile("data-i18n(?:-[a-z-]+)?=\"([^\"]+)\"");
  private static final Pattern CALLED = Pattern.compile("\\bt\\(\"([^\"]+)\"");

  private static Map<String, String> bundle(String language) throws IOException {
    try (InputStream in =
        ConsoleMessagesTest.class.getResourceAsStream("/console/messages/" + language + ".json")) {
      return Jackson.newObjectMapper().readValue(in, new TypeReference<Map<String, String>>() {});
    }
  }

  @Test
  void englishAndChineseHoldTheSameKeys() throws IOException {
    assertThat(new TreeSet<>(bundle("zh").keySet()))
        .isEqualTo(new TreeSet<>(bundle("en").keySet()));
  }

  @Test
  void everyKeyThePagesAndScriptsNameIsInTheBundles() throws IOException, URISyntaxException {
    Path console =
        Path.of(ConsoleMessagesTest.class.getResource("/console/index.html").toURI()).getParent();
    Set<String> named = new TreeSet<>();
    try (Stream<Path> files = Files.walk(console)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.(html|js)$")).toList()) {
        String text = Files.readString(file);
        for (Pattern p : new Pattern[] {MARKED, CALLED}) {
          Matcher m = p.matcher(text);
          while (m.find()) {
            named.add(m.group(1));
          }
        }
      }
    }
    assertThat(named).contains("audit.title", "access.users", "pager.next");
    Set<String> keys = bundle("en").keySet();
    for (String key : named) {
      // A key built at run time ("state." + state) is named by its prefix: some text has it.
      if (key.endsWith(".")) {
        assertThat(keys).as("texts under %s", key).anyMatch(k -> k.startsWith(key));
      } else {
        assertThat(keys).as("the text %s", key).contains(key);
      }
    }
  }
}
