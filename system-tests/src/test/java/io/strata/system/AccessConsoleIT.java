package io.strata.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.controller.ControllerConfiguration;
import io.strata.controller.Http;
import io.strata.controller.security.Roles;
import io.strata.demo.EmbeddedApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's parts beyond the fleet, in headless Chromium against a running controller: the
 * audit trail an auditor sees (and nothing else), the users, tokens and sessions an admin manages,
 * and the end of a session left alone past the idle timeout.
 */
class AccessConsoleIT {
  @TempDir Path dir;
  private TestFleet fleet;
  private EmbeddedApp<ControllerConfiguration> controller;
  private String base;

  private void start(String securityExtra) throws Exception {
    fleet = new TestFleet(dir, 1);
    fleet.securityExtra = securityExtra;
    controller = fleet.startController("replica-1");
    base = "http://127.0.0.1:" + controller.port();
  }

  @AfterEach
  void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private Browser browser(String name) throws Exception {
    return new Browser(Files.createDirectories(dir.resolve("chromium-profile")), name);
  }

  private static void logIn(Browser browser, String base, TestFleet fleet, String role) {
    browser.open(base + "/login.html");
    ConsoleIT.logIn(browser, fleet, role);
    await(role + "'s console")
        .atMost(TestFleet.TIMEOUT)
        .ignoreExceptions()
        .until(() -> browser.attribute("body", "data-page"), page -> !page.isEmpty());
  }

