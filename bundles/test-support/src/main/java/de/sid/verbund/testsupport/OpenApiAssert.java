package de.sid.verbund.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;

/** Checks that a bundle's OpenAPI fragment documents every operation of its JAX-RS resources. */
public final class OpenApiAssert {
    private OpenApiAssert() {
    }

    /**
     * @param fragmentJson the fragment ({@code paths} keyed relative to {@code /api})
     * @param resources resource classes annotated with {@link Path}
     * @throws AssertionError naming every undocumented operation
     */
    public static void assertDocumented(String fragmentJson, Class<?>... resources) {
        JsonNode paths;
        try {
            paths = new ObjectMapper().readTree(fragmentJson).path("paths");
        } catch (IOException e) {
            throw new AssertionError("fragment is not valid JSON: " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> r : resources) {
            String base = r.getAnnotation(Path.class).value();
            for (Method m : r.getMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = normalise(base + (sub == null ? "" : "/" + sub.value()));
                if (paths.path(path).path(verb).isMissingNode()) {
                    missing.add(verb.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("operations missing from the OpenAPI fragment: " + missing);
        }
    }

    private static String normalise(String p) {
        String s = ("/" + p).replaceAll("/+", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "get";
        }
        if (m.isAnnotationPresent(POST.class)) {
            return "post";
        }
        if (m.isAnnotationPresent(PUT.class)) {
            return "put";
        }
        if (m.isAnnotationPresent(DELETE.class)) {
            return "delete";
        }
        return m.isAnnotationPresent(PATCH.class) ? "patch" : null;
    }
}
