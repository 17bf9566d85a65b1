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
}
