package de.sid.verbund.alarms.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmDetail;
import de.sid.verbund.alarms.AlarmEvents;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmHistoryEntry.Action;
import de.sid.verbund.alarms.AlarmHistoryEntry;
import de.sid.verbund.alarms.AlarmKeys;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm lifecycle on a real database (embedded H2 here, PostgreSQL in the subclass), with
 * its events going through the real outbox relay to a real embedded Artemis broker. Time is a
 * test clock moved by hand, so escalation and expiry need no waiting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlarmServiceTest {
    private static Broker broker;

    @TempDir
    Path dir;
    JdbcDatabase db;
    OutboxRelay outbox;
    SettableClock clock;
    Alarms alarms;
    Subscription subscription;
    final List<DomainEvent> events = new CopyOnWriteArrayList<>();
    final String device = UUID.randomUUID().toString();

    @BeforeAll
    static void startBroker() {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 12, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        subscription = broker.bus().subscribe(AlarmEvents.TOPIC, "alarms-test-" + UUID.randomUUID(), events::add);
        outbox = new OutboxRelay(db, broker.bus(), 20);
        clock = new SettableClock(Instant.parse("2026-11-30T08:00:00.123456Z"));
        alarms = new Alarms(db, outbox, clock);
    }

    @AfterEach
    void tearDown() {
        subscription.close();
        outbox.close();
        db.close();
    }

    private NewAlarm linkDown(int ifIndex, Severity severity) {
        return new NewAlarm(AlarmKeys.of("interfaceDown", device, Map.of("ifIndex", Integer.toString(ifIndex))),
                SourceKind.DEVICE, device, "sw-1", "dc1", "interfaceDown", severity, "sw-1: interface " + ifIndex + " down",
                null);
    }

    private List<String> eventTypes(String alarmId) {
        return events.stream().filter(e -> alarmId.equals(e.payload().get(AlarmEvents.ALARM_ID))).map(DomainEvent::type)
                .toList();
    }

    @Test
    void aRepeatOfAnOpenAlarmCountsAndAfterTheClearARaiseOpensANewOne() {
        Alarm first = alarms.raise(linkDown(3, Severity.MAJOR), "trap", "from 10.0.0.1");
        clock.advance(Duration.ofSeconds(30));
        Alarm repeat = alarms.raise(linkDown(3, Severity.MAJOR), "trap", null);
        Alarm other = alarms.raise(linkDown(4, Severity.MAJOR), "trap", null);
        clock.advance(Duration.ofSeconds(30));
        Alarm cleared = alarms.clear(first.key(), "trap", "linkUp").orElseThrow();
        boolean clearedAgain = alarms.clear(first.key(), "trap", "linkUp").isPresent();
        Alarm reopened = alarms.raise(linkDown(3, Severity.MAJOR), "trap", null);

        assertThat(first.state()).isEqualTo(AlarmState.ACTIVE);
        assertThat(first.count()).isEqualTo(1);
        assertThat(first.key()).isEqualTo("interfaceDown/" + device + "/ifIndex=3");
        assertThat(repeat.id()).isEqualTo(first.id());
        assertThat(repeat.count()).isEqualTo(2);
        assertThat(repeat.firstSeen()).isEqualTo(first.firstSeen());
        assertThat(repeat.lastSeen()).isEqualTo(first.firstSeen().plusSeconds(30));
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(cleared.state()).isEqualTo(AlarmState.CLEARED);
        assertThat(cleared.clearedBy()).isEqualTo("trap");
        assertThat(cleared.clearReason()).isEqualTo("linkUp");
        assertThat(cleared.clearedAt()).isEqualTo(first.firstSeen().plusSeconds(60));
        assertThat(clearedAgain).isFalse();
        assertThat(reopened.id()).isNotEqualTo(first.id());
        assertThat(reopened.count()).isEqualTo(1);
        assertThat(alarms.alarm(first.id())).contains(cleared);
        assertThat(alarms.openKeys()).containsExactlyInAnyOrder(first.key(), other.key());

        AlarmDetail d = alarms.detail(first.id()).orElseThrow();
        assertThat(d.alarm()).isEqualTo(cleared);
        assertThat(d.history()).extracting(AlarmHistoryEntry::action, AlarmHistoryEntry::by, AlarmHistoryEntry::note)
                .containsExactly(tuple(Action.RAISED, "trap", "from 10.0.0.1"), tuple(Action.REPEATED, "trap", null),
                        tuple(Action.CLEARED, "trap", "linkUp"));
        // state changes are published (a repeat is not), in order, through the outbox
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(eventTypes(first.id())).containsExactly(AlarmEvents.RAISED, AlarmEvents.CLEARED);
            assertThat(eventTypes(reopened.id())).containsExactly(AlarmEvents.RAISED);
        });
        DomainEvent raised = events.stream().filter(e -> first.id().equals(e.payload().get(AlarmEvents.ALARM_ID)))
                .findFirst().orElseThrow();
        assertThat(raised.tenantId()).isNull();
        assertThat(raised.payload()).containsEntry(AlarmEvents.SEVERITY, "major").containsEntry(AlarmEvents.TYPE,
                "interfaceDown").containsEntry(AlarmEvents.SOURCE_NAME, "sw-1").containsEntry(AlarmEvents.STATE, "ACTIVE")
                .containsEntry(AlarmEvents.KEY, first.key()).containsEntry(AlarmEvents.BY, "trap");
    }

    @Test
    void anAcknowledgedAlarmThatRepeatsStaysAcknowledgedAndAClearedOneCannotBeAcknowledged() {
        Alarm a = alarms.raise(linkDown(1, Severity.MAJOR), "trap", null);
        Alarm acked = alarms.acknowledge(a.id(), "olga", "replacing the SFP");
        Alarm repeat = alarms.raise(linkDown(1, Severity.MAJOR), "trap", null);
        ProblemException twice = catchThrowableOfType(() -> alarms.acknowledge(a.id(), "otto", null),
                ProblemException.class);
        Alarm cleared = alarms.clearAlarm(a.id(), "olga", "SFP replaced");
        ProblemException ackCleared = catchThrowableOfType(() -> alarms.acknowledge(a.id(), "olga", null),
                ProblemException.class);
        ProblemException clearCleared = catchThrowableOfType(() -> alarms.clearAlarm(a.id(), "olga", null),
                ProblemException.class);
        ProblemException unknown = catchThrowableOfType(() -> alarms.acknowledge(UUID.randomUUID().toString(), "olga",
                null), ProblemException.class);
        ProblemException longNote = catchThrowableOfType(() -> alarms.acknowledge(a.id(), "olga", "x".repeat(1001)),
                ProblemException.class);

        assertThat(acked.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(acked.acknowledgedBy()).isEqualTo("olga");
        assertThat(acked.acknowledgeNote()).isEqualTo("replacing the SFP");
        assertThat(acked.acknowledgedAt()).isEqualTo(clock.now());
        assertThat(repeat.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
        assertThat(repeat.count()).isEqualTo(2);
        assertThat(repeat.acknowledgedBy()).isEqualTo("olga");
        assertThat(twice.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(twice.getMessage()).contains("already acknowledged by olga");
        assertThat(cleared.clearedBy()).isEqualTo("olga");
        assertThat(cleared.clearReason()).isEqualTo("SFP replaced");
        assertThat(ackCleared.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(clearCleared.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(unknown.type()).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(longNote.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(alarms.detail(a.id()).orElseThrow().history()).extracting(AlarmHistoryEntry::action)
                .containsExactly(Action.RAISED, Action.ACKNOWLEDGED, Action.REPEATED, Action.CLEARED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(eventTypes(a.id()))
                .containsExactly(AlarmEvents.RAISED, AlarmEvents.ACKNOWLEDGED, AlarmEvents.CLEARED));
    }

    @Test
    void unacknowledgedConditionsEscalateOneStepPerIntervalUpToCriticalAndOthersDoNot() {
        Duration after = Duration.ofMinutes(15);
        Alarm minor = alarms.raise(linkDown(1, Severity.MINOR), "trap", null);
        Alarm acked = alarms.raise(linkDown(2, Severity.MINOR), "trap", null);
        alarms.acknowledge(acked.id(), "olga", null);
        Alarm restart = alarms.raise(new NewAlarm(AlarmKeys.of("deviceRestarted", device, Map.of()), SourceKind.DEVICE,
                device, "sw-1", "dc1", "deviceRestarted", Severity.WARNING, "sw-1 restarted", Duration.ofHours(24)),
                "trap", null);

        clock.advance(Duration.ofMinutes(14));
        int early = alarms.escalate(after);
        clock.advance(Duration.ofMinutes(1));
        int atFifteen = alarms.escalate(after);
        int sameSweepAgain = alarms.escalate(after);
        Alarm major = alarms.alarm(minor.id()).orElseThrow();
        clock.advance(Duration.ofMinutes(15));
        alarms.escalate(after);
        clock.advance(Duration.ofMinutes(60));
        alarms.escalate(after);

        assertThat(early).isZero();
        assertThat(atFifteen).isEqualTo(1);
        assertThat(sameSweepAgain).isZero();
        assertThat(major.severity()).isEqualTo(Severity.MAJOR);
        assertThat(major.escalationLevel()).isEqualTo(1);
        assertThat(major.escalatedAt()).isEqualTo(minor.firstSeen().plus(Duration.ofMinutes(15)));
        Alarm critical = alarms.alarm(minor.id()).orElseThrow();
        assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(critical.escalationLevel()).isEqualTo(2);
        assertThat(alarms.alarm(acked.id()).orElseThrow().severity()).isEqualTo(Severity.MINOR);
        assertThat(alarms.alarm(restart.id()).orElseThrow().severity()).isEqualTo(Severity.WARNING);
        assertThat(alarms.detail(minor.id()).orElseThrow().history()).filteredOn(h -> h.action() == Action.ESCALATED)
                .extracting(AlarmHistoryEntry::by, AlarmHistoryEntry::severity, AlarmHistoryEntry::note)
                .containsExactly(tuple("system", Severity.MAJOR, "not acknowledged for 15 min: minor → major"),
                        tuple("system", Severity.CRITICAL, "not acknowledged for 15 min: major → critical"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(eventTypes(minor.id()))
                .containsExactly(AlarmEvents.RAISED, AlarmEvents.ESCALATED, AlarmEvents.ESCALATED));
        DomainEvent escalated = events.stream().filter(e -> e.type().equals(AlarmEvents.ESCALATED)).findFirst()
                .orElseThrow();
        assertThat(escalated.payload()).containsEntry(AlarmEvents.SEVERITY, "major")
                .containsEntry(AlarmEvents.PREVIOUS_SEVERITY, "minor");
    }

    @Test
    void alarmsAboutPastEventsExpireAfterTheirLastRaise() {
        NewAlarm restart = new NewAlarm(AlarmKeys.of("deviceRestarted", device, Map.of()), SourceKind.DEVICE, device,
                "sw-1", "dc1", "deviceRestarted", Severity.WARNING, "sw-1 restarted", Duration.ofHours(24));
        Alarm a = alarms.raise(restart, "trap", null);
        clock.advance(Duration.ofHours(20));
        Alarm again = alarms.raise(restart, "trap", null);
        clock.advance(Duration.ofHours(20));
        int notYet = alarms.expire();
        clock.advance(Duration.ofHours(4));
        int expired = alarms.expire();

        assertThat(a.expiresAt()).isEqualTo(a.firstSeen().plus(Duration.ofHours(24)));
        assertThat(again.expiresAt()).isEqualTo(a.firstSeen().plus(Duration.ofHours(44)));
        assertThat(notYet).isZero();
        assertThat(expired).isEqualTo(1);
        Alarm done = alarms.alarm(a.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(AlarmState.CLEARED);
        assertThat(done.clearedBy()).isEqualTo("system");
        assertThat(done.clearReason()).startsWith("expired: not raised again since ");
    }

    @Test
    void aRepeatWithAHigherSeverityRaisesItAndIsPublishedAsAnEscalation() {
        Alarm admin = alarms.raise(linkDown(7, Severity.WARNING), "trap", null);
        Alarm lower = alarms.raise(linkDown(7, Severity.INDETERMINATE), "trap", null);
        Alarm higher = alarms.raise(linkDown(7, Severity.MAJOR), "trap", null);

        assertThat(lower.severity()).isEqualTo(Severity.WARNING);
        assertThat(higher.severity()).isEqualTo(Severity.MAJOR);
        assertThat(higher.count()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(eventTypes(admin.id()))
                .containsExactly(AlarmEvents.RAISED, AlarmEvents.ESCALATED));
    }

    @Test
    void parallelRaisesOfOneKeyGiveOneAlarmCountingThemAll() throws Exception {
        int threads = 8;
        int rounds = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                int ifIndex = 100 + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Alarm>> raised = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    raised.add(pool.submit(() -> {
                        start.await();
                        return alarms.raise(linkDown(ifIndex, Severity.MAJOR), "trap", null);
                    }));
                }
                start.countDown();
                Set<String> ids = new java.util.HashSet<>();
                for (Future<Alarm> f : raised) {
                    ids.add(f.get(30, TimeUnit.SECONDS).id());
                }
                Page<Alarm> open = alarms.alarms(new AlarmFilter(Set.of(AlarmState.ACTIVE), Set.of(), null, null), 500, null);
                List<Alarm> ofKey = open.items().stream().filter(a -> a.key().endsWith("ifIndex=" + ifIndex)).toList();

                assertThat(ids).hasSize(1);
                assertThat(ofKey).hasSize(1);
                assertThat(ofKey.get(0).count()).isEqualTo(threads);
                assertThat(alarms.detail(ofKey.get(0).id()).orElseThrow().history()).extracting(AlarmHistoryEntry::action)
                        .containsOnlyOnce(Action.RAISED).hasSize(threads);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theListIsFilteredAndPagedNewestFirst() {
        List<Alarm> raised = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            raised.add(alarms.raise(linkDown(i, i % 2 == 0 ? Severity.MAJOR : Severity.MINOR), "trap", null));
            clock.advance(Duration.ofSeconds(1));
        }
        String otherDevice = UUID.randomUUID().toString();
        Alarm ups = alarms.raise(new NewAlarm(AlarmKeys.of("upsOnBattery", otherDevice, Map.of()), SourceKind.DEVICE,
                otherDevice, "ups-1", "dc2", "upsOnBattery", Severity.CRITICAL, "ups-1 on battery", null), "trap", null);
        alarms.acknowledge(raised.get(6).id(), "olga", null);
        alarms.clearAlarm(raised.get(5).id(), "olga", null);

        List<String> pagedIds = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Alarm> p = alarms.alarms(AlarmFilter.ALL, 3, cursor);
            p.items().forEach(a -> pagedIds.add(a.id()));
            cursor = p.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(raised.stream().map(Alarm::id).toList());
        newestFirst.add(ups.id());
        java.util.Collections.reverse(newestFirst);
        assertThat(pagedIds).containsExactlyElementsOf(newestFirst);
        assertThat(alarms.alarms(AlarmFilter.OPEN, 50, null).items()).hasSize(7);
        assertThat(alarms.alarms(new AlarmFilter(Set.of(AlarmState.CLEARED), Set.of(), null, null), 50, null).items())
                .extracting(Alarm::id).containsExactly(raised.get(5).id());
        assertThat(alarms.alarms(new AlarmFilter(Set.of(), Set.of(Severity.MINOR), null, null), 50, null).items())
                .hasSize(3).allMatch(a -> a.severity() == Severity.MINOR);
        assertThat(alarms.alarms(new AlarmFilter(Set.of(), Set.of(), "ups-1", null), 50, null).items())
                .extracting(Alarm::id).containsExactly(ups.id());
        assertThat(alarms.alarms(new AlarmFilter(Set.of(), Set.of(), otherDevice, null), 50, null).items())
                .extracting(Alarm::id).containsExactly(ups.id());
        assertThat(alarms.alarms(new AlarmFilter(Set.of(), Set.of(), null, "interfaceDown"), 50, null).items())
                .hasSize(7);
        assertThat(alarms.alarms(new AlarmFilter(Set.of(AlarmState.ACTIVE), Set.of(Severity.MAJOR), "sw-1",
                "interfaceDown"), 50, null).items()).extracting(Alarm::id).containsExactly(raised.get(4).id(),
                raised.get(2).id(), raised.get(0).id());
        assertThat(catchThrowableOfType(() -> alarms.alarms(AlarmFilter.ALL, 3, "not-a-cursor"), ProblemException.class)
                .type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(alarms.openCounts().get(Severity.CRITICAL).get(AlarmState.ACTIVE)).isEqualTo(1);
        assertThat(alarms.openCounts().get(Severity.MAJOR).get(AlarmState.ACTIVE)).isEqualTo(3);
        assertThat(alarms.openCounts().get(Severity.MAJOR).get(AlarmState.ACKNOWLEDGED)).isEqualTo(1);
        assertThat(alarms.openCounts().get(Severity.MINOR).get(AlarmState.ACTIVE)).isEqualTo(2);
        assertThat(alarms.openCounts().get(Severity.WARNING).get(AlarmState.ACTIVE)).isZero();
    }

    @Test
    void anEventIsActedUponOnce() {
        UUID eventId = UUID.randomUUID();
        boolean first = alarms.once(eventId, (c, now) -> alarms.raise(c, linkDown(9, Severity.MAJOR), "trap", null, now));
        boolean again = alarms.once(eventId, (c, now) -> alarms.raise(c, linkDown(9, Severity.MAJOR), "trap", null, now));
        clock.advance(Duration.ofDays(8));
        int pruned = alarms.pruneProcessed(Duration.ofDays(7));

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(alarms.alarms(AlarmFilter.OPEN, 50, null).items()).singleElement()
                .satisfies(a -> assertThat(a.count()).isEqualTo(1));
        assertThat(pruned).isEqualTo(1);
    }
}
