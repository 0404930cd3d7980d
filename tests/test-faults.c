/* test-faults.c — transient faults and chunks that run too long
 *
 * Two throwaway clusters, so that the target can be restarted under a
 * running migration: the source (the sample at scale 1 and the bulk
 * tables) and the target. The coordinator runs in this process; a
 * second thread does the damage: pg_terminate_backend() of a worker's
 * COPY on either side, or `pg_ctl restart -m fast` of the target. The
 * run must complete after its backoff, with data identical to the
 * source. A chunk made slower than timeout_seconds once (by an ENABLE
 * ALWAYS trigger on the target, which Ferry leaves alone) must be split
 * and the data still complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ferry-enum-types.h"
#include "ferry-test-migrate.h"

static FerryTestCluster *source_cluster;
static FerryTestCluster *target_cluster;
static char *source;

typedef struct {
  guint retries;
  guint splits;
  guint failed;
  guint escalated;
} Seen;

static void
on_event (FerryCoordinator *c,
          const char       *action,
          const char       *detail,
          Seen             *seen)
{
  if (g_str_equal (action, "retry"))
    seen->retries++;
  else if (g_str_equal (action, "split"))
    seen->splits++;
  if (g_str_equal (action, "retry") || g_str_equal (action, "split") || g_str_equal (action, "chunk-error"))
    g_test_message ("%s: %s", action, detail);
}

static void
on_table_failed (FerryCoordinator *c,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class,
                 Seen             *seen)
{
  g_test_message ("table failed: %s: %s", ferry_table_get_display_name (table), error->message);
  seen->failed++;
}

static void
on_escalated (FerryCoordinator *c,
              GError           *error,
              Seen             *seen)
{
  g_test_message ("escalated: %s", error->message);
  seen->escalated++;
}

static FerryCoordinator *
start (FerryConfig *config,
       Seen        *seen)
{
  g_autoptr(FerryCoordinator) coordinator = ferry_test_coordinator_new_ready (config);
  g_autoptr(GError) error = NULL;

  g_signal_connect (coordinator, "event", G_CALLBACK (on_event), seen);
  g_signal_connect (coordinator, "table-failed", G_CALLBACK (on_table_failed), seen);
  g_signal_connect (coordinator, "escalated", G_CALLBACK (on_escalated), seen);
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&coordinator);
}

static void
assert_completed (FerryCoordinator *coordinator,
                  FerryState        state,
                  Seen             *seen)
{
  if (state != FERRY_STATE_COMPLETED)
    {
      g_autofree char *status = ferry_test_status_text (coordinator);
      g_error ("the migration ended %s:\n%s", ferry_enum_to_nick (FERRY_TYPE_STATE, state), status);
    }
  g_assert_cmpuint (seen->failed, ==, 0);
  g_assert_cmpuint (seen->escalated, ==, 0);
}

/* --- pg_terminate_backend --------------------------------------------- */

typedef struct {
  char          *admin;      /* the server's "postgres" database */
  char          *dbname;
  const char    *pattern;    /* which COPY */
  FerryErrorHandler *errors; /* the coordinator's: did a blow land? */
  guint          wanted;
  guint          limit;
  guint          done;
  gint           stop;
} Killer;

/* Enough blows, and at least one of them hit a COPY that was still
 * moving data. A backend whose last row is already in the socket when
 * it is terminated leaves a complete COPY behind, which is no error; on
 * a loaded machine that happens often enough to strike again until one
 * blow made a TEMPORARY error (or the limit is reached). */
static gboolean
killer_done (Killer *k)
{
  if (k->done >= k->limit)
    return TRUE;
  return k->done >= k->wanted &&
         ferry_error_handler_get_count (k->errors, FERRY_ERROR_CLASS_TEMPORARY) >= 1;
}

static gpointer
killer_thread (gpointer user_data)
{
  Killer *k = user_data;
  g_autoptr(PGconn) conn = ferry_test_connect (k->admin);

  while (!g_atomic_int_get (&k->stop) && !killer_done (k))
    {
      /* A worker in the middle of a chunk's COPY, some data through. */
      g_autofree char *pid = ferry_test_value (conn,
        "SELECT a.pid::text || ' ' || a.query FROM pg_catalog.pg_stat_activity a"
        " WHERE a.application_name = 'ferry' AND a.datname = '%s' AND a.state = 'active'"
        " AND a.query LIKE '%s' AND now() - a.query_start > interval '30 ms'"
        " UNION ALL SELECT NULL LIMIT 1", k->dbname, k->pattern);

      if (pid != NULL)
        {
          g_autofree char *killed = NULL;

          *strchr (pid, ' ') = '\0';
          killed = ferry_test_value (conn, "SELECT pg_catalog.pg_terminate_backend(%s)", pid);
          if (g_strcmp0 (killed, "t") == 0)
            {
              g_test_message ("terminated %s: %.100s", pid, pid + strlen (pid) + 1);
              k->done++;
              /* Let the run get on before the next blow. */
              g_usleep (G_USEC_PER_SEC / 2);
            }
        }
      g_usleep (5000);
    }
  return NULL;
}

