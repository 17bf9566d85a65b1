package de.sid.verbund.messaging.artemis.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund messaging",
        description = "The event bus on ActiveMQ Artemis: an embedded broker in this JVM by default, "
                + "or an external broker by setting embedded=false and broker.url.")
public @interface MessagingConfig {
    String PID = "de.sid.verbund.messaging";

    @AttributeDefinition(name = "Embedded broker",
            description = "true: start an Artemis broker in this JVM with a persistent journal; "
                    + "false: connect to broker.url")
    boolean embedded() default true;

    @AttributeDefinition(name = "Journal directory",
            description = "Where the embedded broker keeps its journal, bindings, paging and large "
                    + "messages; empty = <karaf.data>/artemis (./data/artemis without karaf.data)")
    String journal_directory() default "";

    @AttributeDefinition(name = "TCP port",
            description = "Port of the embedded broker's CORE acceptor for other nodes and tools; "
                    + "0 = in-VM only (no network listener)")
    int tcp_port() default 61616;

    @AttributeDefinition(name = "TCP host",
            description = "Address the embedded broker's acceptor binds to; 127.0.0.1 keeps it local")
    String tcp_host() default "127.0.0.1";

    @AttributeDefinition(name = "Broker URL",
            description = "Artemis core URL used when embedded=false, e.g. tcp://artemis1:61616 or "
                    + "(tcp://artemis1:61616,tcp://artemis2:61616)?ha=true")
    String broker_url() default "tcp://127.0.0.1:61616";

    @AttributeDefinition(name = "User",
            description = "Broker user; empty = anonymous. With the embedded broker a non-empty user "
                    + "turns on authentication: only this user/password may connect")
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "Password of user; never logged")
    String password() default "";

    @AttributeDefinition(name = "Password environment variable", description = "Name of the environment variable "
            + "holding the password when password is empty; keeps the secret out of every file")
    String password_env() default "VERBUND_BROKER_PASSWORD";

    @AttributeDefinition(name = "Maximum deliveries",
            description = "Attempts per message before it is moved to the dead-letter queue verbund.dlq")
    int max_deliveries() default 5;

    @AttributeDefinition(name = "Redelivery delay (ms)",
            description = "Delay before the first redelivery of a message whose handler failed; "
                    + "each further attempt waits redelivery.multiplier times longer (at most 10x this)")
    long redelivery_delay_ms() default 1000;

    @AttributeDefinition(name = "Redelivery multiplier",
            description = "Back-off factor between redeliveries")
    double redelivery_multiplier() default 2.0;

    @AttributeDefinition(name = "Ready timeout (ms)",
            description = "How long publish, send and subscribe wait for the broker to be started "
                    + "or connected before they fail with a MessagingException")
    long ready_timeout_ms() default 30000;
}
