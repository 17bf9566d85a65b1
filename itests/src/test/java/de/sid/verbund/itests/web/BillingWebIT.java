package de.sid.verbund.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The billing clerk's pages, the authority's invoices, the reject dialog and the hosts' capacity,
 * in a browser against the same running Verbund as {@link WebUiIT}.
 *
 * <p>Finalising needs a month that has ended and was rated after its end; a fresh Verbund has no
 * usage before today. So the test publishes, as compute would have, a VM's {@code vm.created} and
 * {@code vm.deleted} of the previous month on the node's own broker (topic {@code compute.events});
 * billing meters them like any other.
 */
class BillingWebIT extends BrowserTestSupport {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String STEUERN = "Landesamt für Steuern";
    private static final String LEITWEG_ID = "04011000-1234512345-06";
    /** Wraps URL.createObjectURL so the test can read what a download button fetched. */
    private static final String CAPTURE = "if (!window.__downloads) { window.__downloads = [];"
            + " const orig = URL.createObjectURL.bind(URL);"
            + " URL.createObjectURL = (b) => { window.__downloads.push(b); return orig(b); }; }";
    /** The i-th captured download: its type and its bytes as a data: URL. */
    private static final String READ_DOWNLOAD = "const done = arguments[arguments.length - 1];"
            + " const b = window.__downloads[arguments[0]]; const r = new FileReader();"
            + " r.onload = () => done({type: b.type, data: r.result.substring(r.result.indexOf(',') + 1)});"
            + " r.readAsDataURL(b);";
    private static final String FETCH = "const done = arguments[arguments.length - 1];"
            + " fetch(arguments[0], {headers: {Accept: arguments[1]}, credentials: 'same-origin'})"
            + ".then(r => r.text().then(t => done({status: r.status, type: r.headers.get('Content-Type'), body: t})))"
            + ".catch(e => done({status: -1, body: String(e)}));";

    @Test
    void aClerkBillsAMonthFinalisesItAndOnlyTheAuthoritySeesItsInvoice() throws Exception {
        String steuern = authorityId(STEUERN);
        YearMonth previous = YearMonth.now(BERLIN).minusMonths(1);
        YearMonth current = YearMonth.now(BERLIN);
        coverWithPriceSheet(previous);
        // two hours of an M VM on the 10th of the previous month, as compute would have reported them
        String vmId = UUID.randomUUID().toString();
        Instant start = previous.atDay(10).atTime(8, 0).atZone(BERLIN).toInstant();
        publishVmEvent("vm.created", steuern, vmId, start);
        publishVmEvent("vm.deleted", steuern, vmId, start.plus(Duration.ofHours(2)));
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() ->
                verbund.get("clerk", "/api/usage?authority=" + steuern + "&from=" + previous.atDay(1) + "&to="
                        + previous.atEndOfMonth().plusDays(1) + "&limit=500").toString().contains(vmId));
        // and a VM of the authority running now, for this month's draft
        HttpResponse<String> vm = verbund.send("admin", "POST", "/api/vms", "{\"name\":\"bill-" + vmId.substring(0, 6)
                + "\",\"tenantId\":\"" + steuern + "\",\"vcpu\":1,\"ramMib\":1024,\"diskGib\":10,\"image\":\"debian-12\"}");
        assertThat(vm.statusCode()).as(vm.body()).isEqualTo(201);

        WebDriver clerk = browser("de-DE");
        login(clerk, "clerk");
        assertThat(clerk.getCurrentUrl()).as("the clerk's home").endsWith("#/billing/documents");
        checkPage(clerk, "billing-documents-de");

        // this month on demand: a draft that cannot be finalised before the month has ended
        runBilling(clerk, current);
        openDraftOf(clerk, current);
        clerk.findElement(By.xpath("//main//button[normalize-space()='Festschreiben']")).click();
        confirmDialog(clerk);
        WebElement alert = find(clerk, "main .alert.error");
        assertThat(alert.getText()).contains("before the period ended");
        assertThat(mainText(clerk)).contains("Entwurf");

