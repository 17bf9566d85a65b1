package de.sid.verbund.itests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.testsupport.SharedData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The monitoring dashboard live in two browsers against the running distribution. The test
 * serves a recorded UPS (Eaton 5PX, RFC 1628 UPS-MIB) through the replay agent and moves it on
 * between polls: sysUpTime advances and the interface counters grow (so the interface chart gets
 * a new point at each poll), then its output source switches to battery. The UPS-on-battery alarm
 * (threshold rule) appears on both open dashboards without a reload; acknowledging it in one
 * updates the other. Both pages pass axe-core in German and English; authority users are refused.
 */
class MonitoringDashboardIT extends BrowserTestSupport {
    private static final String UPS_RECORDING = "eaton-mgeups_5px.snmprec";
    private static final String SYS_UPTIME = "1.3.6.1.2.1.1.3.0|67|";
    private static final String IF_IN_2 = "1.3.6.1.2.1.2.2.1.10.2|65|";
    private static final String IF_OUT_2 = "1.3.6.1.2.1.2.2.1.16.2|65|";
    private static final String OUTPUT_SOURCE = "1.3.6.1.2.1.33.1.4.1.0|2|";

    private Path data;
    private String recorded;
    private ReplayAgent agent;
    private int port;
    private String community;
    private String deviceId;
    private long uptime = 8_855_446;
    private long inOctets = 44_870_299;
    private long outOctets = 95_041_326;

    @BeforeEach
    void serveTheUps() throws Exception {
        recorded = Files.readString(SharedData.data("snmprec").resolve(UPS_RECORDING));
        assertThat(recorded).contains(SYS_UPTIME + uptime + "\n", IF_IN_2 + inOctets + "\n", IF_OUT_2 + outOctets + "\n",
                OUTPUT_SOURCE + "3\n");
        community = "ups-web-" + UUID.randomUUID().toString().substring(0, 8);
        data = Files.createTempDirectory("verbund-web-ups");
        serve(0, false);
        JsonNode credential = json(verbund.send("monitor", "POST", "/api/credentials",
                "{\"name\":\"" + community + "\",\"version\":\"v2c\",\"community\":\"" + community + "\"}"), 201);
        deviceId = json(verbund.send("monitor", "POST", "/api/devices", "{\"name\":\"" + community + "\",\"address\":\"127.0.0.1\","
                + "\"port\":" + port + ",\"site\":\"web-test\",\"kind\":\"ups\",\"pollIntervalS\":3600,\"credentialId\":\""
                + credential.path("id").asText() + "\"}"), 201).path("id").asText();
    }

