/* test-crash.c — kill -9 of `ferry-cli run`, then run again
 *
 * The migrating process is killed at several points — while it prepares
 * (dropping constraints for a rebuild), in the middle of the data with
 * some chunks committed, while schema: copy creates the tables or the
 * post-data items of loaded tables, and in its final phase — and started
 * again until it completes. Whatever the point: right after the kill, the rows
 * on the target are exactly those of the chunks the journal records as
 * done; in the end the target is identical to the source, with no row
 * lost or doubled and every dropped constraint and index back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ferry-test-migrate.h"

static FerryTestCluster *cluster;
static char *source;
static char *source_spoof;   /* the same, with a comment that looks like a TOC entry */
static char *workdir;

typedef struct {
  GSubprocess *process;
  char        *log;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->process);
  g_free (run->log);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run_start (const char *config_path,
           const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *cli = ferry_test_cli_path ();
  g_autoptr(GError) error = NULL;
  Run *run = g_new0 (Run, 1);

  run->log = g_build_filename (workdir, name, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, run->log);
  ferry_test_launcher_die_with_us (launcher);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "", TRUE);
  run->process = g_subprocess_launcher_spawn (launcher, &error, cli, "run", "--force",
                                              "--config", config_path, NULL);
  g_assert_no_error (error);
  return run;
}

static void
dump_log (Run *run)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents (run->log, &text, NULL, NULL))
    g_printerr ("--- %s ---\n%s\n---\n", run->log, text);
}

static gboolean
run_alive (Run *run)
{
  /* NULL once the process has exited and GLib has reaped it. */
  return g_subprocess_get_identifier (run->process) != NULL;
}

/* Waits for the run to end by itself; returns its exit status. */
static int
run_wait (Run   *run,
          guint  timeout_seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  while (run_alive (run))
    {
      if (g_get_monotonic_time () > end)
        {
          g_subprocess_force_exit (run->process);
          g_subprocess_wait (run->process, NULL, NULL);
          dump_log (run);
          g_error ("ferry-cli run did not end within %u s", timeout_seconds);
        }
      g_usleep (20000);
    }
  g_subprocess_wait (run->process, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_if_exited (run->process) ? g_subprocess_get_exit_status (run->process) : -1;
}

static void
run_kill (Run *run)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run_alive (run));
  g_subprocess_send_signal (run->process, SIGKILL);
  g_subprocess_wait (run->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (run->process));
  g_assert_cmpint (g_subprocess_get_term_sig (run->process), ==, SIGKILL);
}

/* Polls the target until @sql returns a true value (or the run ends). */
static gboolean
wait_until (Run        *run,
            PGconn     *target,
            const char *sql,
            guint       timeout_seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *ready = NULL;
      g_autofree char *value = NULL;

      /* A query on the journal cannot even be planned before it exists
       * (its tables are created together, in one transaction). */
      if (strstr (sql, "ferry.") != NULL)
        ready = ferry_test_value (target, "SELECT pg_catalog.to_regclass('ferry.validation') IS NOT NULL");
      if (ready == NULL || g_str_equal (ready, "t"))
        value = ferry_test_value (target, "%s", sql);

      if (g_strcmp0 (value, "t") == 0)
        return TRUE;
      if (!run_alive (run) || g_get_monotonic_time () > end)
        {
          dump_log (run);
          g_error ("ferry-cli run %s before this held: %s",
                   run_alive (run) ? "timed out" : "ended", sql);
        }
      g_usleep (5000);
    }
}

#define JOURNAL(cond) cond

static char *
setup_from (const char              *from,
            const char              *name,
            FerryConstraintStrategy  strategy,
            FerrySchemaMode          schema,
            char                   **target_out)
{
  g_autofree char *target = ferry_test_new_database (cluster, name,
                                                     schema == FERRY_SCHEMA_MODE_COPY ? NULL : "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (from, target);
  g_autofree char *file = g_strdup_printf ("%s.yaml", name);

  ferry_config_set_constraints (config, strategy);
  ferry_config_set_schema_mode (config, schema);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);
  *target_out = g_steal_pointer (&target);
  return ferry_test_config_write (config, workdir, file);
}

static char *
setup (const char              *name,
       FerryConstraintStrategy  strategy,
       FerrySchemaMode          schema,
       char                   **target_out)
{
  return setup_from (source, name, strategy, schema, target_out);
}

