package de.sid.verbund.catalog;

/**
 * What one unit of a VM offering is.
 *
 * @param vcpu virtual CPUs, 1..64
 * @param ramMib RAM, MiB, 256..1048576
 * @param diskGib system disk, GiB, 1..16384
 * @param image the image volume the system disk is cloned from, or {@code null} for an empty disk
 */
public record Sizing(int vcpu, long ramMib, int diskGib, String image) {
}
