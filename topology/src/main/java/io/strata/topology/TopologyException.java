package io.strata.topology;

import java.util.List;

/** A topology that cannot be used; carries every problem found, each naming its item. */
public class TopologyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public TopologyException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order of the input; never empty. */
  public List<String> problems() {
    return problems;
  }
}
