package de.sid.verbund.tenancy;

/**
 * Reservations against quotas. A reservation is held under a reference chosen by the caller
 * (e.g. {@code order/<id>}) and counts against the authority's quota and, summed with its
 * siblings', against every parent's. Reservations of one hierarchy are serialised (each
 * reservation locks the rows of the authority and its ancestors), so parallel reservations never
 * exceed a quota together, also from several cluster nodes sharing the database.
 */
public interface QuotaLedger {
    /**
     * Reserves resources for an authority.
     *
     * @param reference unique reference of the reservation; reserving it again is a no-op
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown authority; CONFLICT
     *         when it does not fit, naming the authority whose quota is exceeded with the figures
     *         (e.g. "quota of Landesamt X exceeded: vCPU 14 reserved + 4 requested > 16")
     */
    void reserve(String authorityId, Resources amount, String reference);

    /**
     * Checks that a held reservation still fits the quotas as they are now (an administrator may
     * have lowered one since): used again at fulfilment.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND when no such reservation is held;
     *         CONFLICT with the figures when it no longer fits
     */
    void recheck(String reference);

    /** Releases a reservation; releasing an unknown or released one is a no-op. */
    void release(String reference);

    /**
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown authority
     */
    QuotaUsage usage(String authorityId);
}