static void
terminate (const char *name,
           gboolean    on_target)
{
  g_autofree char *target = ferry_test_new_database (target_cluster, name, "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(PGconn) conn = NULL;
  const char * const throttled[] = { "ferry_bulk.keyed", "ferry_bulk.heap", NULL };
  const char * const triggers[] = { "ferry_bulk.keyed throttle", "ferry_bulk.heap throttle", NULL };
  FerryTestCompare options = { 0 };
  Seen seen = { 0 };
  Killer killer = { 0 };
  GThread *thread;
  FerryState state;
  FerryErrorHandler *errors;

  ferry_config_set_retry_attempts (config, 4);
  ferry_config_set_constraints (config, FERRY_CONSTRAINT_STRATEGY_REBUILD);

  /* On a quiet machine the bulk tables load in a moment and a blow may
   * find every COPY already through. A target that takes its time (one
   * row in a thousand waits 50 ms, ENABLE ALWAYS so Ferry leaves it
   * alone) keeps COPYs streaming on both sides: the source's backend
   * waits for the target to read. */
  conn = ferry_test_connect (target);
  ferry_test_sql (conn,
    "CREATE SCHEMA ferry_slow;"
    "CREATE FUNCTION ferry_slow.throttle() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN"
    "   IF pg_catalog.random() < 0.001 THEN PERFORM pg_catalog.pg_sleep(0.05); END IF;"
    "   RETURN NEW;"
    " END $$;");
  for (guint i = 0; throttled[i] != NULL; i++)
    ferry_test_sql (conn,
                    "CREATE TRIGGER throttle BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION ferry_slow.throttle();"
                    "ALTER TABLE %s ENABLE ALWAYS TRIGGER throttle;",
                    throttled[i], throttled[i]);
  g_clear_pointer (&conn, PQfinish);

  killer.admin = ferry_test_cluster_conninfo (on_target ? target_cluster : source_cluster, "postgres");
  killer.dbname = g_strdup (on_target ? name : "source");
  killer.pattern = on_target ? "COPY %FROM STDIN%" : "COPY (SELECT %TO STDOUT%";
  killer.wanted = 3;
  killer.limit = 12;

  coordinator = start (config, &seen);
  killer.errors = ferry_coordinator_get_error_handler (coordinator);
  thread = g_thread_new ("killer", killer_thread, &killer);
  state = ferry_test_run_until_idle (coordinator, 300);
  g_atomic_int_set (&killer.stop, 1);
  g_thread_join (thread);

  assert_completed (coordinator, state, &seen);
  g_test_message ("%u backends terminated, %u retries", killer.done, seen.retries);
  g_assert_cmpuint (killer.done, >=, 1);

  /* The blows were TEMPORARY errors, retried after a backoff. (A COPY
   * whose last row was already through when its backend went away just
   * completes: not every blow makes a retry.) */
  errors = ferry_coordinator_get_error_handler (coordinator);
  g_assert_cmpuint (ferry_error_handler_get_count (errors, FERRY_ERROR_CLASS_TEMPORARY), >=, 1);
  g_assert_cmpuint (ferry_error_handler_get_count (errors, FERRY_ERROR_CLASS_TEMPORARY), <=, killer.done);
  g_assert_cmpuint (ferry_error_handler_get_total (errors), ==,
                    ferry_error_handler_get_count (errors, FERRY_ERROR_CLASS_TEMPORARY));
  g_assert_cmpuint (seen.retries, >=, 1);
  conn = ferry_test_connect (target);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'chunk-error'"), ==,
                   ferry_error_handler_get_count (errors, FERRY_ERROR_CLASS_TEMPORARY));
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'retry'"), ==, seen.retries);

  ferry_test_assert_journal_consistent (target);
  options.ignore_objects = triggers;
  ferry_test_assert_same (source, target, &options);

  g_free (killer.admin);
  g_free (killer.dbname);
}

static void
test_terminate_target_backend (void)
{
  terminate ("terminate_target", TRUE);
}

static void
test_terminate_source_backend (void)
{
  terminate ("terminate_source", FALSE);
}

/* --- pg_ctl restart ------------------------------------------------------ */

