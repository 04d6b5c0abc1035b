package dev.jeton.store.jdbc;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.internal.Json;
import dev.jeton.internal.Scopes;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.store.RotationResult;
import dev.jeton.store.StoredToken;
import dev.jeton.store.TokenState;
import dev.jeton.store.TokenStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Each operation is one transaction on one connection, committed or rolled back, and the connection is always
 * returned. Steps on a family are serialised by locking the family row first ({@code SELECT … FOR UPDATE}); a
 * rotation is that lock, a conditional {@code UPDATE} of the presented token that must change one row, the
 * {@code INSERT} of its successor, and the commit: four round trips. Serialisation failures and deadlocks
 * (SQLSTATE 40001, 40P01, MySQL 1213) are retried with a short randomised backoff; any other failure is a
 * {@link TokenStoreException} after a rollback, so nothing is half-written. A commit that fails without saying the
 * database rolled back (a connection lost after {@code COMMIT} was sent) may have committed: the store then locks the
 * family row on a fresh connection, without waiting, and looks for what the transaction wrote (for a rotation, the
 * successor's row). Found, the step returns as if the commit had answered; not found, a {@link TokenStoreException}
 * says nothing changed; when it cannot look, {@link TokenStoreException#outcomeUnknown()} is true.
 *
 * <p>Rows hold token hashes, never tokens; times are {@code BIGINT} epoch milliseconds. The DDL ships per dialect
 * as {@link Dialect#schemaResource()}. Text is compared exactly, case and trailing spaces included: the scripts use
 * {@code VARCHAR} (never the padding {@code CHAR}) and, on MySQL and MariaDB, no-pad binary collations; and every
 * lookup by a caller's text (hash, session id, subject, {@code jti}) checks the row's value again in Java, so that a
 * table created with another collation still answers exactly. Thread-safe.
 */
public final class JdbcTokenStore implements TokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTokenStore.class);
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,30}");
    /** The most rows one purge transaction changes, so that its locks are held briefly. */
    private static final int ROWS_PER_TRANSACTION = 100;
    private static final String FAMILY_COLUMNS =
            "f.id, f.subject, f.client_id, f.scopes, f.claims, f.created_at, f.expires_at, f.revoked_at, "
                    + "f.revocation_reason";
    private static final String TOKEN_COLUMNS =
            "t.hash, t.family_id, t.parent_hash, t.state, t.issued_at, t.idle_expires_at, t.rotated_at, "
                    + "t.successor_hash, t.sealed_successor, t.grace_until, t.grace_uses";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String prefix;
    private final int maxAttempts;

    private final String insertFamily;
    private final String insertToken;
    private final String selectTokenWithFamily;
    private final String lockFamily;
    private final String lockFamilyNoWait;
    private final String selectToken;
    private final String rotateToken;
    private final String slideToken;
    private final String selectGrace;
    private final String countGraceUse;
    private final String revokeFamily;
    private final String revokeTokens;
    private final String selectFamily;
    private final String liveFamilies;
    private final String denyJti;
    private final String isDenied;
    private final String expiredDenials;
    private final String deleteDenial;
    private final String passedSeals;
    private final String dropSeal;
    private final String expiredFamilies;
    private final String lockExpiredFamily;
    private final String familyTokens;
    private final String deleteToken;
    private final String deleteFamily;

    private JdbcTokenStore(DataSource dataSource, Dialect dialect, String prefix, int maxAttempts) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.prefix = prefix;
        this.maxAttempts = maxAttempts;
        insertFamily = sql("""
                INSERT INTO ${prefix}family (id, subject, client_id, scopes, claims, created_at, expires_at,
                    revoked_at, revocation_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        insertToken = sql("""
                INSERT INTO ${prefix}token (hash, family_id, parent_hash, state, issued_at, idle_expires_at,
                    rotated_at, successor_hash, sealed_successor, grace_until, grace_uses)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        selectTokenWithFamily = sql("SELECT " + TOKEN_COLUMNS + ", " + FAMILY_COLUMNS
                + " FROM ${prefix}token t JOIN ${prefix}family f ON f.id = t.family_id WHERE t.hash = ?");
        lockFamily = sql("SELECT " + FAMILY_COLUMNS + " FROM ${prefix}family f WHERE f.id = ? FOR UPDATE");
        lockFamilyNoWait = lockFamily + " NOWAIT";
        selectToken = sql("SELECT " + TOKEN_COLUMNS + " FROM ${prefix}token t WHERE t.hash = ?");
        rotateToken = sql("""
                UPDATE ${prefix}token SET state = 'ROTATED', rotated_at = ?, successor_hash = ?,
                    sealed_successor = ?, grace_until = ?, grace_uses = 0
                WHERE hash = ? AND family_id = ? AND state = 'ACTIVE' AND idle_expires_at > ?""");
        slideToken = sql("UPDATE ${prefix}token SET idle_expires_at = ? WHERE hash = ?");
        selectGrace = sql("SELECT " + TOKEN_COLUMNS + ", s.state, s.idle_expires_at FROM ${prefix}token t"
                + " LEFT JOIN ${prefix}token s ON s.hash = t.successor_hash WHERE t.hash = ?");
        countGraceUse = sql("UPDATE ${prefix}token SET grace_uses = grace_uses + 1 WHERE hash = ?");
        revokeFamily = sql("""
                UPDATE ${prefix}family SET revoked_at = ?, revocation_reason = ?
                WHERE id = ? AND revoked_at IS NULL""");
        revokeTokens = sql("""
                UPDATE ${prefix}token SET state = CASE WHEN state = 'ACTIVE' THEN 'REVOKED' ELSE state END,
                    sealed_successor = NULL
                WHERE family_id = ?""");
        selectFamily = sql("SELECT " + FAMILY_COLUMNS + " FROM ${prefix}family f WHERE f.id = ?");
        liveFamilies = sql("SELECT " + FAMILY_COLUMNS + " FROM ${prefix}family f"
                + " WHERE f.subject = ? AND f.revoked_at IS NULL AND f.expires_at > ?");
        denyJti = sql(dialect.denyJtiSql());
        isDenied = sql("SELECT jti FROM ${prefix}denied_jti WHERE jti = ? AND expires_at > ?");
        // Purge: each selection is a range of one index, bounded by LIMIT and read without locks; each change is by
        // primary key. No purge statement scans a table, so none locks rows a refresh needs (see purgeExpired).
        expiredDenials = sql("SELECT jti FROM ${prefix}denied_jti WHERE expires_at <= ? ORDER BY expires_at LIMIT ?");
        deleteDenial = sql("DELETE FROM ${prefix}denied_jti WHERE jti = ? AND expires_at <= ?");
        passedSeals = sql("SELECT hash FROM ${prefix}token WHERE grace_until <= ? ORDER BY grace_until LIMIT ?");
        // grace_until goes with the seal, so that the token_grace index holds only open or unswept grace windows.
        dropSeal = sql("""
                UPDATE ${prefix}token SET sealed_successor = NULL, grace_until = NULL
                WHERE hash = ? AND grace_until <= ?""");
        expiredFamilies = sql("SELECT id FROM ${prefix}family WHERE expires_at <= ? ORDER BY expires_at LIMIT ?");
        lockExpiredFamily = sql("SELECT id FROM ${prefix}family WHERE id = ? AND expires_at <= ? FOR UPDATE");
        familyTokens = sql("SELECT hash FROM ${prefix}token WHERE family_id = ? LIMIT ?");
        deleteToken = sql("DELETE FROM ${prefix}token WHERE hash = ?");
        deleteFamily = sql("DELETE FROM ${prefix}family WHERE id = ?");
    }

    private String sql(String template) {
        return template.replace("${prefix}", prefix);
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
        try (InputStream in = JdbcTokenStore.class.getClassLoader().getResourceAsStream(dialect.schemaResource())) {
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
        inTransaction("creating the schema", c -> {
            try (Statement statement = c.createStatement()) {
                for (String ddl : schemaStatements(dialect, prefix)) {
                    statement.execute(ddl);
                }
            }
            return null;
        });
    }

    @Override
    public void createFamily(RefreshFamily family, RefreshTokenRecord firstToken) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(firstToken, "firstToken");
        if (!firstToken.familyId().equals(family.id()) || firstToken.state() != TokenState.ACTIVE) {
            throw new IllegalArgumentException("the first token must be ACTIVE and belong to the family");
        }
        inTransaction("creating family " + family.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(insertFamily)) {
                ps.setString(1, family.id());
                ps.setString(2, family.subject());
                ps.setString(3, family.clientId());
                ps.setString(4, Scopes.join(family.scopes()));
                ps.setString(5, Json.writeString(family.claims()));
                ps.setLong(6, family.createdAt().toEpochMilli());
                ps.setLong(7, family.expiresAt().toEpochMilli());
                setMillis(ps, 8, family.revokedAt());
                ps.setString(9, family.revocationReason().map(Enum::name).orElse(null));
                ps.executeUpdate();
            }
            insert(c, firstToken);
            return null;
        }, (c, attempted) -> checkedToken(c, family.id(), firstToken.hash()).isPresent());
    }

    private void insert(Connection c, RefreshTokenRecord t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertToken)) {
            ps.setString(1, t.hash());
            ps.setString(2, t.familyId());
            ps.setString(3, t.parentHash().orElse(null));
            ps.setString(4, t.state().name());
            ps.setLong(5, t.issuedAt().toEpochMilli());
            ps.setLong(6, t.idleExpiresAt().toEpochMilli());
            setMillis(ps, 7, t.rotatedAt());
            ps.setString(8, t.successorHash().orElse(null));
            ps.setString(9, t.sealedSuccessor().orElse(null));
            setMillis(ps, 10, t.graceUntil());
            ps.setInt(11, t.graceUses());
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<StoredToken> findToken(String tokenHash) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        return read("looking up a refresh token", c -> {
            try (PreparedStatement ps = c.prepareStatement(selectTokenWithFamily)) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (tokenHash.equals(rs.getString(1))) {
                            return Optional.of(new StoredToken(token(rs, 1), family(rs, 12)));
                        }
                    }
                    return Optional.empty();
                }
            }
        });
    }

    @Override
    public RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Optional<String> sealedSuccessor,
                                 Optional<Instant> graceUntil, Instant now) {
        Objects.requireNonNull(successor, "successor");
        if (sealedSuccessor.isPresent() != graceUntil.isPresent()) {
            throw new IllegalArgumentException("sealedSuccessor and graceUntil go together");
        }
        String familyId = successor.familyId();
        return inTransaction("rotating a refresh token of family " + familyId, c -> {
            Optional<RefreshFamily> family = lockFamily(c, familyId);
            if (family.isEmpty() || !family.get().isLiveAt(now)) {
                return refused(c, presentedHash, family);
            }
            int claimed;
            try (PreparedStatement ps = c.prepareStatement(rotateToken)) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, successor.hash());
                ps.setString(3, sealedSuccessor.orElse(null));
                setMillis(ps, 4, graceUntil);
                ps.setString(5, presentedHash);
                ps.setString(6, familyId);
                ps.setLong(7, now.toEpochMilli());
                claimed = ps.executeUpdate();
            }
            if (claimed != 1) {
                return refused(c, presentedHash, family);
            }
            insert(c, successor);
            return RotationResult.applied(new StoredToken(successor, family.get()));
        }, (c, attempted) -> !attempted.applied() || checkedToken(c, familyId, successor.hash()).isPresent());
    }

    /** The presented token and its family as they stand, read under the family lock; for a refused step. */
    private RotationResult refused(Connection c, String presentedHash, Optional<RefreshFamily> family)
            throws SQLException {
        Optional<RefreshTokenRecord> token = selectToken(c, presentedHash);
        if (token.isEmpty() || family.isEmpty() || !token.get().familyId().equals(family.get().id())) {
            return RotationResult.refused(Optional.empty());
        }
        return RotationResult.refused(Optional.of(new StoredToken(token.get(), family.get())));
    }

    private Optional<RefreshFamily> lockFamily(Connection c, String familyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lockFamily)) {
            ps.setString(1, familyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(family(rs, 1)) : Optional.empty();
            }
        }
    }

    private Optional<RefreshTokenRecord> selectToken(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(selectToken)) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(token(rs, 1)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<RefreshTokenRecord> claimGrace(String familyId, String presentedHash, int maxUses, Instant now) {
        return inTransaction("claiming the grace window of family " + familyId, c -> {
            Optional<RefreshFamily> family = lockFamily(c, familyId);
            if (family.isEmpty() || !family.get().isLiveAt(now)) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement(selectGrace)) {
                ps.setString(1, presentedHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    RefreshTokenRecord token = token(rs, 1);
                    String successorState = rs.getString(12);
                    long successorIdle = rs.getLong(13);
                    boolean open = token.familyId().equals(familyId)
                            && token.state() == TokenState.ROTATED && token.sealedSuccessor().isPresent()
                            && token.graceUntil().isPresent() && now.isBefore(token.graceUntil().get())
                            && token.graceUses() < maxUses
                            && TokenState.ACTIVE.name().equals(successorState)
                            && now.toEpochMilli() < successorIdle;
                    if (!open) {
                        return Optional.empty();
                    }
                    try (PreparedStatement count = c.prepareStatement(countGraceUse)) {
                        count.setString(1, presentedHash);
                        count.executeUpdate();
                    }
                    return Optional.of(token.withGraceUse());
                }
            }
        }, (c, attempted) -> attempted.isEmpty() || checkedToken(c, familyId, presentedHash)
                .filter(token -> token.graceUses() >= attempted.get().graceUses()).isPresent());
    }

    @Override
    public RotationResult slide(String familyId, String presentedHash, Instant newIdleExpiresAt, Instant now) {
        return inTransaction("sliding a refresh token of family " + familyId, c -> {
            Optional<RefreshFamily> family = lockFamily(c, familyId);
            if (family.isEmpty() || !family.get().isLiveAt(now)) {
                return refused(c, presentedHash, family);
            }
            // Under the family lock the token cannot change, so a plain read decides.
            Optional<RefreshTokenRecord> token = selectToken(c, presentedHash);
            if (token.isEmpty() || !token.get().familyId().equals(familyId)) {
                return RotationResult.refused(Optional.empty());
            }
            if (token.get().state() != TokenState.ACTIVE || token.get().isIdleExpiredAt(now)) {
                return RotationResult.refused(Optional.of(new StoredToken(token.get(), family.get())));
            }
            try (PreparedStatement ps = c.prepareStatement(slideToken)) {
                ps.setLong(1, newIdleExpiresAt.toEpochMilli());
                ps.setString(2, presentedHash);
                ps.executeUpdate();
            }
            return RotationResult.applied(new StoredToken(token.get().withIdleExpiry(newIdleExpiresAt),
                    family.get()));
        }, (c, attempted) -> !attempted.applied() || checkedToken(c, familyId, presentedHash)
                .filter(token -> token.idleExpiresAt().toEpochMilli() >= newIdleExpiresAt.toEpochMilli())
                .isPresent());
    }

    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        Objects.requireNonNull(reason, "reason");
        return inTransaction("revoking family " + familyId, c -> {
            int revoked;
            try (PreparedStatement ps = c.prepareStatement(revokeFamily)) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, reason.name());
                ps.setString(3, familyId);
                revoked = ps.executeUpdate();
            }
            if (revoked == 0) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(revokeTokens)) {
                ps.setString(1, familyId);
                ps.executeUpdate();
            }
            return true;
        }, (c, attempted) -> !attempted || checkedFamily(c, familyId)
                .filter(family -> family.revokedAt().map(Instant::toEpochMilli).equals(Optional.of(now.toEpochMilli()))
                        && family.revocationReason().equals(Optional.of(reason)))
                .isPresent());
    }

    /** For a {@link Check}: the family, locked without waiting. */
    private Optional<RefreshFamily> checkedFamily(Connection c, String familyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lockFamilyNoWait)) {
            ps.setString(1, familyId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(family(rs, 1)) : Optional.empty();
            }
        }
    }

    /** For a {@link Check}: a token of the family, read once the family is locked without waiting. */
    private Optional<RefreshTokenRecord> checkedToken(Connection c, String familyId, String hash) throws SQLException {
        checkedFamily(c, familyId);
        return selectToken(c, hash).filter(token -> token.familyId().equals(familyId));
    }

    @Override
    public Optional<RefreshFamily> findFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        return read("looking up family " + familyId, c -> {
            try (PreparedStatement ps = c.prepareStatement(selectFamily)) {
                ps.setString(1, familyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (familyId.equals(rs.getString(1))) {
                            return Optional.of(family(rs, 1));
                        }
                    }
                    return Optional.empty();
                }
            }
        });
    }

    @Override
    public List<RefreshFamily> liveFamilies(String subject, Instant now) {
        Objects.requireNonNull(subject, "subject");
        return read("listing live families", c -> {
            try (PreparedStatement ps = c.prepareStatement(liveFamilies)) {
                ps.setString(1, subject);
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    List<RefreshFamily> families = new ArrayList<>();
                    while (rs.next()) {
                        if (subject.equals(rs.getString(2))) {
                            families.add(family(rs, 1));
                        }
                    }
                    return families;
                }
            }
        });
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        Objects.requireNonNull(jti, "jti");
        inTransaction("denying access token " + jti, c -> {
            try (PreparedStatement ps = c.prepareStatement(denyJti)) {
                ps.setString(1, jti);
                ps.setLong(2, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean isAccessTokenRevoked(String jti, Instant now) {
        Objects.requireNonNull(jti, "jti");
        return read("checking access token " + jti, c -> {
            try (PreparedStatement ps = c.prepareStatement(isDenied)) {
                ps.setString(1, jti);
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (jti.equals(rs.getString(1))) {
                            return true;
                        }
                    }
                    return false;
                }
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Never blocks a refresh: every statement is bounded by an index and a batch size, and each batch is its own
     * short transaction. A batch selects keys from one index range with {@code LIMIT}, without locking, then changes
     * rows by primary key; an expired family is locked by primary key before its tokens go, the order every other
     * step takes. So no statement scans a table, and none holds a lock on a row or gap a rotation needs (under
     * MariaDB's REPEATABLE READ, a scanning {@code UPDATE} locked every row of the token table and deadlocked with
     * rotations). The count returned includes the sealed successors dropped.
     */
    @Override
    public int purgeExpired(Instant now, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive");
        }
        long millis = now.toEpochMilli();
        int done = byKeys("purging expired access-token denials", expiredDenials, deleteDenial, millis, maxRows);
        done += byKeys("dropping passed sealed successors", passedSeals, dropSeal, millis, maxRows - done);
        int families = maxRows - done;
        if (families > 0) {
            for (String id : read("finding expired families", c -> ids(c, expiredFamilies, millis, families))) {
                int budget = maxRows - done;
                if (budget <= 0) {
                    break;
                }
                done += inTransaction("purging expired family " + id, c -> purgeFamily(c, id, millis, budget));
            }
        }
        return done;
    }

    /**
     * Up to {@code limit} rows, in transactions of at most {@link #ROWS_PER_TRANSACTION}: each selects keys with
     * {@code select} (millis, limit) and applies {@code change} (key, millis) to each.
     */
    private int byKeys(String what, String select, String change, long millis, int limit) {
        int done = 0;
        while (done < limit) {
            int batch = Math.min(ROWS_PER_TRANSACTION, limit - done);
            Batch result = inTransaction(what, c -> {
                List<String> keys = ids(c, select, millis, batch);
                return new Batch(keys.size(), executeByKeys(c, change, keys, millis));
            });
            done += result.changed();
            if (result.selected() < batch) {
                break;
            }
        }
        return done;
    }

    /** How many keys a purge batch selected, and how many rows it changed. */
    private record Batch(int selected, int changed) {
    }

    /** Deletes up to {@code budget} tokens of an expired family, and the family once it has none left. */
    private int purgeFamily(Connection c, String id, long millis, int budget) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lockExpiredFamily)) {
            ps.setString(1, id);
            ps.setLong(2, millis);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
            }
        }
        List<String> tokens;
        try (PreparedStatement ps = c.prepareStatement(familyTokens)) {
            ps.setString(1, id);
            ps.setInt(2, budget);
            try (ResultSet rs = ps.executeQuery()) {
                tokens = new ArrayList<>();
                while (rs.next()) {
                    tokens.add(rs.getString(1));
                }
            }
        }
        int deleted = executeByKeys(c, deleteToken, tokens, null);
        if (tokens.size() < budget) {
            try (PreparedStatement ps = c.prepareStatement(deleteFamily)) {
                ps.setString(1, id);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    /**
     * Runs {@code sql} once per key as one JDBC batch, keys in ascending order (the order of the primary key and of
     * the family index, so two transactions changing the same rows lock them in the same order). {@code millis}, when
     * given, is bound second.
     */
    private static int executeByKeys(Connection c, String sql, List<String> keys, Long millis) throws SQLException {
        if (keys.isEmpty()) {
            return 0;
        }
        List<String> sorted = new ArrayList<>(keys);
        Collections.sort(sorted);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String key : sorted) {
                ps.setString(1, key);
                if (millis != null) {
                    ps.setLong(2, millis);
                }
                ps.addBatch();
            }
            int changed = 0;
            for (int count : ps.executeBatch()) {
                // A driver may answer SUCCESS_NO_INFO for a statement it ran: counted as one row, so that the caller
                // calls again rather than stopping early.
                changed += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
            }
            return changed;
        }
    }

    private static List<String> ids(Connection c, String sql, long millis, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, millis);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        }
    }

    private static RefreshTokenRecord token(ResultSet rs, int i) throws SQLException {
        return new RefreshTokenRecord(rs.getString(i), rs.getString(i + 1), Optional.ofNullable(rs.getString(i + 2)),
                TokenState.valueOf(rs.getString(i + 3)), Instant.ofEpochMilli(rs.getLong(i + 4)),
                Instant.ofEpochMilli(rs.getLong(i + 5)), millis(rs, i + 6), Optional.ofNullable(rs.getString(i + 7)),
                Optional.ofNullable(rs.getString(i + 8)), millis(rs, i + 9), rs.getInt(i + 10));
    }

    private static RefreshFamily family(ResultSet rs, int i) throws SQLException {
        String scopes = rs.getString(i + 3);
        Optional<Instant> revokedAt = millis(rs, i + 7);
        String reason = rs.getString(i + 8);
        return new RefreshFamily(rs.getString(i), rs.getString(i + 1), rs.getString(i + 2), Scopes.parse(scopes),
                Json.parseObject(rs.getString(i + 4).getBytes(StandardCharsets.UTF_8)),
                Instant.ofEpochMilli(rs.getLong(i + 5)), Instant.ofEpochMilli(rs.getLong(i + 6)), revokedAt,
                revokedAt.isPresent() && reason != null ? Optional.of(RevocationReason.valueOf(reason))
                        : Optional.empty());
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

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A read: one statement, in whatever commit mode the pool hands out (ended if the pool turned autocommit off). */
    private <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            T result = work.run(c);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return result;
        } catch (SQLException e) {
            throw new TokenStoreException(what + " failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /**
     * Decides, on a fresh connection, whether a transaction whose commit got no answer took effect. It locks the
     * family row without waiting before it reads: a transaction still committing holds that lock, and is not taken for
     * one that failed.
     */
    @FunctionalInterface
    private interface Check<T> {
        /** Whether what {@code attempted} wrote is in the database; true as well when it wrote nothing. */
        boolean tookEffect(Connection connection, T attempted) throws SQLException;
    }

    /** The commit failed without saying that the database rolled back; carries what the transaction returned. */
    private static final class CommitFailed extends SQLException {
        private final transient Object attempted;

        CommitFailed(SQLException cause, Object attempted) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
            this.attempted = attempted;
        }
    }

    /** A write whose lost commit answer is never checked: reported with an unknown outcome. */
    private <T> T inTransaction(String what, Work<T> work) {
        return inTransaction(what, work, null);
    }

    /**
     * One transaction, retried on contention; rolled back on any failure. When the commit itself fails in a way that
     * does not say the database rolled back (a connection lost, SQLState class 08), it may have committed: {@code check}
     * looks for the effect on a fresh connection (see {@link #resolve}).
     */
    private <T> T inTransaction(String what, Work<T> work, Check<T> check) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work);
            } catch (CommitFailed e) {
                @SuppressWarnings("unchecked")
                T attempted = (T) e.attempted;
                return resolve(what, check, attempted, e);
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
                throw new TokenStoreException(what + " failed (SQLState " + e.getSQLState() + ")", e);
            }
        }
    }

    /**
     * The outcome of a transaction whose commit answer was lost: what it returned if the check finds its effect; a
     * {@link TokenStoreException} saying nothing was written if the check finds none; and if the check cannot be made
     * (no connection, or the family still locked after {@code maxAttempts} tries), one whose
     * {@link TokenStoreException#outcomeUnknown()} is true.
     */
    private <T> T resolve(String what, Check<T> check, T attempted, CommitFailed lost) {
        String state = lost.getSQLState();
        for (int attempt = 1; check != null && attempt <= maxAttempts; attempt++) {
            Connection c;
            try {
                c = dataSource.getConnection();
            } catch (SQLException e) {
                lost.addSuppressed(e);
                break;
            }
            try (c) {
                if (transaction(c, fresh -> check.tookEffect(fresh, attempted))) {
                    LOG.warn("{}: the commit's answer was lost (SQLState {}); it took effect", what, state);
                    return attempted;
                }
                throw new TokenStoreException(what + " failed: the connection was lost at the commit (SQLState "
                        + state + "), and a check on a fresh connection found nothing written: nothing changed", lost);
            } catch (SQLException e) {
                lost.addSuppressed(e);
                if (attempt < maxAttempts) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10L << Math.min(attempt, 5)));
                }
            }
        }
        throw TokenStoreException.withUnknownOutcome(what + ": the connection was lost at the commit (SQLState "
                + state + ") and " + (check == null ? "this step is not checked" : "its effect could not be checked")
                + ", so the outcome is unknown", lost);
    }

    private <T> T once(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return transaction(c, work);
        }
    }

    /** Runs {@code work} as one transaction on {@code c}: committed, or rolled back on any failure. */
    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        try {
            T result = work.run(c);
            try {
                c.commit();
            } catch (SQLException e) {
                throw isContention(e) || isIntegrityViolation(e) ? e : new CommitFailed(e, result);
            }
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            if (autoCommit) {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException restore) {
                    LOG.debug("could not restore autocommit (SQLState {})", restore.getSQLState());
                }
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

        /** The database dialect; detected from the connection's metadata when not set. */
        public Builder dialect(Dialect dialect) {
            dev.jeton.internal.Options.requireNotSet("dialect", this.dialect);
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The prefix of the three tables ({@code <prefix>family}, {@code <prefix>token}, {@code <prefix>denied_jti}),
         * matching {@code [a-z][a-z0-9_]{0,30}}. Default {@code jeton_}.
         */
        public Builder tablePrefix(String tablePrefix) {
            dev.jeton.internal.Options.requireNotSet("tablePrefix", this.tablePrefix);
            checkPrefix(tablePrefix);
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * Whether {@link #build()} creates missing tables and indexes with the dialect's script. Default false:
         * production schemas usually belong to a migration tool, which can run {@link Dialect#schemaResource()}.
         */
        public Builder createSchemaIfMissing(boolean create) {
            dev.jeton.internal.Options.requireNotSet("createSchemaIfMissing", this.createSchema);
            this.createSchema = create;
            return this;
        }

        /** How many times a transaction is tried when the database reports contention. Default 5; 1 to 50. */
        public Builder maxAttempts(int attempts) {
            dev.jeton.internal.Options.requireNotSet("maxAttempts", this.maxAttempts);
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
