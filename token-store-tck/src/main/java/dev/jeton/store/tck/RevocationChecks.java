package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Revocation;
import dev.jeton.store.RevocationStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code revokeFamily}, {@code revokeAccessToken} and {@code revocationStatus}: the first revocation is kept, a denial
 * lasts until its expiry, and a family that is gone counts as revoked.
 */
abstract class RevocationChecks extends ContractGroup {

    RevocationChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void revokingSetsTheRevocationDropsTheGraceWindowAndKeepsTheRest() {
        FamilyRecord first = create(first("revoke", "alice", now()));
        FamilyRecord rotated = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
        Instant at = now().plusSeconds(1);

        assertThat(store().revokeFamily(first.id(), RevocationReason.LOGOUT, at)).isTrue();

        FamilyRecord revoked = stored(first.id());
        assertThat(revoked).isEqualTo(new FamilyRecord(rotated.family(), 1, rotated.currentHash(),
                rotated.idleExpiresAt(), Optional.empty(), Optional.of(new Revocation(at, RevocationReason.LOGOUT))));
    }

    @Test
    void theFirstRevocationIsKept() {
        FamilyRecord first = create(first("twice", "alice", now()));
        Instant at = now().plusSeconds(1);
        store().revokeFamily(first.id(), RevocationReason.SESSION_REVOKED, at);

        assertThat(store().revokeFamily(first.id(), RevocationReason.REUSE_DETECTED, at.plusSeconds(5))).isFalse();
        assertThat(store().revokeFamily(first.id(), RevocationReason.SESSION_REVOKED, at.plusSeconds(6))).isFalse();

        assertThat(stored(first.id()).revocation())
                .contains(new Revocation(at, RevocationReason.SESSION_REVOKED));
    }

    @Test
    void revokingAnUnknownFamilyRevokesNothing() {
        FamilyRecord other = create(first("other", "alice", now()));

        assertThat(store().revokeFamily(Records.familyId("unknown"), RevocationReason.LOGOUT, now())).isFalse();

        assertThat(store().findFamily(Records.familyId("unknown"))).isEmpty();
        assertThat(stored(other.id())).isEqualTo(other);
    }

    @Test
    void revokingOneFamilyLeavesTheSubjectsOthersAlone() {
        FamilyRecord phone = create(first("phone", "alice", now()));
        FamilyRecord laptop = create(first("laptop", "alice", now()));

        store().revokeFamily(phone.id(), RevocationReason.SESSION_REVOKED, now());

        assertThat(stored(laptop.id())).isEqualTo(laptop);
    }

    @Test
    void aDeniedAccessTokenIsRevokedUntilExactlyItsExpiry() {
        Instant expiry = now().plusSeconds(900);
        store().revokeAccessToken("jti-1", expiry);

        assertThat(store().revocationStatus(Optional.empty(), "jti-1", now()))
                .isEqualTo(new RevocationStatus(false, true));
        assertThat(store().revocationStatus(Optional.empty(), "jti-1", expiry.minusMillis(1)).accessTokenRevoked())
                .isTrue();
        assertThat(store().revocationStatus(Optional.empty(), "jti-1", expiry).accessTokenRevoked()).isFalse();
        assertThat(store().revocationStatus(Optional.empty(), "jti-2", now())).isEqualTo(RevocationStatus.NONE);
    }

    @Test
    void denyingAnAccessTokenTwiceIsHarmless() {
        Instant expiry = now().plusSeconds(900);
        store().revokeAccessToken("jti-1", expiry);

        store().revokeAccessToken("jti-1", expiry);

        assertThat(store().revocationStatus(Optional.empty(), "jti-1", expiry.minusMillis(1)).accessTokenRevoked())
                .isTrue();
        assertThat(store().revocationStatus(Optional.empty(), "jti-1", expiry).accessTokenRevoked()).isFalse();
    }

    @Test
    void theStatusAnswersForTheSessionAndTheJtiTogether() {
        FamilyRecord live = create(first("live", "alice", now()));
        FamilyRecord revoked = create(first("revoked", "alice", now()));
        store().revokeFamily(revoked.id(), RevocationReason.LOGOUT, now());
        store().revokeAccessToken("denied", now().plusSeconds(900));

        assertThat(store().revocationStatus(Optional.of(live.id()), "other", now())).isEqualTo(RevocationStatus.NONE);
        assertThat(store().revocationStatus(Optional.of(live.id()), "denied", now()))
                .isEqualTo(new RevocationStatus(false, true));
        assertThat(store().revocationStatus(Optional.of(revoked.id()), "other", now()))
                .isEqualTo(new RevocationStatus(true, false));
        assertThat(store().revocationStatus(Optional.of(revoked.id()), "denied", now()))
                .isEqualTo(new RevocationStatus(true, true));
    }

    @Test
    void aFamilyThatIsGoneCountsAsRevoked() {
        FamilyRecord expired = create(first("expired", "alice", now()));
        Instant later = expired.family().expiresAt();
        store().purgeExpired(later, 100);

        assertThat(store().findFamily(expired.id())).isEmpty();
        assertThat(store().revocationStatus(Optional.of(expired.id()), "jti", later).sessionRevoked()).isTrue();
        assertThat(store().revocationStatus(Optional.of(Records.familyId("never")), "jti", now()).sessionRevoked())
                .isTrue();
    }
}
