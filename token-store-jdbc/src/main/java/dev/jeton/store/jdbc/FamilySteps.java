package dev.jeton.store.jdbc;

import static dev.jeton.store.jdbc.FamilyRows.record;
import static dev.jeton.store.jdbc.FamilyRows.select;
import static dev.jeton.store.jdbc.FamilyRows.setMillis;
import static dev.jeton.store.jdbc.FamilyRows.setUsable;
import static dev.jeton.store.jdbc.FamilyRows.toMillis;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.Revocation;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conditional steps of a {@link JdbcTokenStore} on one family row (rotate, claim a grace use, slide, revoke), each
 * applied or refused by the database as a whole, in the form the dialect allows ({@link Dialect.Steps}); and, when the
 * answer to one is lost, the row read again to settle what happened. Arguments are checked by the store. Thread-safe.
 */
final class FamilySteps {

    /** Under the store's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTokenStore.class);

    private final Dialect dialect;
    private final Sql sql;
    private final Transactions transactions;

    FamilySteps(Dialect dialect, Sql sql, Transactions transactions) {
        this.dialect = dialect;
        this.sql = sql;
        this.transactions = transactions;
    }

    StepResult rotate(Rotation rotation) {
        long presented = rotation.presentedGeneration();
        Optional<GraceWindow> grace = rotation.grace().map(g -> new GraceWindow(g.previousHash(),
                g.sealedSuccessor(), toMillis(g.until()), 0));
        Instant idle = toMillis(rotation.successorIdleExpiresAt());
        Instant now = rotation.now();
        return step(new Step("rotating family " + rotation.familyId(), rotation.familyId(), sql.rotate(), ps -> {
            ps.setString(1, rotation.successorHash());
            ps.setLong(2, idle.toEpochMilli());
            ps.setString(3, grace.map(GraceWindow::previousHash).orElse(null));
            ps.setString(4, grace.map(GraceWindow::sealedSuccessor).orElse(null));
            setMillis(ps, 5, grace.map(GraceWindow::until));
            ps.setString(6, rotation.familyId());
            ps.setLong(7, presented);
            ps.setString(8, rotation.presentedHash());
            setUsable(ps, 9, now);
        }, r -> r.acceptsCurrent(presented, rotation.presentedHash(), now),
                r -> new FamilyRecord(r.family(), presented + 1, rotation.successorHash(), idle, grace,
                        Optional.empty()), r -> {
            if (r.generation() == presented + 1 && r.currentHash().equals(rotation.successorHash())) {
                return Outcome.APPLIED;
            }
            // Only this rotation leads from the presented token to its successor: up to one generation further, the
            // row shows that it did not apply (or could not have); beyond, a later rotation hides what happened.
            return r.generation() <= presented + 1 ? Outcome.NOT_APPLIED : Outcome.UNKNOWN;
        }));
    }

    /** See {@link JdbcTokenStore#claimGrace}: a lost claim on a window used at least once is taken as applied. */
    StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        Step step = new Step("claiming the grace window of family " + familyId, familyId, sql.claimGrace(), ps -> {
            ps.setString(1, familyId);
            ps.setString(2, previousHash);
            ps.setLong(3, now.toEpochMilli());
            ps.setInt(4, maxUses);
            setUsable(ps, 5, now);
        }, r -> r.acceptsGraceClaim(previousHash, maxUses, now), UnaryOperator.identity(), r -> {
            Optional<GraceWindow> window = r.grace().filter(g -> g.previousHash().equals(previousHash));
            if (window.isEmpty()) {
                return Outcome.UNKNOWN;
            }
            return window.get().uses() > 0 ? Outcome.APPLIED : Outcome.NOT_APPLIED;
        });
        return dialect.steps() == Dialect.Steps.UPDATE_THEN_SELECT ? claimAgainstTheCountRead(step, now)
                : step(step);
    }

    /**
     * A grace claim where the database cannot return the row it changed: read the row, and claim the next use only
     * if the count is still the one read, so the record after the claim is exactly the one read with one more use.
     * A claim that loses to another step on the row reads again; each such round follows another step's success, so
     * the rounds end.
     */
    private StepResult claimAgainstTheCountRead(Step step, Instant now) {
        while (true) {
            Optional<StepResult> result = transactions.run(step.what, (c, attempt) -> {
                Optional<FamilyRecord> read = select(c, sql.selectFamily(), step.familyId);
                if (read.isEmpty() || !step.accepts.test(read.get())) {
                    return Optional.of(StepResult.refused(read));
                }
                FamilyRecord before = read.get();
                GraceWindow window = before.grace().orElseThrow();
                attempt.writing();
                try (PreparedStatement ps = c.prepareStatement(sql.claimGraceAtCount())) {
                    ps.setString(1, step.familyId);
                    ps.setLong(2, before.generation());
                    ps.setString(3, window.previousHash());
                    ps.setInt(4, window.uses());
                    ps.setLong(5, now.toEpochMilli());
                    setUsable(ps, 6, now);
                    boolean claimed = ps.executeUpdate() == 1;
                    attempt.wrote(claimed);
                    return claimed ? Optional.of(StepResult.applied(before.graceUsed())) : Optional.empty();
                }
            }, lost -> Optional.of(resolve(step, lost)));
            if (result.isPresent()) {
                return result.get();
            }
        }
    }

    StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt, Instant now) {
        Instant idle = toMillis(newIdleExpiresAt);
        return step(new Step("sliding family " + familyId, familyId, sql.slide(), ps -> {
            ps.setLong(1, idle.toEpochMilli());
            ps.setString(2, familyId);
            ps.setLong(3, generation);
            ps.setString(4, currentHash);
            setUsable(ps, 5, now);
        }, r -> r.acceptsCurrent(generation, currentHash, now),
                r -> new FamilyRecord(r.family(), generation, currentHash, idle, r.grace(), Optional.empty()), r -> {
            if (r.generation() != generation || !r.currentHash().equals(currentHash)) {
                return Outcome.UNKNOWN;
            }
            return r.idleExpiresAt().equals(idle) ? Outcome.APPLIED : Outcome.NOT_APPLIED;
        }));
    }

    /** Whether this call revoked the family; a lost answer is settled by the revocation the row shows. */
    boolean revoke(String familyId, RevocationReason reason, Instant now) {
        String what = "revoking family " + familyId;
        return transactions.run(what, (c, attempt) -> {
            attempt.writing();
            try (PreparedStatement ps = c.prepareStatement(sql.revokeFamily())) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, reason.name());
                ps.setString(3, familyId);
                boolean revoked = ps.executeUpdate() == 1;
                attempt.wrote(revoked);
                return revoked;
            }
        }, lost -> {
            Optional<FamilyRecord> read = recheck(what, familyId, lost);
            if (read.isEmpty()) {
                return false;
            }
            Optional<Revocation> revocation = read.get().revocation();
            if (revocation.isEmpty()) {
                throw Transactions.nothingChanged(what, lost);
            }
            return revocation.get().reason() == reason
                    && revocation.get().at().toEpochMilli() == now.toEpochMilli();
        });
    }

    /**
     * The family read again after a lost answer, on a fresh connection, with a locking read: it waits for a change
     * still in flight on the row and then sees the last one committed.
     */
    Optional<FamilyRecord> recheck(String what, String familyId, SQLException lost) {
        try {
            return transactions.run(what + ": checking the outcome",
                    (c, attempt) -> select(c, sql.lockingSelectFamily(), familyId), null);
        } catch (TokenStoreException e) {
            throw Transactions.unknown(what, lost, e);
        }
    }

    /** What a row read after a lost answer says of a step. */
    private enum Outcome { APPLIED, NOT_APPLIED, UNKNOWN }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * One conditional step on a family row.
     *
     * @param accepts whether the step would apply to a record (nothing changed yet)
     * @param after the record right after the step, from any later read of the row (whose family never changes):
     *     exact for a rotation or a slide, which set every value that can change; the row as read for a claim
     * @param outcome what a record read after a lost answer says of the step
     */
    private record Step(String what, String familyId, String sql, Binder binder, Predicate<FamilyRecord> accepts,
                        UnaryOperator<FamilyRecord> after, Function<FamilyRecord, Outcome> outcome) {
    }

    private StepResult step(Step step) {
        return transactions.run(step.what, (c, attempt) -> {
            attempt.writing();
            if (dialect.steps() == Dialect.Steps.UPDATE_THEN_SELECT) {
                int changed;
                try (PreparedStatement ps = c.prepareStatement(step.sql)) {
                    step.binder.bind(ps);
                    changed = ps.executeUpdate();
                }
                attempt.wrote(changed == 1);
                // In autocommit another step may follow this one before the read: the read gives the family, the
                // step itself the rest. A row changed and then gone was purged meanwhile: to the caller it is gone.
                Optional<FamilyRecord> read = select(c, sql.selectFamily(), step.familyId);
                return changed == 1 && read.isPresent() ? StepResult.applied(step.after.apply(read.get()))
                        : StepResult.refused(read);
            }
            Optional<FamilyRecord> after;
            try (PreparedStatement ps = c.prepareStatement(step.sql)) {
                step.binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    after = rs.next() ? Optional.of(record(rs)) : Optional.empty();
                }
            }
            attempt.wrote(after.isPresent());
            return after.isPresent() ? StepResult.applied(after.get())
                    : StepResult.refused(select(c, sql.selectFamily(), step.familyId));
        }, lost -> resolve(step, lost));
    }

    /** Settles a step whose answer was lost, from the row read again (see the store's class comment). */
    private StepResult resolve(Step step, SQLException lost) {
        Optional<FamilyRecord> read = recheck(step.what, step.familyId, lost);
        Outcome outcome = read.map(step.outcome).orElse(Outcome.NOT_APPLIED);
        if (outcome == Outcome.APPLIED) {
            LOG.info("{}: the connection was lost (SQLState {}); the step had applied", step.what,
                    lost.getSQLState());
            return StepResult.applied(step.after.apply(read.get()));
        }
        if (outcome == Outcome.UNKNOWN) {
            throw Transactions.unknown(step.what, lost, null);
        }
        if (read.isPresent() && step.accepts.test(read.get())) {
            throw Transactions.nothingChanged(step.what, lost);
        }
        return StepResult.refused(read);
    }
}
