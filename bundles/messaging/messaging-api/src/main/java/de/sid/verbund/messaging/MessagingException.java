package de.sid.verbund.messaging;

/** The broker could not be reached or did not accept a message. */
public class MessagingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
