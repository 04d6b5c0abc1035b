package dev.jeton.micrometer;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link TokenStore} that times each operation of the store it wraps; see {@link JetonMetrics#instrument}. Results
 * and exceptions pass through unchanged.
 */
final class MeteredTokenStore implements TokenStore {

    enum Operation {
        CREATE_FAMILY, FIND_FAMILY, ROTATE, CLAIM_GRACE, SLIDE, REVOKE_FAMILY, LIVE_FAMILIES, REVOKE_ACCESS_TOKEN,
        REVOCATION_STATUS, PURGE_EXPIRED
    }

    private final TokenStore store;
    private final io.micrometer.core.instrument.Clock clock;
    private final Map<Operation, Timer> successes = new EnumMap<>(Operation.class);
    private final Map<Operation, Timer> failures = new EnumMap<>(Operation.class);

    MeteredTokenStore(TokenStore store, MeterRegistry registry, Tags tags) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = registry.config().clock();
        for (Operation operation : Operation.values()) {
            successes.put(operation, timer(registry, tags, operation, "success"));
            failures.put(operation, timer(registry, tags, operation, "failure"));
        }
    }

    private static Timer timer(MeterRegistry registry, Tags tags, Operation operation, String outcome) {
        return Timer.builder("jeton.store.operations").description("Token store operations").tags(tags)
                .tag("operation", JetonMetrics.tagValue(operation)).tag("outcome", outcome).register(registry);
    }

    private <T> T timed(Operation operation, Supplier<T> call) {
        long start = clock.monotonicTime();
        boolean ok = false;
        try {
            T result = call.get();
            ok = true;
            return result;
        } finally {
            long elapsed = clock.monotonicTime() - start;
            (ok ? successes : failures).get(operation).record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void createFamily(FamilyRecord first) {
        timed(Operation.CREATE_FAMILY, () -> {
            store.createFamily(first);
            return null;
        });
    }

    @Override
    public Optional<FamilyRecord> findFamily(String familyId) {
        return timed(Operation.FIND_FAMILY, () -> store.findFamily(familyId));
    }

    @Override
    public StepResult rotate(Rotation rotation) {
        return timed(Operation.ROTATE, () -> store.rotate(rotation));
    }

    @Override
    public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        return timed(Operation.CLAIM_GRACE, () -> store.claimGrace(familyId, previousHash, maxUses, now));
    }

    @Override
    public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                            Instant now) {
        return timed(Operation.SLIDE, () -> store.slide(familyId, generation, currentHash, newIdleExpiresAt, now));
    }

    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        return timed(Operation.REVOKE_FAMILY, () -> store.revokeFamily(familyId, reason, now));
    }

    @Override
    public List<FamilyRecord> liveFamilies(String subject, Instant now) {
        return timed(Operation.LIVE_FAMILIES, () -> store.liveFamilies(subject, now));
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        timed(Operation.REVOKE_ACCESS_TOKEN, () -> {
            store.revokeAccessToken(jti, expiresAt);
            return null;
        });
    }

    @Override
    public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
        return timed(Operation.REVOCATION_STATUS, () -> store.revocationStatus(familyId, jti, now));
    }

    @Override
    public int purgeExpired(Instant now, int maxRows) {
        return timed(Operation.PURGE_EXPIRED, () -> store.purgeExpired(now, maxRows));
    }

    @Override
    public String toString() {
        return "MeteredTokenStore[" + store + "]";
    }
}
