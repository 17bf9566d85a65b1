package de.sid.verbund.messaging.artemis.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared broker of a cluster in its own process: the same ActiveMQ Artemis broker a node embeds
 * ({@link EmbeddedBroker}: persistent journal, redelivery with back-off, dead-letter queue
 * {@code verbund.dlq}), listening for the nodes on one TCP address. Nodes connect with
 * {@code embedded = false} and {@code broker.url = tcp://HOST:PORT} and reconnect by themselves
 * when it restarts. Runs until SIGTERM/SIGINT, then stops the broker cleanly.
 *
 * <pre>
 * java -jar verbund-broker.jar --data DIR [--listen HOST:PORT] [--user NAME] [--password-env VAR]
 *                              [--max-deliveries N] [--redelivery-delay-ms MS]
 * </pre>
 */
public final class StandaloneBroker {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneBroker.class);
    static final String USAGE = "usage: java -jar verbund-broker.jar --data DIR [--listen HOST:PORT (127.0.0.1:61616)] "
            + "[--user NAME --password-env VAR] [--max-deliveries N (5)] [--redelivery-delay-ms MS (1000)]";

    private final EmbeddedBroker broker;

    private StandaloneBroker(EmbeddedBroker broker) {
        this.broker = broker;
    }

    /**
     * The parsed command line.
     *
     * @param data journal directory
     * @param host TCP address to listen on
     * @param port TCP port
     * @param user broker user, empty for anonymous access
     * @param password the user's password (from the environment variable named on the command line)
     * @param maxDeliveries deliveries before a message goes to the dead-letter queue
     * @param redeliveryDelayMs first redelivery delay in milliseconds (doubling, at most ten times this)
     */
    record Options(Path data, String host, int port, String user, String password, int maxDeliveries,
            long redeliveryDelayMs) {

        /** @throws IllegalArgumentException naming the bad or missing argument */
        static Options parse(String[] args, java.util.function.UnaryOperator<String> env) {
            Path data = null;
            String host = "127.0.0.1";
            int port = 61616;
            String user = "";
            String passwordEnv = null;
            int maxDeliveries = 5;
            long delay = 1000;
            List<String> a = new ArrayList<>(List.of(args));
            while (!a.isEmpty()) {
                String k = a.remove(0);
                if (a.isEmpty()) {
                    throw new IllegalArgumentException(k + " needs a value");
                }
                String v = a.remove(0);
                switch (k) {
                    case "--data" -> data = Path.of(v);
                    case "--listen" -> {
                        int colon = v.lastIndexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("--listen wants HOST:PORT, not " + v);
                        }
                        host = v.substring(0, colon);
                        port = number(k, v.substring(colon + 1));
                    }
                    case "--user" -> user = v;
                    case "--password-env" -> passwordEnv = v;
                    case "--max-deliveries" -> maxDeliveries = number(k, v);
                    case "--redelivery-delay-ms" -> delay = number(k, v);
                    default -> throw new IllegalArgumentException("unknown option " + k);
                }
            }
            if (data == null) {
                throw new IllegalArgumentException("--data DIR is required");
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range");
            }
            String password = "";
            if (!user.isEmpty()) {
                String p = passwordEnv == null ? null : env.apply(passwordEnv);
                if (p == null || p.isEmpty()) {
                    throw new IllegalArgumentException("--user " + user + " needs --password-env naming a set environment variable");
                }
                password = p;
            }
            return new Options(data, host, port, user, password, maxDeliveries, delay);
        }

        private static int number(String key, String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " wants a number, not " + v);
            }
        }
    }

    /** Starts a broker (blocks while the journal loads). */
    static StandaloneBroker start(Options o) throws Exception {
        EmbeddedBroker b = EmbeddedBroker.start(o.data(), 0, o.host(), o.port(), o.user(), o.password(),
                o.maxDeliveries(), o.redeliveryDelayMs(), 2.0);
        LOG.info("verbund-broker: listening on {}, journal {}", b.tcpUrl(), o.data().toAbsolutePath().normalize());
        return new StandaloneBroker(b);
    }

    /** @return the URL nodes connect to */
    String url() {
        return broker.tcpUrl();
    }

    /** @return messages parked in the dead-letter queue */
    long deadLetterCount() {
        return broker.deadLetterCount();
    }

    void stop() throws Exception {
        broker.stop();
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("verbund-broker: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        StandaloneBroker b = start(o);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                LOG.info("verbund-broker: stopping");
                b.stop();
            } catch (Exception e) {
                LOG.warn("verbund-broker: stop failed", e);
            } finally {
                stopped.countDown();
            }
        }, "verbund-broker-stop"));
        stopped.await();
    }
}
