package de.sid.verbund.persistence.jdbc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund persistence",
        description = "The database: embedded H2 by default, PostgreSQL by setting url.")
public @interface PersistenceConfig {
    String PID = "de.sid.verbund.persistence";

    @AttributeDefinition(name = "JDBC URL", description = "jdbc:postgresql://host:5432/verbund for PostgreSQL; "
            + "empty = embedded H2 file database <karaf.data>/verbund/verbund.mv.db")
    String url() default "";

    @AttributeDefinition(name = "User")
    String user() default "verbund";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "Database password; never logged")
    String password() default "";

    @AttributeDefinition(name = "Pool size", description = "Maximum connections in the pool")
    int pool_max_size() default 10;

    @AttributeDefinition(name = "Connection timeout (ms)",
            description = "How long a caller waits for a pooled connection before failing")
    long connection_timeout_ms() default 5000;
}
