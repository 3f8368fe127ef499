package io.strata.policy.parse;

import static io.strata.policy.parse.Policies.errors;
import static io.strata.policy.parse.Policies.plus;
import static io.strata.policy.parse.Policies.replacing;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every error the parser reports about a file by itself, with its exact wording and position. */
class PolicyParserErrorsTest {
  private static final String TOP =
      "allowed: policy, description, datasets, prefixes, select, recordClass, timeZone, age,"
          + " phases, retention, expiry, movement, encryption";

  @Test
  void aMisspeltKeyGetsASuggestionAndTheMissingKeyIsReportedToo() {
    assertThat(errors(replacing("retention:", "retension:")))
        .containsExactly(
            "t.yaml:1:1: retention: missing; a policy needs retention",
            "t.yaml:7:1: retension: unknown key 'retension'; did you mean 'retention'? " + TOP);
  }

  @Test
  void anUnknownKeyFarFromAnyAllowedOneListsTheAllowedKeys() {
    assertThat(errors(plus("colour: red\n")))
        .containsExactly("t.yaml:9:1: colour: unknown key 'colour'; " + TOP);
  }

  @Test
  void aKeyWrittenTwiceIsAnError() {
    assertThat(errors(plus("policy: again\n")))
        .containsExactly(
            "t.yaml:9:1: policy: key 'policy' is written twice; the first is at line 1");
  }

  @Test
  void aKeyThatIsNotAWordIsAnError() {
    assertThat(errors(plus("[a, b]: c\n")))
        .containsExactly("t.yaml:9:1: expected a key word, found a list");
  }

  @Test
  void everyMissingRequiredKeyIsReported() {
    assertThat(errors("{}\n"))
        .containsExactly(
            "t.yaml:1:1: policy: missing; a policy needs policy",
            "t.yaml:1:1: datasets: missing; a policy needs datasets",
            "t.yaml:1:1: recordClass: missing; a policy needs recordClass",
            "t.yaml:1:1: phases: missing; a policy needs phases",
            "t.yaml:1:1: retention: missing; a policy needs retention");
  }

  @Test
  void anEmptyFileHoldsNoPolicy() {
    assertThat(errors("# nothing here\n"))
        .containsExactly(
            "t.yaml:1:1: the file holds no policy; a policy needs policy, datasets, recordClass,"
                + " phases, retention");
  }

  @Test
  void aFileThatIsNotAMapIsAnError() {
    assertThat(errors("- policy\n")).containsExactly("t.yaml:1:1: expected a map, found a list");
  }

  @Test
  void brokenYamlIsReportedWhereTheParserStopped() {
    assertThat(errors("policy: a\ndatasets: [x\n"))
        .singleElement()
        .asString()
        .startsWith("t.yaml:3:1: not valid YAML: ");
  }

  @Test
  void aSecondDocumentIsAnError() {
    assertThat(errors(Policies.BASE + "---\n" + Policies.BASE))
        .containsExactly(
            "t.yaml:10:1: a file holds one policy; a second YAML document starts here");
  }

  @Test
  void aPolicyNameMustBeLowercaseWordsJoinedByHyphens() {
    assertThat(errors(replacing("test-imaging", "Test_Imaging")))
        .containsExactly(
            "t.yaml:1:9: policy: 'Test_Imaging' is not a policy name; use 1 to 63 lowercase"
                + " letters, digits and '-', not starting or ending with '-'");
  }

  @Test
  void aValueWhereAMapBelongsIsAnError() {
    assertThat(errors(replacing("retention:\n  minimum: 30y", "retention: 30y")))
        .containsExactly("t.yaml:7:12: retention: expected a map, found '30y'");
  }

  @Test
  void aMissingValueIsNamedNothing() {
    assertThat(errors(replacing("recordClass: inpatient", "recordClass:")))
        .containsExactly("t.yaml:3:13: recordClass: expected a record class, found nothing");
  }

  @Test
  void datasetsMustBeAList() {
    assertThat(errors(replacing("[\"*-imaging\"]", "\"*-imaging\"")))
        .containsExactly(
            "t.yaml:2:11: datasets: expected a list of dataset names or globs such as *-imaging,"
                + " found '*-imaging'");
  }

