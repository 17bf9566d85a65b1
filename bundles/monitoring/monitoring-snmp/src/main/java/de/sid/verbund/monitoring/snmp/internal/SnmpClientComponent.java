package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the SNMP4J client as the platform's {@link SnmpClient}: this component owns the one
 * SNMP4J transport (a UDP socket on an ephemeral port; opening it does not wait on the network).
 */
@Component(service = SnmpClient.class, configurationPid = SnmpClientConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SnmpClientConfig.class)
public class SnmpClientComponent implements SnmpClient {
    private final Snmp4jClient client;

    @Activate
    public SnmpClientComponent(SnmpClientConfig config) {
        try {
            client = new Snmp4jClient(InetAddress.getByName(config.local_address()), Math.max(1, config.completion_threads()));
        } catch (IOException e) {
            throw new UncheckedIOException("SNMP client: cannot open a UDP socket on " + config.local_address() + ": "
                    + e.getMessage(), e);
        }
    }

    @Deactivate
    void deactivate() {
        client.close();
    }

    @Override
    public CompletionStage<Map<Oid, SnmpValue>> get(SnmpTarget target, List<Oid> oids) {
        return client.get(target, oids);
    }

    @Override
    public CompletionStage<WalkResult> walk(SnmpTarget target, Oid root) {
        return client.walk(target, root);
    }

    @Override
    public CompletionStage<PollResult> poll(SnmpTarget target, PollRequest request) {
        return client.poll(target, request);
    }
}
