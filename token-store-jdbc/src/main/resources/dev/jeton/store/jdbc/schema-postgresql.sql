-- Jeton JdbcTokenStore schema for PostgreSQL 12+. ${prefix} is the table prefix (default jeton_).
-- One row per family (one login), whatever the number of refreshes: its identity, its current generation and the hash
-- of its current token, the grace window of its last rotation, its revocation. Times are epoch milliseconds.
-- Compared text uses the "C" collation: byte for byte (case and trailing spaces count), and index comparisons without
-- locale rules. Fixed-width columns come first, so rows need no alignment padding. A refresh rewrites the row; with
-- room left on the page (fillfactor) and no indexed column changed (every rotation without a grace window), the new
-- version is a HOT update: same page, no index entry added.

CREATE TABLE IF NOT EXISTS ${prefix}family (
    created_at        BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    generation        BIGINT        NOT NULL,
    idle_expires_at   BIGINT        NOT NULL,
    grace_until       BIGINT,
    revoked_at        BIGINT,
    grace_uses        INTEGER       NOT NULL DEFAULT 0,
    id                VARCHAR(64)   COLLATE "C" NOT NULL PRIMARY KEY,
    subject           VARCHAR(255)  COLLATE "C" NOT NULL,
    client_id         VARCHAR(255)  COLLATE "C" NOT NULL,
    scopes            VARCHAR(4000) NOT NULL,
    current_hash      VARCHAR(64)   COLLATE "C" NOT NULL,
    previous_hash     VARCHAR(64)   COLLATE "C",
    sealed_successor  VARCHAR(256)  COLLATE "C",
    revocation_reason VARCHAR(32),
    claims_json       TEXT          NOT NULL
) WITH (fillfactor = 90);
CREATE INDEX IF NOT EXISTS ${prefix}family_subject ON ${prefix}family (subject);
CREATE INDEX IF NOT EXISTS ${prefix}family_expires ON ${prefix}family (expires_at);
-- Only rows with a grace window are indexed, so rotating without one leaves every index as it is.
CREATE INDEX IF NOT EXISTS ${prefix}family_grace ON ${prefix}family (grace_until) WHERE grace_until IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${prefix}denied_jti (
    expires_at BIGINT      NOT NULL,
    jti        VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY
);
CREATE INDEX IF NOT EXISTS ${prefix}denied_jti_expires ON ${prefix}denied_jti (expires_at);