  @Test
  void anAuditorSeesOnlyTheAuditTrailPagedAndFilteredWithItsChainsIntact() throws Exception {
    start("");
    // 60 changes by the operator's token, each a record of the trail.
    for (int i = 0; i < 30; i++) {
      for (String verb : List.of("pause", "resume")) {
        assertThat(
                fleet
                    .as(Roles.OPERATOR)
                    .postJson(base + "/api/v1/movement/" + verb, "")
                    .statusCode())
            .isEqualTo(200);
      }
    }
    try (Browser browser = browser("AccessConsoleIT-auditor")) {
      logIn(browser, base, fleet, Roles.AUDITOR);
      assertThat(browser.attribute("body", "data-page")).isEqualTo("audit");
      // The fleet's views are neither shown nor read: an auditor may not read the cluster map.
      assertThat(browser.visibleText("#page-fleet")).isEmpty();
      assertThat(browser.attribute("#heatmap", "data-drawn")).isNull();
      assertThat(browser.attribute("#pages", "hidden")).isNotNull();
      assertThat(fleet.as(Roles.AUDITOR).fetch(base + "/api/v1/cluster-map").statusCode())
          .isEqualTo(403);

      await("every chain verified")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#audit-chain", "data-intact"), "true"::equals);
      assertThat(browser.visibleText("#audit-chain")).startsWith("Every chain holds:");
      // Newest first: the auditor's own login heads the first page of 50.
      await("the first page of the trail")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#audit-pager span"),
              pager -> pager.matches("1–50 of \\d+"));
      assertThat(browser.visibleText("#audit-records tbody tr:first-child"))
          .contains("auditor")
          .contains("login");
      assertThat(rows(browser)).isEqualTo(50);
      int total = Integer.parseInt(browser.attribute("#audit-pager span", "data-total"));
      assertThat(total).isGreaterThanOrEqualTo(61);
      browser.screenshot("trail");

      browser.click("#audit-pager button[data-step='1']");
      await("the second page")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#audit-pager"), p -> p.contains("51–"));

      // The operator's token's records only: 60, the oldest page holding the first pause.
      browser.replace("#audit-principal", "operator-token");
      browser.click("#audit-filter button[type=submit]");
      await("the operator's records")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#audit-pager"), p -> p.contains("1–50 of 60"));
      browser.click("#audit-pager button[data-step='1']");
      await("the operator's oldest records")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#audit-pager"), p -> p.contains("51–60 of 60"));
      assertThat(rows(browser)).isEqualTo(10);
      assertThat(browser.visibleText("#audit-records tbody tr:last-child"))
          .contains("operator-token")
          .contains("POST /v1/movement/pause");

      // A filter the API refuses: its reason next to the form, the records on show stay.
      browser.script(
          "document.getElementById('audit-from').value = '2030-01-02T00:00';"
              + "document.getElementById('audit-to').value = '2030-01-01T00:00';");
      browser.click("#audit-filter button[type=submit]");
      await("the refusal of the filter")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#audit-error"),
              e -> e.contains("from must not be after to"));
      assertThat(browser.visibleText("#audit-pager")).contains("51–60 of 60");
      browser.screenshot("refused-filter");
    }
  }

  private static long rows(Browser browser) {
    return ((Number)
            browser.script("return document.querySelectorAll('#audit-records tbody tr').length"))
        .longValue();
  }

  @Test
  void anAdminManagesUsersTokensAndSessionsFromTheConsole() throws Exception {
    start("");
    String api = base + "/api/v1";
    try (Browser browser = browser("AccessConsoleIT-admin")) {
      logIn(browser, base, fleet, Roles.ADMIN);
      // An admin reads the fleet too; users and access are one link away, the audit trail is not.
      assertThat(browser.attribute("body", "data-page")).isEqualTo("fleet");
      assertThat(browser.visibleText("#pages"))
          .contains("Fleet")
          .contains("Users and access")
          .doesNotContain("Audit trail");
      browser.click("#pages a[data-page=access]");
      await("the users of the files")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#users"),
              users -> users.contains("viewer viewer enabled file"));
      assertThat(browser.visibleText("#page-fleet")).isEmpty();

      // A role that does not exist: the API's reason next to the form, and no user made.
      String password = "Correct-Horse-9-Battery";
      browser.replace("#user-name", "carol");
      browser.replace("#user-password", password);
      browser.replace("#user-roles", "viewer,pilot");
      browser.click("#user-form button[type=submit]");
      await("the refusal of the role")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#user-error"), e -> e.contains("unknown role 'pilot'"));
      assertThat(users()).doesNotContain("carol");

      browser.replace("#user-roles", "viewer");
      browser.click("#user-form button[type=submit]");
      await("carol added")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#users tr[data-user=carol]"),
              row -> row.startsWith("carol viewer enabled api"));
      // A change of roles keeps the password (the field is empty after a save).
      assertThat(browser.find("#user-password").getDomProperty("value")).isEmpty();
      browser.replace("#user-roles", "viewer,operator");
      browser.click("#user-form button[type=submit]");
      await("carol an operator too")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#users tr[data-user=carol]"),
              row -> row.contains("operator") && row.contains("viewer"));
      assertThat(Http.login(controller.port(), "carol", password).statusCode()).isEqualTo(200);

      browser.click("#users tr[data-user=carol] button[data-action=disable-user]");
      await("carol disabled")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#users tr[data-user=carol]"), r -> r.contains("disabled"));
      assertThat(Http.login(controller.port(), "carol", password).statusCode()).isEqualTo(401);
      browser.click("#users tr[data-user=carol] button[data-action=enable-user]");
      await("carol enabled")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#users tr[data-user=carol]"), r -> r.contains("enabled"));

      // carol's session, listed and ended from the console: her cookie no longer works.
      var login = Http.login(controller.port(), "carol", password);
      assertThat(login.statusCode()).isEqualTo(200);
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      assertThat(session(cookie)).isEqualTo(200);
      // The API lists oldest activity first: carol's last is the session just used.
      String hash = null;
      for (var s : fleet.as(Roles.ADMIN).getJson(api + "/sessions")) {
        if (s.path("user").asText().equals("carol")) {
          hash = s.path("sessionHash").asText();
        }
      }
      String listed = hash;
      await("carol's session listed")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.page().contains("data-session=\"" + listed + "\""));
      browser.click("#sessions tr[data-session='" + hash + "'] button[data-action=end-session]");
      await("the confirmation")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#sessions .preview"),
              p -> p.contains("End this session on every replica?"));
      browser.screenshot("end-session");
      browser.click("#sessions .preview button.confirm");
      String ended = hash;
      await("carol's session gone")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> !browser.page().contains("data-session=\"" + ended + "\""));
      assertThat(session(cookie)).isEqualTo(401);

      browser.click("#users tr[data-user=carol] button[data-action=remove-user]");
      browser.click("#users .preview button.confirm");
      await("carol removed")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> !browser.page().contains("data-user=\"carol\""));
      assertThat(users()).doesNotContain("carol");

      // Tokens: the list is paged (the file's agents' tokens alone pass a page).
      int tokens = fleet.as(Roles.ADMIN).getJson(api + "/identities/tokens").size();
      assertThat(tokens).isGreaterThan(20);
      assertThat(browser.visibleText("#tokens-pager")).contains("1–20 of " + tokens);
      assertThat(browser.page()).doesNotContain("data-token=\"viewer-token\"");
      browser.click("#tokens-pager button[data-step='1']");
      await("the tokens' second page")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#tokens-pager"), p -> p.contains("21–"));
      // A token of the file cannot be disabled, only removed: the API's reason by the button.
      String fileToken = "#tokens tr[data-token='" + lastTokenOnShow(browser) + "']";
      browser.click(fileToken + " button[data-action=disable-token]");
      await("the refusal to disable a file's token")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText(fileToken), r -> r.contains("is the tokens file's"));

      // An agent id without the role agent is refused; then a metrics token, shown once.
      browser.replace("#token-name", "ci-scraper");
      browser.replace("#token-roles", "metrics");
      browser.replace("#token-agent", "agent-x");
      browser.click("#token-form button[type=submit]");
      await("the refusal of the agent id")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#token-error"),
              e -> e.contains("a token has an agentId exactly when it has the role agent"));
      assertThat(fleet.as(Roles.ADMIN).getJson(api + "/identities/tokens").size())
          .isEqualTo(tokens);
      browser.replace("#token-agent", "");
      browser.click("#token-form button[type=submit]");
      await("the token made, its text shown")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#token-made"), m -> m.startsWith("Token ci-scraper"));
      String text = browser.visibleText("#token-text");
      assertThat(Http.bearer(text).fetch(api + "/leader").statusCode()).isEqualTo(403);
      assertThat(Http.bearer("not-" + text).fetch(api + "/leader").statusCode()).isEqualTo(401);
      browser.screenshot("token-made");
      await("ci-scraper listed")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.page().contains("data-token=\"ci-scraper\""));
      browser.click("#tokens tr[data-token=ci-scraper] button[data-action=disable-token]");
      await("ci-scraper disabled")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#tokens tr[data-token=ci-scraper]"),
              r -> r.contains("disabled"));
      assertThat(Http.bearer(text).fetch(api + "/leader").statusCode()).isEqualTo(401);
      browser.click("#tokens tr[data-token=ci-scraper] button[data-action=remove-token]");
      browser.click("#tokens .preview button.confirm");
      await("ci-scraper revoked")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> !browser.page().contains("data-token=\"ci-scraper\""));
      assertThat(fleet.as(Roles.ADMIN).getJson(api + "/identities/tokens").size())
          .isEqualTo(tokens);

      // In Chinese, and back.
      browser.select("#language", "zh");
      await("the page in Chinese")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#page-access h2"), "用户"::equals);
      browser.screenshot("chinese");
      browser.select("#language", "en");
      await("back in English")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.visibleText("#page-access h2"), "Users"::equals);
    }
    // Neither a viewer's console nor the API offer users to a viewer.
    try (Browser browser = browser("AccessConsoleIT-viewer")) {
      logIn(browser, base, fleet, Roles.VIEWER);
      browser.open(base + "/#access");
      await("the fleet, not the users")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("body", "data-page"), "fleet"::equals);
      assertThat(browser.visibleText("#page-access")).isEmpty();
      assertThat(fleet.as(Roles.VIEWER).fetch(api + "/identities/users").statusCode())
          .isEqualTo(403);
    }
  }

  private List<String> users() throws Exception {
    List<String> names = new ArrayList<>();
    fleet
        .as(Roles.ADMIN)
        .getJson(base + "/api/v1/identities/users")
        .forEach(u -> names.add(u.path("name").asText()));
    return names;
  }

  private static String lastTokenOnShow(Browser browser) {
    return (String)
        browser.script(
            "const rows = document.querySelectorAll('#tokens tbody tr');"
                + "return rows[rows.length - 1].dataset.token;");
  }

  private int session(String cookie) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                .header("Cookie", cookie)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void aChangeAskedAfterTheSessionEndedSaysSoBesideItsControlAndChangesNothing() throws Exception {
    start("");
    String api = base + "/api/v1";
    try (Browser browser = browser("AccessConsoleIT-ended")) {
      // The console's refresh (a read) may find the session ended before the click does and leave
      // for the login page first; then the operator logs in and the test asks again, at most
      // three times.
      String refused = null;
      for (int attempt = 0; attempt < 3 && refused == null; attempt++) {
        logIn(browser, base, fleet, Roles.OPERATOR);
        await("the pause control")
            .atMost(TestFleet.TIMEOUT)
            .ignoreExceptions()
            .until(() -> browser.page().contains("data-movement=\"pause\""));
        browser.click("button[data-movement=pause]");
        await("the confirmation")
            .atMost(TestFleet.TIMEOUT)
            .ignoreExceptions()
            .until(() -> browser.page().contains("class=\"confirm\""));
        // The operator's session ends elsewhere (an admin ends it) while the question is open.
        for (var session : fleet.as(Roles.ADMIN).getJson(api + "/sessions")) {
          if (session.path("user").asText().equals(Roles.OPERATOR)) {
            fleet
                .as(Roles.ADMIN)
                .send("DELETE", api + "/sessions/" + session.path("sessionHash").asText(), null);
          }
        }
        browser.click("#movement-controls .preview button.confirm");
        try {
          refused =
              await("the refusal beside the control")
                  .atMost(Duration.ofSeconds(10))
                  .ignoreExceptions()
                  .until(
                      () -> browser.visibleText("#movement-controls .refused"),
                      text -> !text.isBlank());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          await("back at the login page")
              .atMost(TestFleet.TIMEOUT)
              .ignoreExceptions()
              .until(() -> browser.currentUrl().contains("/login.html"));
        }
      }
      assertThat(refused).startsWith("Your session has ended").contains("nothing was changed");
      browser.screenshot("ended-mid-action");
      assertThat(fleet.as(Roles.VIEWER).getJson(api + "/movement").get("paused").size())
          .as("nothing paused")
          .isZero();
      // The next refresh, a read, leaves for the login page.
      await("the login page")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.currentUrl().endsWith("/login.html?expired"));
    }
  }

  @Test
  void aConsoleLeftAloneIsLoggedOffAfterTheIdleTimeout() throws Exception {
    start("  sessionTimeout: 1 minute\n");
    try (Browser browser = browser("AccessConsoleIT-idle")) {
      logIn(browser, base, fleet, Roles.VIEWER);
      await("the heatmap")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.attribute("#heatmap", "data-drawn"), "1"::equals);
      browser.screenshot("before");
      // Nobody touches the page; its refresh goes on every few seconds, which is no activity.
      await("the login page, saying why")
          .atMost(TestFleet.TIMEOUT.plus(Duration.ofMinutes(1)))
          .ignoreExceptions()
          .until(() -> browser.currentUrl().endsWith("/login.html?expired"));
      await("the notice")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> browser.visibleText("#notice"),
              n ->
                  n.equals(
                      "You were logged off after a time without activity. Please log in again."));
      browser.screenshot("logged-off");
      // The console is closed to the ended session.
      browser.open(base + "/");
      await("back at the login page")
          .atMost(TestFleet.TIMEOUT)
          .ignoreExceptions()
          .until(() -> browser.currentUrl().contains("/login.html"));
    }
  }
}
