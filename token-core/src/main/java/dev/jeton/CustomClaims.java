package dev.jeton;

import dev.jeton.internal.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Merges what a claims customizer returns into a token's claims, refusing what it may not set. */
final class CustomClaims {

    private CustomClaims() {
    }

    /**
     * {@code base} with {@code added} appended, each added claim checked: not reserved, not internal, not already in
     * {@code base}, JSON-compatible within the reader's limits, and all of them within the reader's value budget.
     *
     * @param who the customizer, for the message
     * @throws IllegalStateException naming the refused claim, never quoting a value
     */
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> added, Set<String> reserved,
                                     String who) {
        if (added == null || added.isEmpty()) {
            return base;
        }
        Map<String, Object> all = new LinkedHashMap<>(base);
        try {
            for (Map.Entry<String, Object> e : added.entrySet()) {
                String name = e.getKey();
                IssueRequest.checkClaimName(name);
                if (reserved.contains(name)) {
                    throw new IllegalArgumentException("claim '" + name + "' is set by Jeton and cannot be "
                            + "overridden; reserved claims are " + reserved);
                }
                if (base.containsKey(name)) {
                    throw new IllegalArgumentException("claim '" + name + "' is already set by the request");
                }
                all.put(name, Json.checkValue(name, e.getValue()));
            }
            Json.checkBudget(all);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalStateException(who + ": " + invalid.getMessage(), invalid);
        }
        return all;
    }
}
