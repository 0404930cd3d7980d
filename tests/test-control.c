/* test-control.c — the state machine: pause, resume, stop, start again
 *
 * The transitions the specification draws, and only those; pause that
 * lets running chunks finish and is PAUSED only when nothing runs; stop
 * that cancels running COPYs (rolled back) and a later start that
 * resumes from the journal; and the same through the journal with
 * ferry-cli pause/resume/stop/status against a running `ferry-cli run`.
 *
 * The bulk tables carry a target trigger (ENABLE ALWAYS, so Ferry leaves
 * it on) that makes each of their chunks take a little longer, so that
 * there is time to act while chunks run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include "ferry-enum-types.h"
#include "ferry-test-migrate.h"

static FerryTestCluster *cluster;
static char *source;
static char *workdir;

static const char *bulk_tables[] = { "ferry_bulk.keyed", "ferry_bulk.heap", NULL };
static const char *slow_triggers[] = { "ferry_bulk.keyed slow_statement", "ferry_bulk.heap slow_statement", NULL };

static char *
make_target (const char *name,
             double      seconds_per_chunk)
{
  g_autofree char *target = ferry_test_new_database (cluster, name, "target_template");
  char seconds[G_ASCII_DTOSTR_BUF_SIZE];

  ferry_test_sql_at (target,
    "CREATE FUNCTION public.ferry_slow_statement() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM pg_catalog.pg_sleep(%s); RETURN NULL; END $$;"
    "CREATE TRIGGER slow_statement BEFORE INSERT ON ferry_bulk.keyed"
    "  FOR EACH STATEMENT EXECUTE FUNCTION public.ferry_slow_statement();"
    "ALTER TABLE ferry_bulk.keyed ENABLE ALWAYS TRIGGER slow_statement;"
    "CREATE TRIGGER slow_statement BEFORE INSERT ON ferry_bulk.heap"
    "  FOR EACH STATEMENT EXECUTE FUNCTION public.ferry_slow_statement();"
    "ALTER TABLE ferry_bulk.heap ENABLE ALWAYS TRIGGER slow_statement;",
    g_ascii_dtostr (seconds, sizeof seconds, seconds_per_chunk));
  return g_steal_pointer (&target);
}

static FerryConfig *
bulk_config (const char *target)
{
  FerryConfig *config = ferry_test_config_new (source, target);

  ferry_config_set_include (config, bulk_tables);
  return config;
}

static void
assert_bulk_same (const char *target)
{
  FerryTestCompare options = { 0 };

  options.only_data = bulk_tables;
  options.ignore_objects = slow_triggers;
  options.skip_sequences = TRUE;
  ferry_test_assert_same (source, target, &options);
}

#define assert_refused(call) \
  G_STMT_START { \
    g_autoptr(GError) refused_error = NULL; \
    if (call (coordinator, &refused_error)) \
      g_error ("%s: %s was allowed in state %s", G_STRLOC, #call, \
               ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (coordinator))); \
    g_assert_error (refused_error, FERRY_ERROR, FERRY_ERROR_STATE); \
  } G_STMT_END

/* --- the table of transitions -------------------------------------------- */

static void
test_transition_table (void)
{
  /* The specification's diagram (see ferry_coordinator_can_transition):
   * rows are "from", columns "to", in enum order INITIALIZING, READY,
   * RUNNING, PAUSED, COMPLETED, ERROR, STOPPED. */
  static const gboolean allowed[7][7] = {
    /* INITIALIZING */ { 0, 1, 0, 0, 0, 1, 0 },
    /* READY        */ { 1, 0, 1, 0, 0, 0, 0 },
    /* RUNNING      */ { 0, 0, 0, 1, 1, 1, 1 },
    /* PAUSED       */ { 0, 0, 1, 0, 0, 1, 1 },
    /* COMPLETED    */ { 1, 0, 0, 0, 0, 0, 0 },
    /* ERROR        */ { 1, 0, 1, 0, 0, 0, 1 },
    /* STOPPED      */ { 1, 0, 1, 0, 0, 0, 0 },
  };
  GEnumClass *klass = g_type_class_ref (FERRY_TYPE_STATE);

  g_assert_cmpuint (klass->n_values, ==, 7);
  for (guint from = 0; from < 7; from++)
    {
      g_assert_nonnull (ferry_state_to_string (from));
      for (guint to = 0; to < 7; to++)
        if (ferry_coordinator_can_transition (from, to) != allowed[from][to])
          g_error ("%s → %s: can_transition says %s", ferry_enum_to_nick (FERRY_TYPE_STATE, from),
                   ferry_enum_to_nick (FERRY_TYPE_STATE, to),
                   allowed[from][to] ? "no" : "yes");
    }
  g_type_class_unref (klass);
}

