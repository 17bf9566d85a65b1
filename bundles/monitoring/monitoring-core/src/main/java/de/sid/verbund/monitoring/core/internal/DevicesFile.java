package de.sid.verbund.monitoring.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.sid.verbund.monitoring.inventory.Declaration;
import de.sid.verbund.monitoring.inventory.NewCredential;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the devices file: YAML (Jackson's YAML data format, as the profiles) with two lists.
 *
 * <pre>
 * credentials:
 * - name: dc1-switches          # unique; devices name it
 *   version: v2c                # v1, v2c or v3
 *   community: s3cret           # v1/v2c
 * - name: core-v3
 *   version: v3
 *   user: monitor               # v3: the USM user, auth_protocol SHA1..SHA512, auth_passphrase,
 *   auth_protocol: SHA256       #     priv_protocol DES/AES128/AES256, priv_passphrase
 *   auth_passphrase: ...
 *   priv_protocol: AES128
 *   priv_passphrase: ...
 * devices:
 * - name: sw-1                  # unique; the device label of its metrics
 *   address: 10.1.2.3           # IP address or DNS name
 *   port: 161                   # optional, 161
 *   site: dd-rz1
 *   kind: switch                # switch, router, firewall, ups, pdu, cooling, sensor, server, storage
 *   interval: 60                # optional, seconds between polls (10 to 86400), 60
 *   profiles: [system, if_mib]  # optional: chosen by sysObjectID when absent
 *   credential: dc1-switches    # a credential of this file or one stored through the API
 * </pre>
 *
 * An entry with an unknown key or a value of the wrong shape is reported by its position and
 * name ({@code devices[3] 'sw-1': unknown key 'adress'}) and left out; the other entries count.
 * A file that is not YAML, or whose top level is not a mapping of {@code credentials} and
 * {@code devices} lists, declares nothing: {@link DevicesFileException}. An empty file declares
 * no devices.
 */
final class DevicesFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP = Set.of("credentials", "devices");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("name", "version", "community", "user", "auth_protocol",
            "auth_passphrase", "priv_protocol", "priv_passphrase");
    private static final Set<String> DEVICE_KEYS = Set.of("name", "address", "port", "site", "kind", "interval",
            "profiles", "credential");

    /** The whole file is unusable (not YAML, wrong top level); nothing it says is applied. */
    static final class DevicesFileException extends Exception {
        private static final long serialVersionUID = 1L;

        DevicesFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DevicesFile() {
    }

    /**
     * @param source the file's path, for messages
     * @param content the file's bytes (UTF-8)
     * @return what it declares; entries with faults carry them in their {@code errors}
     * @throws DevicesFileException if the file is not YAML or its top level is wrong
     */
    static Declaration parse(String source, byte[] content) throws DevicesFileException {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (IOException e) {
            // the parser's own message quotes the offending line, which may hold a secret: only the position
            String at = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw new DevicesFileException(source + ": not valid YAML" + at, null);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Declaration(source, List.of(), List.of());
        }
        if (!root.isObject()) {
            throw new DevicesFileException(source + ": the top level must be a mapping with the keys credentials and "
                    + "devices", null);
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String k = keys.next();
            if (!TOP.contains(k)) {
                throw new DevicesFileException(source + ": unknown top-level key '" + Validation.shorten(k)
                        + "' (credentials, devices)", null);
            }
        }
        List<Declaration.DeclaredCredential> credentials = new ArrayList<>();
        int i = 0;
        for (JsonNode n : list(root, "credentials", source)) {
            credentials.add(credential("credentials[" + i++ + "]", n));
        }
        List<Declaration.DeclaredDevice> devices = new ArrayList<>();
        i = 0;
        for (JsonNode n : list(root, "devices", source)) {
            devices.add(device("devices[" + i++ + "]", n));
        }
        return new Declaration(source, credentials, devices);
    }

    private static List<JsonNode> list(JsonNode root, String key, String source) throws DevicesFileException {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new DevicesFileException(source + ": " + key + " must be a list (entries starting with '- ')", null);
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private static Declaration.DeclaredCredential credential(String entry, JsonNode n) {
        List<String> errors = new ArrayList<>();
        if (!n.isObject()) {
            errors.add("an entry must be a mapping (name: …, version: …)");
            return new Declaration.DeclaredCredential(entry, new NewCredential(null, null, null, null, null, null, null,
                    null), errors);
        }
        unknownKeys(n, CREDENTIAL_KEYS, errors);
        return new Declaration.DeclaredCredential(entry, new NewCredential(text(n, "name", errors),
                text(n, "version", errors), text(n, "community", errors), text(n, "user", errors),
                text(n, "auth_protocol", errors), text(n, "auth_passphrase", errors), text(n, "priv_protocol", errors),
                text(n, "priv_passphrase", errors)), errors);
    }

    private static Declaration.DeclaredDevice device(String entry, JsonNode n) {
        List<String> errors = new ArrayList<>();
        if (!n.isObject()) {
            errors.add("an entry must be a mapping (name: …, address: …)");
            return new Declaration.DeclaredDevice(entry, null, null, null, null, null, null, null, null, errors);
        }
        unknownKeys(n, DEVICE_KEYS, errors);
        List<String> profiles = null;
        JsonNode p = n.get("profiles");
        if (p != null && !p.isNull()) {
            profiles = new ArrayList<>();
            if (p.isArray()) {
                for (JsonNode e : p) {
                    if (e.isValueNode()) {
                        profiles.add(e.asText());
                    } else {
                        errors.add("profiles must be a list of profile names");
                    }
                }
            } else if (p.isTextual()) {
                profiles.add(p.asText());
            } else {
                errors.add("profiles must be a list of profile names");
            }
        }
        return new Declaration.DeclaredDevice(entry, text(n, "name", errors), text(n, "address", errors),
                integer(n, "port", errors), text(n, "site", errors), text(n, "kind", errors), integer(n, "interval", errors),
                profiles, text(n, "credential", errors), errors);
    }

    private static void unknownKeys(JsonNode n, Set<String> known, List<String> errors) {
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            String k = it.next().getKey();
            if (!known.contains(k)) {
                errors.add("unknown key '" + Validation.shorten(k) + "' (" + String.join(", ", known.stream().sorted()
                        .toList()) + ")");
            }
        }
    }

    /** A scalar as text (YAML {@code 161} or {@code true} included); null if absent. */
    private static String text(JsonNode n, String key, List<String> errors) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            errors.add(key + " must be a single value, not a list or mapping");
            return null;
        }
        return v.asText();
    }

    private static Integer integer(JsonNode n, String key, List<String> errors) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(key + " must be a whole number, was '" + Validation.shorten(v.asText()) + "'");
            return null;
        }
        return v.intValue();
    }
}
