package io.strata.controller.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/**
 * Request bodies that are not JSON, or not JSON of the expected shape, become a 400 that says what
 * is wrong and where (line, column, field), where Dropwizard says only "Unable to process JSON".
 * Values are never echoed: a login body holds a password. Errors in the server's own types stay
 * with Dropwizard's mapper, as 500s.
 */
public final class JsonBodyErrors {
  private JsonBodyErrors() {}

  /** Malformed JSON. */
  public static final class Malformed implements ExceptionMapper<JsonParseException> {
    @Override
    public Response toResponse(JsonParseException e) {
      return badRequest("the body is not JSON" + at(e));
    }
  }

  /** JSON whose values do not have the types of the expected body. */
  public static final class Mismatched implements ExceptionMapper<MismatchedInputException> {
    @Override
    public Response toResponse(MismatchedInputException e) {
      String field = field(e);
      String expected = e.getTargetType() == null ? "" : ", expected " + kind(e.getTargetType());
      return badRequest(
          (field.isEmpty()
                  ? "the body has the wrong shape"
                  : "field '" + field + "' has the wrong type")
              + expected
              + at(e));
    }
  }

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * A request body of strings only, read strictly: 400 when it is not JSON; 422 starting with
   * {@code expected} when it is empty, null, has a field {@code type} does not, or a value that is
   * not a string, naming the field and where it is.
   */
  static <T> T strict(String body, Class<T> type, String expected) {
    if (body == null || body.isBlank()) {
      throw ErrorMessage.failure(422, expected + "; it is empty");
    }
    T read;
    try {
      read = STRICT.readValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      throw ErrorMessage.failure(
          422, expected + "; unknown field '" + e.getPropertyName() + "'" + at(e));
    } catch (JsonParseException e) {
      throw new WebApplicationException(new Malformed().toResponse(e));
    } catch (JsonProcessingException e) {
      String field = e instanceof JsonMappingException m ? field(m) : "";
      throw ErrorMessage.failure(
          422,
          expected + (field.isEmpty() ? "" : "; field '" + field + "' must be a string") + at(e));
    }
    if (read == null) {
      throw ErrorMessage.failure(422, expected + "; it is null");
    }
    return read;
  }

  private static Response badRequest(String message) {
    return Response.status(Response.Status.BAD_REQUEST)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorMessage(400, message))
        .build();
  }

  /** The path of the field at fault, as {@code pools[2].id}; empty for the body itself. */
  static String field(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  /** What a caller would call {@code type} in JSON. */
  static String kind(Class<?> type) {
    if (type == String.class || type == char.class || type == Character.class || type.isEnum()) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  /** Where in the body {@code e} happened, as " (line L, column C)"; empty when unknown. */
  static String at(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
