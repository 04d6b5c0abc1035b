package dev.jeton.store.jdbc;

import dev.jeton.store.FamilyRecord;

/**
 * Every statement a {@link JdbcTokenStore} sends, built once for its dialect and table prefix. The family steps come
 * in the form in which the dialect hands back the row it changed ({@link Dialect.Steps}).
 *
 * @param lockingSelectFamily the family by primary key, with a read that waits for a write in flight on the row
 * @param claimGraceAtCount a grace claim that applies only at the use count read before it
 * @param familyAndJtiStatus the family's revocation and the {@code jti}'s denial, in one statement
 */
record Sql(String insertFamily, String selectFamily, String lockingSelectFamily, String rotate, String claimGrace,
           String claimGraceAtCount, String slide, String revokeFamily, String liveFamilies, String denyJti,
           String jtiStatus, String familyAndJtiStatus, Purge purgeDenials, Purge purgeFamilies,
           Purge purgeGraceWindows) {

    /** The columns of a family row, in the order {@link FamilyRows#record} reads them. */
    static final String COLUMNS = "id, subject, client_id, scopes, claims_json, created_at, expires_at, "
            + "generation, current_hash, idle_expires_at, previous_hash, sealed_successor, grace_until, grace_uses, "
            + "revoked_at, revocation_reason";
    /** {@link FamilyRecord#isUsableAt}: parameters now, now. */
    private static final String USABLE = "revoked_at IS NULL AND expires_at > ? AND idle_expires_at > ?";

    private static final String INSERT_FAMILY = """
            INSERT INTO ${prefix}family (id, subject, client_id, scopes, claims_json, created_at, expires_at,
                generation, current_hash, idle_expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""";
    private static final String SELECT_FAMILY = "SELECT " + COLUMNS + " FROM ${prefix}family WHERE id = ?";
    private static final String ROTATE = """
            UPDATE ${prefix}family SET generation = generation + 1, current_hash = ?, idle_expires_at = ?,
                previous_hash = ?, sealed_successor = ?, grace_until = ?, grace_uses = 0
            WHERE id = ? AND generation = ? AND current_hash = ? AND\s""" + USABLE;
    private static final String CLAIM_GRACE = """
            UPDATE ${prefix}family SET grace_uses = grace_uses + 1
            WHERE id = ? AND previous_hash = ? AND grace_until > ? AND grace_uses < ? AND\s""" + USABLE;
    private static final String CLAIM_GRACE_AT_COUNT = """
            UPDATE ${prefix}family SET grace_uses = grace_uses + 1
            WHERE id = ? AND generation = ? AND previous_hash = ? AND grace_uses = ? AND grace_until > ? AND\s"""
            + USABLE;
    private static final String SLIDE = """
            UPDATE ${prefix}family SET idle_expires_at = ?
            WHERE id = ? AND generation = ? AND current_hash = ? AND\s""" + USABLE;
    private static final String REVOKE_FAMILY = """
            UPDATE ${prefix}family SET revoked_at = ?, revocation_reason = ?, previous_hash = NULL,
                sealed_successor = NULL, grace_until = NULL, grace_uses = 0
            WHERE id = ? AND revoked_at IS NULL""";
    private static final String LIVE_FAMILIES = "SELECT " + COLUMNS + " FROM ${prefix}family"
            + " WHERE subject = ? AND revoked_at IS NULL AND expires_at > ?";
    private static final String JTI_STATUS =
            "SELECT 'j', jti, expires_at FROM ${prefix}denied_jti WHERE jti = ? AND expires_at > ?";
    private static final String FAMILY_STATUS_UNION =
            "SELECT 'f', id, revoked_at FROM ${prefix}family WHERE id = ? UNION ALL ";
    private static final Purge PURGE_DENIALS = new Purge(
            "SELECT jti FROM ${prefix}denied_jti WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
            "DELETE FROM ${prefix}denied_jti WHERE expires_at <= ? AND jti IN ");
    private static final Purge PURGE_FAMILIES = new Purge(
            "SELECT id FROM ${prefix}family WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
            "DELETE FROM ${prefix}family WHERE expires_at <= ? AND id IN ");
    private static final Purge PURGE_GRACE_WINDOWS = new Purge(
            "SELECT id FROM ${prefix}family WHERE grace_until <= ? ORDER BY grace_until LIMIT ?",
            """
            UPDATE ${prefix}family SET previous_hash = NULL, sealed_successor = NULL, grace_until = NULL,
                grace_uses = 0
            WHERE grace_until <= ? AND id IN\s""");

    /**
     * One kind of purge: keys found with {@code select} (parameters: now, limit), then changed by {@code changeIn}
     * followed by a parenthesised list of keys (parameters: now, then the keys).
     */
    record Purge(String select, String changeIn) {
        Purge withPrefix(String prefix) {
            return new Purge(sql(prefix, select), sql(prefix, changeIn));
        }
    }

    /** The statements for a dialect and a table prefix already checked. */
    static Sql of(Dialect dialect, String prefix) {
        String selectFamily = sql(prefix, SELECT_FAMILY);
        String jtiStatus = sql(prefix, JTI_STATUS);
        return new Sql(sql(prefix, INSERT_FAMILY), selectFamily, selectFamily + " " + dialect.lockingReadSuffix(),
                step(dialect, prefix, ROTATE), step(dialect, prefix, CLAIM_GRACE), sql(prefix, CLAIM_GRACE_AT_COUNT),
                step(dialect, prefix, SLIDE), sql(prefix, REVOKE_FAMILY), sql(prefix, LIVE_FAMILIES),
                sql(prefix, dialect.denyJtiSql()), jtiStatus, sql(prefix, FAMILY_STATUS_UNION) + jtiStatus,
                PURGE_DENIALS.withPrefix(prefix), PURGE_FAMILIES.withPrefix(prefix),
                PURGE_GRACE_WINDOWS.withPrefix(prefix));
    }

    private static String sql(String prefix, String template) {
        return template.replace("${prefix}", prefix);
    }

    /** A conditional {@code UPDATE} of one family row, in the form in which this dialect returns the row changed. */
    private static String step(Dialect dialect, String prefix, String update) {
        String sql = sql(prefix, update);
        return switch (dialect.steps()) {
            case RETURNING -> sql + "\nRETURNING " + COLUMNS;
            case FINAL_TABLE -> "SELECT " + COLUMNS + " FROM FINAL TABLE (" + sql + ")";
            case UPDATE_THEN_SELECT -> sql;
        };
    }
}
