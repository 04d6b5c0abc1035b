package dev.jeton.micrometer;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTokenException;
import dev.jeton.PurgeScheduler;
import dev.jeton.RevocationReason;
import dev.jeton.TokenEvent;
import dev.jeton.TokenEventListener;
import dev.jeton.store.TokenStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jeton's metrics in a Micrometer {@link MeterRegistry}: a {@link TokenEventListener} that counts what the service
 * does, a {@link #instrument(TokenStore) store decorator} that times every store operation, and gauges for a
 * {@link #monitor(PurgeScheduler) purge schedule}. Needs no Spring.
 *
 * <pre>{@code
 * JetonMetrics metrics = new JetonMetrics(registry);
 * TokenService tokens = TokenService.builder()
 *     ...
 *     .store(metrics.instrument(new JdbcTokenStore(...)))
 *     .eventListener(metrics)                       // or TokenEventListener.composite(metrics, audit)
 *     .build();
 * metrics.monitor(tokens.schedulePurge(Duration.ofHours(1)));
 * RemoteJwksKeyProvider.builder(jwksUri).eventListener(metrics).build();   // resource servers: JWKS fetches
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code jeton.tokens.issued}</td><td>counter</td><td>{@code kind}: {@code session} (with a refresh
 *       token) or {@code access_only}</td></tr>
 *   <tr><td>{@code jeton.tokens.validations}</td><td>counter</td><td>{@code outcome}: {@code valid} or
 *       {@code invalid}; {@code reason}: {@code none} or the lowercased {@link InvalidTokenException.Reason}</td></tr>
 *   <tr><td>{@code jeton.tokens.refreshes}</td><td>counter</td><td>{@code outcome}: {@code rotated},
 *       {@code grace_replay} or {@code failed}; {@code error}: {@code none} or the OAuth error; {@code reason}:
 *       {@code none} or the lowercased {@link InvalidGrantException.Reason}</td></tr>
 *   <tr><td>{@code jeton.tokens.reuse.detected}</td><td>counter</td><td>none</td></tr>
 *   <tr><td>{@code jeton.tokens.revocations}</td><td>counter</td><td>{@code kind}: {@code session} or
 *       {@code access_token}; {@code reason}: the lowercased {@link RevocationReason}, or {@code revoke} for an
 *       access token</td></tr>
 *   <tr><td>{@code jeton.store.operations}</td><td>timer</td><td>{@code operation} (e.g. {@code rotate},
 *       {@code find_family}); {@code outcome}: {@code success} or {@code failure}</td></tr>
 *   <tr><td>{@code jeton.jwks.fetches}</td><td>timer</td><td>{@code outcome}: {@code success} or
 *       {@code failure}</td></tr>
 *   <tr><td>{@code jeton.purge.runs}, {@code jeton.purge.rows}, {@code jeton.purge.consecutive.failures}</td>
 *       <td>function counters, gauge</td><td>{@code outcome} on runs</td></tr>
 * </table>
 *
 * <p>No tag ever holds a token, a subject, a client id, a session id or a {@code jti}: tags take a handful of fixed
 * values, so the number of time series stays small whatever the traffic. Every meter except the lazily made
 * refresh-failure counters of unusual errors is registered up front, so it shows (at zero) before the first event;
 * an event then costs a field read or an enum-indexed lookup and an increment.
 *
 * <p>Thread-safe. Register one per registry and service; a second one on the same registry shares its meters.
 */
public final class JetonMetrics implements TokenEventListener {

    static final String NONE = "none";

    private final MeterRegistry registry;
    private final Tags tags;

    private final Counter issuedWithSession;
    private final Counter issuedAccessOnly;
    private final Counter valid;
    private final Map<InvalidTokenException.Reason, Counter> invalid =
            new EnumMap<>(InvalidTokenException.Reason.class);
    private final Counter rotated;
    private final Counter graceReplays;
    private final Map<InvalidGrantException.Reason, Counter> refreshGrantFailures =
            new EnumMap<>(InvalidGrantException.Reason.class);
    private final Map<String, Counter> refreshOtherFailures = new ConcurrentHashMap<>();
    private final Counter reuseDetected;
    private final Map<RevocationReason, Counter> sessionRevocations = new EnumMap<>(RevocationReason.class);
    private final Counter accessTokenRevocations;
    private final Timer jwksSuccess;
    private final Timer jwksFailure;

    /** Registers Jeton's meters in {@code registry}. */
    public JetonMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Registers Jeton's meters in {@code registry}, each with {@code commonTags} besides its own (for instance the
     * name of the service, when one application runs several).
     */
    public JetonMetrics(MeterRegistry registry, Iterable<io.micrometer.core.instrument.Tag> commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
        this.issuedWithSession = counter("jeton.tokens.issued", "Access tokens issued", "kind", "session");
        this.issuedAccessOnly = counter("jeton.tokens.issued", "Access tokens issued", "kind", "access_only");
        this.valid = counter("jeton.tokens.validations", "Access tokens validated", "outcome", "valid",
                "reason", NONE);
        for (InvalidTokenException.Reason reason : InvalidTokenException.Reason.values()) {
            invalid.put(reason, counter("jeton.tokens.validations", "Access tokens validated", "outcome",
                    "invalid", "reason", tagValue(reason)));
        }
        this.rotated = refreshCounter("rotated", NONE, NONE);
        this.graceReplays = refreshCounter("grace_replay", NONE, NONE);
        for (InvalidGrantException.Reason reason : InvalidGrantException.Reason.values()) {
            refreshGrantFailures.put(reason, refreshCounter("failed", "invalid_grant", tagValue(reason)));
        }
        for (String error : new String[] {"invalid_scope", "invalid_target", "invalid_request", "server_error"}) {
            refreshOtherFailures.put(error, refreshCounter("failed", error, NONE));
        }
        this.reuseDetected = counter("jeton.tokens.reuse.detected",
                "Rotated refresh tokens presented again; each revoked its session");
        for (RevocationReason reason : RevocationReason.values()) {
            sessionRevocations.put(reason, counter("jeton.tokens.revocations", "Sessions and access tokens revoked",
                    "kind", "session", "reason", tagValue(reason)));
        }
        this.accessTokenRevocations = counter("jeton.tokens.revocations", "Sessions and access tokens revoked",
                "kind", "access_token", "reason", "revoke");
        this.jwksSuccess = jwksTimer("success");
        this.jwksFailure = jwksTimer("failure");
    }

    /**
     * A store that times each of {@code store}'s operations in {@code jeton.store.operations}, tagged by operation
     * and outcome, and otherwise behaves exactly as {@code store} (same results, same exceptions).
     */
    public TokenStore instrument(TokenStore store) {
        return new MeteredTokenStore(store, registry, tags);
    }

    /**
     * Exposes a purge schedule's counters: {@code jeton.purge.runs} (by {@code outcome}), {@code jeton.purge.rows}
     * and the gauge {@code jeton.purge.consecutive.failures}, which an alert can watch. The meters hold the
     * scheduler weakly, as Micrometer's function meters do.
     *
     * @return {@code scheduler}
     */
    public PurgeScheduler monitor(PurgeScheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        FunctionCounter.builder("jeton.purge.runs", scheduler, PurgeScheduler::successfulRuns)
                .description("Scheduled purges of expired sessions").tags(tags).tag("outcome", "success")
                .register(registry);
        FunctionCounter.builder("jeton.purge.runs", scheduler, PurgeScheduler::failedRuns)
                .description("Scheduled purges of expired sessions").tags(tags).tag("outcome", "failure")
                .register(registry);
        FunctionCounter.builder("jeton.purge.rows", scheduler, PurgeScheduler::rowsPurged)
                .description("Rows the scheduled purges deleted").tags(tags).register(registry);
        Gauge.builder("jeton.purge.consecutive.failures", scheduler, PurgeScheduler::consecutiveFailures)
                .description("Scheduled purges that failed in a row; zero after a success").tags(tags)
                .register(registry);
        return scheduler;
    }

    @Override
    public void onEvent(TokenEvent event) {
        if (event instanceof TokenEvent.Validated) {
            valid.increment();
        } else if (event instanceof TokenEvent.ValidationFailed failed) {
            invalid.get(failed.reason()).increment();
        } else if (event instanceof TokenEvent.Issued issued) {
            (issued.sessionId().isPresent() ? issuedWithSession : issuedAccessOnly).increment();
        } else if (event instanceof TokenEvent.Refreshed refreshed) {
            (refreshed.graceReplay() ? graceReplays : rotated).increment();
        } else if (event instanceof TokenEvent.RefreshFailed failed) {
            refreshFailure(failed.error(), failed.reason()).increment();
        } else if (event instanceof TokenEvent.ReuseDetected) {
            reuseDetected.increment();
        } else if (event instanceof TokenEvent.Revoked revoked) {
            sessionRevocations.get(revoked.reason()).increment();
        } else if (event instanceof TokenEvent.AccessTokenRevoked) {
            accessTokenRevocations.increment();
        } else if (event instanceof TokenEvent.JwksFetched fetched) {
            (fetched.succeeded() ? jwksSuccess : jwksFailure).record(fetched.elapsed());
        }
    }

    private Counter refreshFailure(String error, Optional<InvalidGrantException.Reason> reason) {
        if (reason.isPresent() && error.equals("invalid_grant")) {
            return refreshGrantFailures.get(reason.get());
        }
        // OAuth error codes are a short fixed vocabulary (RFC 6749 §5.2 and extensions), so this map stays small.
        return refreshOtherFailures.computeIfAbsent(error, e -> refreshCounter("failed", e, NONE));
    }

    private Counter refreshCounter(String outcome, String error, String reason) {
        return counter("jeton.tokens.refreshes", "Refresh-token exchanges", "outcome", outcome, "error", error,
                "reason", reason);
    }

    private Timer jwksTimer(String outcome) {
        return Timer.builder("jeton.jwks.fetches").description("Fetches of a remote JWK set").tags(tags)
                .tag("outcome", outcome).register(registry);
    }

    private Counter counter(String name, String description, String... keyValues) {
        return Counter.builder(name).description(description).tags(tags).tags(keyValues).register(registry);
    }

    static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
