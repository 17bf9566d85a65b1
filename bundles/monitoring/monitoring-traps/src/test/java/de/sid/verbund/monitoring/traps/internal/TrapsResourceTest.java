package de.sid.verbund.monitoring.traps.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.OpenApiAssert;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/traps}: SID staff with {@code monitoring:read} get the recent traps newest first,
 * paged; authority users and billing clerks are refused (403) before the history is read.
 */
class TrapsResourceTest {
    private final TrapHistory history = new TrapHistory(5);

    private static DomainEvent trap(int n) {
        return DomainEvent.of("monitoring.trap", null, Map.of("trap", "raw", "n", n));
    }

    @Test
    void monitoringStaffAndOperatorsPageThroughTheRecentTrapsNewestFirst() {
        for (int i = 1; i <= 7; i++) {
            history.add(trap(i));
        }
        FakeAccess monitoring = FakeAccess.monitoring();
        TrapsResource traps = new TrapsResource(history, monitoring);

        Page<DomainEvent> first = traps.list("2", null);
        Page<DomainEvent> second = traps.list("2", first.nextCursor());
        Page<DomainEvent> last = traps.list("2", second.nextCursor());

        assertThat(first.items()).extracting(e -> e.payload().get("n")).containsExactly(7, 6);
        assertThat(second.items()).extracting(e -> e.payload().get("n")).containsExactly(5, 4);
        // the ring keeps 5: 3 is the oldest left
        assertThat(last.items()).extracting(e -> e.payload().get("n")).containsExactly(3);
        assertThat(last.nextCursor()).isNull();
        // paging stays stable while new traps arrive
        history.add(trap(8));
        assertThat(traps.list("2", first.nextCursor()).items()).extracting(e -> e.payload().get("n")).containsExactly(5, 4);
        assertThat(new TrapsResource(history, FakeAccess.sidOperator()).list(null, null).items()).hasSize(5);
        assertThat(monitoring.refused).isEmpty();
    }

    @Test
    void wrongLimitOrCursorIsABadRequest() {
        TrapsResource traps = new TrapsResource(history, FakeAccess.monitoring());
        for (String[] q : List.of(new String[] {"0", null}, new String[] {"501", null}, new String[] {"x", null},
                new String[] {null, "abc"}, new String[] {null, "99"}, new String[] {null, "-1"})) {
            assertThat(catchThrowableOfType(() -> traps.list(q[0], q[1]), ProblemException.class).type())
                    .as("limit %s cursor %s", q[0], q[1]).isEqualTo(ProblemType.BAD_REQUEST);
        }
    }

    @Test
    void authorityUsersAndBillingClerksAreRefused() {
        history.add(trap(1));
        String authority = UUID.randomUUID().toString();
        RecentTraps counting = new RecentTraps() {
            @Override
            public Page<DomainEvent> recent(int limit, String cursor) {
                throw new AssertionError("the history must not be read for a refused caller");
            }
        };
        for (FakeAccess who : List.of(FakeAccess.authorityUser(authority), FakeAccess.authorityAdmin(authority),
                FakeAccess.authorityViewer(authority), FakeAccess.billingClerk())) {
            TrapsResource traps = new TrapsResource(counting, who);
            assertThat(catchThrowableOfType(() -> traps.list(null, null), ProblemException.class).type())
                    .as("%s", who.requireCaller().roles()).isEqualTo(ProblemType.FORBIDDEN);
            assertThat(who.refused).containsExactly("monitoring:read:platform traps");
        }
    }

    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new TrapsApi().json(), TrapsResource.class);
    }
}