/* --- the API, one state after the other ---------------------------------- */

typedef struct {
  FerryCoordinator *coordinator;
  char             *target;
  guint             chunks;
  guint             pause_after;
  guint             stop_after;
  gboolean          paused_seen;
  guint             chunks_at_pause;
  GPtrArray        *states;
} Control;

static void
on_chunk_finished (FerryCoordinator *c,
                   FerryTable       *table,
                   guint             number,
                   guint64           rows,
                   guint64           bytes,
                   Control          *ctl)
{
  g_autoptr(GError) error = NULL;

  ctl->chunks++;
  /* While pausing, running chunks still finish; none starts. */
  if (ctl->chunks == ctl->pause_after)
    {
      ferry_coordinator_pause (c, &error);
      g_assert_no_error (error);
      g_assert_true (ferry_coordinator_is_pausing (c));
      g_assert_cmpint (ferry_coordinator_get_state (c), ==, FERRY_STATE_RUNNING);
    }
  if (ctl->chunks == ctl->stop_after)
    {
      ferry_coordinator_stop (c, &error);
      g_assert_no_error (error);
    }
}

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  Control          *ctl)
{
  g_ptr_array_add (ctl->states, g_strdup_printf ("%s>%s", ferry_enum_to_nick (FERRY_TYPE_STATE, old_state),
                                                 ferry_enum_to_nick (FERRY_TYPE_STATE, new_state)));
  if (new_state == FERRY_STATE_PAUSED)
    {
      /* PAUSED only when nothing runs. */
      g_assert_cmpuint (ferry_coordinator_get_n_running (c), ==, 0);
      g_assert_false (ferry_coordinator_is_pausing (c));
      ctl->paused_seen = TRUE;
      ctl->chunks_at_pause = ctl->chunks;
    }
  if (new_state == FERRY_STATE_STOPPED || new_state == FERRY_STATE_COMPLETED)
    g_assert_cmpuint (ferry_coordinator_get_n_running (c), ==, 0);
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Lets the main context run for a while, as an application would. */
static void
idle_for (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

static void
test_api_states (void)
{
  g_autofree char *target = make_target ("api", 0.25);
  g_autoptr(FerryConfig) config = bulk_config (target);
  g_autoptr(FerryCoordinator) coordinator = ferry_coordinator_new (config);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GError) error = NULL;
  Control ctl = { 0 };
  gint64 migration_id;
  gint64 done_at_pause;
  FerryState state;

  ctl.states = states;
  ctl.target = target;
  g_signal_connect (coordinator, "chunk-finished", G_CALLBACK (on_chunk_finished), &ctl);
  g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), &ctl);

  /* INITIALIZING: nothing but initialize. */
  g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_INITIALIZING);
  assert_refused (ferry_coordinator_start);
  assert_refused (ferry_coordinator_pause);
  assert_refused (ferry_coordinator_resume);
  assert_refused (ferry_coordinator_stop);

  ferry_coordinator_initialize (coordinator, NULL, &error);
  g_assert_no_error (error);

  /* READY: start, and nothing else of the run. */
  g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_READY);
  assert_refused (ferry_coordinator_pause);
  assert_refused (ferry_coordinator_resume);
  assert_refused (ferry_coordinator_stop);

  ctl.pause_after = 3;
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);

  /* RUNNING: not twice, and resume is for what is paused. */
  assert_refused (ferry_coordinator_start);
  assert_refused (ferry_coordinator_resume);

  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_PAUSED);
  g_assert_true (ctl.paused_seen);
  migration_id = ferry_coordinator_get_migration_id (coordinator);
  g_assert_cmpint (migration_id, >, 0);

  /* PAUSED: nothing moves, on this side or the target's. */
  conn = ferry_test_connect (target);
  done_at_pause = ferry_test_journal_chunks_done (conn);
  g_assert_cmpint (done_at_pause, <, ferry_test_journal_chunks_total (conn));
  idle_for (1500);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), ==, done_at_pause);
  g_assert_cmpuint (ctl.chunks, ==, ctl.chunks_at_pause);
  g_assert_cmpuint (ferry_coordinator_get_n_running (coordinator), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_catalog.pg_stat_activity"
                                         " WHERE application_name = 'ferry' AND query LIKE 'COPY%%'"
                                         " AND state = 'active'"), ==, 0);
  {
    g_autofree char *journal_state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (journal_state, ==, "paused");
  }
  assert_refused (ferry_coordinator_start);
  assert_refused (ferry_coordinator_pause);

  /* resume: it goes on; stop a few chunks later. */
  ctl.stop_after = ctl.chunks + 3;
  ferry_coordinator_resume (coordinator, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_RUNNING);

  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_STOPPED);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), >, done_at_pause);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), <, ferry_test_journal_chunks_total (conn));
  {
    g_autofree char *journal_state = ferry_test_value (conn, "SELECT state FROM ferry.migration");
    g_assert_cmpstr (journal_state, ==, "stopped");
  }
  /* The cancelled COPYs rolled back: the target has exactly what the
   * journal has. */
  ferry_test_assert_journal_consistent (target);

  /* STOPPED: start again (not resume), and it resumes from the journal. */
  assert_refused (ferry_coordinator_pause);
  assert_refused (ferry_coordinator_resume);
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_COMPLETED);
  g_assert_cmpint (ferry_coordinator_get_migration_id (coordinator), ==, migration_id);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.migration"), ==, 1);

  /* COMPLETED: nothing but a new initialize. */
  assert_refused (ferry_coordinator_start);
  assert_refused (ferry_coordinator_pause);
  assert_refused (ferry_coordinator_resume);
  assert_refused (ferry_coordinator_stop);

  {
    const char *expected[] = {
      "initializing>ready", "ready>running", "running>paused", "paused>running",
      "running>stopped", "stopped>running", "running>completed", NULL
    };

    for (guint i = 0; expected[i] != NULL; i++)
      {
        g_assert_cmpuint (i, <, states->len);
        g_assert_cmpstr (g_ptr_array_index (states, i), ==, expected[i]);
      }
    g_assert_cmpuint (states->len, ==, g_strv_length ((char **)expected));
  }

  /* Every transition is in the audit trail, in order. */
  {
    g_autofree char *trail = ferry_test_value (conn,
      "SELECT string_agg(detail, ',' ORDER BY event_id) FROM ferry.event WHERE action = 'state'");
    g_assert_cmpstr (trail, ==, "initializing → ready,ready → running,running → paused,paused → running,"
                                "running → stopped,stopped → running,running → completed");
  }

  ferry_test_assert_journal_consistent (target);
  assert_bulk_same (target);
}

