/**
 * Versioned schema migrations, one list per dialect with the same versions. Applied in order at start;
 * each version is recorded in schema_migrations. Never edit a released migration: add a new version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: Migration[] = [
  {
    version: 1,
    name: 'source servers, tokens, command queue, command results',
    sql: `
      CREATE TABLE source_servers (
        server_id  TEXT PRIMARY KEY,
        name       TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE tokens (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        sources    TEXT,
        actions    TEXT NOT NULL,
        expires_at INTEGER,
        revoked_at INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE commands (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        server_id        TEXT NOT NULL REFERENCES source_servers(server_id),
        command_name     TEXT NOT NULL CHECK (command_name IN ('START', 'STOP', 'DELETE', 'SYNC')),
        task_id          TEXT,
        bucket           TEXT,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done')),
        enqueued_at      INTEGER NOT NULL,
        lease_expires_at INTEGER,
        deliveries       INTEGER NOT NULL DEFAULT 0,
        completed_at     INTEGER,
        result_id        INTEGER
      );
      CREATE INDEX commands_queue ON commands (server_id, state, id);
      CREATE TABLE command_results (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        server_id     TEXT NOT NULL REFERENCES source_servers(server_id),
        command_name  TEXT NOT NULL,
        result        TEXT NOT NULL,
        result_detail TEXT NOT NULL,
        received_at   INTEGER NOT NULL,
        request_id    TEXT NOT NULL,
        command_id    INTEGER REFERENCES commands(id),
        unsolicited   INTEGER NOT NULL
      );
      CREATE INDEX command_results_source ON command_results (server_id, id);
    `,
  },
];

export const postgresMigrations: Migration[] = [
  {
    version: 1,
    name: 'source servers, tokens, command queue, command results',
    sql: `
      CREATE TABLE source_servers (
        server_id  TEXT PRIMARY KEY,
        name       TEXT,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE tokens (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        sources    TEXT,
        actions    TEXT NOT NULL,
        expires_at BIGINT,
        revoked_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE commands (
        id               BIGSERIAL PRIMARY KEY,
        server_id        TEXT NOT NULL REFERENCES source_servers(server_id),
        command_name     TEXT NOT NULL CHECK (command_name IN ('START', 'STOP', 'DELETE', 'SYNC')),
        task_id          TEXT,
        bucket           TEXT,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'leased', 'done')),
        enqueued_at      BIGINT NOT NULL,
        lease_expires_at BIGINT,
        deliveries       INTEGER NOT NULL DEFAULT 0,
        completed_at     BIGINT,
        result_id        BIGINT
      );
      CREATE INDEX commands_queue ON commands (server_id, state, id);
      CREATE TABLE command_results (
        id            BIGSERIAL PRIMARY KEY,
        server_id     TEXT NOT NULL REFERENCES source_servers(server_id),
        command_name  TEXT NOT NULL,
        result        TEXT NOT NULL,
        result_detail TEXT NOT NULL,
        received_at   BIGINT NOT NULL,
        request_id    TEXT NOT NULL,
        command_id    BIGINT REFERENCES commands(id),
        unsolicited   BOOLEAN NOT NULL
      );
      CREATE INDEX command_results_source ON command_results (server_id, id);
    `,
  },
];
