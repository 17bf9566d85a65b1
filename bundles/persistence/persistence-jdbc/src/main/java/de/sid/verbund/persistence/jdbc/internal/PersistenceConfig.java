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

    @AttributeDefinition(name = "User", description = "Database user (not used by the embedded H2 default)")
    String user() default "verbund";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD,
            description = "Database password; better left empty and given through password.env. Never logged")
    String password() default "";

    @AttributeDefinition(name = "Password environment variable", description = "Name of the environment variable "
            + "holding the password when password is empty; keeps the secret out of every file")
    String password_env() default "VERBUND_DB_PASSWORD";

    @AttributeDefinition(name = "Pool size", description = "Maximum connections in the pool")
    int pool_max_size() default 10;

    @AttributeDefinition(name = "Connection timeout (ms)",
            description = "How long a caller waits for a pooled connection before failing")
    long connection_timeout_ms() default 5000;
}
