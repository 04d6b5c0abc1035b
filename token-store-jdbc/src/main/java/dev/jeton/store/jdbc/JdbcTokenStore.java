package dev.jeton.store.jdbc;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Revocation;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
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
    private static final String COLUMNS = "id, subject, client_id, scopes, claims_json, created_at, expires_at, "
            + "generation, current_hash, idle_expires_at, previous_hash, sealed_successor, grace_until, grace_uses, "
            + "revoked_at, revocation_reason";
    /** {@link FamilyRecord#isUsableAt}: parameters now, now. */
    private static final String USABLE = "revoked_at IS NULL AND expires_at > ? AND idle_expires_at > ?";
    /** Keys per purge statement: each one is a short transaction. */
    private static final int PURGE_CHUNK = 100;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String prefix;
    private final int maxAttempts;

    private final String insertFamily;
    private final String selectFamily;
    private final String lockingSelectFamily;
    private final String rotate;
    private final String claimGrace;
    private final String claimGraceAtCount;
    private final String slide;
    private final String revokeFamily;
    private final String liveFamilies;
    private final String denyJti;
    private final String jtiStatus;
    private final String familyAndJtiStatus;

    private JdbcTokenStore(DataSource dataSource, Dialect dialect, String prefix, int maxAttempts) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.prefix = prefix;
        this.maxAttempts = maxAttempts;
        insertFamily = sql("""
                INSERT INTO ${prefix}family (id, subject, client_id, scopes, claims_json, created_at, expires_at,
                    generation, current_hash, idle_expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""");
        selectFamily = sql("SELECT " + COLUMNS + " FROM ${prefix}family WHERE id = ?");
        lockingSelectFamily = selectFamily + " " + dialect.lockingReadSuffix();
        rotate = step("""
                UPDATE ${prefix}family SET generation = generation + 1, current_hash = ?, idle_expires_at = ?,
                    previous_hash = ?, sealed_successor = ?, grace_until = ?, grace_uses = 0
                WHERE id = ? AND generation = ? AND current_hash = ? AND\s""" + USABLE);
        claimGrace = step("""
                UPDATE ${prefix}family SET grace_uses = grace_uses + 1
                WHERE id = ? AND previous_hash = ? AND grace_until > ? AND grace_uses < ? AND\s""" + USABLE);
        claimGraceAtCount = sql("""
                UPDATE ${prefix}family SET grace_uses = grace_uses + 1
                WHERE id = ? AND generation = ? AND previous_hash = ? AND grace_uses = ? AND grace_until > ? AND\s"""
                + USABLE);
        slide = step("""
                UPDATE ${prefix}family SET idle_expires_at = ?
                WHERE id = ? AND generation = ? AND current_hash = ? AND\s""" + USABLE);
        revokeFamily = sql("""
                UPDATE ${prefix}family SET revoked_at = ?, revocation_reason = ?, previous_hash = NULL,
                    sealed_successor = NULL, grace_until = NULL, grace_uses = 0
                WHERE id = ? AND revoked_at IS NULL""");
        liveFamilies = sql("SELECT " + COLUMNS + " FROM ${prefix}family"
                + " WHERE subject = ? AND revoked_at IS NULL AND expires_at > ?");
        denyJti = sql(dialect.denyJtiSql());
        jtiStatus = sql("SELECT 'j', jti, expires_at FROM ${prefix}denied_jti WHERE jti = ? AND expires_at > ?");
        familyAndJtiStatus = sql("SELECT 'f', id, revoked_at FROM ${prefix}family WHERE id = ? UNION ALL ")
                + jtiStatus;
    }

    private String sql(String template) {
        return template.replace("${prefix}", prefix);
    }

    /** A conditional {@code UPDATE} of one family row, in the form in which this dialect returns the row changed. */
    private String step(String update) {
        String sql = sql(update);
        return switch (dialect.steps()) {
            case RETURNING -> sql + "\nRETURNING " + COLUMNS;
            case FINAL_TABLE -> "SELECT " + COLUMNS + " FROM FINAL TABLE (" + sql + ")";
            case UPDATE_THEN_SELECT -> sql;
        };
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
        String script;
        // Through the class, not its loader: on the module path a class loader finds no resource in this module's
        // package, which is not open; the module's own classes always do.
        try (InputStream in = JdbcTokenStore.class.getResourceAsStream("/" + dialect.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + dialect.schemaResource());
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dialect.schemaResource(), e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).replace("${prefix}", tablePrefix));
                current.setLength(0);
            }
        }
        return List.copyOf(statements);
    }

    private static void checkPrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("the table prefix must match [a-z][a-z0-9_]{0,30}, e.g. 'jeton_'");
        }
    }

    private void createSchema() {
        run("creating the schema", (c, attempt) -> {
            try (Statement statement = c.createStatement()) {
                for (String ddl : schemaStatements(dialect, prefix)) {
                    attempt.writing();
                    statement.execute(ddl);
                    attempt.wrote(true);
                }
            }
            return null;
        }, failed -> {
            throw TokenStoreException.withUnknownOutcome("creating the schema failed (SQLState "
                    + failed.getSQLState() + ") after some of its statements ran; running the script again is safe",
                    failed);
        });
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
        run(what, (c, attempt) -> {
            attempt.writing();
            try (PreparedStatement ps = c.prepareStatement(insertFamily)) {
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
            Optional<FamilyRecord> read = recheck(what, family.id(), lost);
            if (read.isEmpty()) {
                throw nothingChanged(what, lost);
            }
            if (read.get().generation() == 0 && read.get().currentHash().equals(first.currentHash())) {
                LOG.info("{}: the connection was lost (SQLState {}), the family is there", what, lost.getSQLState());
                return null;
            }
            throw unknown(what, lost, null);
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
        return run("looking up family " + familyId, (c, attempt) -> select(c, selectFamily, familyId), null);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if the database fails; nothing changed unless the message says the outcome is
     *     unknown
     */
    @Override
    public StepResult rotate(Rotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        long presented = rotation.presentedGeneration();
        Optional<GraceWindow> grace = rotation.grace().map(g -> new GraceWindow(g.previousHash(),
                g.sealedSuccessor(), toMillis(g.until()), 0));
        Instant idle = toMillis(rotation.successorIdleExpiresAt());
        Instant now = rotation.now();
        return step(new Step("rotating family " + rotation.familyId(), rotation.familyId(), rotate, ps -> {
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
        Step step = new Step("claiming the grace window of family " + familyId, familyId, claimGrace, ps -> {
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
            Optional<StepResult> result = run(step.what, (c, attempt) -> {
                Optional<FamilyRecord> read = select(c, selectFamily, step.familyId);
                if (read.isEmpty() || !step.accepts.test(read.get())) {
                    return Optional.of(StepResult.refused(read));
                }
                FamilyRecord before = read.get();
                GraceWindow window = before.grace().orElseThrow();
                attempt.writing();
                try (PreparedStatement ps = c.prepareStatement(claimGraceAtCount)) {
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
        Instant idle = toMillis(newIdleExpiresAt);
        return step(new Step("sliding family " + familyId, familyId, slide, ps -> {
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

    /** An instant as the database keeps it: whole epoch milliseconds. */
    private static Instant toMillis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
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
        return run(step.what, (c, attempt) -> {
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
                Optional<FamilyRecord> read = select(c, selectFamily, step.familyId);
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
                    : StepResult.refused(select(c, selectFamily, step.familyId));
        }, lost -> resolve(step, lost));
    }

    /** Settles a step whose answer was lost, from the row read again (see the class comment). */
    private StepResult resolve(Step step, SQLException lost) {
        Optional<FamilyRecord> read = recheck(step.what, step.familyId, lost);
        Outcome outcome = read.map(step.outcome).orElse(Outcome.NOT_APPLIED);
        if (outcome == Outcome.APPLIED) {
            LOG.info("{}: the connection was lost (SQLState {}); the step had applied", step.what,
                    lost.getSQLState());
            return StepResult.applied(step.after.apply(read.get()));
        }
        if (outcome == Outcome.UNKNOWN) {
            throw unknown(step.what, lost, null);
        }
        if (read.isPresent() && step.accepts.test(read.get())) {
            throw nothingChanged(step.what, lost);
        }
        return StepResult.refused(read);
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
        String what = "revoking family " + familyId;
        return run(what, (c, attempt) -> {
            attempt.writing();
            try (PreparedStatement ps = c.prepareStatement(revokeFamily)) {
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
                throw nothingChanged(what, lost);
            }
            return revocation.get().reason() == reason
                    && revocation.get().at().toEpochMilli() == now.toEpochMilli();
        });
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
        return run("listing live families", (c, attempt) -> {
            try (PreparedStatement ps = c.prepareStatement(liveFamilies)) {
                ps.setString(1, subject);
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    List<FamilyRecord> families = new ArrayList<>();
                    while (rs.next()) {
                        if (subject.equals(rs.getString(2))) {
                            families.add(record(rs));
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
        String what = "denying access token " + jti;
        Work<Void> deny = (c, attempt) -> {
            attempt.writing();
            try (PreparedStatement ps = c.prepareStatement(denyJti)) {
                ps.setString(1, jti);
                ps.setLong(2, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
            attempt.wrote(true);
            return null;
        };
        // Idempotent: a lost answer is settled by denying again on a fresh connection.
        run(what, deny, lost -> run(what, deny, again -> {
            throw unknown(what, lost, again);
        }));
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
        return run("checking the revocation of access token " + jti, (c, attempt) -> {
            try (PreparedStatement ps = c.prepareStatement(familyId.isPresent() ? familyAndJtiStatus : jtiStatus)) {
                int i = 1;
                if (familyId.isPresent()) {
                    ps.setString(i++, familyId.get());
                }
                ps.setString(i++, jti);
                ps.setLong(i, now.toEpochMilli());
                boolean familyLive = false;
                boolean jtiDenied = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String kind = rs.getString(1);
                        String key = rs.getString(2);
                        rs.getLong(3);
                        boolean isNull = rs.wasNull();
                        if (kind.equals("f") && key.equals(familyId.orElse(null))) {
                            familyLive = isNull;
                        } else if (kind.equals("j") && key.equals(jti)) {
                            jtiDenied = true;
                        }
                    }
                }
                return new RevocationStatus(familyId.isPresent() && !familyLive, jtiDenied);
            }
        }, null);
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
        long millis = now.toEpochMilli();
        int changed = purge("purging expired access-token denials",
                "SELECT jti FROM ${prefix}denied_jti WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
                "DELETE FROM ${prefix}denied_jti WHERE expires_at <= ? AND jti IN ", millis, maxRows);
        if (changed < maxRows) {
            changed += purge("purging expired families",
                    "SELECT id FROM ${prefix}family WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
                    "DELETE FROM ${prefix}family WHERE expires_at <= ? AND id IN ", millis, maxRows - changed);
        }
        if (changed < maxRows) {
            changed += purge("dropping passed grace windows",
                    "SELECT id FROM ${prefix}family WHERE grace_until <= ? ORDER BY grace_until LIMIT ?",
                    """
                    UPDATE ${prefix}family SET previous_hash = NULL, sealed_successor = NULL, grace_until = NULL,
                        grace_uses = 0
                    WHERE grace_until <= ? AND id IN\s""", millis, maxRows - changed);
        }
        return changed;
    }

    private int purge(String what, String select, String change, long millis, int limit) {
        List<String> keys = run(what, (c, attempt) -> {
            try (PreparedStatement ps = c.prepareStatement(sql(select))) {
                ps.setLong(1, millis);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> found = new ArrayList<>();
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                    return found;
                }
            }
        }, null);
        int changed = 0;
        for (int from = 0; from < keys.size(); from += PURGE_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + PURGE_CHUNK));
            String sql = sql(change) + "(" + "?, ".repeat(chunk.size() - 1) + "?)";
            changed += run(what, (c, attempt) -> {
                attempt.writing();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, millis);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    int n = ps.executeUpdate();
                    attempt.wrote(n > 0);
                    return n;
                }
            }, lost -> {
                throw TokenStoreException.withUnknownOutcome(what + " lost its connection (SQLState "
                        + lost.getSQLState() + ") after a batch was sent: some rows may be gone; purging again is safe",
                        lost);
            });
        }
        return changed;
    }

    /** The family row with exactly this id (the collation aside), read with {@code sql}. */
    private static Optional<FamilyRecord> select(Connection c, String sql, String familyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, familyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (familyId.equals(rs.getString(1))) {
                        return Optional.of(record(rs));
                    }
                }
                return Optional.empty();
            }
        }
    }

    /** A row of {@link #COLUMNS}. */
    private static FamilyRecord record(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        String scopes = rs.getString(4);
        Set<String> scopeSet = scopes.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scopes.split(" ")));
        RefreshFamily family = new RefreshFamily(id, rs.getString(2), rs.getString(3), scopeSet, rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
        long generation = rs.getLong(8);
        String currentHash = rs.getString(9);
        Instant idleExpiresAt = Instant.ofEpochMilli(rs.getLong(10));
        String previousHash = rs.getString(11);
        String sealed = rs.getString(12);
        Optional<Instant> graceUntil = millis(rs, 13);
        int graceUses = rs.getInt(14);
        Optional<Instant> revokedAt = millis(rs, 15);
        String reason = rs.getString(16);
        Optional<GraceWindow> grace = previousHash != null && sealed != null && graceUntil.isPresent()
                ? Optional.of(new GraceWindow(previousHash, sealed, graceUntil.get(), graceUses)) : Optional.empty();
        Optional<Revocation> revocation = Optional.empty();
        if (revokedAt.isPresent()) {
            try {
                revocation = Optional.of(new Revocation(revokedAt.get(), RevocationReason.valueOf(reason)));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new TokenStoreException("family " + id + " has an unknown revocation reason", e);
            }
        }
        return new FamilyRecord(family, generation, currentHash, idleExpiresAt, grace, revocation);
    }

    private static Optional<Instant> millis(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    private static void setMillis(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    /** The two parameters of {@link #USABLE}. */
    private static void setUsable(PreparedStatement ps, int index, Instant now) throws SQLException {
        ps.setLong(index, now.toEpochMilli());
        ps.setLong(index + 1, now.toEpochMilli());
    }

    /**
     * The family read again after a lost answer, on a fresh connection, with a locking read: it waits for a change
     * still in flight on the row and then sees the last one committed.
     */
    private Optional<FamilyRecord> recheck(String what, String familyId, SQLException lost) {
        try {
            return run(what + ": checking the outcome", (c, attempt) -> select(c, lockingSelectFamily, familyId),
                    null);
        } catch (TokenStoreException e) {
            throw unknown(what, lost, e);
        }
    }

    private static TokenStoreException nothingChanged(String what, SQLException lost) {
        return new TokenStoreException(what + " lost its connection (SQLState " + lost.getSQLState()
                + ") before it applied: nothing changed", lost);
    }

    private static TokenStoreException unknown(String what, SQLException lost, Exception check) {
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

    /** What one attempt has sent: whether a change may have reached the database, and whether one did. */
    private static final class Attempt {
        final boolean autoCommit;
        boolean writes;
        boolean mayHaveApplied;
        boolean applied;

        Attempt(boolean autoCommit) {
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
    private interface Work<T> {
        T run(Connection connection, Attempt attempt) throws SQLException;
    }

    /** Settles a lost answer (see the class comment): returns the outcome, or throws a {@link TokenStoreException}. */
    @FunctionalInterface
    private interface Resolver<T> {
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
    private <T> T run(String what, Work<T> work, Resolver<T> resolver) {
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
                store.createSchema();
            }
            return store;
        }
    }
}
