package dev.jeton;

import static dev.jeton.internal.Options.requireNotSet;
import static dev.jeton.internal.Options.requireText;

import dev.jeton.InvalidIdTokenException.Reason;
import dev.jeton.internal.JwsReader;
import dev.jeton.internal.TokenHashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates OpenID Connect ID tokens (OIDC Core §3.1.3.7, §12.2) for a relying party: the client that asked a user to
 * log in. Jeton's {@link TokenService} issues them, but any OpenID provider's will do.
 *
 * <pre>{@code
 * IdTokenValidator validator = IdTokenValidator.builder()
 *     .issuer("https://auth.example.com")
 *     .clientId("web")
 *     .keys(RemoteJwksKeyProvider.builder(URI.create("https://auth.example.com/.well-known/jwks.json")).build())
 *     .build();
 * VerifiedIdToken login = validator.validate(response.idToken, nonceSentWithTheRequest, response.accessToken);
 * VerifiedIdToken again = validator.validateRefreshed(refreshed.idToken, login, refreshed.accessToken);
 * }</pre>
 *
 * <p>The checks, in order, each failing with its own {@link Reason}: length (TOO_LARGE); the same strict compact-JWS
 * rules as {@link AccessTokenValidator} (MALFORMED, ALGORITHM_NOT_ALLOWED for {@code alg} outside the
 * {@linkplain Builder#algorithms allow-list} or not its key's, UNSUPPORTED_HEADER, UNKNOWN_KEY, BAD_SIGNATURE), except
 * that {@code typ} must be {@code JWT}, {@code application/jwt} or absent, so an {@code at+jwt} access token is
 * WRONG_TYPE; {@code sub} a non-empty string, {@code exp}, {@code iat} JSON numbers (MALFORMED); {@code iss} exactly
 * the issuer (WRONG_ISSUER); {@code aud} contains the client id (WRONG_AUDIENCE); {@code azp} is the client id when
 * present, and present when {@code aud} has several values (WRONG_AUTHORIZED_PARTY); {@code exp}, {@code iat},
 * {@code nbf} against the clock (EXPIRED, NOT_YET_VALID); the {@code nonce} (NONCE_MISMATCH); {@code at_hash} against
 * the access token when both are there (AT_HASH_MISMATCH); and for a refresh, the same login (NOT_SAME_LOGIN).
 *
 * <p>Instances are immutable and thread-safe; build one and share it.
 */
public final class IdTokenValidator {

    private final String issuer;
    private final String clientId;
    private final Clock clock;
    private final long skewMillis;
    private final int maxTokenLength;
    private final JwsReader reader;

    private IdTokenValidator(Builder b) {
        this.issuer = b.issuer;
        this.clientId = b.clientId;
        this.clock = b.clockOrDefault();
        this.skewMillis = b.skewMillis();
        this.maxTokenLength = b.maxTokenLengthOrDefault();
        this.reader = b.reader(JwsReader.Kind.ID_TOKEN);
    }

    /** Starts a builder. {@code issuer}, {@code clientId} and {@code keys} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates the ID token of a login whose authentication request sent no nonce: the token must carry none.
     *
     * @throws InvalidIdTokenException with the reason the token was refused; its message never contains the token
     * @throws KeyException if the key set cannot be obtained
     */
    public VerifiedIdToken validate(String idToken) {
        return check(idToken, Optional.empty(), Optional.empty(), null);
    }

    /**
     * Validates the ID token of a login whose authentication request sent {@code expectedNonce}: the token must carry
     * exactly that nonce.
     *
     * @throws InvalidIdTokenException with the reason the token was refused; its message never contains the token
     * @throws KeyException if the key set cannot be obtained
     */
    public VerifiedIdToken validate(String idToken, String expectedNonce) {
        return check(idToken, Optional.of(requireText("expectedNonce", expectedNonce)), Optional.empty(), null);
    }

    /**
     * Validates the ID token of a login that sent {@code expectedNonce}, together with the access token that came with
     * it: if the ID token has an {@code at_hash}, it must be the access token's (OIDC Core §3.1.3.6, §3.2.2.9).
     *
     * @throws InvalidIdTokenException with the reason the token was refused; its message never contains a token
     * @throws KeyException if the key set cannot be obtained
     */
    public VerifiedIdToken validate(String idToken, String expectedNonce, String accessToken) {
        return check(idToken, Optional.of(requireText("expectedNonce", expectedNonce)),
                Optional.of(requireText("accessToken", accessToken)), null);
    }

    /**
     * Validates an ID token from a refresh (OIDC Core §12.2) against the login's: the same {@code iss}, {@code sub},
     * {@code aud}, {@code azp} and {@code auth_time}, an {@code iat} not before the login's, and no {@code nonce} or
     * the login's; {@code at_hash}, if there is one, must be the new access token's.
     *
     * @param original the login's ID token, as this validator returned it
     * @throws InvalidIdTokenException with the reason the token was refused; its message never contains a token
     * @throws KeyException if the key set cannot be obtained
     */
    public VerifiedIdToken validateRefreshed(String idToken, VerifiedIdToken original, String accessToken) {
        Objects.requireNonNull(original, "original");
        return check(idToken, original.nonce(), Optional.of(requireText("accessToken", accessToken)), original);
    }

    private VerifiedIdToken check(String token, Optional<String> nonce, Optional<String> accessToken,
                                  VerifiedIdToken original) {
        if (token == null || token.isEmpty()) {
            throw new InvalidIdTokenException(Reason.MALFORMED, "no token");
        }
        if (token.length() > maxTokenLength) {
            throw new InvalidIdTokenException(Reason.TOO_LARGE, "token of " + token.length()
                    + " characters exceeds the limit of " + maxTokenLength);
        }
        JwsReader.Verified read;
        VerifiedIdToken verified;
        try {
            read = reader.read(token);
            verified = checkClaims(read);
        } catch (JwsReader.Refused e) {
            throw new InvalidIdTokenException(Reason.valueOf(e.problem().name()), e.getMessage());
        }
        checkNonce(verified.nonce(), nonce, original != null);
        if (accessToken.isPresent() && verified.claims().get("at_hash") instanceof String atHash) {
            String expected = TokenHashes.atHash(read.key(), accessToken.get());
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    atHash.getBytes(StandardCharsets.US_ASCII))) {
                throw new InvalidIdTokenException(Reason.AT_HASH_MISMATCH, "at_hash is not the access token's");
            }
        }
        if (original != null) {
            checkSameLogin(verified, original);
        }
        return verified;
    }

    private VerifiedIdToken checkClaims(JwsReader.Verified read) {
        Map<String, Object> claims = read.claims();
        String sub = JwsReader.requiredString(claims, "sub");
        long exp = JwsReader.numericDateMillis(claims, "exp", true);
        long iat = JwsReader.numericDateMillis(claims, "iat", true);
        long nbf = JwsReader.numericDateMillis(claims, "nbf", false);
        long authTime = JwsReader.numericDateMillis(claims, "auth_time", false);
        String nonce = JwsReader.optionalString(claims, "nonce");
        String azp = JwsReader.optionalString(claims, "azp");
        String acr = JwsReader.optionalString(claims, "acr");
        String sid = JwsReader.optionalString(claims, "sid");
        JwsReader.optionalString(claims, "at_hash");
        List<String> amr = strings(claims.get("amr"));

        JwsReader.checkIssuer(claims, issuer);
        List<String> aud = JwsReader.audience(claims.get("aud"));
        if (!aud.contains(clientId)) {
            throw new InvalidIdTokenException(Reason.WRONG_AUDIENCE, "aud does not contain client '" + clientId + "'");
        }
        if (azp != null ? !azp.equals(clientId) : aud.size() > 1) {
            throw new InvalidIdTokenException(Reason.WRONG_AUTHORIZED_PARTY, azp == null
                    ? "aud has " + aud.size() + " values and no azp" : "azp is not client '" + clientId + "'");
        }
        JwsReader.checkTimes(exp, nbf, iat, clock.millis(), skewMillis);
        return new VerifiedIdToken(sub, issuer, aud, Optional.ofNullable(azp), Instant.ofEpochMilli(iat),
                Instant.ofEpochMilli(exp), authTime == Long.MIN_VALUE ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(authTime)), Optional.ofNullable(nonce), Optional.ofNullable(acr),
                amr, Optional.ofNullable(sid), read.key().kid(), read.algorithm(), claims);
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            List<String> strings = new ArrayList<>();
            list.forEach(element -> strings.add((String) element));
            return strings;
        }
        throw new JwsReader.Refused(JwsReader.Problem.MALFORMED, "claim 'amr' is not an array of strings");
    }

    /** The nonce must be the one expected; a refreshed token may also carry none (§12.2). */
    private static void checkNonce(Optional<String> actual, Optional<String> expected, boolean refresh) {
        if (actual.isEmpty() && (expected.isEmpty() || refresh)) {
            return;
        }
        if (actual.isEmpty()) {
            throw new InvalidIdTokenException(Reason.NONCE_MISMATCH, "the token carries no nonce");
        }
        if (expected.isEmpty()) {
            throw new InvalidIdTokenException(Reason.NONCE_MISMATCH, "the token carries a nonce, none was sent");
        }
        if (!MessageDigest.isEqual(actual.get().getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidIdTokenException(Reason.NONCE_MISMATCH, "the nonce is not the one sent");
        }
    }

    private static void checkSameLogin(VerifiedIdToken refreshed, VerifiedIdToken original) {
        String differs = !refreshed.subject().equals(original.subject()) ? "sub"
                : !refreshed.audience().equals(original.audience()) ? "aud"
                : !refreshed.authorizedParty().equals(original.authorizedParty()) ? "azp"
                : original.authTime().isPresent() && !refreshed.authTime().equals(original.authTime()) ? "auth_time"
                : refreshed.issuedAt().isBefore(original.issuedAt()) ? "iat" : null;
        if (differs != null) {
            throw new InvalidIdTokenException(Reason.NOT_SAME_LOGIN, "the refreshed token's " + differs
                    + " differs from the login's (OIDC Core 12.2)");
        }
    }

    /**
     * Builds an {@link IdTokenValidator}. Each setter checks its argument and may be called once. Not thread-safe.
     */
    public static final class Builder extends JwsValidatorBuilder<Builder> {
        private String clientId;

        Builder() {
        }

        @Override
        Builder self() {
            return this;
        }


        /** This relying party's client id, which {@code aud} must contain (and {@code azp} name, when present). */
        public Builder clientId(String clientId) {
            requireNotSet("clientId", this.clientId);
            this.clientId = requireText("clientId", clientId);
            return this;
        }







        /**
         * Builds the validator.
         *
         * @throws IllegalStateException if issuer, client id or keys is missing
         */
        public IdTokenValidator build() {
            if (issuer == null || clientId == null || keys == null) {
                throw new IllegalStateException("issuer(...), clientId(...) and keys(...) are required");
            }
            return new IdTokenValidator(this);
        }
    }
}
