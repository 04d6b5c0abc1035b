package dev.jeton;

import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.internal.BoundedCache;
import dev.jeton.internal.Events;
import dev.jeton.internal.RefreshTokenCodec;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh state machine (DESIGN §5), once, on top of a store's atomic steps. Every token that cannot be used goes
 * through {@link #classify}, whether it was judged from a read or from a step the store refused.
 *
 * <p>A family's identity (subject, client, scopes, claims, lifetime) never changes, so it is kept in a bounded cache
 * once seen: a refresh of a family this instance knows does all its fallible work first and then costs the store one
 * conditional step, with a read only when the step is refused or the request is refused. Revocation, generation and
 * expiry are never cached; the step checks them. Thread-safe.
 */
final class RefreshFlow {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

    /** What a presented token is, judged from its family's record. */
    private enum Standing { CURRENT, IN_GRACE }

    /**
     * What a refresh needs of a family that never changes, kept small because the session cache holds one per
     * session: its id, its absolute expiry, and the request a refresh that narrows nothing mints with, built from the
     * login and checked once (the claims were checked at login and never change). The request carries the rest:
     * subject, client, scopes, claims, audiences and the authentication facts.
     */
    record Known(String id, Instant expiresAt, IssueRequest granted) {

        static Known of(RefreshFamily family, LoginRecord login) {
            return new Known(family.id(), family.expiresAt(), login.refreshRequest(family.subject(),
                    family.clientId(), family.scopes(), login.audiences()));
        }

        String clientId() {
            return granted.clientId();
        }

        Set<String> scopes() {
            return granted.scopes();
        }

        /** The request to mint with for these scopes and audiences: the prepared one unless the refresh narrows. */
        IssueRequest requestFor(Set<String> scopes, Set<String> audiences) {
            return scopes.equals(granted.scopes()) && audiences.equals(granted.audiences()) ? granted
                    : new IssueRequest(granted.subject(), granted.clientId(), scopes, granted.claims(), audiences,
                            granted.authTime(), granted.acr(), granted.amr(), Optional.empty());
        }
    }

    private final TokenService service;
    private final TokenStore store;
    private final RefreshTokenCodec codec;
    private final Clock clock;
    private final TokenEventListener listener;
    private final Duration idleTtl;
    private final RefreshRotation rotation;
    private final Duration grace;
    private final int graceUses;
    private final BoundedCache<String, Known> known;

    RefreshFlow(TokenService service, TokenStore store, RefreshTokenCodec codec, Clock clock,
                TokenEventListener listener, Duration idleTtl, RefreshRotation rotation, Duration grace, int graceUses,
                int cacheSize) {
        this.service = service;
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.listener = listener;
        this.idleTtl = idleTtl;
        this.rotation = rotation;
        this.grace = grace;
        this.graceUses = graceUses;
        this.known = new BoundedCache<>(cacheSize);
    }

    /** Remembers a family just created (or read), so its next refresh needs no read. */
    void remember(RefreshFamily family, LoginRecord login) {
        known.put(family.id(), Known.of(family, login));
    }

    Instant idleExpiry(RefreshFamily family, Instant now) {
        return idleExpiry(family.expiresAt(), now);
    }

    private Instant idleExpiry(Instant absoluteExpiry, Instant now) {
        Instant idle = now.plus(idleTtl);
        return idle.isBefore(absoluteExpiry) ? idle : absoluteExpiry;
    }

    TokenPair refresh(RefreshRequest request) {
        String token = request.refreshToken();
        RefreshTokenCodec.Parsed parsed = codec.parse(token).orElseThrow(
                () -> new InvalidGrantException(Reason.MALFORMED, "not a refresh token of this service"));
        String hash = codec.hash(token);
        Presented presented = new Presented(token, parsed, hash, hash.substring(0, 8));
        Instant now = clock.instant();

        Known family = known.get(parsed.familyId());
        FamilyRecord read = null;
        Standing standing = Standing.CURRENT;
        if (family == null) {
            read = find(presented);
            family = knownOf(read);
            standing = judge(read, presented, now);
        }
        Set<String> scopes = request.scopes().isEmpty() ? family.scopes() : request.scopes();
        boolean clientMatches = family.clientId().equals(request.clientId());
        Set<String> audiences;
        try {
            if (!clientMatches) {
                throw new InvalidGrantException(Reason.CLIENT_MISMATCH, "refresh token " + presented.label
                        + " belongs to client " + family.clientId() + ", presented by "
                        + request.clientId());
            }
            if (!family.scopes().containsAll(scopes)) {
                throw scopeRefused(family.id(), family.scopes(), scopes);
            }
            audiences = service.audiences().narrow(family.granted().audiences(), request.audiences(),
                    family.id());
        } catch (TokenException refused) {
            if (read == null) {
                // State comes first: a dead or replayed token answers invalid_grant whatever it was sent with.
                judge(find(presented), presented, now);
            }
            throw refused;
        }
        AccessTokenMinter.Minted minted = service.mint(family.requestFor(scopes, audiences), family.id(), now,
                true);
        if (standing == Standing.IN_GRACE) {
            return graceReplay(read, presented, minted, now);
        }
        if (rotation == RefreshRotation.REUSE) {
            StepResult result = store.slide(parsed.familyId(), parsed.generation(), hash,
                    idleExpiry(family.expiresAt(), now), now);
            if (result.applied()) {
                return refreshed(family.id(), family.expiresAt(), minted, token, now, false);
            }
            throw refusedStep(result, presented, now);
        }
        String successor = codec.newToken(parsed.familyReference(), parsed.generation() + 1);
        Optional<GraceWindow> window = grace.isZero() ? Optional.empty()
                : Optional.of(new GraceWindow(hash, codec.seal(token, hash, successor), now.plus(grace), 0));
        StepResult result = store.rotate(new Rotation(parsed.familyId(), parsed.generation(), hash,
                codec.hash(successor), idleExpiry(family.expiresAt(), now), window, now));
        if (result.applied()) {
            return refreshed(family.id(), family.expiresAt(), minted, successor, now, false);
        }
        FamilyRecord asItStood = result.record().orElseThrow(() -> gone(presented));
        if (judge(asItStood, presented, now) == Standing.IN_GRACE) {
            return graceReplay(asItStood, presented, minted, now);
        }
        throw new TokenStoreException("the store refused to rotate refresh token " + presented.label
                + " although it is current and usable");
    }

    /** The presented token as the flow needs it; {@link #toString()} shows no secret. */
    private record Presented(String token, RefreshTokenCodec.Parsed parsed, String hash, String label) {
        @Override
        public String toString() {
            return "refresh token " + label;
        }
    }

    private FamilyRecord find(Presented presented) {
        return store.findFamily(presented.parsed.familyId()).orElseThrow(() -> gone(presented));
    }

    private static InvalidGrantException gone(Presented presented) {
        return new InvalidGrantException(Reason.UNKNOWN, "no session for refresh token " + presented.label);
    }

    private Known knownOf(FamilyRecord record) {
        Known cached = known.get(record.id());
        if (cached != null) {
            return cached;
        }
        LoginRecord login;
        try {
            login = LoginRecord.parse(record.family().claimsJson(), record.family().createdAt());
        } catch (RuntimeException e) {
            throw new TokenStoreException("the stored claims of session " + record.id() + " cannot be read", e);
        }
        Known read = Known.of(record.family(), login);
        known.put(read.id(), read);
        return read;
    }

    private static InvalidScopeException scopeRefused(String sessionId, Set<String> granted, Set<String> scopes) {
        List<String> extra = new ArrayList<>(scopes);
        extra.removeAll(granted);
        return new InvalidScopeException("scopes " + extra + " were not granted to session " + sessionId);
    }

    /**
     * Whether the presented token can be used, from its family's record: {@link Standing#CURRENT}, or
     * {@link Standing#IN_GRACE} (the previous token, within its grace window). Anything else is classified and
     * thrown.
     */
    private Standing judge(FamilyRecord record, Presented presented, Instant now) {
        long generation = presented.parsed.generation();
        if (record.isLiveAt(now) && generation == record.generation()
                && record.currentHash().equals(presented.hash)) {
            if (!now.isBefore(record.idleExpiresAt())) {
                throw new InvalidGrantException(Reason.EXPIRED, presented + " expired at "
                        + record.idleExpiresAt() + "; now " + now);
            }
            return Standing.CURRENT;
        }
        if (rotation == RefreshRotation.ROTATE && generation == record.generation() - 1
                && record.acceptsGraceClaim(presented.hash, graceUses, now)) {
            return Standing.IN_GRACE;
        }
        throw classify(record, presented, now);
    }

    /**
     * The one place a token that cannot be used is answered: revoked, expired, a generation the family never reached
     * (unknown), or reuse, which revokes the family. Knowing a session id is not enough to reach reuse: a token names
     * its family by a reference only real tokens of that family carry.
     */
    private InvalidGrantException classify(FamilyRecord record, Presented presented, Instant now) {
        long generation = presented.parsed.generation();
        boolean earlierOrForged = generation < record.generation()
                || generation == record.generation() && !record.currentHash().equals(presented.hash);
        if (record.revocation().isPresent()) {
            if (record.revocation().get().reason() == RevocationReason.REUSE_DETECTED && earlierOrForged) {
                return new InvalidGrantException(Reason.REUSED, presented + " was already rotated; session "
                        + record.id() + " is revoked");
            }
            return new InvalidGrantException(Reason.REVOKED, presented + " of revoked session " + record.id());
        }
        if (record.family().isExpiredAt(now)) {
            return new InvalidGrantException(Reason.EXPIRED, "session " + record.id() + " expired at "
                    + record.family().expiresAt() + "; now " + now);
        }
        if (generation > record.generation()) {
            return new InvalidGrantException(Reason.UNKNOWN, presented + " names a generation session "
                    + record.id() + " never reached");
        }
        if (!earlierOrForged) {
            return new InvalidGrantException(Reason.EXPIRED, presented + " expired at " + record.idleExpiresAt()
                    + "; now " + now);
        }
        if (service.revokeFamily(record.family(), RevocationReason.REUSE_DETECTED, now)) {
            LOG.warn("{} of session {} (client {}) was reused; the session is revoked", presented, record.id(),
                    record.family().clientId());
            Events.publish(listener, new TokenEvent.ReuseDetected(now, record.id(), record.family().subject(),
                    record.family().clientId()));
        }
        return new InvalidGrantException(Reason.REUSED, presented + " was already rotated; session " + record.id()
                + " is revoked");
    }

    private InvalidGrantException refusedStep(StepResult result, Presented presented, Instant now) {
        FamilyRecord asItStood = result.record().orElseThrow(() -> gone(presented));
        judge(asItStood, presented, now);
        throw new TokenStoreException("the store refused a step on " + presented + " although it is usable");
    }

    /**
     * Hands the successor out again within the grace window. The seal is opened before the use is claimed, so nothing
     * fallible follows the claim.
     */
    private TokenPair graceReplay(FamilyRecord read, Presented presented, AccessTokenMinter.Minted minted, Instant now) {
        String sealed = read.grace().orElseThrow().sealedSuccessor();
        String successor;
        try {
            successor = codec.open(presented.token, presented.hash, sealed);
        } catch (IllegalArgumentException e) {
            throw new TokenStoreException("the sealed successor of session " + read.id() + " does not open");
        }
        StepResult claimed = store.claimGrace(read.id(), presented.hash, graceUses, now);
        if (!claimed.applied()) {
            throw refusedStep(claimed, presented, now);
        }
        if (!claimed.record().orElseThrow().grace().map(GraceWindow::sealedSuccessor).orElse("").equals(sealed)) {
            throw new TokenStoreException("the store returned another successor for " + presented);
        }
        LOG.debug("{} replayed within the grace window of session {}", presented, read.id());
        return refreshed(read.id(), read.family().expiresAt(), minted, successor, now, true);
    }

    private TokenPair refreshed(String sessionId, Instant expiresAt, AccessTokenMinter.Minted minted, String refreshToken,
                                Instant now, boolean graceReplay) {
        TokenPair pair = service.published(minted, Optional.of(refreshToken), now, Optional.of(expiresAt));
        Events.publish(listener, new TokenEvent.Refreshed(now, sessionId, pair.accessTokenId(), graceReplay));
        return pair;
    }
}
