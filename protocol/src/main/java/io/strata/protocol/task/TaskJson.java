package io.strata.protocol.task;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON form of tasks, results and progress as they travel between controller and agent:
 * instants and durations as ISO-8601 strings, unknown fields ignored so that either side can add
 * fields first.
 */
public final class TaskJson {

  private TaskJson() {}

  /** A mapper for the task model; configure once and share (ObjectMapper is thread-safe). */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
