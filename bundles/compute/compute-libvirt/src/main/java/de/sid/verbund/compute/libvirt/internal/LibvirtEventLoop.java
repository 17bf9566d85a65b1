package de.sid.verbund.compute.libvirt.internal;

import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop implementation, registered once per JVM and run on one daemon
 * thread: keepalive and domain events need it. Also installs a global error callback so that
 * libvirt stops printing every error to stderr (errors still arrive as exceptions).
 */
final class LibvirtEventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtEventLoop.class);
    private static final Object LOCK = new Object();

    /** Strongly referenced: JNA forgets callbacks that are garbage collected. */
    private static final Libvirt.VirErrorCallback QUIET_ERRORS = (userData, error) -> {
        if (LOG.isDebugEnabled() && error != null) {
            LOG.debug("libvirt error {}: {}", error.code, error.message);
        }
    };

    private static Thread thread;

    private LibvirtEventLoop() {
    }

    /** Registers the loop (first call only) and starts its thread unless it runs. */
    static void start() {
        synchronized (LOCK) {
            if (thread != null && thread.isAlive()) {
                return;
            }
            try {
                Connect.setErrorCallback(QUIET_ERRORS);
                Library.initEventLoop();
            } catch (LibvirtException e) {
                throw LibvirtErrors.map("libvirt event loop registration", e);
            }
            Thread t = new Thread(LibvirtEventLoop::run, "libvirt-event-loop");
            t.setDaemon(true);
            t.start();
            thread = t;
            LOG.info("libvirt event loop started (libvirt {})", libraryVersion());
        }
    }

    /** Stops the thread (the registration itself stays: libvirt cannot undo it). */
    static void stop() {
        synchronized (LOCK) {
            Thread t = thread;
            if (t == null) {
                return;
            }
            try {
                Library.stopEventLoop();
                t.join(2000);
            } catch (LibvirtException e) {
                LOG.warn("stopping the libvirt event loop failed: {}", LibvirtErrors.text(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("libvirt event loop thread did not stop within 2 s");
            }
            thread = null;
        }
    }

    static boolean running() {
        synchronized (LOCK) {
            return thread != null && thread.isAlive();
        }
    }

    private static void run() {
        try {
            Library.runEventLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LibvirtException e) {
            LOG.error("libvirt event loop ended: {}", LibvirtErrors.text(e));
        }
    }

    private static String libraryVersion() {
        try {
            long v = Library.getVersion();
            return v / 1_000_000 + "." + v / 1000 % 1000 + "." + v % 1000;
        } catch (LibvirtException e) {
            return "?";
        }
    }
}
