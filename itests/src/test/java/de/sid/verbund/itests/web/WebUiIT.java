package de.sid.verbund.itests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in a browser against a running Verbund: the order-to-VM path across the authority
 * portal and the operator console, tenant isolation, sessions and CSRF, and every page in German
 * and English without axe-core violations.
 */
class WebUiIT extends BrowserTestSupport {

    /** The routes each demo user's navigation offers, checked with axe in both languages. */
    @Test
    void everyPageHasNoAxeViolationsInGermanAndEnglish() {
        for (String user : List.of("steuern-admin", "admin")) {
            WebDriver b = browser("de-DE");
            b.get(verbund.baseUrl() + "/");
            awaitRendered(b);
            assertThat(b.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");
            checkPage(b, "login-de");
            login(b, user);
            List<String> routes = b.findElements(By.cssSelector("nav a")).stream()
                    .map(a -> a.getAttribute("href").replaceFirst("^.*#", "")).collect(Collectors.toList());
            assertThat(routes).as("navigation of %s", user).hasSizeGreaterThanOrEqualTo(6);
            for (String lang : List.of("de", "en")) {
                if (!lang.equals(b.findElement(By.tagName("html")).getAttribute("lang"))) {
                    switchLanguage(b, lang);
                }
                for (String route : routes) {
                    open(b, route);
                    checkPage(b, route.substring(1).replace('/', '-') + "-" + lang);
                }
            }
        }
    }

    /** The check itself: a page with an unlabelled field fails it. */
    @Test
    void theAxeCheckFindsAnUnlabelledField() {
        WebDriver b = browser("de-DE");
        login(b, "steuern-user");
        ((org.openqa.selenium.JavascriptExecutor) b).executeScript(
                "document.getElementById('main').append(document.createElement('input'))");
        assertThatThrownBy(() -> checkPage(b, "axe-self-check")).isInstanceOf(AssertionError.class).hasMessageContaining("label");
    }

    @Test
    void theBrowsersLanguageChoosesTheFirstAndTheSwitchKeepsTheChoice() {
        WebDriver b = browser("en-GB");
        b.get(verbund.baseUrl() + "/");
        awaitRendered(b);
        assertThat(b.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(mainText(b)).contains("Sign in");
        checkPage(b, "login-en");
        login(b, "steuern-user");
        assertThat(b.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        open(b, "/portal/catalogue");
        assertThat(mainText(b)).contains("Catalogue").contains("per month").containsPattern("€\\d+\\.\\d{2}");
        switchLanguage(b, "de");
        assertThat(mainText(b)).contains("Katalog").contains("pro Monat").containsPattern("\\d+,\\d{2}\\s€");
        b.navigate().refresh();
        awaitRendered(b);
        assertThat(b.findElement(By.tagName("html")).getAttribute("lang")).as("the switch is remembered").isEqualTo("de");
    }

    @Test
    void anAuthorityOrdersAnMVmAnOperatorApprovesItAndTheUserStopsAndStartsIt() throws Exception {
        // By the demo catalogue an M order needs only the authority's admin; here it also needs SID
        // operations, so that the operator console's approval is part of the path.
        JsonNode m = verbund.get("admin", "/api/offerings/vm-m");
        ObjectNode change = VerbundProcess.json().createObjectNode();
        for (String f : List.of("code", "kind", "name", "description", "sizing", "parameters")) {
            change.set(f, m.get(f));
        }
        change.put("approval", "AUTHORITY_ADMIN_AND_SID_OPERATOR");
        HttpResponse<String> put = verbund.send("admin", "PUT", "/api/offerings/" + m.path("id").asText(), change.toString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        String vm = "web-m-" + UUID.randomUUID().toString().substring(0, 6);

        // the user orders in the portal and sees the order pending
        WebDriver user = browser("de-DE");
        login(user, "steuern-user");
        open(user, "/portal/order?offering=vm-m");
        assertThat(mainText(user)).contains("Kontingent").contains("Budget");
        checkPage(user, "flow-1-order-form");
        assertThat(new Select(user.findElement(By.name("offering"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("vm-m");
        user.findElement(By.name("name")).sendKeys(vm);
        user.findElement(By.cssSelector("main form button[type=submit]")).click();
        waiting(user).until(d -> d.getCurrentUrl().endsWith("#/portal/orders"));
        awaitRendered(user);
        WebElement row = rowOf(user, vm);
        assertThat(row.getText()).contains("beantragt").contains("wartet auf Genehmigung durch die Behörde");
        checkPage(user, "flow-2-order-pending");

        // the authority's admin gives the first approval in the portal
        WebDriver admin = browser("de-DE");
        login(admin, "steuern-admin");
        open(admin, "/portal/orders");
        rowOf(admin, vm).findElement(By.xpath(".//button[normalize-space()='Genehmigen']")).click();
        waiting(admin).until(d -> rowOf(d, vm).getText().contains("wartet auf Genehmigung durch den SID-Betrieb"));

        // the operator approves it in the console
        WebDriver operator = browser("en-GB");
        login(operator, "operator");
        open(operator, "/console/approvals");
        checkPage(operator, "flow-3-console-approvals");
        rowOf(operator, vm).findElement(By.xpath(".//button[normalize-space()='Approve']")).click();
        waiting(operator).until(d -> !mainText(d).contains(vm) || mainText(d).contains("No order is waiting"));

        // the user sees it running, stops and starts it
        waiting(user).withTimeout(java.time.Duration.ofSeconds(90)).until(d -> {
            open(d, "/portal/vms");
            return rowOf(d, vm) != null && rowOf(d, vm).getText().contains("läuft");
        });
        checkPage(user, "flow-4-vm-running");
        rowOf(user, vm).findElement(By.xpath(".//button[normalize-space()='Stoppen']")).click();
        waiting(user).withTimeout(java.time.Duration.ofSeconds(90)).until(d -> {
            open(d, "/portal/vms");
            return rowOf(d, vm).getText().contains("gestoppt");
        });
        rowOf(user, vm).findElement(By.xpath(".//button[normalize-space()='Starten']")).click();
        waiting(user).withTimeout(java.time.Duration.ofSeconds(90)).until(d -> {
            open(d, "/portal/vms");
            return rowOf(d, vm).getText().contains("läuft");
        });
        String vmId = verbund.get("steuern-user", "/api/vms?limit=500").path("items").findParents("name").stream()
                .filter(n -> vm.equals(n.path("name").asText())).findFirst().orElseThrow().path("id").asText();

        // a user of another authority never sees it: not in the lists, not by URL
        WebDriver other = browser("de-DE");
        login(other, "statistik-user");
        for (String route : List.of("/portal/vms", "/portal/orders", "/portal/costs")) {
            open(other, route);
            assertThat(mainText(other)).as(route).doesNotContain(vm);
        }
        other.get(verbund.baseUrl() + "/api/vms/" + vmId);
        assertThat(other.findElement(By.tagName("body")).getText()).contains("404").doesNotContain(vm);
        other.get(verbund.baseUrl() + "/api/vms");
        assertThat(other.findElement(By.tagName("body")).getText()).doesNotContain(vm).doesNotContain(vmId);
        // nor does it get the operator console
        open(other, "/console/vms");
        assertThat(mainText(other)).contains("Seite nicht gefunden").doesNotContain(vm);

        // the session cookie alone does not make a write: CSRF header and origin are checked
        Cookie session = user.manage().getCookieNamed("verbund_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        String cookie = "verbund_session=" + session.getValue();
        assertThat(verbund.sendRaw("POST", "/api/vms/" + vmId + "/stop", null, "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(verbund.sendRaw("POST", "/api/vms/" + vmId + "/stop", null, "Cookie", cookie,
                "X-Requested-With", "x", "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(verbund.get("steuern-user", "/api/vms/" + vmId).path("state").asText()).isEqualTo("RUNNING");

        // logging out ends the session on the server, not only in this browser
        user.findElement(By.xpath("//header//button[normalize-space()='Abmelden']")).click();
        waiting(user).until(d -> !d.findElements(By.name("username")).isEmpty());
        assertThat(verbund.sendRaw("GET", "/api/session", null, "Cookie", cookie).statusCode()).isEqualTo(401);
        // a login without a password is a bad request, a wrong password a failed login
        String[] json = {"Content-Type", "application/json", "X-Requested-With", "fetch", "Origin", verbund.baseUrl()};
        assertThat(verbund.sendRaw("POST", "/api/session", "{\"username\":\"steuern-user\"}", json).statusCode())
                .isEqualTo(400);
        assertThat(verbund.sendRaw("POST", "/api/session", "{\"username\":\"steuern-user\",\"password\":\"wrong\"}", json)
                .statusCode()).isEqualTo(401);
    }

    /** The table row naming {@code text}, or null. */
    private static WebElement rowOf(WebDriver b, String text) {
        return b.findElements(By.cssSelector("main tbody tr")).stream().filter(r -> r.getText().contains(text)).findFirst()
                .orElse(null);
    }
}
