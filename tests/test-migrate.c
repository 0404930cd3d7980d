/* test-migrate.c — the sample database migrated end to end
 *
 * One throwaway cluster holds the source (the sample at scale 1 plus two
 * bulk tables, so that 1 MB chunks make many key-range and ctid-range
 * chunks) and, for each case, a fresh target. Every migration is then
 * checked with plain SQL on both sides (ferry-test-migrate.c), not with
 * Ferry's own validation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ferry-enum-types.h"
#include "ferry-test-migrate.h"

static FerryTestCluster *cluster;
static char *source;

typedef struct {
  GPtrArray *states;        /* "from>to" */
  guint      chunks;
  guint      failed;
  guint      escalated;
  guint64    rows;
} Seen;

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  Seen             *seen)
{
  g_ptr_array_add (seen->states, g_strdup_printf ("%s>%s", ferry_enum_to_nick (FERRY_TYPE_STATE, old_state),
                                                  ferry_enum_to_nick (FERRY_TYPE_STATE, new_state)));
  /* PAUSED, COMPLETED, STOPPED: nothing runs any more. */
  if (new_state == FERRY_STATE_COMPLETED || new_state == FERRY_STATE_STOPPED)
    g_assert_cmpuint (ferry_coordinator_get_n_running (c), ==, 0);
}

static void
on_chunk_finished (FerryCoordinator *c,
                   FerryTable       *table,
                   guint             number,
                   guint64           rows,
                   guint64           bytes,
                   Seen             *seen)
{
  g_assert_true (FERRY_IS_TABLE (table));
  g_assert_cmpuint (number, >=, 1);
  seen->chunks++;
  seen->rows += rows;
}

static void
on_table_failed (FerryCoordinator *c,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class,
                 Seen             *seen)
{
  g_printerr ("table failed: %s: %s\n", ferry_table_get_display_name (table), error->message);
  seen->failed++;
}

static void
on_escalated (FerryCoordinator *c,
              GError           *error,
              Seen             *seen)
{
  seen->escalated++;
}

static gint64
source_rows (const char *conninfo)
{
  /* Every row of every table Ferry copies (partitions and inheritance
   * children count on their own: Ferry copies FROM ONLY). */
  g_autoptr(PGconn) conn = ferry_test_connect (conninfo);
  PGresult *tables = PQexec (conn,
    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry')"
    " AND n.nspname NOT LIKE 'pg\\_%'"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass"
    "                 AND d.objid = c.oid AND d.deptype = 'e')");
  gint64 total = 0;

  for (int i = 0; i < PQntuples (tables); i++)
    total += ferry_test_int (conn, "SELECT count(*) FROM ONLY %s", PQgetvalue (tables, i, 0));
  PQclear (tables);
  return total;
}

/* What the journal says after a run that completed. */
static void
assert_journal_complete (const char *target,
                         gint64      migration_id)
{
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  g_autofree char *state = ferry_test_value (conn, "SELECT state FROM ferry.migration WHERE migration_id = %"
                                             G_GINT64_FORMAT, migration_id);

  g_assert_cmpstr (state, ==, "completed");
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE migration_id = %" G_GINT64_FORMAT
                                   " AND finished_at IS NULL AND skipped_at IS NULL", migration_id), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE migration_id = %" G_GINT64_FORMAT
                                   " AND (restored_at IS NULL OR (validate_sql IS NOT NULL AND validated_at IS NULL))",
                                   migration_id), ==, 0);
  /* The audit trail has the transitions, start to end. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE migration_id = %" G_GINT64_FORMAT
                                   " AND action = 'state' AND detail = 'running → completed'", migration_id), ==, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE migration_id = %" G_GINT64_FORMAT
                                   " AND action = 'state' AND detail = 'ready → running'", migration_id), ==, 1);
}

/* Samples the connections Ferry holds on the server (its own, and its
 * pg_dump's and pg_restore's), from a thread of its own, while a run
 * goes on. */
