package io.strata.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.strata.policy.PolicyLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON schema that ships for editors agrees with the parser and accepts the library. */
class PolicySchemaTest {
  private static final String RESOURCE = "/io/strata/policy/storage-policy.schema.json";
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static JsonNode schemaJson() throws IOException {
    try (InputStream in = PolicySchemaTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as(RESOURCE).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static Set<ValidationMessage> check(String yaml) throws IOException {
    JsonSchema schema = FACTORY.getSchema(schemaJson());
    return schema.validate(new YAMLMapper().readTree(yaml));
  }

  private static List<String> keys(JsonNode properties) {
    List<String> out = new ArrayList<>();
    properties.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void theSchemaIsAValidDraft202012Schema() throws IOException {
    JsonNode schema = schemaJson();
    assertThat(schema.get("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    JsonSchema meta =
        FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    assertThat(meta.validate(schema)).isEmpty();
  }

  @Test
  void theSchemaNamesExactlyTheKeysTheParserAllows() throws IOException {
    JsonNode p = schemaJson().get("properties");
    assertThat(keys(p)).containsExactlyElementsOf(PolicyParser.TOP_KEYS);
    assertThat(keys(p.get("age").get("properties")))
        .containsExactlyElementsOf(PolicyParser.AGE_KEYS);
    assertThat(keys(p.get("retention").get("properties")))
        .containsExactlyElementsOf(PolicyParser.RETENTION_KEYS);
    assertThat(keys(p.get("movement").get("properties")))
        .containsExactlyElementsOf(PolicyParser.MOVEMENT_KEYS);
    assertThat(keys(p.get("encryption").get("properties")))
        .containsExactlyElementsOf(PolicyParser.ENCRYPTION_KEYS);
    List<String> required = new ArrayList<>();
    schemaJson().get("required").forEach(n -> required.add(n.asText()));
    assertThat(required).containsExactlyElementsOf(PolicyParser.REQUIRED);
  }

  static List<String> names() {
    return PolicyLibrary.NAMES;
  }

  @ParameterizedTest
  @MethodSource("names")
  void everyBundledPolicyPassesTheSchema(String name) throws IOException {
    assertThat(check(PolicyLibrary.source(name).orElseThrow().text())).isEmpty();
  }

  @Test
  void theExpandedPhaseFormPassesTheSchema() throws IOException {
    assertThat(
            check(
                Policies.replacing(
                    "0d: 2 × hot-nvme spread room", "0d: {copies: {hot-nvme: 2}, spread: room}")))
        .isEmpty();
  }

  @Test
  void theSchemaRejectsWhatTheParserRejects() throws IOException {
    String[] broken = {
      Policies.replacing("retention:", "retension:"),
      Policies.replacing("recordClass: inpatient", "recordClass: inpatiant"),
      Policies.replacing("90d:", "90 days:"),
      Policies.replacing("spread site", "spread campus"),
      Policies.plus("movement: {priority: 101}\n"),
      Policies.plus("age: {from: metadata}\n"),
      Policies.plus("expiry: soon\n"),
      Policies.plus("encryption: {type: aes}\n"),
      Policies.plus("encryption: {type: sse-s3, keyId: k1}\n"),
    };
    for (String text : broken) {
      assertThat(Policies.parse(text).isValid()).as(text).isFalse();
      assertThat(check(text)).as(text).isNotEmpty();
    }
  }
}
