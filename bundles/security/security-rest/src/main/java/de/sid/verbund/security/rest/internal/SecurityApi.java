package de.sid.verbund.security.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /users} and {@code /audit}. */
@Component
public class SecurityApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/security.json";

    @Override
    public String json() {
        try (InputStream in = SecurityApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
