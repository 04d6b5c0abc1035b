package dev.jeton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The audiences a service issues access tokens for (RFC 8707 resource indicators): its own audience, the default, and
 * any others it was configured with. A login may name some of them; a refresh may narrow what its login was granted,
 * as it narrows scopes. Anything else is {@code invalid_target}. Immutable.
 */
final class Audiences {

    private final String defaultAudience;
    private final Set<String> all;

    Audiences(String defaultAudience, Set<String> others) {
        this.defaultAudience = defaultAudience;
        Set<String> set = new LinkedHashSet<>();
        set.add(defaultAudience);
        set.addAll(others);
        this.all = Set.copyOf(set);
    }

    /** The audiences other than the default. */
    Set<String> others() {
        Set<String> others = new LinkedHashSet<>(all);
        others.remove(defaultAudience);
        return others;
    }

    /**
     * The {@code aud} of an access token for {@code requested}: the default audience if none is named.
     *
     * @throws InvalidTargetException if one is not an audience of this service
     */
    List<String> resolve(Set<String> requested) {
        if (requested.isEmpty()) {
            return List.of(defaultAudience);
        }
        List<String> unknown = new ArrayList<>(requested);
        unknown.removeAll(all);
        if (!unknown.isEmpty()) {
            throw new InvalidTargetException("this service does not issue tokens for " + unknown);
        }
        return List.copyOf(requested);
    }

    /**
     * The audiences a refresh mints for: {@code requested} if it names some, else all that were granted.
     *
     * @param granted the login's audiences; empty means the default audience
     * @throws InvalidTargetException if {@code requested} names one that was not granted
     */
    Set<String> narrow(Set<String> granted, Set<String> requested, String sessionId) {
        if (requested.isEmpty()) {
            return granted;
        }
        Set<String> effective = granted.isEmpty() ? Set.of(defaultAudience) : granted;
        List<String> extra = new ArrayList<>(requested);
        extra.removeAll(effective);
        if (!extra.isEmpty()) {
            throw new InvalidTargetException("resources " + extra + " were not granted to session " + sessionId);
        }
        return requested;
    }
}
