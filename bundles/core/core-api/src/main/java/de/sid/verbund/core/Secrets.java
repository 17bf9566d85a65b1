package de.sid.verbund.core;

/**
 * Secrets in configuration. A password is best given through an environment variable named in
 * the configuration ({@code password.env = VERBUND_DB_PASSWORD}): the value then never reaches
 * a file, not even Karaf's persisted copy of the configuration under {@code data/}.
 */
public final class Secrets {
    private Secrets() {
    }

    /**
     * @param value a value given directly in the configuration, may be empty
     * @param envName the name of an environment variable, may be empty
     * @return {@code value} when non-empty, else the variable's value, else {@code ""}
     */
    public static String resolve(String value, String envName) {
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (envName == null || envName.isBlank()) {
            return "";
        }
        String env = System.getenv(envName.trim());
        return env == null ? "" : env;
    }
}
