package dev.jeton.store.jdbc;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Revocation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** A family row to and from a {@link FamilyRecord}: times as epoch milliseconds, scopes space-separated. */
final class FamilyRows {

    private FamilyRows() {
    }

    /** The family row with exactly this id (the collation aside), read with {@code sql}. */
    static Optional<FamilyRecord> select(Connection c, String sql, String familyId) throws SQLException {
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

    /** A row of {@link Sql#COLUMNS}. */
    static FamilyRecord record(ResultSet rs) throws SQLException {
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

    static void setMillis(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    /** The two parameters of the condition that the family is usable ({@link FamilyRecord#isUsableAt}). */
    static void setUsable(PreparedStatement ps, int index, Instant now) throws SQLException {
        ps.setLong(index, now.toEpochMilli());
        ps.setLong(index + 1, now.toEpochMilli());
    }

    /** An instant as the database keeps it: whole epoch milliseconds. */
    static Instant toMillis(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
