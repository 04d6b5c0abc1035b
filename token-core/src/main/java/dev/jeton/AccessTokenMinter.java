package dev.jeton;

import dev.jeton.internal.AccessTokenWriter;
import dev.jeton.internal.Base64Url;
import dev.jeton.internal.Events;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the tokens {@link TokenService} hands out, login and refresh alike: the access token, and the ID token that
 * goes with it, with everything fallible about them (customizers, signing key, signature, length) done before
 * anything is stored or consumed; then {@link #published} turns them into the {@link TokenPair} and its event.
 * Thread-safe.
 */
final class AccessTokenMinter {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

    /**
     * A signed access token, and ID token if one goes with it, not yet handed out: everything fallible about issuing
     * them is done.
     */
    record Minted(IssueRequest request, String sessionId, String token, String jti, long expiresAtSeconds,
                  String kid, Optional<String> idToken) {
    }

    private final String issuer;
    private final Audiences audiences;
    private final KeyProvider keys;
    private final Set<JwsAlgorithm> algorithms;
    private final Duration accessTokenTtl;
    private final ClaimsCustomizer customizer;
    private final AccessTokenWriter writer;
    private final IdTokens idTokens;
    private final int maxTokenLength;
    private final TokenEventListener listener;
    private final SecureRandom random;

    AccessTokenMinter(String issuer, Audiences audiences, KeyProvider keys, Set<JwsAlgorithm> algorithms,
                      Duration accessTokenTtl, ClaimsCustomizer customizer, AccessTokenWriter writer,
                      IdTokens idTokens, int maxTokenLength, TokenEventListener listener, SecureRandom random) {
        this.issuer = issuer;
        this.audiences = audiences;
        this.keys = keys;
        this.algorithms = algorithms;
        this.accessTokenTtl = accessTokenTtl;
        this.customizer = customizer;
        this.writer = writer;
        this.idTokens = idTokens;
        this.maxTokenLength = maxTokenLength;
        this.listener = listener;
        this.random = random;
    }

    /**
     * Signs an access token for {@code request} in session {@code sessionId} (null for none), and the ID token that
     * goes with it when ID tokens are on, {@code mayHaveIdToken} and the request is an OpenID Connect one.
     */
    Minted mint(IssueRequest request, String sessionId, Instant now, boolean mayHaveIdToken) {
        List<String> aud = audiences.resolve(request.audiences());
        Map<String, Object> extra = extraClaims(request);
        JwtKey key = keys.signingKey();
        if (!algorithms.contains(key.algorithm())) {
            throw new KeyException("signing key '" + key.kid() + "' is bound to " + key.algorithm()
                    + ", which is not among this service's algorithms " + algorithms + "; make a key of one of them "
                    + "the signing key, or add " + key.algorithm() + " to algorithms(...)");
        }
        long iat = now.getEpochSecond();
        long exp = iat + accessTokenTtl.toSeconds();
        String jti = newId();
        String token = checkLength("access token", request, writer.write(key, new AccessTokenWriter.Claims(issuer,
                request.subject(), aud, iat, exp, jti, request.clientId(), request.scopes(), sessionId, extra)));
        Optional<String> idToken = Optional.empty();
        if (mayHaveIdToken && idTokens != null && IdTokens.wanted(request)) {
            idToken = Optional.of(checkLength("ID token", request,
                    idTokens.write(key, request, sessionId, token, now)));
        }
        return new Minted(request, sessionId, token, jti, exp, key.kid(), idToken);
    }

    private String checkLength(String what, IssueRequest request, String token) {
        if (token.length() > maxTokenLength) {
            throw new IllegalStateException("the " + what + " for client " + request.clientId() + " would be "
                    + token.length() + " characters, more than the validator accepts (" + maxTokenLength
                    + "); issue fewer or smaller claims, or raise maxTokenLength");
        }
        return token;
    }

    /** Hands out what {@link #mint} signed: the pair, after an {@link TokenEvent.Issued} event. */
    TokenPair published(Minted m, Optional<String> refreshToken, Instant now, Optional<Instant> sessionExpiresAt) {
        LOG.debug("issued access token jti={} client={} kid={}", m.jti(), m.request().clientId(), m.kid());
        Events.publish(listener, new TokenEvent.Issued(now, m.jti(), m.request().subject(), m.request().clientId(),
                Optional.ofNullable(m.sessionId())));
        return new TokenPair(m.token(), m.jti(), accessTokenTtl, Instant.ofEpochSecond(m.expiresAtSeconds()),
                m.request().scopes(), refreshToken, Optional.ofNullable(m.sessionId()), m.idToken(),
                sessionExpiresAt);
    }

    private Map<String, Object> extraClaims(IssueRequest request) {
        return customizer == null ? request.claims()
                : CustomClaims.merge(request.claims(), customizer.claims(request), IssueRequest.RESERVED_CLAIMS,
                        "claims customizer");
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }
}
