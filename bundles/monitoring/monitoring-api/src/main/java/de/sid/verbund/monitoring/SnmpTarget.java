package de.sid.verbund.monitoring;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to poll one SNMP agent.
 *
 * @param device the device's name, for log lines and error messages
 * @param address the agent's resolved IP address and UDP port (usually 161); names must be
 *        resolved before: the client never waits for DNS
 * @param version SNMPv1, SNMPv2c or SNMPv3
 * @param credentials how requests authenticate ({@code toString()} masks secrets): a
 *        {@link SnmpCredentials.Community} for v1 and v2c, a {@link SnmpCredentials.Usm} user for v3
 * @param timeout how long to wait for each answer before retrying; 1 ms to 60 s
 * @param retries how often a request is re-sent after a timeout (0 to 10); a request that got
 *        no answer after {@code 1 + retries} attempts fails with a timeout
 * @param maxRepetitions the GETBULK max-repetitions to start with (1 to 1000); lowered for the
 *        device when it answers tooBig and remembered
 * @param maxRequestsPerWalk the most requests one walk may send (1 or more); a walk that
 *        reaches it stops and is marked partial (protection against agents that never end)
 */
public record SnmpTarget(String device, InetSocketAddress address, SnmpVersion version, SnmpCredentials credentials,
                         Duration timeout, int retries, int maxRepetitions, int maxRequestsPerWalk) {
    /** 2 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** 1 retry: 2 attempts. */
    public static final int DEFAULT_RETRIES = 1;
    /** 25, as net-snmp's {@code snmpbulkwalk} and Prometheus' snmp_exporter start with. */
    public static final int DEFAULT_MAX_REPETITIONS = 25;
    /** 2,000 requests: 50,000 rows at 25 per request. */
    public static final int DEFAULT_MAX_REQUESTS_PER_WALK = 2000;

    public SnmpTarget {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(timeout, "timeout");
        if ((version == SnmpVersion.V3) != (credentials instanceof SnmpCredentials.Usm)) {
            throw new IllegalArgumentException("device " + device + ": " + version + " goes with "
                    + (version == SnmpVersion.V3 ? "a USM user" : "a community") + ", not " + credentials);
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("device " + device + ": address " + address + " is not resolved");
        }
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("device " + device + ": timeout is 1 ms to 60 s, not " + timeout);
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("device " + device + ": retries is 0 to 10, not " + retries);
        }
        if (maxRepetitions < 1 || maxRepetitions > 1000) {
            throw new IllegalArgumentException("device " + device + ": max-repetitions is 1 to 1000, not " + maxRepetitions);
        }
        if (maxRequestsPerWalk < 1) {
            throw new IllegalArgumentException("device " + device + ": max requests per walk is at least 1, not " + maxRequestsPerWalk);
        }
    }

    /**
     * @return an SNMPv2c target with the default timeout, retries, max-repetitions and request cap
     */
    public static SnmpTarget v2c(String device, InetSocketAddress address, String community) {
        return new SnmpTarget(device, address, SnmpVersion.V2C, new SnmpCredentials.Community(community),
                DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_MAX_REPETITIONS, DEFAULT_MAX_REQUESTS_PER_WALK);
    }

    /**
     * @return an SNMPv1 target with the default timeout, retries and request cap
     */
    public static SnmpTarget v1(String device, InetSocketAddress address, String community) {
        return new SnmpTarget(device, address, SnmpVersion.V1, new SnmpCredentials.Community(community),
                DEFAULT_TIMEOUT, DEFAULT_RETRIES, DEFAULT_MAX_REPETITIONS, DEFAULT_MAX_REQUESTS_PER_WALK);
    }

    /**
     * @return an SNMPv3 target for the USM user with the default timeout, retries, max-repetitions
     *         and request cap
     */
    public static SnmpTarget v3(String device, InetSocketAddress address, SnmpCredentials.Usm user) {
        return new SnmpTarget(device, address, SnmpVersion.V3, user, DEFAULT_TIMEOUT, DEFAULT_RETRIES,
                DEFAULT_MAX_REPETITIONS, DEFAULT_MAX_REQUESTS_PER_WALK);
    }

    public SnmpTarget withTimeout(Duration t) {
        return new SnmpTarget(device, address, version, credentials, t, retries, maxRepetitions, maxRequestsPerWalk);
    }

    public SnmpTarget withRetries(int r) {
        return new SnmpTarget(device, address, version, credentials, timeout, r, maxRepetitions, maxRequestsPerWalk);
    }

    public SnmpTarget withMaxRepetitions(int m) {
        return new SnmpTarget(device, address, version, credentials, timeout, retries, m, maxRequestsPerWalk);
    }

    public SnmpTarget withMaxRequestsPerWalk(int m) {
        return new SnmpTarget(device, address, version, credentials, timeout, retries, maxRepetitions, m);
    }

    /** @return {@code device (ip:port)}, as used in messages */
    public String describe() {
        return device + " (" + address.getAddress().getHostAddress() + ":" + address.getPort() + ")";
    }
}
