package de.sid.verbund.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base of the web UI's browser tests: a Verbund ({@link VerbundProcess#shared()}), headless
 * Chromium from Debian ({@code chromium}, {@code chromium-driver}; nothing is downloaded) driven
 * by Selenium, axe-core run in the page, screenshots under {@code target/screenshots/}.
 *
 * <p>A test opens browsers with {@link #browser(String)} (each a fresh profile: its own cookies,
 * its own language), logs in with {@link #login}, goes to pages with {@link #open} (waits until
 * the page has rendered) and checks each page with {@link #checkPage} (zero axe violations, plus
 * a screenshot). Browsers are closed after each test.
 */
public abstract class BrowserTestSupport {
    /** WCAG 2.1 A and AA rules plus axe's best practices. */
    private static final String AXE_RUN = "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
            + ".then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            + " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})))))"
            + ".catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));";
    private static String axeSource;

    protected static VerbundProcess verbund;
    private final List<WebDriver> browsers = new ArrayList<>();

    /** Starts (or finds) the shared Verbund and keeps it in JUnit's root store, which stops it when the test run ends. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.BeforeAllCallback VERBUND = context -> verbund = context.getRoot()
            .getStore(org.junit.jupiter.api.extension.ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(VerbundProcess.class, k -> VerbundProcess.shared(), VerbundProcess.class);

    @BeforeAll
    static void loadAxe() throws IOException {
        if (axeSource == null) {
            try (InputStream in = BrowserTestSupport.class.getClassLoader().getResourceAsStream("axe.min.js")) {
                assertThat(in).as("axe.min.js (com.deque.html.axe-core:selenium) on the test class path").isNotNull();
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
        browsers.clear();
    }

    /**
     * A new headless Chromium whose preferred language is {@code lang} ({@code de-DE}, {@code en-GB}).
     * It fails with a hint when Debian's chromium or chromium-driver is missing.
     */
    protected WebDriver browser(String lang) {
        String chromium = "/usr/bin/chromium";
        String driver = "/usr/bin/chromedriver";
        assertThat(Path.of(chromium)).as("Debian package chromium (./verbund test installs it)").exists();
        assertThat(Path.of(driver)).as("Debian package chromium-driver (./verbund test installs it)").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=" + lang, "--disable-extensions", "--no-first-run");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", lang));
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(driver).toFile())
                .usingAnyFreePort().build();
        WebDriver b = new ChromeDriver(service, options);
        b.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        browsers.add(b);
        return b;
    }

    /** A 30 s wait that retries while the page re-renders (stale elements, rows not there yet). */
    protected static WebDriverWait waiting(WebDriver b) {
        WebDriverWait w = new WebDriverWait(b, Duration.ofSeconds(30));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        w.ignoring(NullPointerException.class);
        return w;
    }

    /** Opens the UI and logs in through the form as a demo user (password = user name); waits for the home page. */
    protected void login(WebDriver b, String user) {
        b.get(verbund.baseUrl() + "/");
        waiting(b).until(ExpectedConditions.elementToBeClickable(By.name("username")));
        b.findElement(By.name("username")).sendKeys(user);
        b.findElement(By.name("password")).sendKeys(user);
        b.findElement(By.cssSelector("form.login button[type=submit]")).click();
        waiting(b).until(d -> d.findElements(By.cssSelector("nav a")).size() > 0);
        awaitRendered(b);
    }

    /** Navigates to a route ({@code /portal/vms}) and waits until the page has rendered. */
    protected void open(WebDriver b, String route) {
        b.get(verbund.baseUrl() + "/#" + route);
        ((JavascriptExecutor) b).executeScript("return 1");
        awaitRendered(b);
    }

    /** Waits until the shell marks the current page as rendered ({@code main[data-ready=true]}). */
    protected static void awaitRendered(WebDriver b) {
        try {
            waiting(b).until(d -> "true".equals(d.findElement(By.id("main")).getAttribute("data-ready")));
        } catch (org.openqa.selenium.TimeoutException e) {
            Path shot = screenshot(b, "timeout-" + System.currentTimeMillis());
            throw new AssertionError("page " + b.getCurrentUrl() + " did not finish rendering (screenshot " + shot
                    + "); console: " + b.manage().logs().get("browser").getAll(), e);
        }
    }

    /** Switches the language with the header's buttons ("Deutsch", "English"). */
    protected void switchLanguage(WebDriver b, String lang) {
        b.findElement(By.cssSelector(".langs button[lang='" + lang + "']")).click();
        waiting(b).until(d -> lang.equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        awaitRendered(b);
    }

    /** The visible text of the main area. */
    protected static String mainText(WebDriver b) {
        return b.findElement(By.id("main")).getText();
    }

    /** Runs axe-core in the page and asserts zero violations; saves a screenshot {@code name}. */
    protected void checkPage(WebDriver b, String name) {
        screenshot(b, name);
        JavascriptExecutor js = (JavascriptExecutor) b;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe !== 'undefined'"))) {
            js.executeScript(axeSource);
        }
        String json = (String) js.executeAsyncScript(AXE_RUN);
        try {
            JsonNode violations = VerbundProcess.json().readTree(json);
            assertThat(violations).as("axe-core violations on %s (%s):%n%s", name, b.getCurrentUrl(),
                    violations.toPrettyString()).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a PNG of the browser window to {@code target/screenshots/<name>.png}. */
    protected static Path screenshot(WebDriver b, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) b).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The element for a CSS selector, once present. */
    protected static WebElement find(WebDriver b, String css) {
        return waiting(b).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }
}
