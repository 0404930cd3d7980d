/* test-resolve.c — a table the target rejects, and each resolution
 *
 * The target has a stricter CHECK on ferry_bulk.keyed than the source
 * (id < 30000): the chunks below it commit, the ones above fail with
 * 23514. That table must fail alone, as DATA, while every other table
 * completes and the run waits in ERROR for the user. Then, each in its
 * own run: retry (after the constraint is dropped), skip, truncate and
 * retry, abort. Nothing committed may be lost or doubled by any of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ferry-catalog.h"
#include "ferry-enum-types.h"
#include "ferry-test-migrate.h"

static FerryTestCluster *cluster;
static char *source;

#define STRICT_TABLE "ferry_bulk.keyed"
#define STRICT_NAME  "keyed_strict"

/* A unique index the source's data does not fit (rebuild drops it, and
 * fails to put it back). */
#define MOD_UNIQUE_INDEX "CREATE UNIQUE INDEX keyed_mod_uniq ON " STRICT_TABLE " ((id % 1000))"

typedef struct {
  guint            failed;
  FerryTable      *failed_table;
  FerryErrorClass  failed_class;
  char            *failed_sqlstate;
  guint            escalated;
  GPtrArray       *states;
} Seen;

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->failed_sqlstate, g_free);
  g_clear_pointer (&seen->states, g_ptr_array_unref);
}

static void
on_table_failed (FerryCoordinator *c,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class,
                 Seen             *seen)
{
  g_test_message ("table failed: %s [%s]: %s", ferry_table_get_display_name (table),
                  ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, error_class), error->message);
  seen->failed++;
  seen->failed_table = table;
  seen->failed_class = error_class;
  g_free (seen->failed_sqlstate);
  seen->failed_sqlstate = g_strdup (ferry_error_get_sqlstate (error));
}

static void
on_escalated (FerryCoordinator *c,
              GError           *error,
              Seen             *seen)
{
  seen->escalated++;
}

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  Seen             *seen)
{
  g_ptr_array_add (seen->states, g_strdup (ferry_enum_to_nick (FERRY_TYPE_STATE, new_state)));
}

static FerryTable *
strict_table (FerryCoordinator *coordinator)
{
  FerryCatalog *catalog = ferry_validator_get_source_catalog (ferry_coordinator_get_validator (coordinator));
  FerryTable *table = ferry_catalog_find (catalog, STRICT_TABLE);

  g_assert_nonnull (table);
  return table;
}

/* A run into database @name, made from the template, @sql run on it
 * first, with @strategy for the constraints, up to the failure: the run
 * in ERROR, the strict table failed alone, as DATA with @sqlstate. */
static FerryCoordinator *
run_until_table_fails (const char               *name,
                       const char               *sql,
                       FerryConstraintStrategy   strategy,
                       const char               *sqlstate,
                       Seen                     *seen,
                       char                    **target_out)
{
  g_autofree char *target = ferry_test_new_database (cluster, name, "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(GError) error = NULL;
  FerryState state;

  ferry_test_sql_at (target, "%s", sql);
  ferry_config_set_constraints (config, strategy);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_COUNTS);

  seen->states = g_ptr_array_new_with_free_func (g_free);
  coordinator = ferry_test_coordinator_new_ready (config);
  g_signal_connect (coordinator, "table-failed", G_CALLBACK (on_table_failed), seen);
  g_signal_connect (coordinator, "escalated", G_CALLBACK (on_escalated), seen);
  g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), seen);
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);

  state = ferry_test_run_until_idle (coordinator, 240);
  if (state != FERRY_STATE_ERROR)
    {
      g_autofree char *status = ferry_test_status_text (coordinator);
      g_error ("expected ERROR, the run is %s:\n%s", ferry_enum_to_nick (FERRY_TYPE_STATE, state), status);
    }

  /* That table alone, as DATA, with the server's SQLSTATE. */
  g_assert_cmpuint (seen->failed, ==, 1);
  g_assert_true (seen->failed_table == strict_table (coordinator));
  g_assert_cmpint (seen->failed_class, ==, FERRY_ERROR_CLASS_DATA);
  g_assert_cmpstr (seen->failed_sqlstate, ==, sqlstate);

  *target_out = g_steal_pointer (&target);
  return g_steal_pointer (&coordinator);
}

