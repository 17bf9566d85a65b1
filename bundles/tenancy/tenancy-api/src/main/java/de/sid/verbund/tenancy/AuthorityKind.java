package de.sid.verbund.tenancy;

/** The level of an authority in the hierarchy: a ministry has authorities, an authority has units. */
public enum AuthorityKind {
    /** Top level (Staatsministerium); has no parent. */
    MINISTRY,
    /** A government authority (Behörde); its parent is a ministry. */
    AUTHORITY,
    /** An organisational unit (Referat, Abteilung); its parent is an authority or a unit. */
    UNIT
}
