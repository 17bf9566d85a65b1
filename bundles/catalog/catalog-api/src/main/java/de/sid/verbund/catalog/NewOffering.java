package de.sid.verbund.catalog;

import java.util.Map;

/**
 * An offering to create, or the new content of one (a new version).
 *
 * @param code 1–36 of {@code a-z 0-9 -}, starting with a letter; unique; ignored by an update
 *        (the code stays)
 * @param kind {@value Offering#KIND_VM}; {@code null} for {@value Offering#KIND_VM}
 * @param name 1–100 characters
 * @param description up to 2000 characters, may be empty
 * @param sizing required for kind {@value Offering#KIND_VM}
 * @param parameters kind-specific settings, or {@code null}
 * @param approval {@code null} for {@link ApprovalPolicy#AUTHORITY_ADMIN}
 */
public record NewOffering(String code, String kind, String name, String description, Sizing sizing,
        Map<String, Object> parameters, ApprovalPolicy approval) {
}
