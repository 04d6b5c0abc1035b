package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.InvalidGrantException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What every group of checks in {@link TokenStoreContract} shares: the store under test and its clock (made afresh
 * for each test by the contract), services on it, and the assertions on step results.
 */
abstract class ContractGroup {

    /** The fewest threads a race may use. */
    static final int MIN_THREADS = 8;

    private final TokenStoreContract contract;

    ContractGroup(TokenStoreContract contract) {
        this.contract = contract;
    }

    final TokenStore store() {
        return contract.store;
    }

    final TestClock clock() {
        return contract.clock;
    }

    final Instant now() {
        return contract.clock.instant();
    }

    final int threads() {
        int threads = contract.threads();
        if (threads < MIN_THREADS) {
            throw new IllegalStateException("threads() must be at least " + MIN_THREADS + ", got " + threads);
        }
        return threads;
    }

    final int rounds() {
        return contract.concurrencyRounds();
    }

    final long recordCount() {
        return contract.recordCount(contract.store);
    }

    final TokenService service() {
        return contract.service(contract.store, b -> { });
    }

    final TokenService service(Consumer<TokenService.Builder> options) {
        return contract.service(contract.store, options);
    }

    final TokenService service(TokenStore on, Consumer<TokenService.Builder> options) {
        return contract.service(on, options);
    }

    final Iterable<Object> storedValues() {
        return contract.storedValues(contract.store)::iterator;
    }

    /** Creates {@code first} in the store and returns it. */
    final FamilyRecord create(FamilyRecord first) {
        store().createFamily(first);
        return first;
    }

    /** The family as the store holds it now. */
    final FamilyRecord stored(String familyId) {
        return store().findFamily(familyId).orElseThrow(() -> new AssertionError("family " + familyId
                + " is missing from the store"));
    }

    /** Asserts that the step applied, returned {@code expected}, and left the store holding it. */
    final void assertApplied(StepResult result, FamilyRecord expected) {
        assertThat(result.applied()).as("applied").isTrue();
        assertThat(result.record()).as("the record after the step").contains(expected);
        assertThat(store().findFamily(expected.id())).as("the stored record").contains(expected);
    }

    /** Asserts that the step was refused, returned the record as it stood, and changed nothing. */
    final void assertRefused(StepResult result, FamilyRecord asItStood) {
        assertThat(result.applied()).as("applied").isFalse();
        assertThat(result.record()).as("the record as it stood").contains(asItStood);
        assertThat(store().findFamily(asItStood.id())).as("the stored record").contains(asItStood);
    }

    static IssueRequest login(String subject) {
        return IssueRequest.forSubject(subject).client("web").scopes("openid", "profile", "email").build();
    }

    static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    static RefreshRequest refreshOf(String refreshToken) {
        return RefreshRequest.of(refreshToken).client("web").build();
    }

    /** The reason of the grant error {@code action} throws; fails if it throws none. */
    static InvalidGrantException.Reason grantFailure(Runnable action) {
        try {
            action.run();
        } catch (InvalidGrantException e) {
            return e.reason();
        }
        throw new AssertionError("expected an InvalidGrantException");
    }
}
