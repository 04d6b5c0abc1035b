package dev.jeton.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the session an {@link AuthorizedHttpClient} serves: its tokens (read from the storage on first use),
 * the refresh in flight (single-flight), the back-off after a failed refresh, and the end of the session, told to the
 * listener once. Changes happen under one lock; the current tokens are read without it on the hot path. Thread-safe.
 */
final class Session {

    /** Under the client's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedHttpClient.class);

    private final TokenEndpointClient endpoint;
    private final TokenStorage storage;
    private final SessionListener listener;
    private final Clock clock;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final boolean singleFlight;

    private final Object lock = new Object();
    // Written under lock only; read without it on the hot path.
    private volatile TokenSet current;
    private volatile boolean loaded;
    // Guarded by lock.
    private CompletableFuture<TokenSet> inFlight;
    private LogoutReason lastLogout;
    private Instant retryNotBefore;
    private Duration backoff;
    private TokenClientException lastFailure;

    Session(TokenEndpointClient endpoint, TokenStorage storage, SessionListener listener, Clock clock,
            Duration minBackoff, Duration maxBackoff, boolean singleFlight) {
        this.endpoint = endpoint;
        this.storage = storage;
        this.listener = listener;
        this.clock = clock;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.singleFlight = singleFlight;
        this.backoff = minBackoff;
    }

    /** Starts a session with {@code tokens}, saved first, or replaces the current one. */
    void signIn(TokenSet tokens) {
        synchronized (lock) {
            storage.save(tokens);
            current = tokens;
            loaded = true;
            // A refresh still running belongs to the replaced session; callers of this one must not join it.
            inFlight = null;
            lastLogout = null;
            resetBackoff();
        }
    }

    /** The current tokens, or null when logged out. */
    TokenSet current() {
        if (!loaded) {
            synchronized (lock) {
                if (!loaded) {
                    current = storage.load().orElse(null);
                    loaded = true;
                }
            }
        }
        return current;
    }

    /** Why the session is not signed in. */
    LoggedOutException loggedOut() {
        synchronized (lock) {
            return new LoggedOutException(lastLogout, null);
        }
    }

    /** Ends the session if {@code ending} is still its tokens, and tells the listener. */
    void end(TokenSet ending, LogoutReason reason) {
        boolean ended;
        synchronized (lock) {
            ended = endSession(ending, reason);
        }
        if (ended) {
            notifyLoggedOut(reason);
        }
    }

    /**
     * The tokens that replace {@code stale}: those of the refresh in flight, those of a refresh that already
     * replaced {@code stale}, or those of a new refresh request.
     */
    CompletableFuture<TokenSet> refresh(TokenSet stale, RefreshTrigger trigger) {
        TokenSet base;
        CompletableFuture<TokenSet> flight;
        boolean ended = false;
        synchronized (lock) {
            base = current;
            if (base == null) {
                return CompletableFuture.failedFuture(new LoggedOutException(lastLogout, null));
            }
            if (singleFlight) {
                // Identity, not equality: current is replaced only by a refresh or a sign-in, so a different object
                // means the caller's token was already renewed after it read it, and the new one is what it needs.
                if (base != stale) {
                    return CompletableFuture.completedFuture(base);
                }
                if (inFlight != null) {
                    return inFlight.copy();
                }
            }
            if (retryNotBefore != null && clock.instant().isBefore(retryNotBefore)) {
                return CompletableFuture.failedFuture(new TokenEndpointUnavailableException("refreshing is paused"
                        + " until " + retryNotBefore + " after a failed attempt: " + lastFailure.getMessage(), 0,
                        lastFailure));
            }
            if (base.refreshToken().isEmpty()) {
                ended = endSession(base, LogoutReason.NO_REFRESH_TOKEN);
                flight = null;
            } else {
                flight = new CompletableFuture<>();
                if (singleFlight) {
                    inFlight = flight;
                }
            }
        }
        if (flight == null) {
            if (ended) {
                notifyLoggedOut(LogoutReason.NO_REFRESH_TOKEN);
            }
            return CompletableFuture.failedFuture(new LoggedOutException(LogoutReason.NO_REFRESH_TOKEN, null));
        }
        LOG.debug("Refreshing session of #{} ({})", Fingerprint.of(base.accessToken()), trigger);
        try {
            listener.refreshing(trigger);
        } catch (RuntimeException e) {
            LOG.warn("SessionListener.refreshing threw; ignored", e);
        }
        CompletableFuture<TokenSet> request;
        try {
            request = endpoint.refreshAsync(base.refreshToken().get());
        } catch (RuntimeException e) {
            request = CompletableFuture.failedFuture(e);
        }
        request.whenComplete((fresh, error) -> finish(base, flight, fresh, Futures.unwrap(error)));
        return flight.copy();
    }

