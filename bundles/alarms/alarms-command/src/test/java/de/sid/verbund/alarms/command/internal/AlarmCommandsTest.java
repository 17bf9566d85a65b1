package de.sid.verbund.alarms.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmHistoryEntry;
import de.sid.verbund.alarms.AlarmKeys;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.alarms.core.internal.Alarms;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alarm commands over the real alarm store on H2. */
class AlarmCommandsTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    Alarms alarms;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout;
    final String device = UUID.randomUUID().toString();

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
        alarms = new Alarms(db, (connection, topic, event) -> { }, Clock.systemUTC());
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        System.setOut(stdout);
        db.close();
    }

    /** A console session of the given user (Karaf keeps the login in the session variable USER). */
    private static Session session(String user) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (p, m, args) -> {
                    if (m.getName().equals("get") && "USER".equals(args[0])) {
                        return user;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private Alarm raise(String type, String source, Severity severity) {
        return alarms.raise(new NewAlarm(AlarmKeys.of(type, device, Map.of()), SourceKind.DEVICE, device, source, "dc1",
                type, severity, source + ": " + type, null), "trap", null);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listShowsOpenAlarmsAndAckAndClearActAsTheConsoleUser() {
        Alarm ups = raise("upsOnBattery", "ups-1", Severity.CRITICAL);
        Alarm down = raise("deviceUnreachable", "sw-1", Severity.MAJOR);
        Alarm gone = raise("interfaceDown", "sw-2", Severity.MINOR);
        alarms.clearAlarm(gone.id(), "olga", null);

        AlarmListCommand list = new AlarmListCommand();
        list.alarms = alarms;
        list.execute();
        String open = printed();
        out.reset();
        AlarmAckCommand ack = new AlarmAckCommand();
        ack.alarms = alarms;
        ack.session = session("karaf");
        ack.id = ups.id();
        ack.note = "generator starting";
        ack.execute();
        AlarmClearCommand clear = new AlarmClearCommand();
        clear.alarms = alarms;
        clear.session = session(null);
        clear.id = down.id();
        clear.execute();
        String done = printed();
        out.reset();
        list.all = true;
        list.severity = "minor";
        list.execute();
        String minorOnes = printed();

        assertThat(open).contains(ups.id(), "critical", "active", "ups-1", "upsOnBattery", down.id(), "deviceUnreachable")
                .doesNotContain(gone.id());
        assertThat(open.indexOf(down.id())).isLessThan(open.indexOf(ups.id()));
        assertThat(done).contains("acknowledged " + ups.id() + " (critical upsOnBattery of ups-1)",
                "cleared " + down.id() + " (major deviceUnreachable of sw-1)");
        Alarm acked = alarms.alarm(ups.id()).orElseThrow();
        assertThat(acked.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(acked.acknowledgedBy()).isEqualTo("shell:karaf");
        assertThat(acked.acknowledgeNote()).isEqualTo("generator starting");
        assertThat(alarms.detail(down.id()).orElseThrow().history()).last()
                .extracting(AlarmHistoryEntry::by, AlarmHistoryEntry::note).containsExactly("shell", "cleared by hand");
        assertThat(minorOnes).contains(gone.id(), "cleared").doesNotContain(ups.id());
    }

    @Test
    void failuresAreClearMessages() {
        Alarm ups = raise("upsOnBattery", "ups-1", Severity.CRITICAL);
        alarms.clearAlarm(ups.id(), "olga", null);
        AlarmAckCommand ack = new AlarmAckCommand();
        ack.alarms = alarms;
        ack.session = session("karaf");
        ack.id = ups.id();
        AlarmListCommand list = new AlarmListCommand();
        list.alarms = alarms;
        list.severity = "severe";

        assertThatThrownBy(ack::execute).isInstanceOf(ProblemException.class).hasMessageContaining("is cleared");
        ack.id = "no-such-alarm";
        assertThatThrownBy(ack::execute).hasMessage("no alarm no-such-alarm");
        assertThatThrownBy(list::execute).hasMessageContaining("unknown severity 'severe'");
    }
}
