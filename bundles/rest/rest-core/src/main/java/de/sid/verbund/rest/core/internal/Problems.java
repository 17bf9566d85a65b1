package de.sid.verbund.rest.core.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import de.sid.verbund.core.Problem;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.util.List;
import java.util.stream.Collectors;
import javax.ws.rs.WebApplicationException;

/** Turns any exception into an RFC 9457 problem with a message a caller can act on. */
final class Problems {
    private Problems() {
    }

    /**
     * @param t what was thrown while handling the request
     * @param path the request path, as the problem's {@code instance}
     * @return the problem; {@code status} 500 for anything unexpected (whose details stay in the log)
     */
    static Problem from(Throwable t, String path) {
        ProblemException pe = find(t, ProblemException.class);
        if (pe != null) {
            return Problem.of(pe, path);
        }
        JsonProcessingException json = find(t, JsonProcessingException.class);
        if (json != null) {
            return Problem.of(ProblemType.BAD_REQUEST, describe(json), path);
        }
        if (malformedUrlEncoding(t)) {
            return Problem.of(ProblemType.BAD_REQUEST, "malformed percent-encoding in the request URL (RFC 3986 "
                    + "section 2.1: '%' must be followed by two hex digits)", path);
        }
        if (t instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            ProblemType type = byStatus(status);
            String detail = switch (status) {
                case 404 -> "no such resource: " + path;
                case 405 -> "method not allowed on " + path + allowed(wae);
                case 406 -> "cannot produce the requested media type; application/json is available";
                case 415 -> "unsupported media type; send application/json";
                default -> wae.getMessage();
            };
            return new Problem(type.uri(), type.title(), status, detail, path, List.of());
        }
        return Problem.of(ProblemType.INTERNAL, "internal error; the server log has the details", path);
    }

    /**
     * @return whether the JAX-RS runtime (CXF's {@code UrlUtils}) refused to decode the request's
     *         path or query: the client's fault, not the server's
     */
    static boolean malformedUrlEncoding(Throwable t) {
        IllegalArgumentException e = find(t, IllegalArgumentException.class);
        if (e == null) {
            return false;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().endsWith(".UrlUtils")) {
                return true;
            }
        }
        return false;
    }

    private static String allowed(WebApplicationException e) {
        String allow = e.getResponse().getHeaderString("Allow");
        return allow == null || allow.isBlank() ? "" : " (allowed: " + allow + ")";
    }

    static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        if (e instanceof JsonParseException) {
            return "malformed JSON" + where + ": " + e.getOriginalMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'" + where + "; known fields: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + field(f) + "': value " + f.getValue() + " is not a valid " + simple(f.getTargetType()) + where;
        }
        if (e instanceof MismatchedInputException m) {
            String f = field(m);
            return (f.isEmpty() ? "request body" : "field '" + f + "'") + " has the wrong type"
                    + (m.getTargetType() == null ? "" : " (expected " + simple(m.getTargetType()) + ")") + where;
        }
        if (e instanceof JsonMappingException m) {
            return "invalid request body" + where + ": " + m.getOriginalMessage();
        }
        return "invalid JSON" + where + ": " + e.getOriginalMessage();
    }

    private static String field(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simple(Class<?> c) {
        if (c == null) {
            return "value";
        }
        if (CharSequence.class.isAssignableFrom(c)) {
            return "string";
        }
        if (Number.class.isAssignableFrom(c) || (c.isPrimitive() && c != boolean.class)) {
            return "number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(c) || c.isArray()) {
            return "array";
        }
        return c.isEnum() ? "one of " + java.util.Arrays.toString(c.getEnumConstants()) : "object";
    }

    static ProblemType byStatus(int status) {
        for (ProblemType t : ProblemType.values()) {
            if (t.status() == status) {
                return t;
            }
        }
        return status >= 500 ? ProblemType.INTERNAL : ProblemType.BAD_REQUEST;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
