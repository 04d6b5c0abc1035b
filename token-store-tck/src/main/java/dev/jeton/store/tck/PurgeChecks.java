package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code purgeExpired}: deletes, in bounded batches, only what can no longer matter: families past their absolute
 * expiry, denials past theirs, grace windows that have passed.
 */
abstract class PurgeChecks extends ContractGroup {

    PurgeChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void expiredFamiliesArePurgedInBatchesOfAtMostMaxRows() {
        List<FamilyRecord> expired = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expired.add(create(first("expired-" + i, "alice", now())));
        }
        clock().advance(Duration.ofHours(1));
        FamilyRecord live = create(first("live", "alice", now()));
        Instant purgeAt = expired.get(0).family().expiresAt();

        int batch;
        int calls = 0;
        do {
            long before = present(expired);
            batch = store().purgeExpired(purgeAt, 3);
            long deleted = before - present(expired);
            assertThat(deleted).as("families deleted by one call with maxRows 3").isBetween(0L, 3L);
            assertThat(batch).as("what the call reports").isEqualTo((int) deleted);
            assertThat(++calls).as("calls").isLessThanOrEqualTo(10);
        } while (batch >= 3);

        assertThat(present(expired)).as("expired families left once a call returned less than maxRows").isZero();
        assertThat(stored(live.id())).isEqualTo(live);
    }

    private long present(List<FamilyRecord> families) {
        return families.stream().filter(f -> store().findFamily(f.id()).isPresent()).count();
    }

    @Test
    void aFamilyIsPurgedAtExactlyItsAbsoluteExpiryAndNotBefore() {
        FamilyRecord family = create(first("ending", "alice", now()));
        Instant expiry = family.family().expiresAt();

        assertThat(store().purgeExpired(expiry.minusMillis(1), 100)).isZero();
        assertThat(stored(family.id())).isEqualTo(family);

        assertThat(store().purgeExpired(expiry, 100)).isEqualTo(1);
        assertThat(store().findFamily(family.id())).isEmpty();
    }

    @Test
    void aLiveFamilyIsNeverPurgedWhateverItsState() {
        Instant start = now();
        FamilyRecord idle = create(first("idle", "alice", start));
        FamilyRecord revoked = create(first("revoked", "alice", start));
        store().revokeFamily(revoked.id(), RevocationReason.REUSE_DETECTED, start);
        FamilyRecord rotated = create(first("rotated", "alice", start));
        for (int i = 0; i < 5; i++) {
            clock().advance(Duration.ofMinutes(50));
            rotated = store().rotate(next(rotated, now(), Records.GRACE)).record().orElseThrow();
        }
        clock().advance(Duration.ofSeconds(10));
        FamilyRecord fresh = create(first("fresh", "alice", now()));
        List<FamilyRecord> before = List.of(stored(fresh.id()), stored(idle.id()), stored(revoked.id()),
                stored(rotated.id()));
        long records = recordCount();

        assertThat(store().purgeExpired(now(), 100)).isZero();

        for (FamilyRecord family : before) {
            assertThat(store().findFamily(family.id())).contains(family);
        }
        assertThat(recordCount()).isEqualTo(records);
        assertThat(idle.idleExpiresAt()).isBefore(now());
    }

    @Test
    void aGraceWindowIsDroppedOnceItHasPassedAndNothingElseChanges() {
        FamilyRecord first = create(first("grace", "alice", now()));
        FamilyRecord rotated = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
        Instant end = rotated.grace().orElseThrow().until();

        assertThat(store().purgeExpired(end.minusMillis(1), 100)).isZero();
        assertThat(stored(first.id())).isEqualTo(rotated);

        assertThat(store().purgeExpired(end, 100)).isEqualTo(1);
        assertThat(stored(first.id())).isEqualTo(rotated.withoutGrace());
        assertThat(store().purgeExpired(end, 100)).isZero();
    }

    @Test
    void anAccessTokenDenialIsPurgedAtItsExpiryAndNotBefore() {
        Instant start = now();
        Instant expiry = start.plusSeconds(900);
        store().revokeAccessToken("jti-1", expiry);

        assertThat(store().purgeExpired(expiry.minusMillis(1), 100)).isZero();
        assertThat(store().revocationStatus(Optional.empty(), "jti-1", start).accessTokenRevoked()).isTrue();

        assertThat(store().purgeExpired(expiry, 100)).isEqualTo(1);
        assertThat(store().revocationStatus(Optional.empty(), "jti-1", start).accessTokenRevoked())
                .as("asked about an earlier instant, a purged denial is gone").isFalse();
    }
}