    private void finish(TokenSet base, CompletableFuture<TokenSet> flight, TokenSet fresh, Throwable error) {
        TokenSet result = null;
        TokenClientException failure = null;
        boolean ended = false;
        synchronized (lock) {
            if (inFlight == flight) {
                inFlight = null;
            }
            if (error == null && !fresh.isBearer()) {
                error = new InvalidTokenResponseException("the refresh returned token_type " + fresh.tokenType()
                        + "; this client sends Bearer tokens only", null);
            }
            if (error == null) {
                resetBackoff();
                if (current == base || (!singleFlight && current != null)) {
                    result = fresh.keepingAbsentFrom(base);
                    // The new refresh token is stored before the old one is forgotten: a crash from here on leaves
                    // the old file (whose token the server now refuses: a clean logout) or the new one.
                    try {
                        storage.save(result);
                    } catch (TokenStorageException e) {
                        LOG.error("Storing the refreshed tokens of session #{} failed; they are kept in memory only",
                                Fingerprint.of(result.accessToken()), e);
                    }
                    current = result;
                } else if (current != null) {
                    result = current;
                } else {
                    failure = new LoggedOutException(lastLogout, null);
                }
            } else if (error instanceof InvalidGrantException) {
                ended = endSession(base, LogoutReason.INVALID_GRANT);
                failure = new LoggedOutException(LogoutReason.INVALID_GRANT, error);
            } else {
                failure = error instanceof TokenClientException known ? known
                        : new TokenEndpointUnavailableException("the refresh failed: " + error, 0, error);
                lastFailure = failure;
                retryNotBefore = clock.instant().plus(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                LOG.warn("Refreshing session of #{} failed; not retrying before {}: {}",
                        Fingerprint.of(base.accessToken()), retryNotBefore, failure.getMessage());
            }
        }
        if (ended) {
            notifyLoggedOut(LogoutReason.INVALID_GRANT);
        }
        if (failure != null) {
            flight.completeExceptionally(failure);
        } else {
            flight.complete(result);
        }
    }

    /**
     * Ends the session if {@code base} is still its tokens (with single-flight off, whatever they are, as a naive
     * client would); answers whether it did, so that the listener hears of each end exactly once. Under lock.
     */
    private boolean endSession(TokenSet base, LogoutReason reason) {
        if (current == null || (singleFlight && current != base)) {
            return false;
        }
        current = null;
        lastLogout = reason;
        resetBackoff();
        try {
            storage.clear();
        } catch (TokenStorageException e) {
            LOG.error("Clearing the token storage failed after logout ({})", reason, e);
        }
        return true;
    }

    private void resetBackoff() {
        retryNotBefore = null;
        lastFailure = null;
        backoff = minBackoff;
    }

    private void notifyLoggedOut(LogoutReason reason) {
        LOG.info("Session logged out: {}", reason);
        try {
            listener.loggedOut(reason);
        } catch (RuntimeException e) {
            LOG.warn("SessionListener.loggedOut threw; ignored", e);
        }
    }
}