typedef struct {
  char   *admin;
  char   *source_db;
  char   *target_db;
  gint    stop;
  gint64  max_source;
  gint64  max_target;
  gint64  max_copies;
} Sampler;

static gpointer
sampler_thread (gpointer user_data)
{
  Sampler *sampler = user_data;
  g_autoptr(PGconn) conn = ferry_test_connect (sampler->admin);

  while (!g_atomic_int_get (&sampler->stop))
    {
      PGresult *result = PQexec (conn,
        "SELECT datname, count(*),"
        "       count(*) FILTER (WHERE application_name = 'ferry' AND query LIKE 'COPY %FROM STDIN%' AND state = 'active')"
        " FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend'"
        " AND application_name IS DISTINCT FROM 'ferry-test' GROUP BY 1");

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      for (int i = 0; i < PQntuples (result); i++)
        {
          gint64 n = g_ascii_strtoll (PQgetvalue (result, i, 1), NULL, 10);
          gint64 copies = g_ascii_strtoll (PQgetvalue (result, i, 2), NULL, 10);

          if (g_str_equal (PQgetvalue (result, i, 0), sampler->source_db))
            sampler->max_source = MAX (sampler->max_source, n);
          else if (g_str_equal (PQgetvalue (result, i, 0), sampler->target_db))
            {
              sampler->max_target = MAX (sampler->max_target, n);
              sampler->max_copies = MAX (sampler->max_copies, copies);
            }
        }
      PQclear (result);
      g_usleep (10000);
    }
  return NULL;
}

typedef struct {
  FerryConstraintStrategy strategy;
  FerryCopyFormat         format;
  FerryValidationMode     validation;
  FerrySchemaMode         schema;
} Case;

