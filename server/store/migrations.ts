/**
 * Versioned schema migrations: one list for both databases, applied in order at start, each version in a
 * transaction and recorded in schema_migrations. A migration is one SQL text when both dialects take it,
 * and a text per dialect only where they differ (key types, triggers). Never edit a released migration:
 * add a new version.
 */
import type { Dialect } from './sql.js';

export interface Migration {
  version: number;
  name: string;
  sql: string | Record<Dialect, string>;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'source servers, tokens, command queue, command results',
    sql: {
      sqlite: `
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
      postgres: `
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
  },
  {
    version: 2,
    name: 'change epoch for read caches',
    sql: {
      sqlite: `
      CREATE TABLE change_epoch (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        epoch INTEGER NOT NULL
      );
      INSERT INTO change_epoch (id, epoch) VALUES (1, 0);
      CREATE TRIGGER tokens_inserted AFTER INSERT ON tokens BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER tokens_updated AFTER UPDATE ON tokens BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER tokens_deleted AFTER DELETE ON tokens BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER sources_inserted AFTER INSERT ON source_servers BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER sources_updated AFTER UPDATE ON source_servers BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER sources_deleted AFTER DELETE ON source_servers BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER commands_queued AFTER INSERT ON commands BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER commands_requeued AFTER UPDATE OF state ON commands WHEN NEW.state = 'pending'
        BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER commands_lease_shortened AFTER UPDATE OF lease_expires_at ON commands
        WHEN NEW.lease_expires_at < OLD.lease_expires_at
        BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      `,
      postgres: `
      CREATE TABLE change_epoch (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        epoch BIGINT NOT NULL
      );
      INSERT INTO change_epoch (id, epoch) VALUES (1, 0);
      CREATE FUNCTION bump_change_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1;
          RETURN NULL;
        END $$;
      CREATE TRIGGER tokens_changed AFTER INSERT OR UPDATE OR DELETE ON tokens
        FOR EACH STATEMENT EXECUTE FUNCTION bump_change_epoch();
      CREATE TRIGGER sources_changed AFTER INSERT OR UPDATE OR DELETE ON source_servers
        FOR EACH STATEMENT EXECUTE FUNCTION bump_change_epoch();
      CREATE TRIGGER commands_queued AFTER INSERT ON commands
        FOR EACH STATEMENT EXECUTE FUNCTION bump_change_epoch();
      CREATE TRIGGER commands_requeued AFTER UPDATE OF state ON commands
        FOR EACH ROW WHEN (NEW.state = 'pending') EXECUTE FUNCTION bump_change_epoch();
      CREATE TRIGGER commands_lease_shortened AFTER UPDATE OF lease_expires_at ON commands
        FOR EACH ROW WHEN (NEW.lease_expires_at < OLD.lease_expires_at) EXECUTE FUNCTION bump_change_epoch();
      `,
    },
  },
  {
    version: 3,
    name: 'admin tokens, cancelled commands, Agent liveness',
    sql: `
      ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'agent' CHECK (kind IN ('agent', 'admin'));
      ALTER TABLE commands ADD COLUMN cancelled_at BIGINT;
      CREATE TABLE source_liveness (
        server_id    TEXT PRIMARY KEY REFERENCES source_servers(server_id),
        last_poll_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'access keys (AK/SK) of Agents that sign their requests',
    sql: {
      sqlite: `
      CREATE TABLE access_keys (
        access_key    TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        sources       TEXT,
        actions       TEXT NOT NULL,
        expires_at    INTEGER,
        revoked_at    INTEGER,
        created_at    INTEGER NOT NULL
      );
      CREATE TRIGGER access_keys_inserted AFTER INSERT ON access_keys BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER access_keys_updated AFTER UPDATE ON access_keys BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      CREATE TRIGGER access_keys_deleted AFTER DELETE ON access_keys BEGIN UPDATE change_epoch SET epoch = epoch + 1 WHERE id = 1; END;
      `,
      postgres: `
      CREATE TABLE access_keys (
        access_key    TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        sources       TEXT,
        actions       TEXT NOT NULL,
        expires_at    BIGINT,
        revoked_at    BIGINT,
        created_at    BIGINT NOT NULL
      );
      CREATE TRIGGER access_keys_changed AFTER INSERT OR UPDATE OR DELETE ON access_keys
        FOR EACH STATEMENT EXECUTE FUNCTION bump_change_epoch();
      `,
    },
  },
];

/** The SQL of a migration for one dialect. */
export function migrationSql(migration: Migration, dialect: Dialect): string {
  return typeof migration.sql === 'string' ? migration.sql : migration.sql[dialect];
}

/** How many of the migrations are missing from the applied versions (a database replaced under a running server). */
export function pendingOf(applied: Array<{ version: number }>): number {
  const done = new Set(applied.map((r) => Number(r.version)));
  return migrations.filter((m) => !done.has(m.version)).length;
}
