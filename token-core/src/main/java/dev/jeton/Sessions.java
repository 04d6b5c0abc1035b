package dev.jeton;

import dev.jeton.internal.Events;
import dev.jeton.internal.RefreshTokenCodec;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link TokenService} does to sessions already issued: revocation of either kind of token (RFC 7009), logging a
 * subject out everywhere, listing and ending a subject's sessions, and the purge. Every revocation of a session goes
 * through {@link #revoke(RefreshFamily, RevocationReason, Instant)}, so the validator hears of it at once and the
 * event is published once. Thread-safe.
 */
final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final int PURGE_BATCH = 1_000;
    private static final int SESSION_ID_LENGTH = 22;

    private final TokenStore store;
    private final RefreshTokenCodec refreshTokens;
    private final AccessTokenValidator validator;
    private final TokenEventListener listener;
    private final Clock clock;

    Sessions(TokenStore store, RefreshTokenCodec refreshTokens, AccessTokenValidator validator,
             TokenEventListener listener, Clock clock) {
        this.store = store;
        this.refreshTokens = refreshTokens;
        this.validator = validator;
        this.listener = listener;
        this.clock = clock;
    }

    /** {@link TokenService#revoke(String, String)}, for {@code clientId}'s tokens only, or for any client's. */
    void revoke(String token, Optional<String> clientId) {
        if (token.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Optional<RefreshTokenCodec.Parsed> parsed = refreshTokens.parse(token);
        if (parsed.isPresent()) {
            // Any token of the session up to its current generation: only real tokens carry the session reference.
            store.findFamily(parsed.get().familyId())
                    .filter(record -> parsed.get().generation() <= record.generation())
                    .filter(record -> clientId.map(record.family().clientId()::equals).orElse(true))
                    .ifPresent(record -> revoke(record.family(), RevocationReason.LOGOUT, now));
            return;
        }
        VerifiedAccessToken access;
        try {
            access = validator.validate(token, false, true);
        } catch (InvalidTokenException e) {
            return;
        }
        if (clientId.map(access.clientId()::equals).orElse(true)) {
            store.revokeAccessToken(access.jti(), access.expiresAt());
            validator.accessTokenRevoked(access.jti());
            LOG.debug("access token jti={} revoked", access.jti());
            Events.publish(listener, new TokenEvent.AccessTokenRevoked(now, access.jti(), access.expiresAt()));
        }
    }

    /** {@link TokenService#revokeAll}. */
    int revokeAll(String subject) {
        if (!isSubject(subject)) {
            return 0;
        }
        Instant now = clock.instant();
        int revoked = 0;
        for (FamilyRecord record : store.liveFamilies(subject, now)) {
            // Exactly this subject, whatever the store's collation makes of case or trailing spaces.
            if (record.family().subject().equals(subject)
                    && revoke(record.family(), RevocationReason.LOGOUT_ALL, now)) {
                revoked++;
            }
        }
        return revoked;
    }

    /** {@link TokenService#sessions}. */
    List<Session> of(String subject) {
        if (!isSubject(subject)) {
            return List.of();
        }
        return store.liveFamilies(subject, clock.instant()).stream()
                .map(FamilyRecord::family)
                .filter(f -> f.subject().equals(subject))
                .sorted(Comparator.comparing(RefreshFamily::createdAt))
                .map(f -> new Session(f.id(), f.clientId(), f.scopes(), f.createdAt(), f.expiresAt()))
                .toList();
    }

    /** {@link TokenService#revokeSession}. */
    boolean revokeSession(String subject, String sessionId) {
        if (!isSubject(subject) || !isSessionId(sessionId)) {
            return false;
        }
        Instant now = clock.instant();
        return store.findFamily(sessionId)
                .filter(record -> record.family().subject().equals(subject) && record.isLiveAt(now))
                .map(record -> revoke(record.family(), RevocationReason.SESSION_REVOKED, now))
                .orElse(false);
    }

    /** Revokes a session, tells the validator, and publishes the event if this call revoked it. */
    boolean revoke(RefreshFamily session, RevocationReason reason, Instant now) {
        boolean revoked = store.revokeFamily(session.id(), reason, now);
        validator.sessionRevoked(session.id());
        if (revoked) {
            LOG.debug("session {} revoked: {}", session.id(), reason);
            Events.publish(listener, new TokenEvent.Revoked(now, session.id(), session.subject(), reason));
        }
        return revoked;
    }

    /** {@link TokenService#purgeExpired}. */
    int purgeExpired() {
        Instant now = clock.instant();
        int total = 0;
        int deleted;
        do {
            deleted = store.purgeExpired(now, PURGE_BATCH);
            total += deleted;
        } while (deleted >= PURGE_BATCH);
        LOG.debug("purged {} expired rows", total);
        return total;
    }

    /** Whether {@code subject} could have been issued: anything else has no sessions, and never reaches the store. */
    private static boolean isSubject(String subject) {
        try {
            IssueRequest.checkId("subject", subject);
            return true;
        } catch (InvalidRequestException e) {
            return false;
        }
    }

    /** Whether {@code id} has the shape of the session ids this service makes (22 base64url characters). */
    private static boolean isSessionId(String id) {
        if (id == null || id.length() != SESSION_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