static void
migrate (const Case *tc,
         const char *name)
{
  g_autofree char *target = ferry_test_new_database (cluster, name,
                                                     tc->schema == FERRY_SCHEMA_MODE_COPY ? NULL : "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  Seen seen = { states, 0, 0, 0, 0 };
  FerryTableList *tables;
  FerryState state;
  gint64 expected_rows = source_rows (source);
  Sampler sampler = { 0 };
  GThread *sampler_thread_handle;

  ferry_config_set_constraints (config, tc->strategy);
  ferry_config_set_copy_format (config, tc->format);
  ferry_config_set_validation (config, tc->validation);
  ferry_config_set_schema_mode (config, tc->schema);

  coordinator = ferry_test_coordinator_new_ready (config);
  g_assert_false (ferry_coordinator_get_resuming (coordinator));
  g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), &seen);
  g_signal_connect (coordinator, "chunk-finished", G_CALLBACK (on_chunk_finished), &seen);
  g_signal_connect (coordinator, "table-failed", G_CALLBACK (on_table_failed), &seen);
  g_signal_connect (coordinator, "escalated", G_CALLBACK (on_escalated), &seen);

  sampler.admin = ferry_test_cluster_conninfo (cluster, "postgres");
  sampler.source_db = g_strdup ("source");
  sampler.target_db = g_strdup (name);
  sampler_thread_handle = g_thread_new ("sampler", sampler_thread, &sampler);

  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_RUNNING);

  state = ferry_test_run_until_idle (coordinator, 240);
  g_atomic_int_set (&sampler.stop, 1);
  g_thread_join (sampler_thread_handle);
  if (state != FERRY_STATE_COMPLETED)
    {
      g_autofree char *status = ferry_test_status_text (coordinator);
      g_error ("the migration ended %s:\n%s", ferry_enum_to_nick (FERRY_TYPE_STATE, state), status);
    }

  /* Exactly max_parallel chunks at a time, and never more than
   * connection_pool_size connections to a server. */
  g_test_message ("connections: %" G_GINT64_FORMAT " to the source, %" G_GINT64_FORMAT
                  " to the target, %" G_GINT64_FORMAT " COPYs at once",
                  sampler.max_source, sampler.max_target, sampler.max_copies);
  g_assert_cmpint (sampler.max_copies, <=, ferry_config_get_max_parallel (config));
  g_assert_cmpint (sampler.max_source, <=, ferry_config_get_connection_pool_size (config));
  g_assert_cmpint (sampler.max_target, <=, ferry_config_get_connection_pool_size (config));
  g_assert_cmpint (sampler.max_source, >=, ferry_config_get_max_parallel (config));
  g_free (sampler.admin);
  g_free (sampler.source_db);
  g_free (sampler.target_db);

  /* What the coordinator reports. */
  g_assert_cmpuint (seen.failed, ==, 0);
  g_assert_cmpuint (seen.escalated, ==, 0);
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (states, 0), ==, "ready>running");
  g_assert_cmpstr (g_ptr_array_index (states, 1), ==, "running>completed");
  g_assert_cmpuint (seen.chunks, ==, ferry_coordinator_get_chunks_total (coordinator));
  g_assert_cmpuint (ferry_coordinator_get_chunks_done (coordinator), ==,
                    ferry_coordinator_get_chunks_total (coordinator));
  g_assert_cmpint ((gint64)seen.rows, ==, expected_rows);
  g_assert_cmpint ((gint64)ferry_coordinator_get_rows_done (coordinator), ==, expected_rows);
  g_assert_cmpfloat (ferry_coordinator_get_fraction (coordinator), ==, 1.0);
  g_assert_cmpuint (ferry_coordinator_get_n_running (coordinator), ==, 0);
  g_assert_cmpstr (ferry_coordinator_get_phase (coordinator), ==, "done");

  tables = ferry_coordinator_get_tables (coordinator);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);
      FerryTableStatus status = ferry_table_get_status (table);

      if (status != FERRY_TABLE_STATUS_COMPLETED && status != FERRY_TABLE_STATUS_EXCLUDED)
        g_error ("%s is %s", ferry_table_get_display_name (table),
                 ferry_enum_to_nick (FERRY_TYPE_TABLE_STATUS, status));
    }
  g_assert_cmpuint (ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED), >=, 150);

  /* Ferry's validation, when asked for, saw no difference. */
  {
    g_autoptr(JsonNode) validation = ferry_coordinator_get_validation (coordinator);
    JsonArray *parts = json_node_get_array (validation);

    if (tc->validation == FERRY_VALIDATION_MODE_NONE)
      g_assert_cmpuint (json_array_get_length (parts), ==, 0);
    else
      g_assert_cmpuint (json_array_get_length (parts), >=, 150);
    for (guint i = 0; i < json_array_get_length (parts); i++)
      {
        JsonObject *part = json_array_get_object_element (parts, i);

        g_assert_true (json_object_get_boolean_member (part, "matches"));
        if (tc->validation == FERRY_VALIDATION_MODE_CHECKSUMS)
          g_assert_nonnull (json_object_get_string_member (part, "source_checksum"));
      }
  }

  assert_journal_complete (target, ferry_coordinator_get_migration_id (coordinator));
  ferry_test_assert_journal_consistent (target);

  /* And now without Ferry: both sides, with plain SQL, and the whole
   * schema as pg_dump sees it: rebuild put back what it dropped with
   * its comments, CLUSTER ON, REPLICA IDENTITY and statistics targets. */
  ferry_test_assert_same (source, target, NULL);
  ferry_test_assert_same_schema (source, target);

  /* schema: copy — its post-data items went through the journal, those
   * of loaded tables while other tables still loaded. */
  if (tc->schema == FERRY_SCHEMA_MODE_COPY)
    {
      g_autoptr(PGconn) conn = ferry_test_connect (target);

      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'schema-post-data-journaled'"), ==, 1);
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'schema-post-data-whole'"), ==, 0);
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE section = 'post-data'"), >=, 500);
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE section = 'post-data'"
                                             " AND restored_at < (SELECT max(finished_at) FROM ferry.chunk)"), >, 0);
      /* What pg_restore keeps for the end came after every chunk. */
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE at_end"), >=, 3);
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE at_end"
                                             " AND restored_at < (SELECT max(finished_at) FROM ferry.chunk)"), ==, 0);
      /* Foreign keys were added NOT VALID and validated apart. */
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl WHERE kind = 'foreign-key'"
                                             " AND validated_at IS NOT NULL AND validate_sql IS NOT NULL"), >=, 200);
    }

  /* The plan really cut the bulk tables: by key and by block. */
  {
    g_autoptr(PGconn) conn = ferry_test_connect (target);

    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'keyed' AND kind = 'key-range'"), >=, 4);
    g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE heap_name = 'heap' AND kind = 'ctid-range'"), >=, 4);
  }
}

