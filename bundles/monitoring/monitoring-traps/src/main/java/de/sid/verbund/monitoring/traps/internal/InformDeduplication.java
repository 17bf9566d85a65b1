package de.sid.verbund.monitoring.traps.internal;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Informs seen lately, so a retransmission (the sender did not get our response in time, RFC 3416
 * 4.2.7) is answered again but not published twice. An inform is known by sender address and port,
 * security name and request-id, which a sender keeps for its retransmissions; it is remembered for
 * {@code ttlMillis}, and at most {@code capacity} are (the oldest are forgotten first).
 */
final class InformDeduplication {
    private record Key(InetSocketAddress source, String securityName, int requestId) {
    }

    private final int capacity;
    private final long ttlNanos;
    private final Map<Key, Long> seen;

    InformDeduplication(int capacity, long ttlMillis) {
        this.capacity = capacity;
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.seen = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
                return size() > InformDeduplication.this.capacity;
            }
        };
    }

    /** @return true if this inform was seen within the time to live; else it is remembered from now on */
    synchronized boolean seen(InetSocketAddress source, byte[] securityName, int requestId) {
        long now = System.nanoTime();
        Key key = new Key(source, Arrays.toString(securityName), requestId);
        Long at = seen.get(key);
        if (at != null && now - at < ttlNanos) {
            return true;
        }
        seen.remove(key);
        seen.put(key, now);
        return false;
    }

    /** Forgets an inform whose event could not be queued, so its retransmission is taken as new. */
    synchronized void forget(InetSocketAddress source, byte[] securityName, int requestId) {
        seen.remove(new Key(source, Arrays.toString(securityName), requestId));
    }
}
