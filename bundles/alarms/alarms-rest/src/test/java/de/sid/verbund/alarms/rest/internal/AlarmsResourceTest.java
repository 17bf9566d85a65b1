package de.sid.verbund.alarms.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmKeys;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.alarms.core.internal.Alarms;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.FakeAccess;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use {@code /api/alarms} and what it answers, over the real alarm store on H2: SID
 * staff with {@code alarms:*} (monitoring, operators) read, acknowledge and clear; authority
 * users, admins, viewers and billing clerks are refused (403) and change nothing.
 */
class AlarmsResourceTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    Alarms alarms;
    final List<DomainEvent> events = new ArrayList<>();
    final String device = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
        alarms = new Alarms(db, (connection, topic, event) -> events.add(event), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Alarm raise(String type, int ifIndex, Severity severity) {
        return alarms.raise(new NewAlarm(AlarmKeys.of(type, device, Map.of("ifIndex", Integer.toString(ifIndex))),
                SourceKind.DEVICE, device, "sw-1", "dc1", type, severity, "sw-1: interface " + ifIndex + " down", null),
                "trap", null);
    }

    @Test
    void monitoringStaffListFilterAcknowledgeAndClear() throws Exception {
        Alarm a = raise("interfaceDown", 1, Severity.MAJOR);
        Alarm b = raise("interfaceDown", 2, Severity.MINOR);
        Alarm c = raise("upsOnBattery", 0, Severity.CRITICAL);
        FakeAccess monitor = FakeAccess.monitoring();
        AlarmsResource r = new AlarmsResource(alarms, monitor);

        Alarm acked = r.acknowledge(a.id(), new AlarmsResource.Ack("looking into it"));
        Alarm ackedWithoutBody = r.acknowledge(b.id(), null);
        Alarm cleared = new AlarmsResource(alarms, FakeAccess.sidOperator()).clear(c.id(), new AlarmsResource.Clear("fixed"));
        Page<Alarm> all = r.list(null, null, null, null, null, null);
        Page<Alarm> open = r.list("open", null, null, null, null, null);
        Page<Alarm> majorOrMinor = r.list("ACKNOWLEDGED", "major,MINOR", "sw-1", "interfaceDown", null, null);
        Page<Alarm> firstPage = r.list(null, null, null, null, "2", null);
        Page<Alarm> secondPage = r.list(null, null, device, null, "2", firstPage.nextCursor());
        AlarmsResource.AlarmView view = r.get(a.id());

        assertThat(acked.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(acked.acknowledgedBy()).isEqualTo("monitor");
        assertThat(acked.acknowledgeNote()).isEqualTo("looking into it");
        assertThat(ackedWithoutBody.acknowledgeNote()).isNull();
        assertThat(cleared.clearedBy()).isEqualTo("operator");
        assertThat(cleared.clearReason()).isEqualTo("fixed");
        assertThat(all.items()).extracting(Alarm::id).containsExactly(c.id(), b.id(), a.id());
        assertThat(open.items()).extracting(Alarm::id).containsExactly(b.id(), a.id());
        assertThat(majorOrMinor.items()).extracting(Alarm::id).containsExactly(b.id(), a.id());
        assertThat(firstPage.items()).hasSize(2);
        assertThat(secondPage.items()).extracting(Alarm::id).containsExactly(a.id());
        assertThat(secondPage.nextCursor()).isNull();
        assertThat(view.alarm()).isEqualTo(acked);
        assertThat(view.history()).hasSize(2);
        assertThat(monitor.refused).isEmpty();
        assertThat(events).extracting(DomainEvent::type).containsExactly("alarm.raised", "alarm.raised", "alarm.raised",
                "alarm.acknowledged", "alarm.acknowledged", "alarm.cleared");

        // the detail is one JSON object: the alarm's fields and its history
        JsonNode json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .valueToTree(view);
        assertThat(json.path("id").asText()).isEqualTo(a.id());
        assertThat(json.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(json.path("acknowledgeNote").asText()).isEqualTo("looking into it");
        assertThat(json.has("alarm")).isFalse();
        assertThat(json.path("history").get(1).path("action").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(json.path("history").get(1).path("by").asText()).isEqualTo("monitor");
        assertThat(json.path("firstSeen").asText()).isEqualTo(a.firstSeen().toString());
    }

    @Test
    void unknownAlarmsAre404sAndForbiddenChangesAre409sAndBadFiltersAre400s() {
        Alarm a = raise("interfaceDown", 1, Severity.MAJOR);
        AlarmsResource r = new AlarmsResource(alarms, FakeAccess.monitoring());
        r.clear(a.id(), null);
        String unknown = UUID.randomUUID().toString();

        assertThat(problem(() -> r.get(unknown))).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(problem(() -> r.get("not-even-a-uuid"))).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(problem(() -> r.acknowledge(unknown, null))).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(problem(() -> r.clear(unknown, null))).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(problem(() -> r.acknowledge(a.id(), null))).isEqualTo(ProblemType.CONFLICT);
        assertThat(problem(() -> r.clear(a.id(), null))).isEqualTo(ProblemType.CONFLICT);
        assertThat(problem(() -> r.list("gone", null, null, null, null, null))).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(problem(() -> r.list(null, "severe", null, null, null, null))).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(problem(() -> r.list(null, null, null, null, "0", null))).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(problem(() -> r.list(null, null, null, null, null, "bogus"))).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(problem(() -> r.acknowledge(raise("interfaceDown", 2, Severity.MINOR).id(),
                new AlarmsResource.Ack("x".repeat(1001))))).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(catchThrowableOfType(() -> r.list(null, "severe", null, null, null, null), ProblemException.class)
                .getMessage()).contains("unknown severity 'severe'");
        assertThat(r.get(a.id()).alarm().clearReason()).isEqualTo("cleared by hand");
    }

    @Test
    void authorityUsersAndClerksAreRefusedEverythingAndChangeNothing() {
        Alarm a = raise("interfaceDown", 1, Severity.MAJOR);
        int eventsBefore = events.size();
        String authority = UUID.randomUUID().toString();

        for (FakeAccess who : List.of(FakeAccess.authorityUser(authority), FakeAccess.authorityAdmin(authority),
                FakeAccess.authorityViewer(authority), FakeAccess.billingClerk())) {
            AlarmsResource r = new AlarmsResource(alarms, who);
            List<Runnable> attempts = List.of(() -> r.list(null, null, null, null, null, null), () -> r.get(a.id()),
                    () -> r.acknowledge(a.id(), null), () -> r.clear(a.id(), null));
            for (Runnable attempt : attempts) {
                assertThat(problem(attempt)).as("%s", who.requireCaller().roles()).isEqualTo(ProblemType.FORBIDDEN);
            }
            assertThat(who.refused).hasSize(attempts.size()).allMatch(p -> p.startsWith("alarms:"));
        }
        assertThat(alarms.alarm(a.id()).orElseThrow()).isEqualTo(a);
        assertThat(events).hasSize(eventsBefore);
    }

    private static ProblemType problem(Runnable r) {
        ProblemException e = catchThrowableOfType(r::run, ProblemException.class);
        assertThat(e).as("a problem").isNotNull();
        return e.type();
    }
}
