package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link TrapService} in OSGi: this component owns the trap receiver's UDP socket. It is a
 * {@link MultiCollector} for {@code /metrics} and the {@link RecentTraps} of {@code GET /api/traps}.
 * Activation returns at once: the socket is bound and the inventory read on the service's own thread.
 * The event bus is optional and dynamic: while there is none, or while it refuses, events wait in
 * the bounded queue. A changed configuration restarts the component (and empties the history).
 */
@Component(service = {MultiCollector.class, RecentTraps.class}, configurationPid = TrapReceiverConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TrapReceiverConfig.class)
public class TrapReceiverComponent implements MultiCollector, RecentTraps {
    private static final Logger LOG = LoggerFactory.getLogger(TrapReceiverComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventBus bus;

    private final TrapService service;

    @Activate
    public TrapReceiverComponent(@Reference DeviceInventory inventory, TrapReceiverConfig config) {
        service = new TrapService(options(config, System.getenv(config.communities_env())), inventory, () -> bus);
        if (config.enabled()) {
            service.start();
        } else {
            LOG.info("Trap receiver disabled (enabled = false in {}.cfg): no UDP port opened", TrapReceiverConfig.PID);
        }
    }

    /**
     * @param communitiesFromEnv the value of the {@code communities.env} variable (comma-separated), or null
     * @throws IllegalArgumentException naming a wrong bind address, trusted relay or engine ID
     */
    static TrapService.Options options(TrapReceiverConfig config, String communitiesFromEnv) {
        InetAddress bind = literal("bind.address", config.bind_address());
        Set<InetAddress> relays = new HashSet<>();
        for (String r : config.trusted_relays()) {
            for (String one : r.split(",")) {
                if (!one.isBlank()) {
                    relays.add(literal("trusted.relays", one.trim()));
                }
            }
        }
        Set<String> communities = new HashSet<>();
        for (String c : config.communities()) {
            if (c != null && !c.isEmpty()) {
                communities.add(c);
            }
        }
        if (communitiesFromEnv != null) {
            for (String c : communitiesFromEnv.split(",")) {
                if (!c.isBlank()) {
                    communities.add(c.trim());
                }
            }
        }
        byte[] engineId = config.engine_id().isBlank() ? null : TrapService.parseEngineId(config.engine_id());
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException("port " + config.port() + " is not a UDP port (1 to 65535)");
        }
        return new TrapService.Options(bind, config.port(), relays, communities, engineId,
                Math.max(1, config.refresh_interval_s()) * 1000L, Math.max(0, config.refresh_min_interval_s()) * 1000L,
                Math.max(1, config.queue_capacity()), Math.max(1, config.history_size()));
    }

    /** An IP address literal ({@code 10.1.2.3}, {@code ::}, {@code [fe80::1%eth0]}): never a DNS lookup. */
    private static InetAddress literal(String key, String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        String core = t.indexOf('%') >= 0 ? t.substring(0, t.indexOf('%')) : t;
        boolean ipv4 = core.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = core.indexOf(':') >= 0 && core.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException(key + " '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + " '" + text + "' is not an IP address");
        }
    }

    @Deactivate
    void deactivate() {
        service.close();
    }

    @Override
    public MetricSnapshots collect() {
        return service.collect();
    }

    @Override
    public Page<DomainEvent> recent(int limit, String cursor) {
        return service.recent(limit, cursor);
    }
}
