package dev.tokenservice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code /docs} in a real headless browser, used as a person would: Swagger UI loads the document from
 * {@code /openapi}, "Authorize" logs a demo user in through the OAuth2 password flow against {@code /token}, and
 * "Try it out" on {@code GET /users/me} answers 200 with that user; or "Authorize" gets the demo confidential
 * client a token of its own through the client credentials flow, and {@code GET /items/42} answers 200 with that
 * client as owner. Every request the page makes stays on the
 * service's own origin: Swagger UI comes from the webjar in the jar, nothing is fetched from elsewhere.
 *
 * <p>Needs Debian's chromium and chromedriver ({@code bash .ci/test} installs them when it can); without them the
 * tests are skipped and say why.
 *
 * <p>Elements are found by the class names, ids and texts that Swagger UI 5's components write into its markup
 * (checked against 5.34.1), never by position or layout.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SwaggerUiBrowserTest {
    /** Long enough for two slow cores starting Chromium and rendering a 1.7 MB bundle, short of a hang. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A name Swagger UI does not take for a local one; only this test's Chromium resolves it, to 127.0.0.1. */
    private static final String PUBLIC_NAME = "docs.token-service.test";
    private static final Path EVIDENCE = Path.of("target", "browser-test");

    private static TestApp.Running server;
    private static String origin;

    private HeadlessChromium browser;
    private ChromeDriver driver;
    private WebDriverWait wait;

    /** On failure, a screenshot and the page's HTML, taken before the browser quits. */
    @RegisterExtension
    final TestExecutionExceptionHandler evidence = (context, error) -> {
        if (driver != null) {
            try {
                Files.createDirectories(EVIDENCE);
                String name = context.getRequiredTestMethod().getName();
                Files.write(EVIDENCE.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
                Files.writeString(EVIDENCE.resolve(name + ".html"), driver.getPageSource());
                error.addSuppressed(new AssertionError("screenshot and page saved in " + EVIDENCE.toAbsolutePath()
                                                               + "; requests: " + browser.requests()));
            } catch (IOException | RuntimeException e) {
                error.addSuppressed(e);
            }
        }
        throw error;
    };

    @BeforeAll
    static void startServer() {
        if (HeadlessChromium.missing() == null) {
            server = TestApp.start(AuthServer.create(TestApp.shippedConfig()));
            origin = "http://127.0.0.1:" + server.server().port();
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void startBrowser() {
        // assumed per test, not per class: Surefire counts a class skipped in @BeforeAll as no test at all
        String missing = HeadlessChromium.missing();
        assumeTrue(missing == null, () -> "skipped: " + missing);
        // every host name but ours fails to resolve: even a request that a regression would send elsewhere
        // cannot leave the machine, and the recorded requests still show it
        browser = HeadlessChromium.start("--host-resolver-rules=MAP " + PUBLIC_NAME + " 127.0.0.1, MAP * ~NOTFOUND, "
                                         + "EXCLUDE 127.0.0.1");
        driver = browser.driver();
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void authorizeWithDemoUserThenTryUsersMe() {
        driver.get(origin + "/docs/");
        // the document has loaded and rendered once its title is shown
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".information-container .title"),
                                                                      "token-service"));
        // the tab names the service; no operation shows a closed padlock before anyone authorizes
        wait.until(ExpectedConditions.titleIs("token-service API docs"));
        for (String operation : List.of("operations-OAuth2-post_token", "operations-OAuth2-post_revoke",
                                        "operations-OAuth2-post_introspect", "operations-API-get_users_me")) {
            assertThat(operation, driver.findElement(By.cssSelector("#" + operation + " .authorization__btn"))
                    .getDomAttribute("aria-label"), is("authorization button unlocked"));
        }

        // the "Authorize" button at the top opens the dialog with one form per security scheme
        click(By.cssSelector(".scheme-container button.btn.authorize"));
        WebElement oauth2 = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//div[contains(@class,'auth-container')][.//input[@id='oauth_username']]")));
        assertThat(oauth2.findElement(By.tagName("h4")).getText(), containsString("OAuth2, password"));
        oauth2.findElement(By.id("oauth_username")).sendKeys("john.doe");
        oauth2.findElement(By.id("oauth_password")).sendKeys("securepassword");
        // client_id stays empty: the service's default public client; Swagger UI sends "Basic Og==" (":")
        // Swagger UI hides the scope checkboxes (display: none) and draws a box in their labels: a person clicks those
        oauth2.findElement(By.cssSelector("label[for='me-password-checkbox-oauth2']")).click();
        assertThat("scope me ticked", oauth2.findElement(By.id("me-password-checkbox-oauth2")).isSelected(), is(true));
        oauth2.findElement(By.cssSelector("button.btn.modal-btn.auth.authorize")).click();

        // authorized: the form shows "Authorized" (and "Logout"); a refused login would show .errors instead
        By authorized = By.xpath("//div[contains(@class,'auth-container')]//h6[normalize-space()='Authorized']");
        By authError = By.cssSelector(".auth-container .errors");
        wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(authorized),
                                         ExpectedConditions.presenceOfElementLocated(authError)));
        assertThat("authorization errors shown", texts(authError), empty());
        click(By.cssSelector(".auth-container button.btn.modal-btn.auth.btn-done"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));
        // the padlock of the "Authorize" button is closed now: its class says "locked" instead of "unlocked"
        String authorizeButton = driver.findElement(By.cssSelector(".scheme-container button.btn.authorize"))
                .getDomAttribute("class");
        assertThat(List.of(authorizeButton.split(" ")), hasItem("locked"));

        // GET /users/me: deep-link id operations-<tag>-<operationId>, the id generated from method and path
        By usersMe = By.id("operations-API-get_users_me");
        click(By.cssSelector("#operations-API-get_users_me .opblock-summary-control"));
        WebElement operation = wait.until(ExpectedConditions.visibilityOfElementLocated(usersMe));
        click(By.cssSelector("#operations-API-get_users_me button.try-out__btn"));
        click(By.cssSelector("#operations-API-get_users_me button.btn.execute"));

        // "Server response": the live table, which Swagger UI fills when the response has arrived
        // (its header row has a "Code" cell of the same class: the response is the row in tbody)
        By status = By.cssSelector("#operations-API-get_users_me .live-responses-table tbody .response-col_status");
        wait.until(ExpectedConditions.visibilityOfElementLocated(status));
        assertThat(operation.findElement(status).getText().trim(), is("200"));
        // "Response body" is the highlighted code block of that row ("Response headers" is a plain one)
        String body = operation.findElement(By.cssSelector(
                ".live-responses-table tbody .response-col_description .highlight-code pre")).getText();
        assertThat(body, containsString("\"username\": \"john.doe\""));

        List<HeadlessChromium.Request> requests = browser.requests();
        assertThat("requests that left " + origin, elsewhere(requests, origin), empty());
        List<HeadlessChromium.Request> logins = requests.stream()
                .filter(r -> r.url().equals(origin + "/token")).toList();
        assertThat(logins, hasSize(1));
        assertThat(logins.get(0).method(), is("POST"));
        assertThat(logins.get(0).header("Authorization"), is("Basic Og=="));
        assertThat(logins.get(0).form(), allOf(containsString("grant_type=password"), containsString("scope=me"),
                                               containsString("username=john.doe")));
        List<HeadlessChromium.Request> calls = requests.stream()
                .filter(r -> r.url().equals(origin + "/users/me")).toList();
        assertThat(calls, hasSize(1));
        assertThat(calls.get(0).header("Authorization"), startsWith("Bearer ey"));
    }

    @Test
    void authorizeWithDemoClientCredentialsThenTryItems() {
        driver.get(origin + "/docs/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".information-container .title"),
                                                                      "token-service"));

        // the dialog's form of the oauth2Client scheme: Swagger UI names its inputs after the flow
        click(By.cssSelector(".scheme-container button.btn.authorize"));
        WebElement client = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//div[contains(@class,'auth-container')][.//input[@id='client_id_clientCredentials']]")));
        assertThat(client.findElement(By.tagName("h4")).getText(), containsString("OAuth2, clientCredentials"));
        client.findElement(By.id("client_id_clientCredentials")).sendKeys("batch-job");
        client.findElement(By.id("client_secret_clientCredentials")).sendKeys("demo-batch-secret");
        client.findElement(By.cssSelector("label[for='items-clientCredentials-checkbox-oauth2Client']")).click();
        assertThat("scope items ticked",
                   client.findElement(By.id("items-clientCredentials-checkbox-oauth2Client")).isSelected(), is(true));
        client.findElement(By.cssSelector("button.btn.modal-btn.auth.authorize")).click();

        // once authorized, the form shows "Authorized" and no more inputs: find it by its heading
        By authorized = By.xpath("//div[contains(@class,'auth-container')][.//h4[contains(.,'clientCredentials')]]"
                                         + "//h6[normalize-space()='Authorized']");
        By authError = By.cssSelector(".auth-container .errors");
        wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(authorized),
                                         ExpectedConditions.presenceOfElementLocated(authError)));
        assertThat("authorization errors shown", texts(authError), empty());
        click(By.cssSelector(".auth-container button.btn.modal-btn.auth.btn-done"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".dialog-ux .modal-ux")));

        // GET /items/{item_id}: deep-link id from method and path, each character outside [A-Za-z0-9] made "_"
        String items = "#operations-API-get_items__item_id_";
        click(By.cssSelector(items + " .opblock-summary-control"));
        WebElement operation = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(items)));
        click(By.cssSelector(items + " button.try-out__btn"));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector(items + " tr[data-param-name='item_id'] input"))).sendKeys("42");
        click(By.cssSelector(items + " button.btn.execute"));

        By status = By.cssSelector(items + " .live-responses-table tbody .response-col_status");
        wait.until(ExpectedConditions.visibilityOfElementLocated(status));
        assertThat(operation.findElement(status).getText().trim(), is("200"));
        String body = operation.findElement(By.cssSelector(
                ".live-responses-table tbody .response-col_description .highlight-code pre")).getText();
        assertThat(body, containsString("\"owner\": \"client:batch-job\""));

        List<HeadlessChromium.Request> requests = browser.requests();
        assertThat("requests that left " + origin, elsewhere(requests, origin), empty());
        List<HeadlessChromium.Request> logins = requests.stream()
                .filter(r -> r.url().equals(origin + "/token")).toList();
        assertThat(logins, hasSize(1));
        assertThat(logins.get(0).header("Authorization"), is("Basic " + java.util.Base64.getEncoder()
                .encodeToString("batch-job:demo-batch-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(logins.get(0).form(), allOf(containsString("grant_type=client_credentials"),
                                               containsString("scope=items")));
        List<HeadlessChromium.Request> calls = requests.stream()
                .filter(r -> r.url().equals(origin + "/items/42")).toList();
        assertThat(calls, hasSize(1));
        assertThat(calls.get(0).header("Authorization"), startsWith("Bearer ey"));
    }

    @Test
    void underAPublicHostNameNothingIsFetchedFromElsewhere() {
        // Swagger UI acts differently on localhost and 127.0.0.1 (it leaves out its online validator badge there):
        // look at the page as a deployment under a real name would show it
        String deployed = "http://" + PUBLIC_NAME + ":" + server.server().port();
        driver.get(deployed + "/docs/");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".information-container .title"),
                                                                      "token-service"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-API-get_users_me")));
        // images (such as that badge) are requested once rendered; wait until each has loaded or failed
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return Array.from(document.images).every(image => image.complete)"));

        assertThat("requests that left " + deployed, elsewhere(browser.requests(), deployed), empty());
    }

    /**
     * The requests that went anywhere but the origin; {@code data:} URLs (Swagger UI's CSS icons) are inline data
     * that no request fetches.
     */
    private static List<HeadlessChromium.Request> elsewhere(List<HeadlessChromium.Request> requests, String origin) {
        assertThat("requests made", requests, not(empty()));
        return requests.stream()
                .filter(request -> !request.url().startsWith(origin + "/") && !request.url().startsWith("data:"))
                .toList();
    }

    /** Waits until the element can be clicked, then clicks it. */
    private void click(By locator) {
        wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    private List<String> texts(By locator) {
        return driver.findElements(locator).stream().map(WebElement::getText).toList();
    }
}
