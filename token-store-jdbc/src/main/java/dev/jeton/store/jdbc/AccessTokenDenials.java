package dev.jeton.store.jdbc;

import dev.jeton.store.RevocationStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The revocation of access tokens in a {@link JdbcTokenStore}: a denied {@code jti} kept until the token expires, and
 * the one-statement check of a token's {@code jti} and its family. Arguments are checked by the store. Thread-safe.
 */
final class AccessTokenDenials {

    private final Sql sql;
    private final Transactions transactions;

    AccessTokenDenials(Sql sql, Transactions transactions) {
        this.sql = sql;
        this.transactions = transactions;
    }

    /** Denies {@code jti} until {@code expiresAt}, or later if it is denied longer already. */
    void deny(String jti, Instant expiresAt) {
        String what = "denying access token " + jti;
        Transactions.Work<Void> deny = (c, attempt) -> {
            attempt.writing();
            try (PreparedStatement ps = c.prepareStatement(sql.denyJti())) {
                ps.setString(1, jti);
                ps.setLong(2, expiresAt.toEpochMilli());
                ps.executeUpdate();
            }
            attempt.wrote(true);
            return null;
        };
        // Idempotent: a lost answer is settled by denying again on a fresh connection.
        transactions.run(what, deny, lost -> transactions.run(what, deny, again -> {
            throw Transactions.unknown(what, lost, again);
        }));
    }

    /** Whether the family (if given) is revoked or gone, and whether {@code jti} is denied: one statement. */
    RevocationStatus status(Optional<String> familyId, String jti, Instant now) {
        return transactions.run("checking the revocation of access token " + jti, (c, attempt) -> {
            try (PreparedStatement ps = c.prepareStatement(familyId.isPresent() ? sql.familyAndJtiStatus()
                    : sql.jtiStatus())) {
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
}
