package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.InvalidTokenException;
import dev.jeton.RevocationReason;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Revocation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Concurrent requests through {@link TokenService}s on the store: threads released together by a latch, alternating
 * between an instance that knows the family and one that keeps no sessions in memory (as two nodes of a cluster).
 */
abstract class ServiceRaceChecks extends ContractGroup {

    ServiceRaceChecks(TokenStoreContract contract) {
        super(contract);
    }

    /** A service and a second one with the same options that reads every family from the store. */
    private List<TokenService> nodes(int graceUses) {
        if (graceUses == 0) {
            return List.of(service(), service(b -> b.sessionCache(0)));
        }
        return List.of(service(b -> b.reuseGrace(Records.GRACE).reuseGraceUses(graceUses)),
                service(b -> b.reuseGrace(Records.GRACE).reuseGraceUses(graceUses).sessionCache(0)));
    }

    private static Set<String> refreshTokens(List<Race.Outcome<TokenPair>> outcomes) {
        return outcomes.stream().filter(Race.Outcome::succeeded).map(o -> o.value().refreshToken().orElseThrow())
                .collect(Collectors.toSet());
    }

    @Test
    void ofManyPresentersOfOneTokenExactlyOneWinsAndTheOthersRevokeTheFamily() {
        List<TokenService> nodes = nodes(0);
        for (int round = 0; round < rounds(); round++) {
            TokenPair pair = nodes.get(0).issue(login("alice-" + round));

            List<Race.Outcome<TokenPair>> outcomes = Race.run(threads(),
                    i -> nodes.get(i % 2).refresh(refreshOf(pair)));

            assertThat(outcomes).filteredOn(Race.Outcome::succeeded).as("successes in round %d", round).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded())
                    .allSatisfy(o -> assertThat(o.grantReason()).isEqualTo(Reason.REUSED));
            FamilyRecord after = stored(pair.sessionId().orElseThrow());
            assertThat(after.revocation().map(Revocation::reason)).contains(RevocationReason.REUSE_DETECTED);
            assertThat(after.generation()).isEqualTo(1);
            String winner = refreshTokens(outcomes).iterator().next();
            assertThat(grantFailure(() -> nodes.get(1).refresh(refreshOf(winner)))).isEqualTo(Reason.REVOKED);
        }
    }

    @Test
    void withAGraceWindowAllConcurrentPresentersGetTheSameSuccessor() {
        List<TokenService> nodes = nodes(threads());
        for (int round = 0; round < rounds(); round++) {
            TokenPair pair = nodes.get(0).issue(login("bob-" + round));

            List<Race.Outcome<TokenPair>> outcomes = Race.run(threads(),
                    i -> nodes.get(i % 2).refresh(refreshOf(pair)));

            assertThat(outcomes).as("round %d", round).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
            Set<String> successors = refreshTokens(outcomes);
            assertThat(successors).hasSize(1);
            FamilyRecord after = stored(pair.sessionId().orElseThrow());
            assertThat(after.isRevoked()).isFalse();
            assertThat(after.generation()).isEqualTo(1);
            assertThat(after.grace().orElseThrow().uses()).isEqualTo(threads() - 1);
            String successor = successors.iterator().next();
            assertThat(nodes.get(1).refresh(refreshOf(successor)).refreshToken()).isPresent()
                    .isNotEqualTo(Optional.of(successor));
        }
    }

    @Test
    void withAGraceWindowOnlyTheAllowedUsesGetTheSuccessorAndTheRestIsReuse() {
        int uses = 2;
        List<TokenService> nodes = nodes(uses);
        for (int round = 0; round < rounds(); round++) {
            TokenPair pair = nodes.get(0).issue(login("bob-" + round));

            List<Race.Outcome<TokenPair>> outcomes = Race.run(threads(),
                    i -> nodes.get(i % 2).refresh(refreshOf(pair)));

            assertThat(outcomes).filteredOn(Race.Outcome::succeeded).as("successes in round %d", round)
                    .hasSize(1 + uses);
            assertThat(refreshTokens(outcomes)).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded())
                    .allSatisfy(o -> assertThat(o.grantReason()).isEqualTo(Reason.REUSED));
            assertThat(stored(pair.sessionId().orElseThrow()).isRevoked()).isTrue();
        }
    }

    @Test
    void graceReplaysRacingTheSuccessorsRotationNeverFork() {
        List<TokenService> nodes = nodes(threads());
        for (int round = 0; round < rounds(); round++) {
            TokenPair first = nodes.get(0).issue(login("gus-" + round));
            TokenPair second = nodes.get(0).refresh(refreshOf(first));

            List<Race.Outcome<TokenPair>> outcomes = Race.run(threads(),
                    i -> nodes.get(i % 2).refresh(refreshOf(i == 0 ? second : first)));

            assertThat(outcomes.get(0).succeeded()).as("the successor's rotation, round %d", round).isTrue();
            String third = outcomes.get(0).value().refreshToken().orElseThrow();
            List<Race.Outcome<TokenPair>> replays = outcomes.subList(1, threads());
            assertThat(refreshTokens(replays)).as("what the replays got").isSubsetOf(second.refreshToken().get());
            assertThat(replays).filteredOn(o -> !o.succeeded())
                    .allSatisfy(o -> assertThat(o.grantReason()).isEqualTo(Reason.REUSED));
            boolean reuseSeen = replays.stream().anyMatch(o -> !o.succeeded());
            FamilyRecord after = stored(first.sessionId().orElseThrow());
            assertThat(after.isRevoked()).as("revoked exactly when a replay came too late").isEqualTo(reuseSeen);
            if (reuseSeen) {
                assertThat(grantFailure(() -> nodes.get(1).refresh(refreshOf(third)))).isEqualTo(Reason.REVOKED);
            } else {
                assertThat(after.generation()).isEqualTo(2);
                assertThat(nodes.get(1).refresh(refreshOf(third)).refreshToken()).isPresent();
            }
        }
    }

    @Test
    void aRevocationRacingRefreshesLeavesNothingOfTheFamilyUsable() {
        List<TokenService> nodes = nodes(0);
        for (int round = 0; round < rounds(); round++) {
            String subject = "carol-" + round;
            TokenPair pair = nodes.get(0).issue(login(subject));
            List<TokenPair> issued = new CopyOnWriteArrayList<>(List.of(pair));

            Race.run(threads(), i -> {
                TokenService node = nodes.get(i % 2);
                if (i == 0) {
                    node.revoke(pair.refreshToken().orElseThrow());
                } else if (i == 1) {
                    TokenPair current = pair;
                    for (int step = 0; step < 5; step++) {
                        current = node.refresh(refreshOf(current));
                        issued.add(current);
                    }
                } else {
                    node.revokeAll(subject);
                }
                return null;
            });

            for (TokenPair p : issued) {
                assertThat(grantFailure(() -> nodes.get(0).refresh(refreshOf(p)))).as("round %d", round)
                        .isIn(Reason.REVOKED, Reason.REUSED);
                for (TokenService node : nodes) {
                    assertThatThrownBy(() -> node.validate(p.accessToken()))
                            .isInstanceOfSatisfying(InvalidTokenException.class,
                                    e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
                }
                assertThat(store().revocationStatus(p.sessionId(), p.accessTokenId(), now()).sessionRevoked())
                        .isTrue();
            }
            assertThat(stored(pair.sessionId().orElseThrow()).isRevoked()).isTrue();
        }
    }
}