static void
test_keep_binary (void)
{
  const Case tc = { FERRY_CONSTRAINT_STRATEGY_KEEP, FERRY_COPY_FORMAT_BINARY,
                    FERRY_VALIDATION_MODE_COUNTS, FERRY_SCHEMA_MODE_EXISTING };
  migrate (&tc, "keep_binary");
}

static void
test_keep_text_checksums (void)
{
  const Case tc = { FERRY_CONSTRAINT_STRATEGY_KEEP, FERRY_COPY_FORMAT_TEXT,
                    FERRY_VALIDATION_MODE_CHECKSUMS, FERRY_SCHEMA_MODE_EXISTING };
  migrate (&tc, "keep_text");
}

static void
test_rebuild_binary_checksums (void)
{
  const Case tc = { FERRY_CONSTRAINT_STRATEGY_REBUILD, FERRY_COPY_FORMAT_BINARY,
                    FERRY_VALIDATION_MODE_CHECKSUMS, FERRY_SCHEMA_MODE_EXISTING };
  migrate (&tc, "rebuild_binary");
}

static void
test_rebuild_text (void)
{
  const Case tc = { FERRY_CONSTRAINT_STRATEGY_REBUILD, FERRY_COPY_FORMAT_TEXT,
                    FERRY_VALIDATION_MODE_NONE, FERRY_SCHEMA_MODE_EXISTING };
  migrate (&tc, "rebuild_text");
}

static void
test_schema_copy (void)
{
  const Case tc = { FERRY_CONSTRAINT_STRATEGY_KEEP, FERRY_COPY_FORMAT_BINARY,
                    FERRY_VALIDATION_MODE_COUNTS, FERRY_SCHEMA_MODE_COPY };
  migrate (&tc, "schema_copy");
}

static void
test_schema_copy_rebuild (void)
{
  const Case tc = { FERRY_CONSTRAINT_STRATEGY_REBUILD, FERRY_COPY_FORMAT_BINARY,
                    FERRY_VALIDATION_MODE_CHECKSUMS, FERRY_SCHEMA_MODE_COPY };
  migrate (&tc, "schema_copy_rebuild");
}

/* Ferry's own validation must see a difference that the COPY let
 * through: a target column that rounds what it receives. */
static void
test_validation_mismatch (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "mismatch", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  Seen seen = { states, 0, 0, 0, 0 };
  g_autoptr(JsonNode) validation = NULL;
  JsonArray *parts;
  guint mismatches = 0;
  FerryState state;

  ferry_test_sql_at (target, "ALTER TABLE ferry_bulk.keyed ALTER COLUMN amount TYPE numeric(12,0)");
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);
  ferry_config_set_include (config, (const char * const[]) { "ferry_bulk.*", NULL });

  coordinator = ferry_test_coordinator_new_ready (config);
  g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), &seen);
  g_signal_connect (coordinator, "escalated", G_CALLBACK (on_escalated), &seen);
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 120);

  g_assert_cmpint (state, ==, FERRY_STATE_ERROR);
  g_assert_cmpuint (seen.escalated, ==, 1);
  g_assert_nonnull (ferry_coordinator_get_last_error (coordinator));

  validation = ferry_coordinator_get_validation (coordinator);
  parts = json_node_get_array (validation);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (json_object_get_boolean_member (part, "matches"))
        continue;
      mismatches++;
      g_assert_cmpstr (json_object_get_string_member (part, "table"), ==, "ferry_bulk.keyed");
      g_assert_cmpint (json_object_get_int_member (part, "source_rows"), ==,
                       json_object_get_int_member (part, "target_rows"));
    }
  g_assert_cmpuint (mismatches, >=, 1);
  g_assert_cmpint (ferry_test_int_at (target, "SELECT count(*) FROM ferry.validation WHERE NOT matches"), ==, mismatches);
  {
    g_autoptr(PGconn) conn = ferry_test_connect (target);
    g_autofree char *journal_state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (journal_state, ==, "error");
  }
}