        // the previous month: the draft, its lines, its three documents
        runBilling(clerk, previous);
        openDraftOf(clerk, previous);
        assertThat(mainText(clerk)).contains("Positionen").contains("Std.").contains(LEITWEG_ID);
        checkPage(clerk, "billing-draft-de");
        Map<String, Download> drafts = downloadAll(clerk);
        assertThat(drafts.get("CSV").text()).startsWith("document_number,document_type,period").contains(previous.toString())
                .contains(LEITWEG_ID);
        assertThat(drafts.get("XRechnung").text()).contains("urn:xeinkauf.de:kosit:xrechnung_3.0")
                .contains("<cbc:BuyerReference>" + LEITWEG_ID + "</cbc:BuyerReference>");
        assertThat(pdfText(drafts.get("PDF"))).contains("ENTWURF").contains(STEUERN);

        // finalising asks first: Escape leaves it a draft and the focus on the button
        WebElement finalize = clerk.findElement(By.xpath("//main//button[normalize-space()='Festschreiben']"));
        finalize.click();
        WebElement dialog = find(clerk, "dialog[open]");
        assertThat(dialog.getText()).contains(STEUERN).contains("nie mehr geändert");
        checkPage(clerk, "billing-finalize-dialog-de");
        clerk.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waiting(clerk).until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        assertThat(clerk.switchTo().activeElement().getText()).isEqualTo("Festschreiben");
        assertThat(mainText(clerk)).contains("noch keine (Entwurf)");
        clerk.findElement(By.xpath("//main//button[normalize-space()='Festschreiben']")).click();
        confirmDialog(clerk);
        waiting(clerk).until(d -> NUMBER.matcher(d.findElement(By.tagName("h1")).getText()).find());
        awaitRendered(clerk);
        String number = number(clerk.findElement(By.tagName("h1")).getText());
        assertThat(clerk.getCurrentUrl()).endsWith("#/billing/documents/" + number);
        assertThat(clerk.findElement(By.id("status")).getText()).contains("Festgeschrieben: Nummer " + number);
        assertThat(mainText(clerk)).contains("festgeschrieben");
        checkPage(clerk, "billing-final-de");
        Map<String, Download> finals = downloadAll(clerk);
        assertThat(finals.get("CSV").text()).contains(number + ",INVOICE," + previous);
        assertThat(finals.get("XRechnung").text()).contains("<cbc:ID>" + number + "</cbc:ID>");
        assertThat(pdfText(finals.get("PDF"))).contains(number).doesNotContain("ENTWURF");

        // a credit note for the first line, finalised too
        WebElement first = clerk.findElement(By.name("credit-1"));
        first.sendKeys(first.getAttribute("max"));
        clerk.findElement(By.name("reason")).sendKeys("Wartungsfenster nicht abgezogen");
        clerk.findElement(By.xpath("//main//button[normalize-space()='Gutschrift erstellen']")).click();
        waiting(clerk).until(d -> d.findElement(By.tagName("h1")).getText().startsWith("Entwurf Gutschrift")
                || !d.findElements(By.cssSelector("main .form-error p, main .alert.error")).isEmpty());
        awaitRendered(clerk);
        assertThat(clerk.findElements(By.cssSelector("main .form-error p, main .alert.error"))).as(mainText(clerk)).isEmpty();
        assertThat(mainText(clerk)).contains("Korrigiert").contains(number);
        checkPage(clerk, "billing-credit-note-de");
        clerk.findElement(By.xpath("//main//button[normalize-space()='Festschreiben']")).click();
        confirmDialog(clerk);
        waiting(clerk).until(d -> d.findElement(By.tagName("h1")).getText().startsWith("Gutschrift ")
                && NUMBER.matcher(d.findElement(By.tagName("h1")).getText()).find());
        String creditNote = number(clerk.findElement(By.tagName("h1")).getText());
        assertThat(creditNote).isNotEqualTo(number);

        // the list filtered by authority, type and state
        open(clerk, "/billing/documents?authority=" + steuern + "&kind=CREDIT_NOTE&state=FINAL");
        assertThat(mainText(clerk)).contains(creditNote).doesNotContain(number);
        assertThat(new Select(clerk.findElement(By.name("kind"))).getFirstSelectedOption().getText()).isEqualTo("Gutschrift");

