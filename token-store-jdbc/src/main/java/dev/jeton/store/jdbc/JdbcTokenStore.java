package dev.jeton.store.jdbc;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} on any {@link DataSource}: H2, PostgreSQL, MySQL and MariaDB, safe across any number of
 * application instances sharing the database.
 *
 * <pre>{@code
 * JdbcTokenStore store = JdbcTokenStore.builder(dataSource)   // e.g. a HikariDataSource
 *     .createSchemaIfMissing(true)                           // or run schema-<dialect>.sql yourself
 *     .build();
 * }</pre>
 *
 * <p><b>One row per family</b> (one login), whatever the number of refreshes: its identity, its current generation
 * and the hash of its current token, the grace window of its last rotation, its revocation; plus one row per denied
 * access-token {@code jti}. Every step Jeton asks for (rotate, claim a grace use, slide, revoke) is <b>one conditional
 * {@code UPDATE} of the family row by primary key</b>, applied or refused by the database as a whole, so steps on one
 * family are serialised by its row lock and steps on different families never wait for each other. Lookups go by
 * primary key, except the list of a subject's sessions (by the subject index).
 *
 * <p>Round trips: the store works in whatever commit mode the pool hands out and never switches it (on MySQL and
 * MariaDB switching is a round trip of its own). In autocommit each statement is its own transaction; with autocommit
 * off the store commits after its statements. A rotation that applies is one round trip on PostgreSQL
 * ({@code UPDATE … RETURNING}) and H2 ({@code SELECT … FROM FINAL TABLE (UPDATE …)}), and two on MySQL and MariaDB
 * ({@code UPDATE}, then a read of the row; a grace claim reads first and claims against the use count it read), each
 * plus a {@code COMMIT} with autocommit off; a refused step adds a read of the row by primary key (for Jeton to
 * classify) on PostgreSQL and H2.
 *
 * <p>Failures: serialisation failures and deadlocks (SQLSTATE 40001, 40P01, MySQL error 1213) are retried with a
 * short randomised backoff. When a change may have reached the database but its answer was lost (a connection error,
 * SQLSTATE class 08, after the statement or the {@code COMMIT} was sent), the store reads the row on a fresh
 * connection with a locking read, which waits for a change still in flight on that row, and answers from it: the step
 * applied, or it did not (a retryable {@link TokenStoreException} saying nothing changed, or the refusal the row
 * shows), or, if that read fails too, a {@link TokenStoreException} saying the outcome is unknown. Any other failure
 * is a {@link TokenStoreException} after a rollback: nothing changed.
 *
 * <p>Rows hold token hashes, never tokens; the family's claims are kept as the exact JSON text Jeton wrote, never
 * parsed; times are {@code BIGINT} epoch milliseconds. Text is compared exactly, case and trailing spaces included:
 * the scripts use {@code VARCHAR} and byte-wise, no-pad collations, and every lookup by a caller's text (session id,
 * subject, {@code jti}) checks the row's value again in Java, so that a table created with another collation still
 * answers exactly. The DDL ships per dialect as {@link Dialect#schemaResource()}. Thread-safe.
 */
public final class JdbcTokenStore implements TokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTokenStore.class);
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,30}");

    private final Dialect dialect;
    private final String prefix;
    private final Sql sql;
    private final Transactions transactions;
    private final FamilySteps steps;
    private final AccessTokenDenials denials;
    private final Purger purger;

    private JdbcTokenStore(DataSource dataSource, Dialect dialect, String prefix, int maxAttempts) {
        this.dialect = dialect;
        this.prefix = prefix;
        this.sql = Sql.of(dialect, prefix);
        this.transactions = new Transactions(dataSource, maxAttempts);
        this.steps = new FamilySteps(dialect, sql, transactions);
        this.denials = new AccessTokenDenials(sql, transactions);
        this.purger = new Purger(sql, transactions);
    }

    /** Starts a builder for a store on {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** The dialect in use. */
    public Dialect dialect() {
        return dialect;
    }

    /** The table prefix in use. */
    public String tablePrefix() {
        return prefix;
    }

    /**
     * The DDL for a dialect and table prefix, as the statements of {@link Dialect#schemaResource()}, for migration
     * tools that want them.
     *
     * @throws IllegalArgumentException if the prefix does not match {@code [a-z][a-z0-9_]{0,30}}
     */
    public static List<String> schemaStatements(Dialect dialect, String tablePrefix) {
        checkPrefix(tablePrefix);
        return Schema.statements(dialect, tablePrefix);
    }

    private static void checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("the table prefix must match [a-z][a-z0-9_]{0,30}, e.g. 'jeton_'");
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the record is not a new family (generation 0, no grace window, not revoked)
     * @throws IllegalStateException if a family with this id exists
     * @throws TokenStoreException if the database fails; nothing was stored unless the message says the outcome is
     *     unknown
     */
    @Override
    public void createFamily(FamilyRecord first) {
        Objects.requireNonNull(first, "first").requireNew();
        RefreshFamily family = first.family();
        String what = "creating family " + family.id();
        transactions.run(what, (c, attempt) -> {
            attempt.writing();
            try (PreparedStatement ps = c.prepareStatement(sql.insertFamily())) {
                ps.setString(1, family.id());
                ps.setString(2, family.subject());
                ps.setString(3, family.clientId());
                ps.setString(4, String.join(" ", family.scopes()));
                ps.setString(5, family.claimsJson());
                ps.setLong(6, family.createdAt().toEpochMilli());
                ps.setLong(7, family.expiresAt().toEpochMilli());
                ps.setString(8, first.currentHash());
                ps.setLong(9, first.idleExpiresAt().toEpochMilli());
                attempt.wrote(ps.executeUpdate() == 1);
            }
            return null;
        }, lost -> {
            Optional<FamilyRecord> read = steps.recheck(what, family.id(), lost);
            if (read.isEmpty()) {
                throw Transactions.nothingChanged(what, lost);
            }
            if (read.get().generation() == 0 && read.get().currentHash().equals(first.currentHash())) {
                LOG.info("{}: the connection was lost (SQLState {}), the family is there", what, lost.getSQLState());
                return null;
            }
            throw Transactions.unknown(what, lost, null);
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails or the row cannot be read
     */
    @Override
    public Optional<FamilyRecord> findFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return transactions.run("looking up family " + familyId,
                (c, attempt) -> FamilyRows.select(c, sql.selectFamily(), familyId), null);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails; nothing changed unless the message says the outcome is
     *     unknown
     */
    @Override
    public StepResult rotate(Rotation rotation) {
        return steps.rotate(Objects.requireNonNull(rotation, "rotation"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the answer to a claim is lost and the row shows the window used at least once, the claim is taken as
     * applied: the window may then hand out its successor once more than {@code maxUses}.
     *
     * @throws TokenStoreException if the database fails; nothing changed unless the message says the outcome is
     *     unknown
     */
    @Override
    public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(now, "now");
        return steps.claimGrace(familyId, previousHash, maxUses, now);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails; nothing changed unless the message says the outcome is
     *     unknown
     */
    @Override
    public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                            Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(currentHash, "currentHash");
        Objects.requireNonNull(newIdleExpiresAt, "newIdleExpiresAt");
        Objects.requireNonNull(now, "now");
        return steps.slide(familyId, generation, currentHash, newIdleExpiresAt, now);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails; nothing changed unless the message says the outcome is
     *     unknown
     */
    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(now, "now");
        return steps.revoke(familyId, reason, now);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails
     */
    @Override
    public List<FamilyRecord> liveFamilies(String subject, Instant now) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
        return transactions.run("listing live families", (c, attempt) -> {
            try (PreparedStatement ps = c.prepareStatement(sql.liveFamilies())) {
                ps.setString(1, subject);
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    List<FamilyRecord> families = new ArrayList<>();
                    while (rs.next()) {
                        if (subject.equals(rs.getString(2))) {
                            families.add(FamilyRows.record(rs));
                        }
                    }
                    return families;
                }
            }
        }, null);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails; denying again is safe
     */
    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        denials.deny(jti, expiresAt);
    }

    /**
     * {@inheritDoc} One statement answers both.
     *
     * @throws TokenStoreException if the database fails
     */
    @Override
    public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(now, "now");
        return denials.status(familyId, jti, now);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each kind of row is found by its index ({@code expires_at}, {@code grace_until}) with a plain read, which
     * locks nothing, then changed by primary key, 100 rows per statement, each statement its own
     * short transaction that re-checks the condition: so a purge never holds locks on rows it does not change, and
     * never holds any for long (on MySQL and MariaDB under REPEATABLE READ, a range {@code DELETE} or {@code UPDATE}
     * would lock every row and gap it scans).
     *
     * @throws TokenStoreException if the database fails (earlier batches stay done; purging again is safe)
     */
    @Override
    public int purgeExpired(Instant now, int maxRows) {
        Objects.requireNonNull(now, "now");
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive");
        }
        return purger.expired(now, maxRows);
    }

    @Override
    public String toString() {
        return "JdbcTokenStore[" + dialect + ", prefix=" + prefix + "]";
    }

    /** Configures a {@link JdbcTokenStore}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private Dialect dialect;
        private String tablePrefix;
        private Boolean createSchema;
        private Integer maxAttempts;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        private static void requireNotSet(String option, Object current) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }

        /**
         * The database dialect; detected from the connection's metadata when not set.
         *
         * @throws IllegalStateException if already set
         */
        public Builder dialect(Dialect dialect) {
            requireNotSet("dialect", this.dialect);
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The prefix of the two tables ({@code <prefix>family}, {@code <prefix>denied_jti}), matching
         * {@code [a-z][a-z0-9_]{0,30}}. Default {@code jeton_}.
         *
         * @throws IllegalArgumentException if it does not match
         * @throws IllegalStateException if already set
         */
        public Builder tablePrefix(String tablePrefix) {
            requireNotSet("tablePrefix", this.tablePrefix);
            checkPrefix(tablePrefix);
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * Whether {@link #build()} creates missing tables and indexes with the dialect's script. Default false:
         * production schemas usually belong to a migration tool, which can run {@link Dialect#schemaResource()}.
         *
         * @throws IllegalStateException if already set
         */
        public Builder createSchemaIfMissing(boolean create) {
            requireNotSet("createSchemaIfMissing", this.createSchema);
            this.createSchema = create;
            return this;
        }

        /**
         * How many times an operation is tried when the database reports contention. Default 5; 1 to 50.
         *
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder maxAttempts(int attempts) {
            requireNotSet("maxAttempts", this.maxAttempts);
            if (attempts < 1 || attempts > 50) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 50, got " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Builds the store, detecting the dialect if needed and creating the schema if asked.
         *
         * @throws TokenStoreException if the database cannot be reached or the schema cannot be created
         * @throws IllegalArgumentException if the database is not one Jeton supports
         */
        public JdbcTokenStore build() {
            Dialect d = dialect;
            if (d == null) {
                try (Connection c = dataSource.getConnection()) {
                    d = Dialect.detect(c.getMetaData());
                } catch (SQLException e) {
                    throw new TokenStoreException("cannot reach the database to detect its dialect (SQLState "
                            + e.getSQLState() + ")", e);
                }
            }
            JdbcTokenStore store = new JdbcTokenStore(dataSource, d, tablePrefix != null ? tablePrefix : "jeton_",
                    maxAttempts != null ? maxAttempts : 5);
            if (Boolean.TRUE.equals(createSchema)) {
                Schema.create(store.transactions, d, store.prefix);
            }
            return store;
        }
    }
}