static char *
conninfo_value (PGconn     *conn,
                const char *keyword)
{
  PQconninfoOption *options = PQconninfo (conn);
  char *value = NULL;

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, keyword))
      value = g_strdup (o->val);
  PQconninfoFree (options);
  return value;
}

/* Every connection Ferry opens has TCP keepalives, unless its connection
 * string says otherwise; so have the connection strings it gives
 * pg_dump and pg_restore. */
static void
test_keepalives (void)
{
  g_autofree char *own = g_strdup_printf ("%s keepalives_idle=7", source);
  g_autoptr(FerryConnection) plain = ferry_connection_new (source, "source");
  g_autoptr(FerryConnection) tuned = ferry_connection_new (own, "source");
  g_autoptr(GError) error = NULL;
  g_autofree char *idle = NULL;
  g_autofree char *count = NULL;
  g_autofree char *on = NULL;
  g_autofree char *user_idle = NULL;

  ferry_connection_open (plain, 5, 0, NULL, &error);
  g_assert_no_error (error);
  ferry_connection_open (tuned, 5, 0, NULL, &error);
  g_assert_no_error (error);

  on = conninfo_value (ferry_connection_get_pgconn (plain), "keepalives");
  idle = conninfo_value (ferry_connection_get_pgconn (plain), "keepalives_idle");
  count = conninfo_value (ferry_connection_get_pgconn (plain), "keepalives_count");
  user_idle = conninfo_value (ferry_connection_get_pgconn (tuned), "keepalives_idle");
  g_assert_cmpstr (on, ==, "1");
  g_assert_cmpstr (idle, ==, "30");
  g_assert_cmpstr (count, ==, "6");
  g_assert_cmpstr (user_idle, ==, "7");

  {
    g_autofree char *kv = ferry_conninfo_with_keepalives ("host=db dbname=shop keepalives_idle=7");
    g_autofree char *uri = ferry_conninfo_with_keepalives ("postgresql://db/shop?sslmode=require");
    g_autofree char *bare = ferry_conninfo_with_keepalives ("postgresql://db/shop");

    g_assert_cmpstr (kv, ==, "host=db dbname=shop keepalives_idle=7 keepalives=1 keepalives_interval=10"
                             " keepalives_count=6");
    g_assert_cmpstr (uri, ==, "postgresql://db/shop?sslmode=require&keepalives=1&keepalives_idle=30"
                              "&keepalives_interval=10&keepalives_count=6");
    g_assert_cmpstr (bare, ==, "postgresql://db/shop?keepalives=1&keepalives_idle=30"
                               "&keepalives_interval=10&keepalives_count=6");
  }
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
  ferry_test_add_post_data_cases (source);
  ferry_test_make_template (cluster, "target_template", source);

  g_test_add_func ("/migrate/keep-binary", test_keep_binary);
  g_test_add_func ("/migrate/keep-text-checksums", test_keep_text_checksums);
  g_test_add_func ("/migrate/rebuild-binary-checksums", test_rebuild_binary_checksums);
  g_test_add_func ("/migrate/rebuild-text", test_rebuild_text);
  g_test_add_func ("/migrate/schema-copy", test_schema_copy);
  g_test_add_func ("/migrate/schema-copy-rebuild", test_schema_copy_rebuild);
  g_test_add_func ("/migrate/validation-mismatch", test_validation_mismatch);
  g_test_add_func ("/migrate/keepalives", test_keepalives);

  ret = g_test_run ();

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