/* Up to the failure of the stricter CHECK: one table FAILED as DATA
 * 23514, every other one COMPLETED, the run in ERROR. */
static FerryCoordinator *
run_until_failure (const char               *name,
                   FerryConstraintStrategy   strategy,
                   Seen                     *seen,
                   char                    **target_out)
{
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator = NULL;
  FerryTableList *tables;

  coordinator = run_until_table_fails (name, "ALTER TABLE " STRICT_TABLE " ADD CONSTRAINT " STRICT_NAME
                                       " CHECK (id < 30000)", strategy, "23514", seen, &target);
  g_assert_cmpuint (seen->escalated, ==, 1);
  g_assert_cmpint (ferry_table_get_status (seen->failed_table), ==, FERRY_TABLE_STATUS_FAILED);
  g_assert_nonnull (strstr (ferry_table_get_last_error (seen->failed_table), STRICT_NAME));

  tables = ferry_coordinator_get_tables (coordinator);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);
      FerryTableStatus status = ferry_table_get_status (table);

      if (table == seen->failed_table)
        continue;
      if (status != FERRY_TABLE_STATUS_COMPLETED && status != FERRY_TABLE_STATUS_EXCLUDED)
        g_error ("%s is %s, expected completed", ferry_table_get_display_name (table),
                 ferry_enum_to_nick (FERRY_TYPE_TABLE_STATUS, status));
    }

  /* status() says what failed and why. */
  {
    g_autoptr(JsonNode) status = ferry_coordinator_status (coordinator);
    JsonObject *root = json_node_get_object (status);
    JsonArray *failed = json_object_get_array_member (root, "failed_tables");
    JsonObject *entry;

    g_assert_cmpstr (json_object_get_string_member (root, "state"), ==, "error");
    g_assert_cmpuint (json_array_get_length (failed), ==, 1);
    entry = json_array_get_object_element (failed, 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "table"), ==, STRICT_TABLE);
    g_assert_cmpstr (json_object_get_string_member (entry, "class"), ==, "data");
    g_assert_cmpstr (json_object_get_string_member (entry, "sqlstate"), ==, "23514");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "tables"), "failed"), ==, 1);
  }

  /* What committed before the failure is there, exactly once; the
   * chunks above the limit are not. */
  ferry_test_assert_journal_consistent (target);
  {
    g_autoptr(PGconn) conn = ferry_test_connect (target);

    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed'"
                                           " AND finished_at IS NOT NULL"), >=, 1);
    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed'"
                                           " AND finished_at IS NULL"), >=, 1);
    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry_bulk.keyed"), >, 0);
    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry_bulk.keyed WHERE id >= 30000"), ==, 0);
    /* The failed attempts are in the journal's rows, with their error. */
    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed'"
                                           " AND finished_at IS NULL AND attempts >= 1"
                                           " AND last_error LIKE '%%" STRICT_NAME "%%'"), >=, 1);
    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'table-failed'"
                                           " AND detail LIKE '" STRICT_TABLE " %%[data 23514]%%'"), ==, 1);
  }

  *target_out = g_steal_pointer (&target);
  return g_steal_pointer (&coordinator);
}

/* The target is the source but for the strict table's rows and its
 * stricter constraint (and the sequences, if @skip_sequences). */
static void
assert_same_but_strict_impl (const char *target,
                             gboolean    skip_sequences,
                             const char *where)
{
  FerryTestCompare options = { 0 };
  const char *skip[] = { STRICT_TABLE, NULL };
  const char *ignore[] = { STRICT_TABLE " " STRICT_NAME, NULL };

  options.skip_data = skip;
  options.ignore_objects = ignore;
  options.skip_sequences = skip_sequences;
  ferry_test_assert_same_impl (source, target, &options, where);
}
#define assert_same_but_strict(t, s) assert_same_but_strict_impl (t, s, G_STRLOC)

