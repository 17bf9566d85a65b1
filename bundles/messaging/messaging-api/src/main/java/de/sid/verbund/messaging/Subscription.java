package de.sid.verbund.messaging;

/** A running consumer; {@link #close()} stops it (a message being handled is finished first). */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
