namespace Flowline.State;

/// <summary>
/// The state database's schema, one migration per version (PRAGMA user_version). Append new migrations;
/// never edit a shipped one. Times are Unix milliseconds (UTC); JSON columns hold compact JSON text.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // Version 1 (issue #6).
        """
        CREATE TABLE runs (
            id               TEXT    NOT NULL PRIMARY KEY,
            workflow_name    TEXT    NOT NULL,
            workflow_version TEXT    NOT NULL,
            workflow_path    TEXT,
            content_hash     TEXT,
            variables        TEXT    NOT NULL DEFAULT '{}',
            options          TEXT    NOT NULL DEFAULT '{}',
            status           TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
            started_at       INTEGER NOT NULL,
            finished_at      INTEGER,
            heartbeat_at     INTEGER NOT NULL,
            error            TEXT
        ) STRICT;

        CREATE INDEX runs_by_start ON runs (started_at DESC, id DESC);
        CREATE INDEX runs_by_workflow ON runs (workflow_name, started_at DESC, id DESC);

        CREATE TABLE steps (
            run_id         TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_id        TEXT    NOT NULL,
            status         TEXT    NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped', 'cancelled')),
            attempts       INTEGER NOT NULL DEFAULT 0,
            started_at     INTEGER,
            finished_at    INTEGER,
            output         TEXT,
            error          TEXT,
            parallel_group TEXT,
            exit_code      INTEGER,
            PRIMARY KEY (run_id, step_id)
        ) STRICT;
        """,

        // Version 2: a step's named outputs (FLOWLINE_OUTPUT, issue #4), so a resumed run restores them too.
        """
        ALTER TABLE steps ADD COLUMN outputs TEXT;
        """,

        // Version 3: the process recording a run, so a reader on the same machine sees at once that it died (issue 18).
        """
        ALTER TABLE runs ADD COLUMN host TEXT;
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN pid_start INTEGER;
        """,

        // Version 4: executors' step handles (a Slurm job's id and folder), so a resumed run re-attaches (issue 12).
        """
        CREATE TABLE step_handles (
            run_id     TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            step_id    TEXT    NOT NULL,
            handle     TEXT    NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (run_id, step_id)
        ) STRICT;
        """,

        // Version 5: up-to-date skipping (issue 14): each cached step's key and reason, and files' content hashes.
        """
        ALTER TABLE steps ADD COLUMN cache TEXT;

        CREATE TABLE file_hashes (
            path     TEXT    NOT NULL PRIMARY KEY,
            size     INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            hash     TEXT    NOT NULL
        ) STRICT;
        """,

        // Version 6 (issue 17): what started each run and who (the Runs page, `flowline runs`), and a cancel request
        // another process records (the dashboard, `flowline cancel`, MCP) and the running engine polls for.
        """
        ALTER TABLE runs ADD COLUMN origin TEXT;
        ALTER TABLE runs ADD COLUMN started_by TEXT;
        ALTER TABLE runs ADD COLUMN cancel_requested_at INTEGER;
        ALTER TABLE runs ADD COLUMN cancel_requested_by TEXT;
        """,

        // Version 7 (issue 14): each cached step's latest recorded row per workflow, kept on write, so an up-to-date
        // run reads one row per step instead of scanning the workflow's whole history. workflow_path '' is a run
        // with no file. Filled from the existing history: the row of the latest started run with a cache entry.
        """
        CREATE TABLE cache_latest (
            workflow_name TEXT    NOT NULL,
            workflow_path TEXT    NOT NULL,
            step_id       TEXT    NOT NULL,
            run_id        TEXT    NOT NULL,
            run_started   INTEGER NOT NULL,
            PRIMARY KEY (workflow_name, workflow_path, step_id)
        ) STRICT, WITHOUT ROWID;

        INSERT INTO cache_latest (workflow_name, workflow_path, step_id, run_id, run_started)
        SELECT r.workflow_name, coalesce(r.workflow_path, ''), s.step_id, s.run_id, max(r.started_at)
        FROM runs AS r JOIN steps AS s ON s.run_id = r.id
        WHERE s.cache IS NOT NULL
        GROUP BY r.workflow_name, coalesce(r.workflow_path, ''), s.step_id;
        """,

        // Version 8 (issue 14): per workflow file, the manifest of its latest run in which every step was up to date
        // (Caching/RunManifest), so the next such run is recorded without loading the workflow. Pruning that run
        // removes it.
        """
        CREATE TABLE run_manifests (
            workflow_path TEXT NOT NULL PRIMARY KEY,
            run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            manifest      BLOB NOT NULL
        ) STRICT;

        CREATE INDEX run_manifests_by_run ON run_manifests (run_id);
        """,
    ];

    /// <summary>The schema version this Flowline writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>The SQL taking a database from <paramref name="version"/> to the next version.</summary>
    public static string MigrationFrom(int version) => Migrations[version];
}
