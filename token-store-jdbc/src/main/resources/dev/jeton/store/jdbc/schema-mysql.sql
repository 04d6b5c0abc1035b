-- Jeton JdbcTokenStore schema for MySQL 8.0.17+ (InnoDB); MariaDB has its own, schema-mariadb.sql. ${prefix} is the
-- table prefix (default jeton_).
-- One row per family (one login), whatever the number of refreshes: its identity, its current generation and the hash
-- of its current token, the grace window of its last rotation, its revocation. Times are epoch milliseconds.
-- Every text uses utf8mb4_0900_bin, MySQL's only NO PAD binary collation: the default collations ignore case, and
-- ascii_bin and utf8mb4_bin are PAD SPACE, so they would take 'alice ' for 'alice' and a hash with a trailing space
-- for the hash. Indexes sit inside CREATE TABLE because MySQL has no CREATE INDEX IF NOT EXISTS.

CREATE TABLE IF NOT EXISTS ${prefix}family (
    id                VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL PRIMARY KEY,
    subject           VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    client_id         VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    scopes            VARCHAR(4000) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    claims_json       TEXT          CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    created_at        BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    generation        BIGINT        NOT NULL,
    current_hash      VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    idle_expires_at   BIGINT        NOT NULL,
    previous_hash     VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin,
    sealed_successor  VARCHAR(256)  CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin,
    grace_until       BIGINT,
    grace_uses        INT           NOT NULL DEFAULT 0,
    revoked_at        BIGINT,
    revocation_reason VARCHAR(32)   CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin,
    INDEX ${prefix}family_subject (subject),
    INDEX ${prefix}family_expires (expires_at),
    INDEX ${prefix}family_grace (grace_until)
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}denied_jti (
    jti        VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL,
    INDEX ${prefix}denied_jti_expires (expires_at)
) ENGINE = InnoDB;
