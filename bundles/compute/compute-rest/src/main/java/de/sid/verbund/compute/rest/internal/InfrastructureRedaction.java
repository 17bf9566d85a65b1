package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.security.AccessControl;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the platform's inner workings from authority users: a problem whose text names hosts
 * (placement's per-host reasons, a hypervisor's error with its URI and paths) reaches a caller
 * without {@value #PLATFORM} in a general form, with a reference under which the full text is
 * logged. SID staff get the full text.
 */
final class InfrastructureRedaction {
    /** Who may see host names, URIs and per-host capacity. */
    static final String PLATFORM = "compute:read:platform";
    private static final Logger LOG = LoggerFactory.getLogger(InfrastructureRedaction.class);

    private InfrastructureRedaction() {
    }

    /** @return the service, whose problems are redacted for callers without {@value #PLATFORM} */
    static ComputeService wrap(ComputeService compute, AccessControl access) {
        return (ComputeService) Proxy.newProxyInstance(ComputeService.class.getClassLoader(),
                new Class<?>[] {ComputeService.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(compute, args);
                    } catch (InvocationTargetException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof ProblemException p && !access.isPermitted(PLATFORM)) {
                            throw redact(p);
                        }
                        throw cause;
                    }
                });
    }

    static ProblemException redact(ProblemException p) {
        String detail = p.getMessage() == null ? "" : p.getMessage();
        if (detail.startsWith("no capacity")) {
            int colon = detail.indexOf(':');
            String what = colon < 0 ? "no capacity" : detail.substring(0, colon);
            return new ProblemException(p.type(), what + ": no host of the platform has room for it now", List.of(), null);
        }
        if (!detail.contains("host ")) {
            return p;
        }
        String reference = UUID.randomUUID().toString();
        LOG.warn("problem shown to an authority as reference {}: {}", reference, detail);
        return new ProblemException(p.type(), "the hypervisor refused the operation (reference " + reference
                + "; SID operations can look it up)", List.of(), null);
    }
}
