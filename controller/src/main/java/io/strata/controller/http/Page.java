package io.strata.controller.http;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of a collection, for lists the console pulls whole otherwise (50,000 agents, 40,000
 * pools): {@code offset} and {@code limit} from the query, the total after filtering in the {@value
 * #TOTAL} header. Without a limit the whole filtered list is answered, as before pages existed.
 *
 * @param offset how many matching items to skip, 0 or more
 * @param limit how many to answer at most, 1 to {@value #MAX_LIMIT}; {@code Integer.MAX_VALUE} when
 *     the query gave none
 */
public record Page(int offset, int limit) {
  /** The header that carries how many items matched the filters, over all pages. */
  public static final String TOTAL = "X-Total-Count";

  /** The largest page. */
  public static final int MAX_LIMIT = 10_000;

  /**
   * Reads {@code offset} and {@code limit} as the query gave them (null when absent).
   *
   * @throws jakarta.ws.rs.WebApplicationException 422 naming the parameter when one is not a whole
   *     number in its range
   */
  public static Page of(String offset, String limit) {
    int from = offset == null ? 0 : number("offset", offset, 0, Integer.MAX_VALUE);
    int size = limit == null ? Integer.MAX_VALUE : number("limit", limit, 1, MAX_LIMIT);
    return new Page(from, size);
  }

  private static int number(String name, String text, int min, int max) {
    long n;
    try {
      n = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw ErrorMessage.failure(
          422,
          "query parameter "
              + name
              + " must be a whole number from "
              + min
              + " to "
              + max
              + "; it is '"
              + text
              + "'");
    }
    return (int) n;
  }

  /** The items of {@code all} that {@code filter} keeps, this page of them. */
  public <T> List<T> of(List<T> all, Predicate<? super T> filter, int[] total) {
    List<T> kept = all.stream().filter(filter).toList();
    total[0] = kept.size();
    int from = Math.min(offset, kept.size());
    int to = (int) Math.min((long) from + limit, kept.size());
    return kept.subList(from, to);
  }

  /** 200 with this page of {@code all} (those {@code filter} keeps) and their total. */
  public <T> Response answer(List<T> all, Predicate<? super T> filter) {
    int[] total = new int[1];
    List<T> page = of(all, filter, total);
    return Response.ok(page).header(TOTAL, total[0]).build();
  }

  /** Whether {@code value} is what the filter {@code wanted} asks; a null filter keeps all. */
  public static boolean matches(String wanted, String value) {
    return wanted == null || wanted.isEmpty() || wanted.equalsIgnoreCase(value);
  }

  /** Whether {@code id} contains {@code part}, ignoring case; a null part keeps all. */
  public static boolean contains(String part, String id) {
    return part == null
        || part.isEmpty()
        || id != null
            && id.toLowerCase(java.util.Locale.ROOT)
                .contains(part.toLowerCase(java.util.Locale.ROOT));
  }
}