static void
test_fails_alone_then_retry (void)
{
  Seen seen = { 0 };
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator = run_until_failure ("retry", FERRY_CONSTRAINT_STRATEGY_KEEP,
                                                                &seen, &target);
  g_autoptr(GError) error = NULL;
  FerryTable *table = strict_table (coordinator);
  FerryState state;

  /* A resolution for a table that did not fail is refused. */
  {
    FerryCatalog *catalog = ferry_validator_get_source_catalog (ferry_coordinator_get_validator (coordinator));
    FerryTable *fine = ferry_catalog_find (catalog, "sales.orders");

    g_assert_false (ferry_coordinator_handle_error (coordinator, fine, FERRY_RESOLUTION_RETRY, &error));
    g_assert_error (error, FERRY_ERROR, FERRY_ERROR_STATE);
    g_clear_error (&error);
  }

  /* The DBA drops the stricter constraint, and retries. */
  ferry_test_sql_at (target, "ALTER TABLE " STRICT_TABLE " DROP CONSTRAINT " STRICT_NAME);
  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_RETRY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_RUNNING);

  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_COMPLETED);
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_COMPLETED);

  ferry_test_assert_journal_consistent (target);
  ferry_test_assert_same (source, target, NULL);
  g_assert_cmpint (ferry_test_int_at (target, "SELECT count(*) FROM ferry.event WHERE action = 'resolve'"
                                              " AND detail = '" STRICT_TABLE ": retry'"), ==, 1);
  seen_clear (&seen);
}

static void
test_skip (void)
{
  Seen seen = { 0 };
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator = run_until_failure ("skip", FERRY_CONSTRAINT_STRATEGY_KEEP,
                                                                &seen, &target);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  FerryTable *table = strict_table (coordinator);
  gint64 kept_rows = ferry_test_int_at (target, "SELECT count(*) FROM " STRICT_TABLE);
  FerryState state;

  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_SKIP, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_COMPLETED);
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_SKIPPED);

  /* Its unfinished chunks are skipped in the journal; what had been
   * copied stays, once. */
  conn = ferry_test_connect (target);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed'"
                                         " AND finished_at IS NULL AND skipped_at IS NULL"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed'"
                                         " AND skipped_at IS NOT NULL"), >=, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM " STRICT_TABLE), ==, kept_rows);
  {
    g_autofree char *state_text = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (state_text, ==, "completed");
  }
  ferry_test_assert_journal_consistent (target);

  assert_same_but_strict (target, FALSE);
  seen_clear (&seen);
}

static void
test_truncate_retry (void)
{
  Seen seen = { 0 };
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator = run_until_failure ("truncate", FERRY_CONSTRAINT_STRATEGY_KEEP,
                                                                &seen, &target);
  g_autoptr(GError) error = NULL;
  FerryTable *table = strict_table (coordinator);
  FerryState state;

  ferry_test_sql_at (target, "ALTER TABLE " STRICT_TABLE " DROP CONSTRAINT " STRICT_NAME);
  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_TRUNCATE_RETRY, &error);
  g_assert_no_error (error);

  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_COMPLETED);
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_COMPLETED);

  /* Every chunk of the table again, after the truncate: the rows copied
   * before the failure are there once, not twice. */
  ferry_test_assert_journal_consistent (target);
  ferry_test_assert_same (source, target, NULL);
  g_assert_cmpint (ferry_test_int_at (target, "SELECT count(*) FROM ferry.event WHERE action = 'resolve'"
                                              " AND detail = '" STRICT_TABLE ": truncate-retry'"), ==, 1);
  seen_clear (&seen);
}

static void
test_abort (void)
{
  Seen seen = { 0 };
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator = run_until_failure ("abort", FERRY_CONSTRAINT_STRATEGY_REBUILD,
                                                                &seen, &target);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  FerryTable *table = strict_table (coordinator);
  FerryState state;

  /* rebuild dropped every foreign key and secondary index; the ones of
   * the completed tables are back already, the failed table's not. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl"), >, 200);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL"), >=, 1);

  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_ABORT, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_STOPPED);

  {
    g_autofree char *journal_state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (journal_state, ==, "aborted");
  }
  /* Everything dropped is back and valid; nothing copied was removed. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL"
                                         " OR (validate_sql IS NOT NULL AND validated_at IS NULL)"), ==, 0);
  ferry_test_assert_journal_consistent (target);
  assert_same_but_strict (target, TRUE);   /* an aborted run does not set the sequences */

  /* An aborted migration is not resumed: a new initialize finds nothing. */
  {
    g_autoptr(FerryConfig) config = ferry_config_copy (ferry_coordinator_get_config (coordinator));
    g_autoptr(FerryCoordinator) again = ferry_test_coordinator_new_ready (config);

    g_assert_false (ferry_coordinator_get_resuming (again));
  }
  seen_clear (&seen);
}

