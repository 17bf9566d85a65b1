package de.sid.verbund.messaging.artemis.internal;

import de.sid.verbund.messaging.EventBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The broker inside this JVM: configured in code from our own keys (no broker.xml), persistent
 * NIO journal, an in-VM acceptor for this node's client and optionally a CORE acceptor on
 * {@code tcp.host:tcp.port} for other nodes and tools.
 */
final class EmbeddedBroker {
    private final EmbeddedActiveMQ embedded;
    private final Path directory;
    private final int inVmServerId;
    private final String tcpUrl;

    private EmbeddedBroker(EmbeddedActiveMQ embedded, Path directory, int inVmServerId, String tcpUrl) {
        this.embedded = embedded;
        this.directory = directory;
        this.inVmServerId = inVmServerId;
        this.tcpUrl = tcpUrl;
    }

    /**
     * Starts a broker (blocks while the journal loads: call it from a background thread).
     *
     * @param tcpPort 0 for no TCP acceptor
     * @param user non-empty: authentication on, only this user may connect
     */
    static EmbeddedBroker start(Path directory, int inVmServerId, String tcpHost, int tcpPort, String user,
            String password, int maxDeliveries, long redeliveryDelayMs, double redeliveryMultiplier)
            throws Exception {
        Files.createDirectories(directory);
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("verbund");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setJournalDirectory(directory.resolve("journal").toString());
        c.setBindingsDirectory(directory.resolve("bindings").toString());
        c.setPagingDirectory(directory.resolve("paging").toString());
        c.setLargeMessagesDirectory(directory.resolve("large-messages").toString());
        c.setJMXManagementEnabled(false);
        c.setSecurityEnabled(!user.isEmpty());
        c.addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(),
                Map.of(TransportConstants.SERVER_ID_PROP_NAME, inVmServerId), "invm"));
        String tcpUrl = null;
        if (tcpPort > 0) {
            tcpUrl = "tcp://" + tcpHost + ":" + tcpPort;
            c.addAcceptorConfiguration("tcp", tcpUrl + "?protocols=CORE");
        }

        SimpleString dla = SimpleString.of(EventBus.DEAD_LETTER_QUEUE);
        c.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(dla)
                .setExpiryAddress(dla) // our messages carry no expiry; should one expire, it is kept too
                .setAutoCreateDeadLetterResources(false)
                .setMaxDeliveryAttempts(maxDeliveries)
                .setRedeliveryDelay(redeliveryDelayMs)
                .setRedeliveryMultiplier(redeliveryMultiplier)
                .setMaxRedeliveryDelay(redeliveryDelayMs * 10));
        // the dead-letter queue itself never dead-letters: what is there stays until reviewed
        c.addAddressSetting(EventBus.DEAD_LETTER_QUEUE, new AddressSettings().setMaxDeliveryAttempts(-1));
        c.addAddressConfiguration(new CoreAddressConfiguration()
                .setName(EventBus.DEAD_LETTER_QUEUE)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(EventBus.DEAD_LETTER_QUEUE)
                        .setAddress(EventBus.DEAD_LETTER_QUEUE)
                        .setRoutingType(RoutingType.ANYCAST)
                        .setDurable(true)));

        EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
        embedded.setConfiguration(c);
        if (!user.isEmpty()) {
            embedded.setSecurityManager(new SingleUserSecurityManager(user, password));
        }
        withArtemisClassLoader(embedded::start);
        return new EmbeddedBroker(embedded, directory, inVmServerId, tcpUrl);
    }

    ActiveMQServer server() {
        return embedded.getActiveMQServer();
    }

    int inVmServerId() {
        return inVmServerId;
    }

    Path directory() {
        return directory;
    }

    /** @return the TCP acceptor URL, or {@code null} when in-VM only */
    String tcpUrl() {
        return tcpUrl;
    }

    /** @return messages waiting in the dead-letter queue, or -1 if it is not there */
    long deadLetterCount() {
        Queue q = server().locateQueue(EventBus.DEAD_LETTER_QUEUE);
        return q == null ? -1 : q.getMessageCount();
    }

    void stop() throws Exception {
        withArtemisClassLoader(embedded::stop);
    }

    /**
     * Runs an Artemis call with the thread context class loader set to Artemis' own (in Karaf:
     * the artemis-server-osgi bundle's), which it uses to load transports, codecs and services.
     */
    static <T> T withArtemisClassLoader(Callable<T> work) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(EmbeddedActiveMQ.class.getClassLoader());
        try {
            return work.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
