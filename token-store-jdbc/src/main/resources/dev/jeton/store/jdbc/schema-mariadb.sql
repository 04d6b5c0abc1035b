-- Jeton JdbcTokenStore schema for MariaDB 10.6+ (InnoDB). ${prefix} is the table prefix (default jeton_).
-- Times are epoch milliseconds. Every compared text uses a NO PAD binary collation: the default collations ignore
-- case, and ascii_bin and utf8mb4_bin are PAD SPACE, so they would take 'alice ' for 'alice' and a hash with a
-- trailing space for the hash. Ids and hashes are base64url (ascii_nopad_bin); subjects and client ids are any
-- Unicode text (utf8mb4_nopad_bin). Indexes sit inside CREATE TABLE, as in the MySQL script.

CREATE TABLE IF NOT EXISTS ${prefix}family (
    id                VARCHAR(64)   CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL PRIMARY KEY,
    subject           VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    client_id         VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    scopes            VARCHAR(4000) CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL,
    claims            TEXT          CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
    created_at        BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    revoked_at        BIGINT,
    revocation_reason VARCHAR(32)   CHARACTER SET ascii COLLATE ascii_nopad_bin,
    INDEX ${prefix}family_subject (subject),
    INDEX ${prefix}family_expires (expires_at)
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}token (
    hash             VARCHAR(43)  CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL PRIMARY KEY,
    family_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL,
    parent_hash      VARCHAR(43)  CHARACTER SET ascii COLLATE ascii_nopad_bin,
    state            VARCHAR(8)   CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL,
    issued_at        BIGINT       NOT NULL,
    idle_expires_at  BIGINT       NOT NULL,
    rotated_at       BIGINT,
    successor_hash   VARCHAR(43)  CHARACTER SET ascii COLLATE ascii_nopad_bin,
    sealed_successor VARCHAR(256) CHARACTER SET ascii COLLATE ascii_nopad_bin,
    grace_until      BIGINT,
    grace_uses       INT          NOT NULL DEFAULT 0,
    INDEX ${prefix}token_family (family_id),
    INDEX ${prefix}token_grace (grace_until)
) ENGINE = InnoDB;

CREATE TABLE IF NOT EXISTS ${prefix}denied_jti (
    jti        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_nopad_bin NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL,
    INDEX ${prefix}denied_jti_expires (expires_at)
) ENGINE = InnoDB;