/* After the kill: nothing half-done on the target. */
static void
assert_consistent_after_kill (const char *target)
{
  g_autoptr(PGconn) conn = ferry_test_connect (target);

  /* The killed process's sessions go away with it. */
  for (int i = 0; i < 500; i++)
    {
      if (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_stat_activity"
                                " WHERE application_name = 'ferry' AND datname = current_database()") == 0)
        break;
      g_usleep (10000);
    }
  ferry_test_assert_journal_consistent (target);
}

/* Runs again until completed: exit 0. */
static void
finish_from (const char *from,
             const char *config,
             const char *target,
             const char *name)
{
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  gint64 rows_before = ferry_test_int (conn, "SELECT (pg_catalog.to_regclass('ferry.chunk') IS NOT NULL)::int") == 0
                       ? 0 : ferry_test_int (conn, "SELECT coalesce(sum(rows), 0) FROM ferry.chunk"
                                                   " WHERE finished_at IS NOT NULL");
  g_autoptr(Run) run = run_start (config, name);
  int status = run_wait (run, 300);
  g_autofree char *state = NULL;
  g_autofree char *log = NULL;

  if (status != 0)
    {
      dump_log (run);
      g_error ("ferry-cli run exited with %d", status);
    }

  /* The summary tells this run's copying from what it found done; the
   * log's number is grouped by the locale, so the line is enough. */
  g_assert_true (g_file_get_contents (run->log, &log, NULL, NULL));
  if (rows_before > 0 && strstr (log, "Resumed:") == NULL)
    {
      dump_log (run);
      g_error ("the summary does not say what an earlier run had copied (%" G_GINT64_FORMAT " rows)", rows_before);
    }

  /* One migration, resumed, completed. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.migration"), ==, 1);
  state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
  g_assert_cmpstr (state, ==, "completed");
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'resume-start'"), >=, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE finished_at IS NULL AND skipped_at IS NULL"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL"
                                         " OR (validate_sql IS NOT NULL AND validated_at IS NULL)"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.validation WHERE NOT matches"), ==, 0);

  ferry_test_assert_journal_consistent (target);
  ferry_test_assert_same (from, target, NULL);
}

static void
finish (const char *config,
        const char *target,
        const char *name)
{
  finish_from (source, config, target, name);
}

/* schema: copy — the post-data items on the target are exactly those the
 * journal marks as done: each committed with its mark, or not at all. */
static void
assert_post_data_consistent (PGconn *conn)
{
  static const struct {
    const char *kind;
    const char *on_target;
  } kinds[] = {
    { "foreign-key",
      "SELECT count(*) FROM pg_catalog.pg_constraint WHERE contype = 'f' AND conparentid = 0"
      " AND connamespace NOT IN ('ferry'::pg_catalog.regnamespace, 'pg_catalog'::pg_catalog.regnamespace)" },
    { "constraint",
      "SELECT count(*) FROM pg_catalog.pg_constraint WHERE contype IN ('p', 'u', 'x')"
      " AND connamespace NOT IN ('ferry'::pg_catalog.regnamespace, 'pg_catalog'::pg_catalog.regnamespace)" },
    { "index",
      "SELECT count(*) FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
      " WHERE i.relnamespace NOT IN ('ferry'::pg_catalog.regnamespace, 'pg_catalog'::pg_catalog.regnamespace,"
      "                              'pg_toast'::pg_catalog.regnamespace)"
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = x.indexrelid"
      "                 AND c.contype IN ('p', 'u', 'x'))"
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
      "                 AND d.objid = x.indrelid AND d.deptype = 'e')" },
    { "trigger",
      "SELECT count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
      " WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND c.relnamespace <> 'ferry'::pg_catalog.regnamespace" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      gint64 restored = ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE section = 'post-data'"
                                              " AND kind = '%s' AND restored_at IS NOT NULL", kinds[k].kind);
      gint64 present = ferry_test_int (conn, "%s", kinds[k].on_target);

      g_test_message ("%s: %" G_GINT64_FORMAT " on the target, %" G_GINT64_FORMAT " restored in the journal",
                      kinds[k].kind, present, restored);
      g_assert_cmpint (present, ==, restored);
    }

  /* A foreign key validated in the journal is valid on the target. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl d WHERE d.kind = 'foreign-key'"
                                         " AND d.validated_at IS NOT NULL AND d.validate_sql IS NOT NULL"
                                         " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c"
                                         "                 WHERE c.contype = 'f' AND c.convalidated"
                                         "                 AND c.conname = d.object_name)"), ==, 0);
}

/* Killed while it drops foreign keys and indexes for a rebuild. */
static void
test_kill_in_prepare (void)
{
  g_autofree char *target = NULL;
  g_autofree char *config = setup ("prepare", FERRY_CONSTRAINT_STRATEGY_REBUILD, FERRY_SCHEMA_MODE_EXISTING, &target);
  g_autoptr(PGconn) conn = ferry_test_connect (target);

  {
    g_autoptr(Run) run = run_start (config, "prepare-1.log");

    wait_until (run, conn, JOURNAL ("SELECT count(*) >= 40 FROM ferry.deferred_ddl"), 60);
    run_kill (run);
  }

  assert_consistent_after_kill (target);
  /* Killed half-way through the drops: some are gone, each recorded. */
  {
    gint64 dropped = ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL");
    gint64 fks = ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_constraint WHERE contype = 'f'"
                                       " AND connamespace <> 'ferry'::regnamespace");

    g_assert_cmpint (dropped, >=, 40);
    g_assert_cmpint (fks, <, 260);
    g_assert_cmpint (ferry_test_journal_chunks_done (conn), ==, 0);
  }

  finish (config, target, "prepare-2.log");
}

/* Killed twice in the middle of the data, with chunks committed. */
static void
test_kill_mid_data (void)
{
  g_autofree char *target = NULL;
  g_autofree char *config = setup ("middata", FERRY_CONSTRAINT_STRATEGY_REBUILD, FERRY_SCHEMA_MODE_EXISTING, &target);
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  gint64 done_first, total;

  {
    g_autoptr(Run) run = run_start (config, "middata-1.log");

    wait_until (run, conn, JOURNAL ("SELECT count(*) >= 40 FROM ferry.chunk WHERE finished_at IS NOT NULL"), 120);
    run_kill (run);
  }
  assert_consistent_after_kill (target);
  done_first = ferry_test_journal_chunks_done (conn);
  total = ferry_test_journal_chunks_total (conn);
  g_assert_cmpint (done_first, >=, 40);
  g_assert_cmpint (done_first, <, total);

  {
    g_autoptr(Run) run = run_start (config, "middata-2.log");
    g_autofree char *more = g_strdup_printf (JOURNAL ("SELECT count(*) >= %" G_GINT64_FORMAT
                                                      " FROM ferry.chunk WHERE finished_at IS NOT NULL"),
                                             done_first + 30);

    wait_until (run, conn, more, 120);
    run_kill (run);
  }
  assert_consistent_after_kill (target);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), >=, done_first + 30);
  /* The resumed run did not redo what the first had committed. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE attempts > 1"), ==, 0);

  finish (config, target, "middata-3.log");
}

/* Killed in the final phase: validation, after every chunk is in. */
static void
test_kill_in_validation (void)
{
  g_autofree char *target = NULL;
  g_autofree char *config = setup ("final", FERRY_CONSTRAINT_STRATEGY_KEEP, FERRY_SCHEMA_MODE_EXISTING, &target);
  g_autoptr(PGconn) conn = ferry_test_connect (target);

  {
    g_autoptr(Run) run = run_start (config, "final-1.log");

    wait_until (run, conn, JOURNAL ("SELECT count(*) >= 10 FROM ferry.validation"), 180);
    run_kill (run);
  }
  assert_consistent_after_kill (target);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), ==, ferry_test_journal_chunks_total (conn));

  finish (config, target, "final-2.log");
}

