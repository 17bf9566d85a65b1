package de.sid.verbund.compute.libvirt.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeException.Kind;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.SizeT;
import org.libvirt.jna.StorageVolPointer;
import org.libvirt.jna.StreamPointer;
import org.libvirt.jna.virError;
import org.libvirt.jna.virStorageVolInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a storage volume's content from one libvirt connection to another through a pair of
 * libvirt streams: {@code virStorageVolDownload} on the source, {@code virStorageVolUpload} on
 * the target (what {@code virsh vol-download}/{@code vol-upload} do), chunk by chunk through one
 * native buffer of {@value #CHUNK} bytes, with no copy into the Java heap.
 *
 * <p>libvirt-java 0.5.2 binds libvirt's stream functions but not the two volume calls, so this
 * class binds what it uses itself ({@link Native#load} of the same {@code libvirt.so.0}
 * libvirt-java loads, functions as in libvirt's {@code libvirt-storage.h} and
 * {@code libvirt-stream.h}, available since libvirt 0.9.0; {@code virStorageVolGetInfoFlags}
 * since 3.0.0). Native pointers come from libvirt-java's public {@code org.libvirt.jna} types: the
 * connection's from {@link StreamingConnect}, a volume's by looking it up again by its key.
 *
 * <p>Not sparse: a hole in a raw volume travels as zeros and is written as data on the target
 * (a qcow2 volume holds no holes worth keeping: its file is as large as its data).
 */
final class VolumeStreams {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeStreams.class);
    /** Bytes per chunk: libvirt's RPC carries at most 256 KiB of stream data per message. */
    static final int CHUNK = 256 * 1024;
    /** {@code VIR_STORAGE_VOL_GET_PHYSICAL}: report the volume's physical size in {@code allocation}. */
    private static final int GET_PHYSICAL = 1;

    /** The libvirt functions this class calls, bound as libvirt declares them. */
    public interface Natives extends Library {
        Natives INSTANCE = Native.load("virt", Natives.class);

        StorageVolPointer virStorageVolLookupByKey(ConnectionPointer conn, String key);

        int virStorageVolFree(StorageVolPointer vol);

        int virStorageVolGetInfoFlags(StorageVolPointer vol, virStorageVolInfo info, int flags);

        int virStorageVolDownload(StorageVolPointer vol, StreamPointer stream, long offset, long length, int flags);

        int virStorageVolUpload(StorageVolPointer vol, StreamPointer stream, long offset, long length, int flags);

        StreamPointer virStreamNew(ConnectionPointer conn, int flags);

        int virStreamRecv(StreamPointer stream, Pointer data, SizeT nbytes);

        int virStreamSend(StreamPointer stream, Pointer data, SizeT nbytes);

        int virStreamFinish(StreamPointer stream);

        int virStreamAbort(StreamPointer stream);

        int virStreamFree(StreamPointer stream);

        virError virGetLastError();
    }

    private VolumeStreams() {
    }

    /**
     * Copies every byte of {@code source}'s volume file into {@code target} from offset 0, then
     * checks the count: the bytes received equal the bytes sent, the source's physical size and,
     * after the upload, the target's physical size.
     *
     * @param from the source volume's connection
     * @param source the volume to read (not in use: the caller made sure its domain is shut off)
     * @param to the target volume's connection
     * @param target an existing volume of the same format and capacity, overwritten from offset 0
     * @param label how messages name the copy, e.g. {@code "vms/web-1.qcow2 from host A to host B"}
     * @return the bytes copied
     * @throws ComputeException when libvirt refuses or fails on either side (the kind as for every
     *         libvirt error: {@link Kind#UNSUPPORTED} for a driver without volume streams,
     *         {@link Kind#NO_SPACE}, {@link Kind#CONNECTION} …), or {@link Kind#FAILED} when the
     *         counts differ; the target's content is then undefined
     * @throws LibvirtException when libvirt-java fails reading a volume's key
     */
    static long copy(StreamingConnect from, StorageVol source, StreamingConnect to, StorageVol target, String label)
            throws LibvirtException {
        Natives lib = Natives.INSTANCE;
        StorageVolPointer src = volume(lib, from, source, "look up source volume " + label);
        StorageVolPointer dst = null;
        StreamPointer down = null;
        StreamPointer up = null;
        boolean done = false;
        try {
            dst = volume(lib, to, target, "look up target volume " + label);
            long size = physical(lib, src, "read the size of source volume " + label);
            down = check(lib, lib.virStreamNew(from.pointer(), 0), "open a stream on the source for " + label);
            up = check(lib, lib.virStreamNew(to.pointer(), 0), "open a stream on the target for " + label);
            check(lib, lib.virStorageVolDownload(src, down, 0, size, 0), "download " + label);
            check(lib, lib.virStorageVolUpload(dst, up, 0, size, 0), "upload " + label);
            long copied = 0;
            try (Memory buffer = new Memory(CHUNK)) {
                while (true) {
                    int n = check(lib, lib.virStreamRecv(down, buffer, new SizeT(CHUNK)), "read " + label);
                    if (n == 0) {
                        break;
                    }
                    int sent = 0;
                    while (sent < n) {
                        int m = check(lib, lib.virStreamSend(up, buffer.share(sent), new SizeT(n - sent)),
                                "write " + label);
                        sent += m;
                    }
                    copied += n;
                }
            }
            check(lib, lib.virStreamFinish(down), "finish the download of " + label);
            check(lib, lib.virStreamFinish(up), "finish the upload of " + label);
            done = true;
            long written = physical(lib, dst, "read the size of target volume " + label);
            if (copied != size || written != size) {
                throw new ComputeException(Kind.FAILED, "copy " + label + ": byte counts differ: source volume "
                        + size + " bytes, copied " + copied + ", target volume " + written + " after the upload", null);
            }
            return copied;
        } finally {
            if (!done) {
                abort(lib, down);
                abort(lib, up);
            }
            free(lib, down, up, src, dst);
        }
    }

    /** @return the volume's physical size (its file's length for a file volume), bytes */
    static long physicalSize(StreamingConnect connect, StorageVol volume) throws LibvirtException {
        Natives lib = Natives.INSTANCE;
        StorageVolPointer vol = volume(lib, connect, volume, "look up volume " + volume.getName());
        try {
            return physical(lib, vol, "read the size of volume " + volume.getName());
        } finally {
            lib.virStorageVolFree(vol);
        }
    }

    private static StorageVolPointer volume(Natives lib, StreamingConnect c, StorageVol v, String what)
            throws LibvirtException {
        return check(lib, lib.virStorageVolLookupByKey(c.pointer(), v.getKey()), what);
    }

    private static long physical(Natives lib, StorageVolPointer vol, String what) {
        virStorageVolInfo info = new virStorageVolInfo();
        check(lib, lib.virStorageVolGetInfoFlags(vol, info, GET_PHYSICAL), what);
        return info.allocation;
    }

    private static void abort(Natives lib, StreamPointer stream) {
        if (stream != null && lib.virStreamAbort(stream) < 0) {
            LOG.debug("aborting a volume stream failed: {}", lastError(lib).map(Error::getMessage).orElse("?"));
        }
    }

    private static void free(Natives lib, StreamPointer down, StreamPointer up, StorageVolPointer src,
            StorageVolPointer dst) {
        if (down != null) {
            lib.virStreamFree(down);
        }
        if (up != null) {
            lib.virStreamFree(up);
        }
        if (src != null) {
            lib.virStorageVolFree(src);
        }
        if (dst != null) {
            lib.virStorageVolFree(dst);
        }
    }

    private static int check(Natives lib, int result, String what) {
        if (result < 0) {
            throw failure(lib, what);
        }
        return result;
    }

    private static <T extends com.sun.jna.PointerType> T check(Natives lib, T pointer, String what) {
        if (pointer == null || pointer.getPointer() == null) {
            throw failure(lib, what);
        }
        return pointer;
    }

    private static ComputeException failure(Natives lib, String what) {
        return lastError(lib).map(e -> LibvirtErrors.map(what, e))
                .orElseGet(() -> new ComputeException(Kind.FAILED, what + ": libvirt failed without saying why", null));
    }

    private static java.util.Optional<Error> lastError(Natives lib) {
        virError error = lib.virGetLastError();
        return error == null ? java.util.Optional.empty() : java.util.Optional.of(new Error(error));
    }
}
