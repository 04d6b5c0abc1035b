package dev.jeton.internal;

import dev.jeton.InvalidScopeException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** Scope tokens (RFC 6749 §3.3). Not part of Jeton's API. */
public final class Scopes {

    private Scopes() {
    }

    /**
     * Checks each scope token and returns an unmodifiable, order-keeping copy.
     *
     * @throws InvalidScopeException if a value is null, empty or has a character RFC 6749 §3.3 does not allow
     */
    public static Set<String> check(Collection<String> scopes) {
        if (scopes == null) {
            throw malformed();
        }
        Set<String> copy = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (!isScopeToken(scope)) {
                throw malformed();
            }
            copy.add(scope);
        }
        return copy.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(copy);
    }

    /**
     * Parses a {@code scope} parameter as a client sent it (RFC 6749 §3.3): scope tokens separated by single spaces.
     *
     * @throws InvalidScopeException if it is malformed
     */
    public static Set<String> parseRequested(String scope) {
        if (scope == null) {
            throw malformed();
        }
        try {
            return parse(scope);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static InvalidScopeException malformed() {
        return new InvalidScopeException("scope values must be non-empty and made of the characters RFC 6749 §3.3 "
                + "allows (printable ASCII except space, '\"' and '\\'), separated by single spaces");
    }

    public static boolean isScopeToken(String scope) {
        if (scope == null || scope.isEmpty()) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Parses a space-separated {@code scope} string, refusing anything but single spaces between scope tokens. */
    public static Set<String> parse(String scope) {
        if (scope.isEmpty()) {
            return Set.of();
        }
        Set<String> result = new LinkedHashSet<>();
        int start = 0;
        while (true) {
            int space = scope.indexOf(' ', start);
            String token = space < 0 ? scope.substring(start) : scope.substring(start, space);
            if (!isScopeToken(token)) {
                throw new IllegalArgumentException("malformed scope string");
            }
            result.add(token);
            if (space < 0) {
                return Collections.unmodifiableSet(result);
            }
            start = space + 1;
        }
    }

    public static String join(Set<String> scopes) {
        return String.join(" ", scopes);
    }
}