/* An index that cannot be put back: the target has a unique index the
 * source's data does not fit (rebuild drops it, the load goes in, the
 * rebuild of the index fails with 23505). The table fails as DATA; the
 * user skips it. The index is left out, said so in the audit trail and
 * kept in the journal as not restored; the table's other indexes and
 * keys are back, and the run completes instead of waiting in ERROR. */
static void
test_skip_failed_index (void)
{
  Seen seen = { 0 };
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator = run_until_table_fails ("skip_index", MOD_UNIQUE_INDEX,
                                                                    FERRY_CONSTRAINT_STRATEGY_REBUILD, "23505",
                                                                    &seen, &target);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  FerryTable *table = strict_table (coordinator);
  FerryState state;

  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_SKIP, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  if (state != FERRY_STATE_COMPLETED)
    {
      g_autofree char *status = ferry_test_status_text (coordinator);
      g_error ("expected COMPLETED after the skip, the run is %s:\n%s",
               ferry_enum_to_nick (FERRY_TYPE_STATE, state), status);
    }
  g_assert_cmpint (ferry_table_get_status (table), ==, FERRY_TABLE_STATUS_SKIPPED);

  conn = ferry_test_connect (target);
  {
    g_autofree char *journal_state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (journal_state, ==, "completed");
  }
  /* Left out, and said so; everything else put back. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_indexes"
                                         " WHERE indexname = 'keyed_mod_uniq'"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL"), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE restored_at IS NULL"
                                         " AND object_name LIKE '%%keyed_mod_uniq%%'"), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'ddl-skipped'"
                                         " AND detail LIKE '%%keyed_mod_uniq%%'"), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_indexes"
                                         " WHERE indexname = 'keyed_n_idx'"), ==, 1);
  /* Every row is there once: the failure came after the data. */
  ferry_test_assert_journal_consistent (target);
  {
    FerryTestCompare options = { 0 };
    const char *ignore[] = { STRICT_TABLE " keyed_mod_uniq", NULL };

    options.ignore_objects = ignore;
    ferry_test_assert_same (source, target, &options);
  }
  seen_clear (&seen);
}

/* Truncate and retry of a table whose triggers are back: rebuild put
 * its triggers back when its data was in, then its unique index failed.
 * Emptying and reloading it must not fire them (a trigger that logs
 * every insert and delete into a side table stays silent), and they are
 * enabled again once the table is loaded. */
