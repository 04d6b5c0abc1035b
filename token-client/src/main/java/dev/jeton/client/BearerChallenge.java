package dev.jeton.client;

import java.util.List;
import java.util.Locale;

/**
 * Reads {@code WWW-Authenticate} values (RFC 9110 §11.6.1, RFC 6750 §3): whether any of them holds a {@code Bearer}
 * challenge whose {@code error} parameter is {@code invalid_token}. A header may carry several challenges, each with
 * its own parameters, so the parameter has to belong to the Bearer challenge, not to a neighbour.
 */
final class BearerChallenge {

    private BearerChallenge() {
    }

    static boolean isInvalidToken(List<String> headerValues) {
        for (String value : headerValues) {
            if (isInvalidToken(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInvalidToken(String header) {
        Cursor in = new Cursor(header);
        String scheme = null;
        while (in.skipSpaceAndCommas()) {
            String name = in.token();
            if (name.isEmpty()) {
                return false;
            }
            in.skipSpace();
            if (in.peek() == '=' && scheme != null) {
                in.next();
                in.skipSpace();
                String value = in.peek() == '"' ? in.quoted() : in.token();
                if (value == null) {
                    return false;
                }
                if (scheme.equals("bearer") && name.equalsIgnoreCase("error") && value.equals("invalid_token")) {
                    return true;
                }
            } else {
                // A name not followed by "=" starts a new challenge, perhaps with a token68 credential.
                scheme = name.toLowerCase(Locale.ROOT);
                in.skipToken68();
            }
        }
        return false;
    }

    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        void next() {
            at++;
        }

        void skipSpace() {
            while (peek() == ' ' || peek() == '\t') {
                at++;
            }
        }

        boolean skipSpaceAndCommas() {
            while (peek() == ' ' || peek() == '\t' || peek() == ',') {
                at++;
            }
            return at < text.length();
        }

        String token() {
            int start = at;
            while (isTchar(peek())) {
                at++;
            }
            return text.substring(start, at);
        }

        private static boolean isTchar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c != '\0' && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
        }

        /**
         * After a scheme: skips a token68 credential (e.g. {@code Negotiate abc==}) if one follows instead of
         * parameters. A parameter always has a value after its '=', so a run ending in '=' then a comma or the end
         * is a token68.
         */
        void skipToken68() {
            int start = at;
            skipSpace();
            int begin = at;
            while (isTchar(peek()) || peek() == '/') {
                at++;
            }
            while (peek() == '=') {
                at++;
            }
            int end = at;
            skipSpace();
            if (end == begin || (peek() != ',' && peek() != '\0')) {
                at = start;
            }
        }

        String quoted() {
            StringBuilder value = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && at < text.length()) {
                    c = text.charAt(at++);
                }
                value.append(c);
            }
            return null;
        }
    }
}
