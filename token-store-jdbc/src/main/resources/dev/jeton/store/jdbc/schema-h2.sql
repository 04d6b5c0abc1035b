-- Jeton JdbcTokenStore schema for H2 2.x. ${prefix} is the table prefix (default jeton_).
-- One row per family (one login), whatever the number of refreshes: its identity, its current generation and the hash
-- of its current token, the grace window of its last rotation, its revocation. Times are epoch milliseconds.
-- Every compared text is VARCHAR, never CHAR (which pads, and would take 'x ' for 'x'); H2 compares VARCHAR byte for
-- byte, case included.

CREATE TABLE IF NOT EXISTS ${prefix}family (
    id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    subject           VARCHAR(255)  NOT NULL,
    client_id         VARCHAR(255)  NOT NULL,
    scopes            VARCHAR(4000) NOT NULL,
    claims_json       TEXT          NOT NULL,
    created_at        BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    generation        BIGINT        NOT NULL,
    current_hash      VARCHAR(64)   NOT NULL,
    idle_expires_at   BIGINT        NOT NULL,
    previous_hash     VARCHAR(64),
    sealed_successor  VARCHAR(256),
    grace_until       BIGINT,
    grace_uses        INTEGER       NOT NULL DEFAULT 0,
    revoked_at        BIGINT,
    revocation_reason VARCHAR(32)
);
CREATE INDEX IF NOT EXISTS ${prefix}family_subject ON ${prefix}family (subject);
CREATE INDEX IF NOT EXISTS ${prefix}family_expires ON ${prefix}family (expires_at);
CREATE INDEX IF NOT EXISTS ${prefix}family_grace ON ${prefix}family (grace_until);

CREATE TABLE IF NOT EXISTS ${prefix}denied_jti (
    jti        VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX IF NOT EXISTS ${prefix}denied_jti_expires ON ${prefix}denied_jti (expires_at);