/* schema: copy, killed while pg_restore creates the tables (pre-data,
 * one transaction) before any data. */
static void
test_kill_in_pre_data (void)
{
  g_autofree char *target = NULL;
  g_autofree char *config = setup ("predata", FERRY_CONSTRAINT_STRATEGY_KEEP, FERRY_SCHEMA_MODE_COPY, &target);
  g_autoptr(PGconn) conn = ferry_test_connect (target);

  {
    g_autoptr(Run) run = run_start (config, "predata-1.log");

    wait_until (run, conn, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity"
                           " WHERE application_name = 'pg_restore' AND datname = current_database()"
                           " AND query ~* '^(CREATE|ALTER)')", 120);
    run_kill (run);
  }
  assert_consistent_after_kill (target);

  /* pg_restore died with Ferry: its transaction is gone, nothing it had
   * created is left, and nothing appears later. */
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_stat_activity"
                                         " WHERE application_name = 'pg_restore'"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = 'sales'"), ==, 0);

  finish (config, target, "predata-2.log");
}

/* schema: copy, killed while the post-data items of the tables already
 * loaded (their keys, indexes, foreign keys, triggers) run beside the
 * chunks of the others: each item is there with its journal mark, or
 * not at all; the resumed run does the rest. */
static void
test_kill_in_post_data (void)
{
  g_autofree char *target = NULL;
  g_autofree char *config = setup ("postdata", FERRY_CONSTRAINT_STRATEGY_KEEP, FERRY_SCHEMA_MODE_COPY, &target);
  g_autoptr(PGconn) conn = ferry_test_connect (target);

  {
    g_autoptr(Run) run = run_start (config, "postdata-1.log");

    wait_until (run, conn, JOURNAL ("SELECT (SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NOT NULL"
                                    "        AND kind = 'foreign-key') >= 5"
                                    " AND (SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NOT NULL) >= 40"
                                    " AND (SELECT count(*) FROM ferry.chunk WHERE finished_at IS NULL"
                                    "      AND skipped_at IS NULL) >= 10"), 180);
    run_kill (run);
  }
  assert_consistent_after_kill (target);
  assert_post_data_consistent (conn);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), <, ferry_test_journal_chunks_total (conn));
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL"), >, 0);

  finish (config, target, "postdata-2.log");
  assert_post_data_consistent (conn);
  ferry_test_assert_same_schema (source, target);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'schema-post-data-journaled'"), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'schema-post-data-started'"), ==, 0);
}

