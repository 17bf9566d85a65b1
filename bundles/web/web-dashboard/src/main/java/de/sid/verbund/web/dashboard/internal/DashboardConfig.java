package de.sid.verbund.web.dashboard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the monitoring dashboard's event stream ({@code etc/de.sid.verbund.web.dashboard.cfg}). */
@ObjectClassDefinition(name = "Verbund monitoring dashboard", description = "The live event stream of the web dashboard")
public @interface DashboardConfig {
    String PID = "de.sid.verbund.web.dashboard";

    @AttributeDefinition(name = "Keep-alive (s)", description = "Seconds between keep-alive comments on idle event "
            + "streams (proxies close idle connections; a closed stream is noticed at the next write)")
    long keepalive_s() default 20;
}