typedef struct {
  char             *target;
  FerryTestCluster *victim;
  gint              stop;
  gint              restarted;
} Restarter;

static void
restart_server (FerryTestCluster *cluster)
{
  g_autofree char *bindir = ferry_test_pg_bindir ();
  g_autofree char *pg_ctl = g_build_filename (bindir, "pg_ctl", NULL);
  g_autofree char *data = g_build_filename (ferry_test_cluster_get_dir (cluster), "data", NULL);
  g_autofree char *log = g_build_filename (ferry_test_cluster_get_dir (cluster), "log", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* As tests/ferry-pg-cluster runs it: as "postgres" when we are root. */
  if (geteuid () == 0)
    {
      g_ptr_array_add (argv, (char *)"runuser");
      g_ptr_array_add (argv, (char *)"-u");
      g_ptr_array_add (argv, (char *)"postgres");
      g_ptr_array_add (argv, (char *)"--");
    }
  g_ptr_array_add (argv, pg_ctl);
  g_ptr_array_add (argv, (char *)"restart");
  g_ptr_array_add (argv, (char *)"-D");
  g_ptr_array_add (argv, data);
  g_ptr_array_add (argv, (char *)"-m");
  g_ptr_array_add (argv, (char *)"fast");
  g_ptr_array_add (argv, (char *)"-w");
  g_ptr_array_add (argv, (char *)"-t");
  g_ptr_array_add (argv, (char *)"60");
  g_ptr_array_add (argv, (char *)"-l");
  g_ptr_array_add (argv, log);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg_ctl restart failed: %s", err);
}

static gpointer
restarter_thread (gpointer user_data)
{
  Restarter *r = user_data;
  g_autoptr(PGconn) conn = ferry_test_connect (r->target);

  /* Mid-data: some chunks committed, more to come. */
  while (!g_atomic_int_get (&r->stop))
    {
      g_autofree char *ready = ferry_test_value (conn, "SELECT pg_catalog.to_regclass('ferry.validation') IS NOT NULL");

      if (g_str_equal (ready, "t") &&
          ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE finished_at IS NOT NULL") >= 20)
        break;
      g_usleep (10000);
    }
  if (g_atomic_int_get (&r->stop))
    return NULL;

  PQfinish (g_steal_pointer (&conn));
  restart_server (r->victim);
  g_atomic_int_set (&r->restarted, 1);
  return NULL;
}

static void
test_restart_target (void)
{
  g_autofree char *target = ferry_test_new_database (target_cluster, "restart", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(PGconn) conn = NULL;
  Seen seen = { 0 };
  Restarter restarter = { 0 };
  GThread *thread;
  FerryState state;
  gint64 done_before;

  /* The default: a server restart is one outage, not a failure of every
   * chunk that tried during it. */
  ferry_config_set_retry_attempts (config, 3);
  ferry_config_set_max_parallel (config, 4);
  ferry_config_set_connection_pool_size (config, 6);
  restarter.target = target;
  restarter.victim = target_cluster;

  coordinator = start (config, &seen);
  thread = g_thread_new ("restarter", restarter_thread, &restarter);
  state = ferry_test_run_until_idle (coordinator, 300);
  g_atomic_int_set (&restarter.stop, 1);
  g_thread_join (thread);

  g_assert_true (g_atomic_int_get (&restarter.restarted));
  assert_completed (coordinator, state, &seen);
  g_assert_cmpuint (seen.retries, >=, 1);
  g_assert_cmpuint (ferry_error_handler_get_count (ferry_coordinator_get_error_handler (coordinator),
                                                   FERRY_ERROR_CLASS_TEMPORARY), >=, 1);

  conn = ferry_test_connect (target);
  done_before = ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE finished_at IS NOT NULL");
  g_assert_cmpint (done_before, ==, ferry_test_journal_chunks_total (conn));
  /* The audit trail goes on after the restart, to the end. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'state'"
                                         " AND detail = 'running → completed'"), ==, 1);

  ferry_test_assert_journal_consistent (target);
  ferry_test_assert_same (source, target, NULL);
}

/* The source restarts mid-run: the workers' connections and the snapshot
 * they share are gone. After the backoff the run takes a new snapshot
 * (and says so) and completes. */
static void
test_restart_source (void)
{
  g_autofree char *target = ferry_test_new_database (target_cluster, "restart_source", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(PGconn) conn = NULL;
  Seen seen = { 0 };
  Restarter restarter = { 0 };
  GThread *thread;
  FerryState state;

  ferry_config_set_retry_attempts (config, 3);
  restarter.target = target;
  restarter.victim = source_cluster;

  coordinator = start (config, &seen);
  thread = g_thread_new ("restarter", restarter_thread, &restarter);
  state = ferry_test_run_until_idle (coordinator, 300);
  g_atomic_int_set (&restarter.stop, 1);
  g_thread_join (thread);

  g_assert_true (g_atomic_int_get (&restarter.restarted));
  assert_completed (coordinator, state, &seen);

  conn = ferry_test_connect (target);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'snapshot-renewed'"), >=, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE finished_at IS NULL"
                                         " AND skipped_at IS NULL"), ==, 0);
  ferry_test_assert_journal_consistent (target);
  ferry_test_assert_same (source, target, NULL);
}

/* --- timeout_seconds: split ---------------------------------------------- */

static void
test_split_on_timeout (void)
{
  g_autofree char *target = ferry_test_new_database (target_cluster, "split", "target_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  const char *tables[] = { "ferry_bulk.keyed", "ferry_bulk.heap", "audit.audit_log", NULL };
  const char *triggers[G_N_ELEMENTS (tables)];
  Seen seen = { 0 };
  FerryState state;

  /* On the target, each table's first row takes 3 s — once: the
   * sequence does not roll back with the cancelled COPY. ENABLE ALWAYS:
   * Ferry disables the target's ordinary triggers for the load, not
   * these (a replica's, say). */
  ferry_test_sql (conn,
    "CREATE SCHEMA ferry_slow;"
    "CREATE FUNCTION ferry_slow.once() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN"
    "   IF nextval(pg_catalog.format('ferry_slow.%%I', TG_TABLE_NAME)) = 1 THEN PERFORM pg_catalog.pg_sleep(3); END IF;"
    "   RETURN NEW;"
    " END $$;");
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (tables[i], ".", 2);

      ferry_test_sql (conn,
                      "CREATE SEQUENCE ferry_slow.%s;"
                      "CREATE TRIGGER slow_once BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION ferry_slow.once();"
                      "ALTER TABLE %s ENABLE ALWAYS TRIGGER slow_once;",
                      parts[1], tables[i], tables[i]);
      triggers[i] = g_strdup_printf ("%s slow_once", tables[i]);
    }
  triggers[G_N_ELEMENTS (tables) - 1] = NULL;

  ferry_config_set_timeout_seconds (config, 1);
  ferry_config_set_include (config, tables);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);

  coordinator = start (config, &seen);
  state = ferry_test_run_until_idle (coordinator, 300);
  assert_completed (coordinator, state, &seen);

  /* Each table's first chunk ran over the second, was cancelled (57014)
   * and split in two; the halves went through. */
  g_assert_cmpuint (seen.splits, >=, 3);
  g_assert_cmpuint (ferry_error_handler_get_count (ferry_coordinator_get_error_handler (coordinator),
                                                   FERRY_ERROR_CLASS_PERFORMANCE), >=, 3);
  for (guint i = 0; tables[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (tables[i], ".", 2);

      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE table_schema = '%s'"
                                             " AND table_name = '%s' AND skipped_at IS NOT NULL"
                                             " AND last_error = 'split after a timeout'", parts[0], parts[1]), >=, 1);
      g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE table_schema = '%s'"
                                             " AND table_name = '%s' AND skipped_at IS NULL AND finished_at IS NULL",
                                       parts[0], parts[1]), ==, 0);
    }
  /* The whole-table chunk was split by blocks, the key ranges by key. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.chunk WHERE table_name = 'audit_log'"
                                         " AND kind = 'ctid-range' AND finished_at IS NOT NULL"), >=, 2);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.validation WHERE NOT matches"), ==, 0);

  ferry_test_assert_journal_consistent (target);
  {
    FerryTestCompare options = { 0 };

    options.only_data = tables;
    options.ignore_objects = triggers;
    options.skip_sequences = TRUE;
    ferry_test_assert_same (source, target, &options);
  }

  for (guint i = 0; triggers[i] != NULL; i++)
    g_free ((char *)triggers[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  source_cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  target_cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);

  source = ferry_test_cluster_new_sample (source_cluster, "source", 1.0);
  ferry_test_add_bulk (source, 8);
  ferry_test_make_template (target_cluster, "target_template", source);

  g_test_add_func ("/faults/terminate-target-backend", test_terminate_target_backend);
  g_test_add_func ("/faults/terminate-source-backend", test_terminate_source_backend);
  g_test_add_func ("/faults/restart-target", test_restart_target);
  g_test_add_func ("/faults/restart-source", test_restart_source);
  g_test_add_func ("/faults/split-on-timeout", test_split_on_timeout);

  ret = g_test_run ();

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&target_cluster, ferry_test_cluster_free);
  g_clear_pointer (&source_cluster, ferry_test_cluster_free);
  return ret;
}
