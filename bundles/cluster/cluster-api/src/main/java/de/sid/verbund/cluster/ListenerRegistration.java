package de.sid.verbund.cluster;

/** Removes a listener. */
public interface ListenerRegistration extends AutoCloseable {
    @Override
    void close();
}
