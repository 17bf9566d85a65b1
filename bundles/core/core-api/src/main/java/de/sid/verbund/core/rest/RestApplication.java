package de.sid.verbund.core.rest;

/**
 * The one JAX-RS application Verbund's resources and extensions join (OSGi JAX-RS whiteboard).
 * It is the whiteboard's default application, configured to live at {@link #BASE}
 * ({@code etc/org.apache.aries.jax.rs.whiteboard.default.cfg}): with a second, named
 * application, Aries served its resources under the default application's base too.
 * Resources carry {@code @JaxrsApplicationSelect(RestApplication.SELECT)}; paths are relative
 * to {@link #BASE}.
 */
public final class RestApplication {
    /** {@code osgi.jaxrs.name} of the application. */
    public static final String NAME = ".default";
    /** Application base: every resource is under {@code /api}. */
    public static final String BASE = "/api";
    /** Filter selecting the application. */
    public static final String SELECT = "(osgi.jaxrs.name=" + NAME + ")";
    /** Largest request body accepted, in bytes (1 MiB). */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private RestApplication() {
    }
}
