-- Jeton JdbcTokenStore schema for PostgreSQL. ${prefix} is the table prefix (default jeton_).
-- Times are epoch milliseconds. Every compared text is VARCHAR, never CHAR: CHAR pads, and would take 'x ' for 'x'.
-- Ids and hashes are base64url; subjects and client ids are compared exactly (the store re-checks them in Java too).

CREATE TABLE IF NOT EXISTS ${prefix}family (
    id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    subject           VARCHAR(255)  NOT NULL,
    client_id         VARCHAR(255)  NOT NULL,
    scopes            VARCHAR(4000) NOT NULL,
    claims            TEXT          NOT NULL,
    created_at        BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    revoked_at        BIGINT,
    revocation_reason VARCHAR(32)
);
CREATE INDEX IF NOT EXISTS ${prefix}family_subject ON ${prefix}family (subject);
CREATE INDEX IF NOT EXISTS ${prefix}family_expires ON ${prefix}family (expires_at);

CREATE TABLE IF NOT EXISTS ${prefix}token (
    hash             VARCHAR(43)  NOT NULL PRIMARY KEY,
    family_id        VARCHAR(64)  NOT NULL,
    parent_hash      VARCHAR(43),
    state            VARCHAR(8)   NOT NULL,
    issued_at        BIGINT       NOT NULL,
    idle_expires_at  BIGINT       NOT NULL,
    rotated_at       BIGINT,
    successor_hash   VARCHAR(43),
    sealed_successor VARCHAR(256),
    grace_until      BIGINT,
    grace_uses       INTEGER      NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ${prefix}token_family ON ${prefix}token (family_id);
CREATE INDEX IF NOT EXISTS ${prefix}token_grace ON ${prefix}token (grace_until);

CREATE TABLE IF NOT EXISTS ${prefix}denied_jti (
    jti        VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}denied_jti_expires ON ${prefix}denied_jti (expires_at);
