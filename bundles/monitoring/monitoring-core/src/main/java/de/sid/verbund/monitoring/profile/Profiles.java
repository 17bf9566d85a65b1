package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.smi.Oid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Choosing the profiles of a device, and what a poll with them must read. */
public final class Profiles {
    /** {@code sysObjectID.0} (RFC 3418). */
    public static final Oid SYS_OBJECT_ID = Oid.parse("1.3.6.1.2.1.1.2.0");

    private Profiles() {
    }

    /**
     * @param available all profiles by name
     * @param byHand the profiles set for the device; if not empty, exactly these are used
     * @param sysObjectId the device's {@code sysObjectID.0}, or null if not known yet
     * @return the profiles for the device: those set by hand, else every profile that {@linkplain
     *         Profile.Match#matches matches} the sysObjectID, in the order of {@code available}
     * @throws IllegalArgumentException if a profile set by hand does not exist
     */
    public static List<Profile> select(Map<String, Profile> available, List<String> byHand, Oid sysObjectId) {
        if (!byHand.isEmpty()) {
            List<Profile> out = new ArrayList<>();
            for (String name : byHand) {
                Profile p = available.get(name);
                if (p == null) {
                    throw new IllegalArgumentException("no profile named '" + name + "'; known: " + available.keySet());
                }
                out.add(p);
            }
            return out;
        }
        return available.values().stream().filter(p -> p.match().matches(sysObjectId)).toList();
    }

    /**
     * @param profiles the device's profiles
     * @return one poll request reading all they need: their walks (a subtree inside another
     *         walked one is dropped) and their gets (a scalar inside a walked subtree is dropped)
     */
    public static PollRequest pollRequest(Collection<Profile> profiles) {
        TreeSet<Oid> walks = new TreeSet<>();
        profiles.forEach(p -> walks.addAll(p.walk()));
        List<Oid> roots = new ArrayList<>();
        for (Oid o : walks) {
            if (roots.isEmpty() || !o.startsWith(roots.get(roots.size() - 1))) {
                roots.add(o);
            }
        }
        TreeSet<Oid> gets = new TreeSet<>();
        profiles.forEach(p -> p.get().stream().filter(g -> roots.stream().noneMatch(g::startsWith)).forEach(gets::add));
        gets.remove(PollRequest.SYS_UP_TIME);
        return new PollRequest(List.copyOf(gets), roots);
    }
}
