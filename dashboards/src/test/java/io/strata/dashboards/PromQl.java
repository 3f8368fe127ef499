package io.strata.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the vector selectors of a PromQL expression ({@code name{matchers}}), enough for the
 * expressions of our dashboards and rules: string literals, range durations, grouping label lists
 * ({@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left}, {@code
 * group_right}), numbers, functions and aggregations are skipped. Not a full PromQL parser;
 * Prometheus itself checks that the expressions parse.
 */
final class PromQl {
  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "count",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "group");

  private PromQl() {}

  /** The vector selectors in {@code expr}, in order, each as written (name and braces). */
  static List<String> selectors(String expr) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '[') {
        i = skipTo(expr, i, '[', ']');
      } else if (c == '{') {
        int end = skipTo(expr, i, '{', '}');
        out.add(expr.substring(i, end));
        i = end;
      } else if (Character.isDigit(c) || c == '.') {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n && isNameChar(expr.charAt(i))) {
          i++;
        }
        String name = expr.substring(start, i);
        int next = i;
        while (next < n && Character.isWhitespace(expr.charAt(next))) {
          next++;
        }
        char after = next < n ? expr.charAt(next) : ' ';
        if (GROUPING.contains(name)) {
          i = after == '(' ? skipTo(expr, next, '(', ')') : i;
        } else if (KEYWORDS.contains(name) || AGGREGATIONS.contains(name) || after == '(') {
          // An operator, or a function applied to what follows.
        } else if (after == '{') {
          int end = skipTo(expr, next, '{', '}');
          out.add(name + expr.substring(next, end));
          i = end;
        } else {
          out.add(name);
        }
      } else {
        i++;
      }
    }
    return out;
  }

  /** The metric name of a selector; empty for a selector of matchers only. */
  static String metricName(String selector) {
    int brace = selector.indexOf('{');
    return brace < 0 ? selector : selector.substring(0, brace);
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static int skipString(String s, int i) {
    char quote = s.charAt(i);
    i++;
    while (i < s.length() && s.charAt(i) != quote) {
      i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return Math.min(i + 1, s.length());
  }

  /** The index after the bracket that closes the one at {@code i}, strings respected. */
  private static int skipTo(String s, int i, char open, char close) {
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException("unbalanced '" + open + "' in: " + s);
  }
}
