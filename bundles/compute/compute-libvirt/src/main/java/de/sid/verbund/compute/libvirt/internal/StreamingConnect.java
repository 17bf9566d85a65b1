package de.sid.verbund.compute.libvirt.internal;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;

/**
 * A libvirt-java {@link Connect} that hands its native connection pointer to
 * {@link VolumeStreams}: libvirt-java 0.5.2 keeps it in the protected field {@code vcp}, which
 * a subclass may read; no reflection is involved. Everything else is libvirt-java's.
 */
final class StreamingConnect extends Connect {
    /**
     * @param uri a libvirt URI
     * @throws LibvirtException when libvirt cannot open it
     */
    StreamingConnect(String uri) throws LibvirtException {
        super(uri);
    }

    /** @return the native {@code virConnectPtr}, valid until {@link #close()} */
    ConnectionPointer pointer() {
        return vcp;
    }
}