static void
test_truncate_keeps_triggers_quiet (void)
{
  Seen seen = { 0 };
  g_autofree char *target = NULL;
  g_autoptr(FerryCoordinator) coordinator =
    run_until_table_fails ("truncate_triggers",
                           "CREATE SCHEMA side;"
                           "CREATE TABLE side.keyed_log (op text NOT NULL);"
                           "CREATE FUNCTION side.log_keyed () RETURNS trigger LANGUAGE plpgsql AS"
                           "  $$BEGIN INSERT INTO side.keyed_log VALUES (TG_OP); RETURN NULL; END$$;"
                           "CREATE TRIGGER keyed_log_trg AFTER INSERT OR DELETE ON " STRICT_TABLE
                           "  FOR EACH ROW EXECUTE FUNCTION side.log_keyed ();"
                           MOD_UNIQUE_INDEX,
                           FERRY_CONSTRAINT_STRATEGY_REBUILD, "23505", &seen, &target);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  FerryTable *table = strict_table (coordinator);
  FerryState state;

  conn = ferry_test_connect (target);
  /* The load did not fire it, and it is enabled again by now. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM side.keyed_log"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_trigger"
                                         " WHERE tgname = 'keyed_log_trg' AND tgenabled = 'O'"), ==, 1);

  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_TRUNCATE_RETRY, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  /* The index fails again after the reload: the data has not changed. */
  g_assert_cmpint (state, ==, FERRY_STATE_ERROR);
  g_assert_cmpuint (seen.failed, ==, 2);

  /* Neither the emptying nor the reload fired it; it is back on. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM side.keyed_log"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_trigger"
                                         " WHERE tgname = 'keyed_log_trg' AND tgenabled = 'O'"), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE kind = 'triggers'"
                                         " AND table_name = 'keyed' AND restored_at IS NOT NULL"), ==, 2);

  ferry_coordinator_handle_error (coordinator, table, FERRY_RESOLUTION_SKIP, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_COMPLETED);

  ferry_test_assert_journal_consistent (target);
  {
    FerryTestCompare options = { 0 };
    const char *ignore[] = { STRICT_TABLE " keyed_mod_uniq", STRICT_TABLE " keyed_log_trg", NULL };

    options.ignore_objects = ignore;
    ferry_test_assert_same (source, target, &options);
  }
  seen_clear (&seen);
}

/* The same from the command line: `ferry-cli run --wait` waits in ERROR,
 * and `ferry-cli resolve` from elsewhere reaches it through the journal. */
static void
test_cli_wait_and_resolve (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "cli", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autofree char *dir = g_build_filename (ferry_test_cluster_get_dir (cluster), "resolve", NULL);
  g_autofree char *config_path = NULL;
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  int status;

  g_mkdir_with_parents (dir, 0755);
  config_path = ferry_test_config_write (config, dir, "cli.yaml");
  log = g_build_filename (dir, "cli-run.log", NULL);
  ferry_test_sql (conn, "ALTER TABLE " STRICT_TABLE " ADD CONSTRAINT " STRICT_NAME " CHECK (id < 30000)");

  run = ferry_test_cli_spawn (log, &error, "run", "--force", "--wait", "--config", config_path, NULL);
  g_assert_no_error (error);

  /* It fails that table, completes the others, and waits. */
  for (gint64 end = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;;)
    {
      g_autofree char *ready = ferry_test_value (conn, "SELECT pg_catalog.to_regclass('ferry.validation') IS NOT NULL");
      g_autofree char *state = g_str_equal (ready, "t")
                               ? ferry_test_value (conn, "SELECT (SELECT state FROM ferry.migration)") : NULL;

      if (g_strcmp0 (state, "error") == 0)
        break;
      if (g_get_monotonic_time () > end || g_subprocess_get_identifier (run) == NULL)
        {
          ferry_test_dump_file (log);
          g_error ("ferry-cli run --wait did not come to wait in ERROR");
        }
      g_usleep (50000);
    }
  g_usleep (G_USEC_PER_SEC);
  g_assert_nonnull (g_subprocess_get_identifier (run));

  status = ferry_test_cli (&out, "resolve", "--table", STRICT_TABLE, "--action", "skip", "--config", config_path, NULL);
  if (status != 0)
    ferry_test_dump_file (log);
  g_assert_cmpint (status, ==, 0);

  status = ferry_test_cli_wait (run, log, 240);
  if (status != 0)
    ferry_test_dump_file (log);
  g_assert_cmpint (status, ==, 0);
  {
    g_autofree char *state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (state, ==, "completed");
  }
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed'"
                                         " AND skipped_at IS NOT NULL"), >=, 1);
  ferry_test_assert_journal_consistent (target);
  assert_same_but_strict (target, FALSE);
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
  ferry_test_add_bulk (source, 6);
  ferry_test_make_template (cluster, "target_template", source);

  g_test_add_func ("/resolve/fails-alone-then-retry", test_fails_alone_then_retry);
  g_test_add_func ("/resolve/skip", test_skip);
  g_test_add_func ("/resolve/truncate-retry", test_truncate_retry);
  g_test_add_func ("/resolve/abort", test_abort);
  g_test_add_func ("/resolve/skip-failed-index", test_skip_failed_index);
  g_test_add_func ("/resolve/truncate-keeps-triggers-quiet", test_truncate_keeps_triggers_quiet);
  g_test_add_func ("/resolve/cli-wait-and-resolve", test_cli_wait_and_resolve);

  ret = g_test_run ();

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
