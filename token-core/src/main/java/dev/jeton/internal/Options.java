package dev.jeton.internal;

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
}