    @AfterEach
    void removeTheUps() throws Exception {
        if (deviceId != null) {
            verbund.send("monitor", "DELETE", "/api/devices/" + deviceId, null);
        }
        if (agent != null) {
            agent.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return VerbundProcess.json().readTree(r.body());
    }

    /**
     * Serves the recording moved on by one poll interval: 5 s of sysUpTime, the counters of
     * interface 2 grown by {@code octets} (and twice that sent), the output source normal(3) or
     * battery(5). The agent is restarted on the same port with the new data.
     */
    private void serve(long octets, boolean onBattery) throws IOException {
        long lastUptime = uptime;
        long lastIn = inOctets;
        long lastOut = outOctets;
        if (octets > 0) {
            uptime += 500;
            inOctets += octets;
            outOctets += 2 * octets;
        }
        String text = recorded.replace(SYS_UPTIME + 8_855_446 + "\n", SYS_UPTIME + uptime + "\n")
                .replace(IF_IN_2 + 44_870_299 + "\n", IF_IN_2 + inOctets + "\n")
                .replace(IF_OUT_2 + 95_041_326 + "\n", IF_OUT_2 + outOctets + "\n")
                .replace(OUTPUT_SOURCE + "3\n", OUTPUT_SOURCE + (onBattery ? 5 : 3) + "\n");
        assertThat(text).as("moved from %d/%d/%d", lastUptime, lastIn, lastOut).contains(SYS_UPTIME + uptime + "\n");
        Files.writeString(data.resolve(community + ".snmprec"), text);
        if (agent != null) {
            agent.close();
        }
        agent = ReplayAgent.start(DataDirectory.load(data).tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        port = agent.address().getPort();
    }

    /** Polls the UPS now (as the monitoring user), as its schedule would. */
    private void poll() throws Exception {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() ->
                verbund.send("monitor", "POST", "/api/devices/" + deviceId + "/poll", "").statusCode() == 200);
    }

    private static String attribute(WebDriver b, String css, String name) {
        List<org.openqa.selenium.WebElement> e = b.findElements(By.cssSelector(css));
        return e.isEmpty() ? null : e.get(0).getAttribute(name);
    }

    private static void awaitLive(WebDriver b) {
        waiting(b).until(d -> "true".equals(attribute(d, ".live-state", "data-live")));
    }

    @Test
    void theChartMovesTheUpsAlarmAppearsLiveAndAnAcknowledgementReachesEveryDashboard() throws Exception {
        poll();
        WebDriver device = browser("en-GB");
        login(device, "monitor");
        open(device, "/monitoring/devices/" + deviceId);
        awaitLive(device);
        WebDriver overview = browser("de-DE");
        login(overview, "operator");
        open(overview, "/monitoring");
        awaitLive(overview);
        assertThat(mainText(overview)).contains(community, "USV");

        // every poll adds a point to the chart of the busiest interface, with the new rate
        String previous = null;
        for (long octets : new long[] {500_000, 1_500_000, 800_000}) {
            serve(octets, false);
            poll();
            long bytesPerSecond = octets / 5;
            waiting(device).until(d -> {
                String last = attribute(d, "figure.chart", "data-last-in");
                return last != null && Double.parseDouble(last) == bytesPerSecond;
            });
            String points = attribute(device, "figure.chart", "data-points");
            assertThat(points).isNotEqualTo(previous);
            previous = points;
        }
        assertThat(Integer.parseInt(previous)).isGreaterThanOrEqualTo(3);
        assertThat(device.findElement(By.id("if-chart")).getAttribute("aria-label")).contains("received 1.3 Mbit/s", "sent 2.6 Mbit/s");
        ((org.openqa.selenium.JavascriptExecutor) device).executeScript("document.querySelector('figure.chart').scrollIntoView()");
        screenshot(device, "monitoring-device-chart-en");

        // the UPS switches to battery: the tile and the alarm appear on both dashboards without a reload
        serve(600_000, true);
        poll();
        waiting(device).until(d -> "true".equals(attribute(d, "[data-ups=source] .ups-value", "data-on-battery")));
        String ack = "button[data-ack]";
        waiting(device).until(d -> !d.findElements(By.cssSelector(ack)).isEmpty());
        waiting(overview).until(d -> d.findElements(By.cssSelector("[data-alarm-state=ACTIVE]")).stream()
                .anyMatch(e -> e.findElement(By.xpath("ancestor::tr")).getText().contains(community)));
        assertThat(mainText(overview)).contains("UPS on battery");
        screenshot(overview, "monitoring-overview-alarm-de");
        checkPage(device, "monitoring-device-on-battery-en");

        // acknowledged in one dashboard, shown as acknowledged in the other
        device.findElement(By.cssSelector(ack)).click();
        waiting(overview).until(d -> d.findElements(By.xpath("//tr[contains(., '" + community + "')]//*[@data-alarm-state='ACKNOWLEDGED']"))
                .size() == 1);
        assertThat(mainText(overview)).contains("bestätigt (von monitor)");
        waiting(device).until(d -> d.findElements(By.cssSelector(ack)).isEmpty());
        screenshot(overview, "monitoring-overview-acknowledged-de");
        checkPage(overview, "monitoring-overview-de");

        // the other language of each page
        switchLanguage(overview, "en");
        awaitLive(overview);
        checkPage(overview, "monitoring-overview-en");
        switchLanguage(device, "de");
        awaitLive(device);
        assertThat(mainText(device)).contains("Batteriebetrieb");
        checkPage(device, "monitoring-device-de");

        // back on mains: the alarm clears everywhere
        serve(400_000, false);
        poll();
        waiting(overview).until(d -> d.findElements(By.xpath("//tr[contains(., '" + community + "')]//*[@data-alarm-state]"))
                .isEmpty());
    }

    @Test
    void authorityUsersAndClerksGetNoDashboard() throws Exception {
        for (String user : List.of("steuern-admin", "steuern-user", "clerk")) {
            assertThat(verbund.send(user, "GET", "/api/dashboard/overview", null).statusCode()).as(user).isEqualTo(403);
            // the same resource under other spellings of its path (matrix parameters, an empty segment)
            for (String path : List.of("/api/dashboard/events", "/api/dashboard;x=1/events", "/api/dashboard/events;x=1",
                    "/api/dashboard//events")) {
                int status = verbund.send(user, "GET", path, null).statusCode();
                assertThat(status).as("%s %s", user, path).isIn(403, 404);
            }
        }
        WebDriver b = browser("de-DE");
        login(b, "steuern-admin");
        assertThat(b.findElements(By.cssSelector("nav a[href='#/monitoring']"))).isEmpty();
        open(b, "/monitoring");
        assertThat(mainText(b)).doesNotContain(community).contains("Seite nicht gefunden");
        open(b, "/monitoring/devices/" + deviceId);
        assertThat(mainText(b)).doesNotContain(community);
    }
}
