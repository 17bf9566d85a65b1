package de.sid.verbund.monitoring.profile;

/** A profile file that cannot be read or is not valid; the message names the file and the fault. */
public class ProfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the file and what is wrong with it */
    public ProfileException(String message) {
        super(message);
    }

    /**
     * @param message the file and what is wrong with it
     * @param cause the parser's exception
     */
    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