  @Test
  void datasetsMustNotBeEmpty() {
    assertThat(errors(replacing("[\"*-imaging\"]", "[]")))
        .containsExactly(
            "t.yaml:2:11: datasets: expected a list of dataset names or globs such as *-imaging,"
                + " found an empty list");
  }

  @Test
  void aDatasetPatternAllowsOnlyBucketCharactersAndStars() {
    assertThat(errors(replacing("[\"*-imaging\"]", "[ok-imaging, H01_imaging, {a: b}]")))
        .containsExactly(
            "t.yaml:2:24: datasets[1]: 'H01_imaging' is not a dataset name of lowercase letters,"
                + " digits, '.' and '-', with '*' for any run of characters (e.g. *-imaging)",
            "t.yaml:2:37: datasets[2]: expected a dataset name of lowercase letters, digits, '.'"
                + " and '-', with '*' for any run of characters (e.g. *-imaging), found a map");
  }

  @Test
  void anEmptyPrefixIsAnError() {
    assertThat(errors(plus("prefixes: [\"\"]\n")))
        .containsExactly(
            "t.yaml:9:12: prefixes[0]: an empty prefix selects everything; leave out prefixes"
                + " instead");
  }

  @Test
  void selectorErrorsAreEachReported() {
    assertThat(
            errors(
                plus(
                    """
                    select:
                      modality: [CT, {a: b}]
                      body part: CHEST
                      Modality: MR
                      site: []
                    """)))
        .containsExactly(
            "t.yaml:10:18: select.modality: expected a value or a list of values, e.g. [CT, MR],"
                + " found a map",
            "t.yaml:11:3: select.body part: 'body part' is not a metadata field name; use up to 128"
                + " letters, digits, '-', '_' and '.'",
            "t.yaml:12:3: select.Modality: 'Modality' is written twice (field names ignore case)",
            "t.yaml:13:9: select.site: expected a list of values, found an empty list");
  }

  @Test
  void anEmptySelectorIsAnError() {
    assertThat(errors(plus("select: {}\n")))
        .containsExactly(
            "t.yaml:9:9: select: names no metadata field; leave out select to take every object");
  }

  @Test
  void aMisspeltRecordClassGetsASuggestion() {
    assertThat(errors(replacing("recordClass: inpatient", "recordClass: inpatiant")))
        .containsExactly(
            "t.yaml:3:14: recordClass: 'inpatiant' is not a record class; did you mean"
                + " 'inpatient'? allowed: inpatient, outpatient, network-log, none");
  }

  @Test
  void anUnknownTimeZoneIsAnError() {
    assertThat(errors(plus("timeZone: Asia/Beijing\n")))
        .containsExactly(
            "t.yaml:9:11: timeZone: 'Asia/Beijing' is not a time zone; write a region such as"
                + " Asia/Shanghai or UTC");
  }

  @Test
  void ageFromMustBeLastModifiedMetadataOrDicom() {
    assertThat(errors(plus("age: {from: ctime}\n")))
        .containsExactly(
            "t.yaml:9:13: age.from: 'ctime' is not allowed; write lastModified, metadata or dicom");
  }

  @Test
  void ageFromMetadataNeedsAField() {
    assertThat(errors(plus("age: {from: metadata}\n")))
        .containsExactly(
            "t.yaml:9:6: age.field: missing; age.from: metadata needs the field that holds the"
                + " date, e.g. field: study-date");
  }

  @Test
  void ageFieldWithLastModifiedIsAnError() {
    assertThat(errors(plus("age: {from: lastModified, field: study-date}\n")))
        .containsExactly(
            "t.yaml:9:27: age.field: only counts with age.from: metadata; remove it or write from:"
                + " metadata");
  }

  @Test
  void ageNeedsFromAndKnowsOnlyItsKeys() {
    assertThat(errors(plus("age: {feild: study-date}\n")))
        .containsExactly(
            "t.yaml:9:6: age.from: missing; 'age' needs from",
            "t.yaml:9:7: age.feild: unknown key 'feild'; did you mean 'field'? allowed: from,"
                + " field");
  }

