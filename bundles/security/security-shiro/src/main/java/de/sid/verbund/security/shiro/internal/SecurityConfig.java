package de.sid.verbund.security.shiro.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund security", description = "Users, passwords, lockout and demo accounts")
public @interface SecurityConfig {
    String PID = "de.sid.verbund.security";

    @AttributeDefinition(name = "Demo users", description = "Create admin/operator/monitor/clerk with their "
            + "user name as password when there is no user at all (first start). Turn off in production.")
    boolean demo_users() default true;

    @AttributeDefinition(name = "bcrypt cost", description = "log2 of the bcrypt work factor for new password hashes (4..16)")
    int bcrypt_cost() default 10;

    @AttributeDefinition(name = "Lock after failures", description = "Consecutive failed logins that lock password "
            + "logins of an account for lock.duration.s (API tokens keep working)")
    int lock_after_failures() default 5;

    @AttributeDefinition(name = "Lock duration (s)", description = "How long password logins stay locked after "
            + "lock.after.failures failures; an admin's new password or verbund:user-unlock ends it early")
    long lock_duration_s() default 900;

    @AttributeDefinition(name = "Audit retention (days)", description = "Audit entries older than this are deleted "
            + "(checked hourly; the hash chain stays verifiable from the oldest kept entry). 0 keeps every entry.")
    int audit_retention_days() default 0;

    @AttributeDefinition(name = "Web session idle timeout (min)", description = "A web UI session ends after this many "
            + "minutes without a request")
    int session_idle_minutes() default 30;

    @AttributeDefinition(name = "Web session lifetime (h)", description = "A web UI session ends this many hours after "
            + "the login at the latest")
    int session_max_hours() default 12;
}