/* --- the same from the command line, through the journal ------------------ */

static char *
cli_status_state (const char *config_path)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpint (ferry_test_cli (&text, "status", "--json", "--config", config_path, NULL), ==, 0);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  return g_strdup (json_object_get_string_member (object, "state"));
}

static void
wait_for_journal_state (const char *config_path,
                        const char *wanted,
                        guint       timeout_seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *state = cli_status_state (config_path);

      if (g_strcmp0 (state, wanted) == 0)
        return;
      if (g_get_monotonic_time () > end)
        g_error ("ferry-cli status still says %s, not %s, after %u s", state, wanted, timeout_seconds);
      g_usleep (100000);
    }
}

static void
test_cli (void)
{
  g_autofree char *target = make_target ("cli", 0.75);
  g_autoptr(FerryConfig) config = bulk_config (target);
  g_autofree char *config_path = ferry_test_config_write (config, workdir, "cli.yaml");
  g_autofree char *log1 = g_build_filename (workdir, "cli-run-1.log", NULL);
  g_autofree char *log2 = g_build_filename (workdir, "cli-run-2.log", NULL);
  g_autoptr(GSubprocess) run = NULL;
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 done_paused;
  int status;

  /* Nothing to act on yet: no journal. */
  g_assert_cmpint (ferry_test_cli (NULL, "pause", "--config", config_path, NULL), !=, 0);

  run = ferry_test_cli_spawn (log1, &error, "run", "--force", "--config", config_path, NULL);
  g_assert_no_error (error);

  /* Running, with a few chunks in. */
  for (gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;;)
    {
      g_autofree char *ready = ferry_test_value (conn, "SELECT pg_catalog.to_regclass('ferry.validation') IS NOT NULL");

      if (g_str_equal (ready, "t") && ferry_test_journal_chunks_done (conn) >= 2)
        break;
      if (g_get_monotonic_time () > end || g_subprocess_get_identifier (run) == NULL)
        {
          ferry_test_dump_file (log1);
          g_error ("ferry-cli run did not get going");
        }
      g_usleep (20000);
    }
  g_assert_cmpstr (cli_status_state (config_path), ==, "running");

  /* pause: taken from the journal within a second; PAUSED when the
   * running chunks are done, and the journal says so. */
  status = ferry_test_cli (&out, "pause", "--config", config_path, NULL);
  if (status != 0)
    ferry_test_dump_file (log1);
  g_assert_cmpint (status, ==, 0);
  wait_for_journal_state (config_path, "paused", 60);
  done_paused = ferry_test_journal_chunks_done (conn);
  g_usleep (1500000);
  g_assert_cmpint (ferry_test_journal_chunks_done (conn), ==, done_paused);
  g_assert_cmpint (done_paused, <, ferry_test_journal_chunks_total (conn));
  g_assert_nonnull (g_subprocess_get_identifier (run));

  /* A second pause is refused by the running process, and says so. */
  g_assert_cmpint (ferry_test_cli (NULL, "pause", "--config", config_path, NULL), ==, 0);
  g_usleep (1500000);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.event WHERE action = 'request-refused'"), >=, 1);

  /* resume, then stop: the run ends STOPPED (exit 6). */
  g_assert_cmpint (ferry_test_cli (NULL, "resume", "--config", config_path, NULL), ==, 0);
  wait_for_journal_state (config_path, "running", 30);
  g_assert_cmpint (ferry_test_cli (NULL, "stop", "--config", config_path, NULL), ==, 0);
  status = ferry_test_cli_wait (run, log1, 120);
  if (status != 6)
    ferry_test_dump_file (log1);
  g_assert_cmpint (status, ==, 6);
  g_assert_cmpstr (cli_status_state (config_path), ==, "stopped");
  ferry_test_assert_journal_consistent (target);

  /* Nothing runs it now: a request has nobody to take it. */
  g_assert_cmpint (ferry_test_cli (NULL, "resume", "--config", config_path, "--wait", "1", NULL), !=, 0);

  /* ferry-cli run again: it resumes the same migration and completes. */
  g_clear_object (&run);
  run = ferry_test_cli_spawn (log2, &error, "run", "--force", "--config", config_path, NULL);
  g_assert_no_error (error);
  status = ferry_test_cli_wait (run, log2, 240);
  if (status != 0)
    ferry_test_dump_file (log2);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (cli_status_state (config_path), ==, "completed");
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.migration"), ==, 1);
  {
    g_autofree char *requests = ferry_test_value (conn,
      "SELECT string_agg(detail, ',' ORDER BY event_id) FROM ferry.event WHERE action = 'request'");
    g_assert_cmpstr (requests, ==, "pause,pause,resume,stop");
  }

  ferry_test_assert_journal_consistent (target);
  assert_bulk_same (target);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/control/transition-table", test_transition_table);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  cluster = ferry_test_cluster_start_with_sample ("source", 1.0, &source);
  workdir = ferry_test_cluster_make_dir (cluster, "control");
  ferry_test_add_bulk (source, 8);
  ferry_test_make_template (cluster, "target_template", source);

  g_test_add_func ("/control/api-states", test_api_states);
  g_test_add_func ("/control/cli", test_cli);

  ret = g_test_run ();

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&workdir, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
