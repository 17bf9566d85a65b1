package de.sid.verbund.core.rest;

/**
 * A part of the OpenAPI 3 document at {@code /api/openapi.json}: each REST bundle publishes one
 * as a service, and the document is the merge of all of them.
 */
public interface OpenApiFragment {
    /**
     * @return a JSON object with {@code paths} (keys relative to {@code /api}, e.g. {@code /users})
     *         and optionally {@code components.schemas}
     */
    String json();

    /**
     * Reads a fragment shipped as a resource of the bundle that owns {@code owner}.
     *
     * @param owner a class of that bundle (its class loader finds the resource)
     * @param resource e.g. {@code openapi/compute.json}
     * @throws IllegalStateException when the resource is missing or unreadable
     */
    static String read(Class<?> owner, String resource) {
        try (java.io.InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing OpenAPI fragment " + resource + " of " + owner.getName());
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read OpenAPI fragment " + resource, e);
        }
    }
}
