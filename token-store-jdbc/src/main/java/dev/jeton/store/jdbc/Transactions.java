package dev.jeton.store.jdbc;

import dev.jeton.TokenStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link JdbcTokenStore} runs its work: one connection per attempt, in the commit mode the pool gave it, with a
 * {@code COMMIT} after the work when autocommit is off; contention retried with a short randomised backoff; and a
 * connection lost after a change may have reached the database handed to a {@link Resolver}, which settles the outcome
 * (see the store's class comment). Thread-safe.
 */
final class Transactions {

    /** Under the store's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTokenStore.class);

    private final DataSource dataSource;
    private final int maxAttempts;

    Transactions(DataSource dataSource, int maxAttempts) {
        this.dataSource = dataSource;
        this.maxAttempts = maxAttempts;
    }

    /** What one attempt has sent: whether a change may have reached the database, and whether one did. */
    static final class Attempt {
        private final boolean autoCommit;
        private boolean writes;
        private boolean mayHaveApplied;
        private boolean applied;

        private Attempt(boolean autoCommit) {
            this.autoCommit = autoCommit;
        }

        /** Before a statement that changes rows: in autocommit, it is durable the moment the server runs it. */
        void writing() {
            writes = true;
            mayHaveApplied |= autoCommit;
        }

        /** After it, with whether it changed anything. */
        void wrote(boolean changed) {
            if (autoCommit) {
                applied |= changed;
                mayHaveApplied = applied;
            }
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, Attempt attempt) throws SQLException;
    }

    /** Settles a lost answer (see the class comment): returns the outcome, or throws a {@link TokenStoreException}. */
    @FunctionalInterface
    interface Resolver<T> {
        T resolve(SQLException lost);
    }

    /** A connection error after something that may have changed the database was sent. */
    private static final class LostAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        LostAnswer(SQLException cause) {
            super(cause);
        }
    }

    /**
     * Runs {@code work} on one connection in the mode the pool gave it, committing after it when autocommit is off;
     * retries contention; settles a lost answer with {@code resolver} (null for work that writes nothing).
     */
    <T> T run(String what, Work<T> work, Resolver<T> resolver) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (LostAnswer lost) {
                return resolver.resolve((SQLException) lost.getCause());
            } catch (SQLException e) {
                if (isIntegrityViolation(e)) {
                    throw new IllegalStateException(what + ": a row with the same key exists (SQLState "
                            + e.getSQLState() + ")", e);
                }
                if (isContention(e) && attempt < maxAttempts) {
                    LOG.debug("{}: contention (SQLState {}), attempt {} of {}", what, e.getSQLState(), attempt,
                            maxAttempts);
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L << Math.min(attempt, 6)));
                    continue;
                }
                throw new TokenStoreException(what + " failed (SQLState " + e.getSQLState() + "); nothing changed",
                        e);
            }
        }
    }

    private <T> T once(Work<T> work) throws SQLException, LostAnswer {
        Connection c = dataSource.getConnection();
        Attempt attempt = null;
        try {
            attempt = new Attempt(c.getAutoCommit());
            T result = work.run(c, attempt);
            if (!attempt.autoCommit) {
                attempt.mayHaveApplied = attempt.writes;
                c.commit();
            }
            return result;
        } catch (SQLException e) {
            if (attempt != null && (attempt.applied || attempt.mayHaveApplied && isConnectionLoss(e))) {
                throw new LostAnswer(e);
            }
            rollback(c, attempt, e);
            throw e;
        } catch (RuntimeException | Error e) {
            rollback(c, attempt, e);
            throw e;
        } finally {
            try {
                c.close();
            } catch (SQLException e) {
                // The work is done and answered; a pool that cannot take the connection back is the pool's matter.
                LOG.debug("closing a connection failed (SQLState {})", e.getSQLState());
            }
        }
    }

    private static void rollback(Connection c, Attempt attempt, Throwable failure) {
        if (attempt != null && !attempt.autoCommit) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                failure.addSuppressed(rollback);
            }
        }
    }

    /** A lost answer settled: the change had not applied. */
    static TokenStoreException nothingChanged(String what, SQLException lost) {
        return new TokenStoreException(what + " lost its connection (SQLState " + lost.getSQLState()
                + ") before it applied: nothing changed", lost);
    }

    /** A lost answer that cannot be settled: by the row read again ({@code check} null), or because that read failed. */
    static TokenStoreException unknown(String what, SQLException lost, Exception check) {
        LOG.warn("{}: the connection was lost (SQLState {}) after the change was sent; the outcome is unknown", what,
                lost.getSQLState());
        TokenStoreException e = TokenStoreException.withUnknownOutcome(what + " lost its connection (SQLState "
                + lost.getSQLState()
                + ") after the change was sent, and "
                + (check == null ? "the row does not tell whether it applied" : "checking on a fresh connection failed")
                + ": the outcome is unknown", lost);
        if (check != null) {
            e.addSuppressed(check);
        }
        return e;
    }

    private static boolean isContention(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || sql.getErrorCode() == 1213) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A connection exception (SQLSTATE class 08): whatever was sent may or may not have been done. */
    private static boolean isConnectionLoss(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08") || e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException;
    }

    private static boolean isIntegrityViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }
}