  @Test
  void anAgeFieldMustBeAFieldName() {
    assertThat(errors(plus("age: {from: metadata, field: \"study date\"}\n")))
        .containsExactly(
            "t.yaml:9:30: age.field: 'study date' is not a metadata field name; use up to 128"
                + " letters, digits, '-', '_' and '.'");
  }

  @Test
  void retentionNeedsAMinimum() {
    assertThat(errors(replacing("minimum: 30y", "legalHold: false")))
        .containsExactly("t.yaml:8:3: retention.minimum: missing; 'retention' needs minimum");
  }

  @Test
  void aRetentionMinimumMustBeADuration() {
    assertThat(errors(replacing("minimum: 30y", "minimum: 30 years")))
        .containsExactly(
            "t.yaml:8:12: retention.minimum: '30 years' is not a duration; write a whole number"
                + " followed by h, d, w, mo or y (36h, 90d, 5y)");
  }

  @Test
  void aDurationOverAThousandYearsIsAnError() {
    assertThat(errors(replacing("minimum: 30y", "minimum: 2000y")))
        .containsExactly("t.yaml:8:12: retention.minimum: '2000y' is not between 0 and 1000y");
  }

  @Test
  void booleansAreTrueOrFalse() {
    assertThat(errors(replacing("minimum: 30y", "minimum: 30y\n  legalHold: yes")))
        .containsExactly(
            "t.yaml:9:14: retention.legalHold: 'yes' is not a boolean; allowed: true or false");
  }

  @Test
  void aBlankOverrideIsAnError() {
    assertThat(errors(replacing("minimum: 30y", "minimum: 30y\n  override: \" \"")))
        .containsExactly(
            "t.yaml:9:13: retention.override: is blank; write who decided and why, e.g."
                + " \"research copy, originals kept by hospital\"");
  }

  @Test
  void expiryMustBeNeverOrADuration() {
    assertThat(errors(plus("expiry: soon\n")))
        .containsExactly(
            "t.yaml:9:9: expiry: 'soon' is not a duration; write a whole number followed by h, d,"
                + " w, mo or y (36h, 90d, 5y)");
  }

  @Test
  void expiryBeforeTheRetentionMinimumIsAnError() {
    assertThat(errors(plus("expiry: 10y\n")))
        .containsExactly(
            "t.yaml:9:9: expiry: 10y comes before the retention minimum 30y; write never or at"
                + " least 30y");
  }

  @Test
  void movementValuesAreCheckedOneByOne() {
    assertThat(
            errors(
                plus(
                    """
                    movement:
                      priority: 101
                      bandwidth: fast
                      windows: ["25:00-06:00", "6-7", "06:00-06:00"]
                      pace: slow
                    """)))
        .containsExactly(
            "t.yaml:10:13: movement.priority: '101' is not allowed; write a whole number from 0 to"
                + " 100",
            "t.yaml:11:14: movement.bandwidth: 'fast' is not a bandwidth; write a size per second,"
                + " e.g. 500MB/s, 1GiB/s or 200MiB/s",
            "t.yaml:12:13: movement.windows[0]: '25:00-06:00' has a time outside 00:00-23:59"
                + " (24:00 may end a window)",
            "t.yaml:12:28: movement.windows[1]: '6-7' is not a time window; write HH:MM-HH:MM in"
                + " 24-hour time, e.g. 00:00-06:00 or 22:00-05:30",
            "t.yaml:12:35: movement.windows[2]: '06:00-06:00' starts and ends at the same time;"
                + " leave out windows to move at any time",
            "t.yaml:13:3: movement.pace: unknown key 'pace'; allowed: priority, bandwidth,"
                + " windows");
  }

  @Test
  void aPriorityMustBeANumber() {
    assertThat(errors(plus("movement: {priority: high}\n")))
        .containsExactly(
            "t.yaml:9:22: movement.priority: 'high' is not allowed; write a whole number from 0 to"
                + " 100");
  }

  @Test
  void emptyWindowsAreAnError() {
    assertThat(errors(plus("movement: {windows: []}\n")))
        .containsExactly(
            "t.yaml:9:21: movement.windows: expected a list of windows such as 00:00-06:00, found"
                + " an empty list");
  }
}
