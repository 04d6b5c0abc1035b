package dev.jeton.internal;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a compact JWS strictly (RFC 8725) and verifies its signature: the part access-token and ID-token validation
 * share. Each validator checks the length first (before any decoding, and before its own cache), then calls
 * {@link #read}, then judges the claims with the static helpers here. Every refusal is a {@link Refused} naming a
 * {@link Problem}, which each validator turns into its own reason of the same name. Thread-safe; not part of Jeton's
 * API.
 */
public final class JwsReader {

    /** What is wrong with a token. Each validator has a reason of the same name. */
    public enum Problem {
        MALFORMED, ALGORITHM_NOT_ALLOWED, UNSUPPORTED_HEADER, WRONG_TYPE, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_ISSUER,
        WRONG_AUDIENCE, EXPIRED, NOT_YET_VALID
    }

    /** Which {@code typ} a token must have: the two kinds must never be confusable. */
    public enum Kind {
        /** RFC 9068: {@code at+jwt} or {@code application/at+jwt}. */
        ACCESS_TOKEN,
        /** OIDC Core: {@code JWT} or {@code application/jwt}, or no {@code typ}; never {@code at+jwt}. */
        ID_TOKEN
    }

    /** A refusal; its message is safe for logs (nothing of the token). */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        public Refused(Problem problem, String detail) {
            super(detail, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** A token whose signature verified, with its parsed claims. */
    public record Verified(Map<String, Object> claims, JwtKey key, JwsAlgorithm algorithm) {
    }

    /** Header parameters whose presence refuses a token. */
    private static final List<String> UNSUPPORTED_HEADERS =
            List.of("zip", "crit", "b64", "cty", "jku", "jwk", "x5u", "x5c");

    private final Kind kind;
    private final Set<JwsAlgorithm> algorithms;
    private final KeyProvider keys;
    private final PreparedKeys preparedKeys;

    public JwsReader(Kind kind, Set<JwsAlgorithm> algorithms, KeyProvider keys, PreparedKeys preparedKeys) {
        this.kind = kind;
        this.algorithms = algorithms;
        this.keys = keys;
        this.preparedKeys = preparedKeys;
    }

    /**
     * Splits, decodes and checks the header, finds the key by {@code kid}, verifies the signature, then parses the
     * claims. The caller has checked that {@code token} is non-empty and within its length limit.
     *
     * @throws Refused with the first problem found
     */
    public Verified read(String token) {
        int length = token.length();
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0) {
            throw new Refused(Problem.MALFORMED, "not a compact JWS (three dot-separated parts)");
        }
        if (token.indexOf('.', dot2 + 1) >= 0) {
            throw new Refused(Problem.MALFORMED, dots(token) == 4
                    ? "encrypted tokens (JWE) are not accepted" : "not a compact JWS (three dot-separated parts)");
        }
        if (dot1 == 0 || dot2 == dot1 + 1 || dot2 == length - 1) {
            throw new Refused(Problem.MALFORMED, "empty header, payload or signature");
        }
        if (!Base64Url.isCanonical(token, 0, dot1) || !Base64Url.isCanonical(token, dot1 + 1, dot2)
                || !Base64Url.isCanonical(token, dot2 + 1, length)) {
            throw new Refused(Problem.MALFORMED, "not canonical unpadded base64url");
        }

        Map<String, Object> header = parseJson(token, 0, dot1, "header");
        JwsAlgorithm alg = checkHeader(header);
        JwtKey key = findKey(header, alg);

        byte[] signingInput = new byte[dot2];
        for (int i = 0; i < dot2; i++) {
            signingInput[i] = (byte) token.charAt(i);
        }
        byte[] signature = Base64Url.decodeChecked(token, dot2 + 1, length);
        if (!preparedKeys.get(key).verify(signingInput, signature)) {
            throw new Refused(Problem.BAD_SIGNATURE, "signature does not verify with key '" + key.kid() + "'");
        }
        return new Verified(parseJson(token, dot1 + 1, dot2, "claims"), key, alg);
    }

    private static int dots(String token) {
        int count = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                count++;
            }
        }
        return count;
    }

    private static Map<String, Object> parseJson(String token, int from, int to, String what) {
        try {
            // Header members set to null still count as present: "crit": null is refused like any crit.
            return Json.parseObject(Base64Url.decodeChecked(token, from, to), from == 0);
        } catch (Json.JsonException e) {
            throw new Refused(Problem.MALFORMED, what + ": " + e.getMessage());
        }
    }

    private JwsAlgorithm checkHeader(Map<String, Object> header) {
        Object algValue = header.get("alg");
        if (!(algValue instanceof String algId)) {
            throw new Refused(Problem.MALFORMED, "header has no alg string");
        }
        if ("none".equalsIgnoreCase(algId)) {
            throw new Refused(Problem.ALGORITHM_NOT_ALLOWED, "unsecured tokens (alg none) are refused");
        }
        if (header.containsKey("enc")) {
            throw new Refused(Problem.MALFORMED, "encrypted tokens (JWE) are not accepted");
        }
        JwsAlgorithm alg = JwsAlgorithm.fromId(algId).orElse(null);
        if (alg == null || !algorithms.contains(alg)) {
            throw new Refused(Problem.ALGORITHM_NOT_ALLOWED, "algorithm is not in the allow-list");
        }
        for (String name : UNSUPPORTED_HEADERS) {
            if (header.containsKey(name)) {
                throw new Refused(Problem.UNSUPPORTED_HEADER, "header parameter '" + name + "' is not accepted");
            }
        }
        checkType(header.get("typ"));
        return alg;
    }

    private void checkType(Object typ) {
        if (kind == Kind.ACCESS_TOKEN) {
            if (!(typ instanceof String type)
                    || !("at+jwt".equalsIgnoreCase(type) || "application/at+jwt".equalsIgnoreCase(type))) {
                throw new Refused(Problem.WRONG_TYPE, "typ is not at+jwt (RFC 9068)");
            }
        } else if (typ != null
                && !(typ instanceof String type && ("JWT".equalsIgnoreCase(type)
                        || "application/jwt".equalsIgnoreCase(type)))) {
            throw new Refused(Problem.WRONG_TYPE, "typ of an ID token must be JWT or absent; at+jwt is an access "
                    + "token");
        }
    }

    private JwtKey findKey(Map<String, Object> header, JwsAlgorithm alg) {
        Object kidValue = header.get("kid");
        if (!(kidValue instanceof String kid) || kid.isEmpty()) {
            throw new Refused(Problem.UNKNOWN_KEY, "header has no kid");
        }
        JwtKey key = keys.verificationKey(kid).orElse(null);
        if (key == null) {
            throw new Refused(Problem.UNKNOWN_KEY, "kid names no key of the key set");
        }
        if (key.algorithm() != alg) {
            throw new Refused(Problem.ALGORITHM_NOT_ALLOWED, "key '" + kid + "' is bound to " + key.algorithm()
                    + ", not to the token's alg");
        }
        return key;
    }

    /** A claim that must be a non-empty string. */
    public static String requiredString(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new Refused(Problem.MALFORMED, "claim '" + name + "' must be a non-empty string");
        }
        return s;
    }

    /** A claim that, when present, must be a string. */
    public static String optionalString(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (value != null && !(value instanceof String)) {
            throw new Refused(Problem.MALFORMED, "claim '" + name + "' is not a string");
        }
        return (String) value;
    }

    /**
     * A NumericDate (RFC 7519 §2) as epoch milliseconds; it must be a JSON number, never a string.
     *
     * @return {@link Long#MIN_VALUE} if absent and not required
     */
    public static long numericDateMillis(Map<String, Object> claims, String name, boolean required) {
        Object value = claims.get(name);
        if (value == null) {
            if (required) {
                throw new Refused(Problem.MALFORMED, "claim '" + name + "' is required");
            }
            return Long.MIN_VALUE;
        }
        if (value instanceof Long seconds) {
            if (seconds < 0 || seconds > Long.MAX_VALUE / 1000) {
                throw new Refused(Problem.MALFORMED, "claim '" + name + "' is out of range");
            }
            return seconds * 1000;
        }
        if (value instanceof Double seconds) {
            if (!(seconds >= 0 && seconds < Long.MAX_VALUE / 1000.0)) {
                throw new Refused(Problem.MALFORMED, "claim '" + name + "' is out of range");
            }
            return (long) Math.floor(seconds * 1000);
        }
        if (value instanceof BigInteger) {
            throw new Refused(Problem.MALFORMED, "claim '" + name + "' is out of range");
        }
        throw new Refused(Problem.MALFORMED, "claim '" + name + "' must be a JSON number");
    }

    /** {@code aud} as a list of strings, whether the token held one string or an array. */
    public static List<String> audience(Object aud) {
        if (aud instanceof String single) {
            return List.of(single);
        }
        if (aud instanceof List<?> list) {
            for (Object element : list) {
                if (!(element instanceof String)) {
                    throw new Refused(Problem.WRONG_AUDIENCE, "aud holds a non-string value");
                }
            }
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) list;
            return strings;
        }
        throw new Refused(Problem.WRONG_AUDIENCE, "aud is missing");
    }

    /** {@code iss} must be exactly {@code issuer}. */
    public static void checkIssuer(Map<String, Object> claims, String issuer) {
        if (!issuer.equals(claims.get("iss"))) {
            throw new Refused(Problem.WRONG_ISSUER, "iss is not '" + issuer + "'");
        }
    }

    /**
     * Expired at {@code exp} or later (RFC 7519 "on or after"), less the skew; {@code nbf} (if not
     * {@link Long#MIN_VALUE}) and {@code iat} must not be after now plus the skew. All in epoch
     * milliseconds. Each message says when, the time now, and the skew allowed, as jjwt's do.
     */
    public static void checkTimes(long exp, long nbf, long iat, long now, long skewMillis) {
        if (exp <= now - skewMillis) {
            throw new Refused(Problem.EXPIRED, timeMessage("token expired at", exp, now, skewMillis));
        }
        if (nbf != Long.MIN_VALUE && nbf > now + skewMillis) {
            throw new Refused(Problem.NOT_YET_VALID, timeMessage("token not valid before", nbf, now, skewMillis));
        }
        if (iat > now + skewMillis) {
            throw new Refused(Problem.NOT_YET_VALID, timeMessage("token issued in the future, at", iat, now,
                    skewMillis));
        }
    }

    /** {@code "<what> <at>; now <now>; allowed clock skew <skew>"}, e.g. for a log line that explains a refusal. */
    public static String timeMessage(String what, long atMillis, long nowMillis, long skewMillis) {
        return what + " " + Instant.ofEpochMilli(atMillis) + "; now " + Instant.ofEpochMilli(nowMillis)
                + "; allowed clock skew " + Duration.ofMillis(skewMillis);
    }
}
