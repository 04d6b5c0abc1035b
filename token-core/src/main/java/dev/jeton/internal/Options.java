package dev.jeton.internal;

import dev.jeton.key.JwsAlgorithm;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** Argument checks shared by Jeton's builders, so every builder words its errors alike. Not part of Jeton's API. */
public final class Options {

    private Options() {
    }

    /** Each builder option may be set once (as in Caffeine): a second call is a bug in the caller's setup. */
    public static void requireNotSet(String option, Object current) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set to " + current);
        }
    }

    public static String requireText(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
        return value;
    }

    /** The most clock skew a validator tolerates. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** A validator's clock skew: 0 to {@link #MAX_SKEW}. */
    public static Duration checkSkew(Duration skew) {
        Objects.requireNonNull(skew, "clockSkew");
        if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_SKEW + ", got " + skew);
        }
        return skew;
    }

    /** A validator's longest token, in characters: 256 to 1 MiB. */
    public static int checkMaxTokenLength(int maxTokenLength) {
        if (maxTokenLength < 256 || maxTokenLength > 1024 * 1024) {
            throw new IllegalArgumentException("maxTokenLength must be between 256 and 1048576, got "
                    + maxTokenLength);
        }
        return maxTokenLength;
    }

    /** A validator's algorithm allow-list: at least one. */
    public static Set<JwsAlgorithm> checkAlgorithms(JwsAlgorithm... algorithms) {
        if (algorithms.length == 0) {
            throw new IllegalArgumentException("algorithms must name at least one algorithm");
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(algorithms)));
    }
}
