package de.sid.verbund.web.dashboard.internal;

import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import de.sid.verbund.security.AccessControl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.sse.OutboundSseEvent;
import javax.ws.rs.sse.Sse;
import javax.ws.rs.sse.SseEventSink;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/dashboard}: what the monitoring dashboard of the web UI needs beyond
 * {@code /api/devices} and {@code /api/alarms}, for SID monitoring staff
 * ({@code monitoring:read:platform} and {@code alarms:read:platform}: monitoring staff, operators,
 * admins); authority users and billing clerks are refused (403).
 * <ul>
 *   <li>{@code GET /api/dashboard/overview}: every device with its kind, site and poll state, and
 *       the counts per kind (up, down, not yet polled), for the site overview. The state is the
 *       newer of this node's poller's and the latest poll any node published on the poll feed
 *       ({@link DashboardEvents}), so every node shows every device, also those other nodes poll;
 *       {@code unknown} for a device not polled since this node started;</li>
 *   <li>{@code GET /api/dashboard/events}: a server-sent event stream ({@code text/event-stream},
 *       WHATWG HTML "Server-sent events") of {@link DashboardEvents}: {@code poll},
 *       {@code device-removed} and {@code alarm}, starting with {@code ready}; its permission check
 *       is {@link EventStreamAccess}.</li>
 * </ul>
 */
@Component(service = DashboardResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/dashboard")
public class DashboardResource {
    static final String MONITORING_READ = "monitoring:read:platform";
    static final String ALARMS_READ = "alarms:read:platform";

    private final DeviceInventory inventory;
    private final AccessControl access;
    private final DashboardEvents events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DevicePoller poller;

    @Activate
    public DashboardResource(@Reference DeviceInventory inventory, @Reference AccessControl access,
                             @Reference DashboardEvents events) {
        this.inventory = inventory;
        this.access = access;
        this.events = events;
    }

    /**
     * One device on the overview.
     *
     * @param id the device id
     * @param name its name
     * @param kind {@code switch}, {@code ups}, … (lower case)
     * @param site its site
     * @param state {@code up}, {@code down} (its last poll got no answer) or {@code unknown} (not polled yet)
     * @param lastPollAt when its last poll started, or {@code null}
     * @param problem why its last poll failed, or {@code null}
     */
    public record DeviceEntry(String id, String name, String kind, String site, String state, Instant lastPollAt,
                              String problem) {
    }

    /**
     * Counts of one device kind.
     *
     * @param up devices that answered their last poll
     * @param down devices that did not
     * @param unknown devices not polled yet
     */
    public record KindCount(int up, int down, int unknown) {
    }

    /**
     * @param devices every device, by site and name
     * @param kinds the counts per kind, by kind
     */
    public record Overview(List<DeviceEntry> devices, Map<String, KindCount> kinds) {
    }

    @GET
    @Path("/overview")
    @Produces(MediaType.APPLICATION_JSON)
    public Overview overview() {
        access.check(MONITORING_READ, "dashboard");
        DevicePoller p = poller;
        List<DeviceEntry> devices = new ArrayList<>();
        Map<String, int[]> counts = new TreeMap<>();
        for (Device d : inventory.allDevices()) {
            Optional<DashboardEvents.LatestPoll> s = newest(p == null ? Optional.empty() : p.status(d.id()), events.latest(d.id()));
            String state = s.map(x -> x.up() ? "up" : "down").orElse("unknown");
            String kind = d.kind() == null ? "other" : d.kind().name().toLowerCase(Locale.ROOT);
            devices.add(new DeviceEntry(d.id(), d.name(), kind, d.site(), state,
                    s.map(DashboardEvents.LatestPoll::at).orElse(null), s.map(DashboardEvents.LatestPoll::problem).orElse(null)));
            int[] c = counts.computeIfAbsent(kind, k -> new int[3]);
            c[state.equals("up") ? 0 : state.equals("down") ? 1 : 2]++;
        }
        devices.sort(java.util.Comparator.comparing(DeviceEntry::site).thenComparing(DeviceEntry::name));
        Map<String, KindCount> kinds = new TreeMap<>();
        counts.forEach((k, c) -> kinds.put(k, new KindCount(c[0], c[1], c[2])));
        return new Overview(devices, kinds);
    }

    /**
     * The newer of what this node's poller knows of a device (the devices it polls) and the latest
     * poll seen on the cluster's poll feed (the devices other nodes poll, see {@link DashboardEvents}).
     */
    static Optional<DashboardEvents.LatestPoll> newest(Optional<DeviceStatus> local, Optional<DashboardEvents.LatestPoll> feed) {
        Optional<DashboardEvents.LatestPoll> mine = local.filter(DeviceStatus::polled).filter(x -> x.lastPollAt() != null)
                .map(x -> new DashboardEvents.LatestPoll(x.deviceId(), x.up(), x.lastPollAt(), x.problem()));
        if (mine.isEmpty()) {
            return feed;
        }
        if (feed.isEmpty()) {
            return mine;
        }
        return feed.get().at().isAfter(mine.get().at()) ? feed : mine;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse) {
        // the caller was checked by EventStreamAccess: the sink has sent the headers (and unbound the caller) by now
        SinkListener listener = new SinkListener(sink, sse);
        events.add(listener);
        if (!listener.send("ready", "{}")) {
            events.remove(listener);
        }
    }

    /** An open event stream: events are written without waiting; a closed or failed stream answers false. */
    static final class SinkListener implements DashboardEvents.Listener {
        private final SseEventSink sink;
        private final Sse sse;
        private volatile boolean failed;

        SinkListener(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
        }

        @Override
        public boolean send(String event, String json) {
            return write(sse.newEventBuilder().name(event).mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, json)
                    .build());
        }

        @Override
        public boolean keepAlive() {
            return write(sse.newEventBuilder().comment("keep-alive").build());
        }

        private boolean write(OutboundSseEvent e) {
            if (failed || sink.isClosed()) {
                return false;
            }
            try {
                sink.send(e).whenComplete((r, error) -> {
                    if (error != null) {
                        failed = true;
                        sink.close();
                    }
                });
                return true;
            } catch (RuntimeException ex) {
                failed = true;
                return false;
            }
        }
    }
}
