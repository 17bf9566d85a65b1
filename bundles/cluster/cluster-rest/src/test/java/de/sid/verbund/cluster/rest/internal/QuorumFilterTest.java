package de.sid.verbund.cluster.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.testsupport.FakeCluster;
import java.lang.reflect.Proxy;
import java.util.List;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;

class QuorumFilterTest {
    private final FakeCluster cluster = new FakeCluster(List.of(
            new ClusterMember("node-1", "127.0.0.1:5701", true),
            new ClusterMember("node-2", "127.0.0.1:5702", false))).minClusterSize(2);
    private final QuorumFilter filter = new QuorumFilter();

    @Test
    void withQuorumEverythingPasses() {
        filter.cluster = cluster;
        for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
            assertThatCode(() -> filter.filter(request(m, "vms"))).doesNotThrowAnyException();
        }
    }

    @Test
    void onAMinoritySideWritesAre503AndReadsPass() {
        filter.cluster = cluster;
        cluster.members(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true)));

        for (String m : List.of("POST", "PUT", "PATCH", "DELETE")) {
            ProblemException e = catchThrowableOfType(() -> filter.filter(request(m, "/vms/42")), ProblemException.class);
            assertThat(e.type()).isEqualTo(ProblemType.NO_QUORUM);
            assertThat(e.type().status()).isEqualTo(503);
            assertThat(e.type().uri()).isEqualTo("urn:verbund:problem:no-quorum");
            assertThat(e.getMessage()).contains("sees 1 of the 2 cluster members required")
                    .contains(m + " /api/vms/42 is refused");
            assertThat(e.errors()).containsExactly("membersSeen=1", "membersRequired=2");
        }
        assertThatCode(() -> filter.filter(request("GET", "vms"))).doesNotThrowAnyException();
        assertThatCode(() -> filter.filter(request("HEAD", "cluster"))).doesNotThrowAnyException();
        // a dry run stores nothing, and signing in (own tokens, web sessions) stays possible
        assertThatCode(() -> filter.filter(request("POST", "placement/dry-run"))).doesNotThrowAnyException();
        assertThatCode(() -> filter.filter(request("POST", "users/me/tokens"))).doesNotThrowAnyException();
        assertThatCode(() -> filter.filter(request("POST", "session"))).doesNotThrowAnyException();
        // but not what merely starts like one
        assertThat(catchThrowableOfType(() -> filter.filter(request("POST", "sessions-purge")), ProblemException.class))
                .isNotNull();
    }

    @Test
    void withoutAClusterServiceNothingIsRefused() {
        assertThatCode(() -> filter.filter(request("DELETE", "vms/1"))).doesNotThrowAnyException();
    }

    /** The two things the filter reads of a request. */
    private static ContainerRequestContext request(String method, String path) {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(QuorumFilterTest.class.getClassLoader(),
                new Class<?>[] {UriInfo.class}, (p, m, a) -> {
                    if (m.getName().equals("getPath")) {
                        return path;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return (ContainerRequestContext) Proxy.newProxyInstance(QuorumFilterTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getUriInfo" -> uri;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
