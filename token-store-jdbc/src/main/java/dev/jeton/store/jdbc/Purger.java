package dev.jeton.store.jdbc;

import dev.jeton.TokenStoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link JdbcTokenStore#purgeExpired}: each kind of row found by its index with a plain read, then changed by primary
 * key in short transactions of {@value #CHUNK} keys that re-check the condition. Thread-safe.
 */
final class Purger {

    /** Keys per purge statement: each one is a short transaction. */
    private static final int CHUNK = 100;

    private final Sql sql;
    private final Transactions transactions;

    Purger(Sql sql, Transactions transactions) {
        this.sql = sql;
        this.transactions = transactions;
    }

    /** Denials past their expiry, then families past theirs, then grace windows that have passed; at most maxRows. */
    int expired(Instant now, int maxRows) {
        long millis = now.toEpochMilli();
        int changed = purge("purging expired access-token denials", sql.purgeDenials(), millis, maxRows);
        if (changed < maxRows) {
            changed += purge("purging expired families", sql.purgeFamilies(), millis, maxRows - changed);
        }
        if (changed < maxRows) {
            changed += purge("dropping passed grace windows", sql.purgeGraceWindows(), millis, maxRows - changed);
        }
        return changed;
    }

    private int purge(String what, Sql.Purge statements, long millis, int limit) {
        List<String> keys = transactions.run(what, (c, attempt) -> {
            try (PreparedStatement ps = c.prepareStatement(statements.select())) {
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
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            String change = statements.changeIn() + "(" + "?, ".repeat(chunk.size() - 1) + "?)";
            changed += transactions.run(what, (c, attempt) -> {
                attempt.writing();
                try (PreparedStatement ps = c.prepareStatement(change)) {
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
}
