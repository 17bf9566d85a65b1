package de.sid.verbund.compute.libvirt.internal;

import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeException.Kind;
import java.util.Locale;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * Turns libvirt errors into {@link ComputeException}s.
 *
 * <p>libvirt-java 0.5.2 decodes the native error code into an enum that lacks four codes
 * (60–63, the nwfilter ones) and stops at 79, so from 60 on its constant <em>names</em> are
 * wrong (a real {@code VIR_ERR_CONFIG_UNSUPPORTED}, 67, arrives as
 * {@code VIR_ERR_INVALID_DOMAIN_SNAPSHOT}) and everything from 80 on arrives as
 * {@code VIR_ERR_UNKNOWN}. The enum is filled by index, though, so its ordinal is the native
 * code below 80: this class maps the numbers from libvirt's {@code virerror.h}, never the
 * names, and falls back to the message for codes from 80 on.
 */
final class LibvirtErrors {
    // virErrorNumber values from libvirt's include/libvirt/virterror.h
    static final int INTERNAL_ERROR = 1;
    static final int NO_SUPPORT = 3;
    static final int UNKNOWN_HOST = 4;
    static final int NO_CONNECT = 5;
    static final int INVALID_CONN = 6;
    static final int INVALID_ARG = 8;
    static final int OS_TYPE = 16;
    static final int XML_ERROR = 27;
    static final int DOM_EXIST = 28;
    static final int OPERATION_DENIED = 29;
    static final int XML_DETAIL = 35;
    static final int SYSTEM_ERROR = 38;
    static final int RPC = 39;
    static final int GNUTLS_ERROR = 40;
    static final int NO_DOMAIN = 42;
    static final int NO_NETWORK = 43;
    static final int AUTH_FAILED = 45;
    static final int NO_STORAGE_POOL = 49;
    static final int NO_STORAGE_VOL = 50;
    static final int OPERATION_INVALID = 55;
    static final int CONFIG_UNSUPPORTED = 67;
    static final int OPERATION_TIMEOUT = 68;
    static final int NO_DOMAIN_SNAPSHOT = 72;
    static final int ARGUMENT_UNSUPPORTED = 74;
    static final int AUTH_CANCELLED = 79;
    /** libvirt-java reports every code from here on as this one value. */
    static final int UNKNOWN_OR_NEWER = 80;

    // virErrorDomain values
    private static final int FROM_RPC = 7;
    private static final int FROM_REMOTE = 13;

    private LibvirtErrors() {
    }

    /** @return the native libvirt error code, or {@link #UNKNOWN_OR_NEWER} for codes from 80 on */
    static int code(LibvirtException e) {
        return code(e.getError());
    }

    private static int code(Error error) {
        return error == null || error.getCode() == null ? UNKNOWN_OR_NEWER : error.getCode().ordinal();
    }

    static String text(LibvirtException e) {
        Error error = e.getError();
        String message = error == null ? null : error.getMessage();
        return message == null ? String.valueOf(e.getMessage()) : message.strip();
    }

    private static String text(Error error) {
        String message = error.getMessage();
        return message == null ? "libvirt error " + code(error) : message.strip();
    }

    static boolean isNotFound(LibvirtException e) {
        int code = code(e);
        return code == NO_DOMAIN || code == NO_STORAGE_VOL || code == NO_STORAGE_POOL
                || code == NO_DOMAIN_SNAPSHOT || code == NO_NETWORK;
    }

    static Kind kind(LibvirtException e) {
        return kind(e.getError(), text(e));
    }

    private static Kind kind(Error error, String text) {
        int code = code(error);
        if (isNoSpace(text)) {
            return Kind.NO_SPACE;
        }
        int from = error == null || error.getDomain() == null ? -1 : error.getDomain().ordinal();
        switch (code) {
            case NO_DOMAIN, NO_NETWORK, NO_STORAGE_POOL, NO_STORAGE_VOL, NO_DOMAIN_SNAPSHOT:
                return Kind.NOT_FOUND;
            case OPERATION_INVALID:
                return Kind.INVALID_STATE;
            case NO_SUPPORT, CONFIG_UNSUPPORTED, ARGUMENT_UNSUPPORTED, XML_ERROR, XML_DETAIL, OS_TYPE:
                return Kind.UNSUPPORTED;
            case NO_CONNECT, INVALID_CONN, UNKNOWN_HOST, RPC, GNUTLS_ERROR, AUTH_FAILED, AUTH_CANCELLED,
                    OPERATION_TIMEOUT:
                return Kind.CONNECTION;
            case SYSTEM_ERROR, INTERNAL_ERROR:
                return from == FROM_RPC || from == FROM_REMOTE ? Kind.CONNECTION : Kind.FAILED;
            case UNKNOWN_OR_NEWER:
                return newerCodeKind(text);
            default:
                return Kind.FAILED;
        }
    }

    /**
     * A full storage pool or host: libvirt reports these as internal or system errors with the
     * storage backend's or the kernel's text ("Not enough free space in pool …" from the pool
     * drivers, ENOSPC "No space left on device", "cannot allocate memory").
     */
    static boolean isNoSpace(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.contains("not enough free space") || t.contains("no space left on device")
                || t.contains("cannot allocate memory");
    }

    /** Codes from 80 on (operation unsupported, schema validation, ssh/libssh …) by their text. */
    private static Kind newerCodeKind(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("failed to validate against schema") || t.contains("unsupported")) {
            return Kind.UNSUPPORTED;
        }
        if (t.contains("ssh") || t.contains("no server") || t.contains("connection")) {
            return Kind.CONNECTION;
        }
        return Kind.FAILED;
    }

    /**
     * @param what the operation and its object, e.g. {@code "host test:///x: start domain web-1 (uuid …)"}
     */
    static ComputeException map(String what, LibvirtException e) {
        return new ComputeException(kind(e), what + ": " + text(e), e);
    }

    /**
     * For calls made without libvirt-java ({@link VolumeStreams}), with the thread's last libvirt error.
     *
     * @param what the operation and its object
     */
    static ComputeException map(String what, Error error) {
        return new ComputeException(kind(error, text(error)), what + ": " + text(error), null);
    }
}