        // the same pages in English
        switchLanguage(clerk, "en");
        open(clerk, "/billing/documents?period=" + previous);
        assertThat(mainText(clerk)).contains("Billing documents").contains(number);
        checkPage(clerk, "billing-documents-en");
        open(clerk, "/billing/documents/" + number);
        assertThat(mainText(clerk)).contains("Invoice " + number).contains("Lines");
        checkPage(clerk, "billing-final-en");

        // the authority's user sees the invoice in the portal and downloads it
        WebDriver user = browser("de-DE");
        login(user, "steuern-user");
        open(user, "/portal/costs");
        assertThat(mainText(user)).contains(number).contains(creditNote);
        checkPage(user, "billing-portal-invoices-de");
        ((JavascriptExecutor) user).executeScript(CAPTURE);
        user.findElement(By.cssSelector("button[aria-label='Download PDF of invoice " + number + "'],"
                + " button[aria-label='PDF von Rechnung " + number + " herunterladen']")).click();
        Download pdf = download(user, 0);
        assertThat(pdf.type()).isEqualTo("application/pdf");
        assertThat(pdfText(pdf)).contains(number);

        // another authority's user: not in the lists, not by URL, not in the clerk's pages
        WebDriver other = browser("de-DE");
        login(other, "statistik-user");
        open(other, "/portal/costs");
        assertThat(mainText(other)).doesNotContain(number).doesNotContain(creditNote);
        Map<?, ?> byNumber = fetch(other, "/api/invoices/" + number, "application/json");
        assertThat(byNumber.get("status")).isEqualTo(404L);
        assertThat((String) byNumber.get("body")).doesNotContain(STEUERN);
        assertThat(fetch(other, "/api/invoices/" + number, "application/pdf").get("status")).isEqualTo(404L);
        assertThat(fetch(other, "/api/invoices?authority=" + steuern, "application/json").get("status")).isEqualTo(403L);
        assertThat((String) fetch(other, "/api/invoices?limit=500", "application/json").get("body")).doesNotContain(number);
        open(other, "/billing/documents/" + number);
        assertThat(mainText(other)).contains("Seite nicht gefunden").doesNotContain(STEUERN);
    }

    @Test
    void rejectingAnOrderAsksForTheReasonInAnAccessibleDialog() throws Exception {
        String name = "reject-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> order = verbund.send("steuern-user", "POST", "/api/orders",
                "{\"offering\":\"vm-m\",\"name\":\"" + name + "\",\"quantity\":1}");
        assertThat(order.statusCode()).as(order.body()).isEqualTo(201);

        WebDriver admin = browser("de-DE");
        login(admin, "steuern-admin");
        open(admin, "/portal/orders");
        WebElement reject = rowOf(admin, name).findElement(By.xpath(".//button[normalize-space()='Ablehnen']"));
        reject.click();
        find(admin, "dialog[open] textarea");
        WebElement active = admin.switchTo().activeElement();
        assertThat(active.getTagName()).as("the focus is in the reason field").isEqualTo("textarea");
        String label = admin.findElement(By.cssSelector("dialog[open] label[for='" + active.getAttribute("id") + "']")).getText();
        assertThat(label).contains(name);
        checkPage(admin, "orders-reject-dialog-de");

        // Escape cancels: nothing rejected, the focus back on the button
        active.sendKeys(Keys.ESCAPE);
        waiting(admin).until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        assertThat(admin.switchTo().activeElement().getAttribute("aria-label")).isEqualTo("Bestellung " + name + " ablehnen");
        assertThat(verbund.get("steuern-admin", "/api/orders?limit=500").toString()).contains(name);
        assertThat(rowOf(admin, name).getText()).contains("beantragt");

        // a reason is required; with one the order is rejected and the reason shown
        rowOf(admin, name).findElement(By.xpath(".//button[normalize-space()='Ablehnen']")).click();
        find(admin, "dialog[open] textarea");
        admin.findElement(By.xpath("//dialog//button[normalize-space()='Ablehnen']")).click();
        assertThat(find(admin, "dialog[open] .form-error").getText()).contains("Begründung");
        assertThat(admin.switchTo().activeElement().getTagName()).isEqualTo("textarea");
        admin.switchTo().activeElement().sendKeys("Kein Bedarf im Haushaltsjahr");
        admin.findElement(By.xpath("//dialog//button[normalize-space()='Ablehnen']")).click();
        waiting(admin).until(d -> rowOf(d, name) != null && rowOf(d, name).getText().contains("abgelehnt"));
        assertThat(rowOf(admin, name).getText()).contains("Kein Bedarf im Haushaltsjahr");
        assertThat(admin.findElements(By.cssSelector("dialog"))).isEmpty();

        // the English dialog passes axe too
        String second = name + "-en";
        assertThat(verbund.send("steuern-user", "POST", "/api/orders", "{\"offering\":\"vm-m\",\"name\":\"" + second
                + "\",\"quantity\":1}").statusCode()).isEqualTo(201);
        switchLanguage(admin, "en");
        open(admin, "/portal/orders");
        rowOf(admin, second).findElement(By.xpath(".//button[normalize-space()='Reject']")).click();
        find(admin, "dialog[open] textarea");
        checkPage(admin, "orders-reject-dialog-en");
        admin.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waiting(admin).until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
    }

    @Test
    void theConsoleShowsTheHostsAllocationAndCapacityFromTheServer() throws Exception {
        JsonNode hosts = verbund.get("operator", "/api/hosts");
        JsonNode host = hosts.get(0);
        assertThat(host.path("capacity").path("vcpu").asLong()).isPositive();
        assertThat(host.has("allocated")).isTrue();

        WebDriver operator = browser("en-GB");
        login(operator, "operator");
        open(operator, "/console/hosts");
        String row = rowOf(operator, host.path("name").asText()).getText();
        assertThat(row).contains(String.format(java.util.Locale.UK, "%,d of %,d", host.path("allocated").path("vcpu").asLong(),
                host.path("capacity").path("vcpu").asLong()));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static final Pattern NUMBER = Pattern.compile("\\d{4}-\\d{6}");

    private static String number(String text) {
        Matcher m = NUMBER.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    private record Download(String type, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Clicks the CSV, XRechnung and PDF buttons of the document page and reads what they fetched. */
    private Map<String, Download> downloadAll(WebDriver b) {
        JavascriptExecutor js = (JavascriptExecutor) b;
        js.executeScript(CAPTURE + " window.__downloads.length = 0;");
        Map<String, Download> out = new java.util.LinkedHashMap<>();
        List<String> formats = List.of("CSV", "XRechnung", "PDF");
        for (int i = 0; i < formats.size(); i++) {
            b.findElement(By.xpath("//main//button[normalize-space()='" + formats.get(i) + "']")).click();
            out.put(formats.get(i), download(b, i));
        }
        assertThat(out.get("CSV").type()).startsWith("text/csv");
        assertThat(out.get("XRechnung").type()).startsWith("application/xml");
        assertThat(out.get("PDF").type()).isEqualTo("application/pdf");
        assertThat(b.findElements(By.cssSelector("main .alert.error"))).isEmpty();
        return out;
    }

    private static Download download(WebDriver b, int index) {
        waiting(b).until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.__downloads.length")).intValue() > index);
        Map<?, ?> r = (Map<?, ?>) ((JavascriptExecutor) b).executeAsyncScript(READ_DOWNLOAD, index);
        return new Download((String) r.get("type"), Base64.getDecoder().decode((String) r.get("data")));
    }

    private static String pdfText(Download pdf) throws IOException {
        assertThat(new String(pdf.bytes(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf.bytes())) {
            return new PDFTextStripper().getText(doc);
        }
    }

    /** A request from the page with its session cookie: status, Content-Type and body. */
    private static Map<?, ?> fetch(WebDriver b, String path, String accept) {
        return (Map<?, ?>) ((JavascriptExecutor) b).executeAsyncScript(FETCH, path, accept);
    }

    /** Runs billing for a month through the form; waits for the list of that month. */
    private void runBilling(WebDriver b, YearMonth period) {
        open(b, "/billing/documents");
        new Select(b.findElement(By.name("runPeriod"))).selectByValue(period.toString());
        b.findElement(By.xpath("//main//button[normalize-space()='Abrechnung starten']")).click();
        waiting(b).withTimeout(Duration.ofSeconds(60)).until(d -> d.getCurrentUrl().endsWith("?period=" + period)
                && d.findElement(By.id("status")).getText().contains("erledigt"));
        awaitRendered(b);
    }

    /** Opens the authority's draft of a month from the list (the list shows that month). */
    private void openDraftOf(WebDriver b, YearMonth period) {
        WebElement row = waiting(b).until(d -> d.findElements(By.cssSelector("main tbody tr")).stream()
                .filter(r -> r.getText().contains(STEUERN) && r.getText().contains("Entwurf")).findFirst().orElse(null));
        row.findElement(By.cssSelector("a")).click();
        waiting(b).until(d -> d.getCurrentUrl().contains("#/billing/documents/"));
        awaitRendered(b);
        assertThat(b.findElement(By.tagName("h1")).getText()).startsWith("Entwurf Rechnung");
    }

    /** Confirms the open dialog with its first (submit) button. */
    private static void confirmDialog(WebDriver b) {
        find(b, "dialog[open] button[type=submit]").click();
        waiting(b).until(d -> d.findElements(By.cssSelector("dialog[open]")).isEmpty());
        awaitRendered(b);
    }

    private static WebElement rowOf(WebDriver b, String text) {
        return b.findElements(By.cssSelector("main tbody tr")).stream().filter(r -> r.getText().contains(text)).findFirst()
                .orElse(null);
    }

    private static String authorityId(String name) throws Exception {
        for (JsonNode a : verbund.get("admin", "/api/authorities?limit=500").path("items")) {
            if (name.equals(a.path("name").asText())) {
                return a.path("id").asText();
            }
        }
        throw new AssertionError("no authority " + name);
    }

    /**
     * The demo price sheet starts in January of the current year: in January the previous month
     * needs a sheet of its own (VM-hours of vm-m only).
     */
    private static void coverWithPriceSheet(YearMonth month) throws Exception {
        if (month.getYear() == YearMonth.now(BERLIN).getYear()) {
            return;
        }
        ObjectNode sheet = VerbundProcess.json().createObjectNode();
        sheet.put("name", "Preisblatt " + month);
        sheet.put("validFrom", month.atDay(1).atStartOfDay(BERLIN).toInstant().toString());
        sheet.put("validTo", month.plusMonths(1).atDay(1).atStartOfDay(BERLIN).toInstant().toString());
        sheet.putArray("prices").addObject().put("metric", "VM_HOUR").put("qualifier", "vm-m").put("unitPrice", 0.05);
        HttpResponse<String> r = verbund.send("admin", "POST", "/api/price-sheets", sheet.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Publishes a compute event of an M VM on the node's broker, as compute's outbox does. */
    private static void publishVmEvent(String type, String tenant, String vmId, Instant at) throws Exception {
        ObjectNode event = VerbundProcess.json().createObjectNode();
        String eventId = UUID.randomUUID().toString();
        event.put("eventId", eventId).put("type", type).put("occurredAt", at.toString()).put("tenantId", tenant);
        event.putObject("payload").put("vmId", vmId).put("name", "archiv-" + vmId.substring(0, 6)).put("offeringId", "vm-m")
                .put("state", "vm.deleted".equals(type) ? "DELETED" : "RUNNING").put("vcpu", 2).put("ramMib", 4096)
                .put("diskGib", 20);
        String url = verbund.brokerUrl();
        assertThat(url).as("the node's broker URL").isNotNull();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession()) {
            ClientProducer producer = session.createProducer("compute.events");
            ClientMessage m = session.createMessage(Message.TEXT_TYPE, true);
            TextMessageUtil.writeBodyText(m.getBodyBuffer(), SimpleString.of(event.toString()));
            m.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of(eventId));
            m.putStringProperty("verbundEventType", type);
            m.putStringProperty("verbundTenantId", tenant);
            m.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(tenant));
            m.setRoutingType(RoutingType.MULTICAST);
            producer.send(m);
        }
    }
}
