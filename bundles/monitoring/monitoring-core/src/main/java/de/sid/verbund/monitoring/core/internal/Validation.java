package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.CredentialVersion;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Field checks of new devices and credentials; every wrong field is named in one 400. Secrets are never echoed. */
final class Validation {
    /** Names and sites: safe as Prometheus label values and in URLs. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    static final int DEFAULT_PORT = 161;
    static final int DEFAULT_INTERVAL_S = 60;
    static final int MIN_INTERVAL_S = 10;
    static final int MAX_INTERVAL_S = 86_400;
    private static final int MAX_PROFILES = 20;

    private Validation() {
    }

    /** A device as it will be stored. */
    record ValidDevice(String name, String address, int port, String site, DeviceKind kind, int pollIntervalS,
                       List<String> profiles, String credentialId) {
    }

    static ValidDevice device(NewDevice d) {
        if (d == null) {
            throw ProblemException.badRequest("request body required: {name, address, port, site, kind, pollIntervalS, "
                    + "profiles, credentialId}");
        }
        List<String> errors = new ArrayList<>();
        name("name", d.name(), errors);
        if (d.address() == null || d.address().isBlank()) {
            errors.add("address is required (an IPv4 or IPv6 address or a DNS name)");
        } else if (!isAddress(d.address().trim())) {
            errors.add("address '" + shorten(d.address()) + "' is neither an IP address nor a DNS name");
        }
        int port = d.port() == null ? DEFAULT_PORT : d.port();
        if (port < 1 || port > 65535) {
            errors.add("port must be 1 to 65535, was " + port);
        }
        name("site", d.site(), errors);
        DeviceKind kind = DeviceKind.parse(d.kind()).orElse(null);
        if (kind == null) {
            errors.add((d.kind() == null ? "kind is required" : "kind '" + shorten(d.kind()) + "' is unknown") + ": one of "
                    + Arrays.stream(DeviceKind.values()).map(k -> k.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")));
        }
        int interval = d.pollIntervalS() == null ? DEFAULT_INTERVAL_S : d.pollIntervalS();
        if (interval < MIN_INTERVAL_S || interval > MAX_INTERVAL_S) {
            errors.add("pollIntervalS must be " + MIN_INTERVAL_S + " to " + MAX_INTERVAL_S + " s, was " + interval);
        }
        List<String> profiles = d.profiles() == null ? List.of() : d.profiles();
        if (profiles.size() > MAX_PROFILES) {
            errors.add("at most " + MAX_PROFILES + " profiles, were " + profiles.size());
        }
        for (String p : profiles) {
            if (p == null || !PROFILE.matcher(p).matches()) {
                errors.add("profile name '" + shorten(p) + "' is not valid (lower-case letters, digits, _ and -)");
            }
        }
        if (profiles.stream().distinct().count() != profiles.size()) {
            errors.add("profiles must not repeat a name");
        }
        if (d.credentialId() == null || d.credentialId().isBlank()) {
            errors.add("credentialId is required (create one at /api/credentials)");
        } else if (!isUuid(d.credentialId())) {
            errors.add("credentialId '" + shorten(d.credentialId()) + "' is not a valid id (UUID expected)");
        }
        fail("device", errors);
        return new ValidDevice(d.name(), d.address().trim().toLowerCase(Locale.ROOT), port, d.site(), kind, interval,
                List.copyOf(profiles), d.credentialId().toLowerCase(Locale.ROOT));
    }

    /** A credential as it will be stored. */
    record ValidCredential(String name, CredentialVersion version, InventoryStore.Secret secret) {
    }

    static ValidCredential credential(NewCredential c) {
        if (c == null) {
            throw ProblemException.badRequest("request body required: {name, version, community} or {name, version: v3, "
                    + "user, authProtocol, authPassphrase, privProtocol, privPassphrase}");
        }
        List<String> errors = new ArrayList<>();
        name("name", c.name(), errors);
        CredentialVersion version = null;
        if (c.version() == null) {
            errors.add("version is required: v1, v2c or v3");
        } else {
            try {
                version = CredentialVersion.valueOf(c.version().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("version '" + shorten(c.version()) + "' is unknown: v1, v2c or v3");
            }
        }
        InventoryStore.Secret secret = null;
        if (version == CredentialVersion.V1 || version == CredentialVersion.V2C) {
            if (c.community() == null || c.community().isEmpty()) {
                errors.add("community is required for " + version.name().toLowerCase(Locale.ROOT));
            } else if (c.community().length() > 255) {
                errors.add("community is longer than 255 characters");
            }
            if (c.user() != null || c.authProtocol() != null || c.authPassphrase() != null || c.privProtocol() != null
                    || c.privPassphrase() != null) {
                errors.add("user, authProtocol, authPassphrase, privProtocol and privPassphrase belong to v3 only");
            }
            secret = new InventoryStore.Secret(version, c.community(), null, null, null, null, null);
        } else if (version == CredentialVersion.V3) {
            if (c.community() != null) {
                errors.add("community belongs to v1/v2c only");
            }
            if (c.user() == null || c.user().isEmpty() || c.user().length() > 32) {
                errors.add("user is required for v3, 1 to 32 characters");
            }
            AuthProtocol auth = auth(c.authProtocol(), errors);
            PrivProtocol priv = priv(c.privProtocol(), errors);
            if (auth != null && auth != AuthProtocol.NONE) {
                passphrase("authPassphrase", c.authPassphrase(), errors);
            } else if (c.authPassphrase() != null) {
                errors.add("authPassphrase given without authProtocol");
            }
            if (priv != null && priv != PrivProtocol.NONE) {
                if (auth == AuthProtocol.NONE) {
                    errors.add("privProtocol needs an authProtocol (USM has no privacy without authentication)");
                }
                passphrase("privPassphrase", c.privPassphrase(), errors);
            } else if (c.privPassphrase() != null) {
                errors.add("privPassphrase given without privProtocol");
            }
            secret = new InventoryStore.Secret(version, null, c.user(), auth,
                    auth == AuthProtocol.NONE ? null : c.authPassphrase(), priv,
                    priv == PrivProtocol.NONE ? null : c.privPassphrase());
        }
        fail("credential", errors);
        return new ValidCredential(c.name(), version, secret);
    }

    private static AuthProtocol auth(String text, List<String> errors) {
        if (text == null) {
            return AuthProtocol.NONE;
        }
        String t = text.trim().toUpperCase(Locale.ROOT).replace("-", "");
        if (t.equals("SHA")) {
            return AuthProtocol.SHA1;
        }
        try {
            return AuthProtocol.valueOf(t);
        } catch (IllegalArgumentException e) {
            errors.add("authProtocol '" + shorten(text) + "' is unknown: none, SHA1, SHA224, SHA256, SHA384, SHA512 "
                    + "(MD5 is not accepted)");
            return null;
        }
    }

    private static PrivProtocol priv(String text, List<String> errors) {
        if (text == null) {
            return PrivProtocol.NONE;
        }
        String t = text.trim().toUpperCase(Locale.ROOT).replace("-", "");
        if (t.equals("AES")) {
            return PrivProtocol.AES128;
        }
        try {
            return PrivProtocol.valueOf(t);
        } catch (IllegalArgumentException e) {
            errors.add("privProtocol '" + shorten(text) + "' is unknown: none, DES, AES128, AES256");
            return null;
        }
    }

    /** Never echoes the value. */
    private static void passphrase(String field, String value, List<String> errors) {
        if (value == null || value.length() < 8) {
            errors.add(field + " is required, at least 8 characters (RFC 3414)");
        } else if (value.length() > 255) {
            errors.add(field + " is longer than 255 characters");
        }
    }

    private static void name(String field, String value, List<String> errors) {
        if (value == null || value.isEmpty()) {
            errors.add(field + " is required");
        } else if (!NAME.matcher(value).matches()) {
            errors.add(field + " '" + shorten(value) + "' is not valid: 1 to 63 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    static boolean isAddress(String a) {
        if (a.length() > 253) {
            return false;
        }
        if (a.contains(":")) {
            // an IPv6 literal; parsed without any lookup because it has colons
            if (!IPV6.matcher(a).matches()) {
                return false;
            }
            try {
                return java.net.InetAddress.getByName(a) instanceof java.net.Inet6Address;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        if (a.matches("[0-9.]+")) {
            return IPV4.matcher(a).matches();
        }
        String host = a.endsWith(".") ? a.substring(0, a.length() - 1) : a;
        return !host.isEmpty() && Arrays.stream(host.split("\\.", -1)).allMatch(l -> HOST_LABEL.matcher(l).matches());
    }

    private static boolean isUuid(String s) {
        return s.length() == 36 && s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    private static void fail(String what, List<String> errors) {
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid " + what + ": " + String.join("; ", errors),
                    errors, null);
        }
    }

    static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