/* schema: copy of a source whose post-data script cannot be cut into its
 * entries with certainty (a comment holds a line like an entry's header):
 * the section is restored the old way, by one pg_restore after the data;
 * killed while it runs, the resumed run restores what the target lacks. */
static void
test_kill_in_post_data_whole (void)
{
  g_autofree char *target = NULL;
  g_autofree char *config = setup_from (source_spoof, "postwhole", FERRY_CONSTRAINT_STRATEGY_KEEP,
                                        FERRY_SCHEMA_MODE_COPY, &target);
  g_autoptr(PGconn) conn = ferry_test_connect (target);

  {
    g_autoptr(Run) run = run_start (config, "postwhole-1.log");

    wait_until (run, conn, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity"
                           " WHERE application_name = 'pg_restore' AND datname = current_database()"
                           " AND query ~* '^(CREATE|ALTER)')"
                           " AND EXISTS (SELECT 1 FROM ferry.event WHERE action = 'schema-post-data-started')"
                           " AND (SELECT count(*) FROM pg_catalog.pg_constraint WHERE contype = 'f') BETWEEN 1 AND 200", 180);
    run_kill (run);
  }
  assert_consistent_after_kill (target);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), ==, ferry_test_journal_chunks_total (conn));
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'schema-post-data-whole'"), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl"), ==, 0);

  finish_from (source_spoof, config, target, "postwhole-2.log");
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'schema-resume'"), ==, 1);
  ferry_test_assert_same_schema (source_spoof, target);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  cluster = ferry_test_cluster_start_with_sample ("source", 1.0, &source);
  workdir = ferry_test_cluster_make_dir (cluster, "crash");
  ferry_test_add_bulk (source, 8);
  ferry_test_add_post_data_cases (source);
  source_spoof = ferry_test_new_database (cluster, "source_spoof", "source");
  ferry_test_sql_at (source_spoof, "COMMENT ON INDEX ferry_post.child_lower_idx"
                                   " IS E'lower notes\\n--\\n-- TOC entry 1 (class 0 OID 0)\\n--\\n'");
  ferry_test_make_template (cluster, "target_template", source);

  g_test_add_func ("/crash/kill-in-prepare", test_kill_in_prepare);
  g_test_add_func ("/crash/kill-mid-data", test_kill_mid_data);
  g_test_add_func ("/crash/kill-in-validation", test_kill_in_validation);
  g_test_add_func ("/crash/kill-in-pre-data", test_kill_in_pre_data);
  g_test_add_func ("/crash/kill-in-post-data", test_kill_in_post_data);
  g_test_add_func ("/crash/kill-in-post-data-whole", test_kill_in_post_data_whole);

  ret = g_test_run ();

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&source_spoof, g_free);
  g_clear_pointer (&workdir, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
