package dev.jeton.store.redis;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Revocation;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A family's record as its Redis hash holds it (field names in {@code common.lua}), read back exactly: text as
 * stored, instants in epoch milliseconds. Anything missing or malformed is a {@link TokenStoreException}.
 */
final class FamilyHash {

    private FamilyHash() {
    }

    /** The record of the hash given as alternating field names and values, from {@code from} on. */
    static FamilyRecord fromFlat(String familyId, List<Object> flat, int from) {
        Map<String, String> fields = new HashMap<>();
        for (int k = from; k + 1 < flat.size(); k += 2) {
            fields.put(String.valueOf(flat.get(k)), String.valueOf(flat.get(k + 1)));
        }
        return fromMap(familyId, fields);
    }

    static FamilyRecord fromMap(String familyId, Map<String, String> h) {
        RefreshFamily family = new RefreshFamily(familyId, text(familyId, h, "s"), text(familyId, h, "c"),
                scopes(familyId, text(familyId, h, "o")), text(familyId, h, "j"), instant(familyId, h, "ca"),
                instant(familyId, h, "ex"));
        long generation = number(familyId, h, "g");
        if (generation < 0) {
            throw malformed(familyId, "g");
        }
        Optional<GraceWindow> grace = Optional.empty();
        if (h.containsKey("gp")) {
            long uses = number(familyId, h, "gn");
            if (uses < 0 || uses > Integer.MAX_VALUE) {
                throw malformed(familyId, "gn");
            }
            grace = Optional.of(new GraceWindow(text(familyId, h, "gp"), text(familyId, h, "gs"),
                    instant(familyId, h, "gu"), (int) uses));
        }
        Optional<Revocation> revocation = Optional.empty();
        if (h.containsKey("ra")) {
            RevocationReason reason;
            try {
                reason = RevocationReason.valueOf(text(familyId, h, "rr"));
            } catch (IllegalArgumentException e) {
                throw malformed(familyId, "rr");
            }
            revocation = Optional.of(new Revocation(instant(familyId, h, "ra"), reason));
        }
        return new FamilyRecord(family, generation, text(familyId, h, "h"), instant(familyId, h, "i"), grace,
                revocation);
    }

    /** An instant as the scripts take it and the hash holds it: epoch milliseconds. */
    static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    /** Scopes as stored: in order, separated by one space; none is the empty text. */
    static String joinScopes(Set<String> scopes) {
        for (String scope : scopes) {
            if (scope.isEmpty() || scope.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("a scope must be non-empty and without spaces");
            }
        }
        return String.join(" ", scopes);
    }

    private static Set<String> scopes(String familyId, String joined) {
        if (joined.isEmpty()) {
            return Set.of();
        }
        List<String> scopes = Arrays.asList(joined.split(" ", -1));
        if (scopes.contains("")) {
            throw malformed(familyId, "o");
        }
        return new LinkedHashSet<>(scopes);
    }

    private static String text(String familyId, Map<String, String> h, String field) {
        String value = h.get(field);
        if (value == null) {
            throw malformed(familyId, field);
        }
        return value;
    }

    private static long number(String familyId, Map<String, String> h, String field) {
        try {
            return Long.parseLong(text(familyId, h, field));
        } catch (NumberFormatException e) {
            throw malformed(familyId, field);
        }
    }

    private static Instant instant(String familyId, Map<String, String> h, String field) {
        return Instant.ofEpochMilli(number(familyId, h, field));
    }

    static TokenStoreException malformed(String familyId, String field) {
        return new TokenStoreException("family " + familyId + " is malformed in Redis (field " + field
                + "); it is left as it is", null);
    }
}
