/* test-large-objects.c — large objects copied after the tables
 *
 * The sample's three large objects (referenced by core.documents), plus
 * objects of odd sizes (empty, a piece and a byte, several MB), an owner,
 * grants and comments: the target ends up with the same objects, checked
 * with plain SQL on both sides. Then ferry-cli killed with SIGKILL in the
 * middle of many objects and run again: none missing, none twice, the
 * journal's batches one after the other. And a target that already has
 * one of the OIDs: the readiness check names it, a forced run stops with
 * it and changes nothing of the target's object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include "ferry-enum-types.h"
#include "ferry-test-migrate.h"

static FerryTestCluster *cluster;
static char *source;          /* the sample, with extra objects */
static char *source_many;     /* the sample, with many small objects */
static char *workdir;

/* Every large object: OID, md5 of the data, size, owner, grants and
 * comment, one line each, in OID order. */
static char *
large_objects (const char *conninfo)
{
  g_autoptr(PGconn) conn = ferry_test_connect (conninfo);

  return ferry_test_value (conn,
                           "SELECT coalesce(string_agg(pg_catalog.format('%%s %%s %%s %%s %%s %%s', m.oid,"
                           " md5(lo_get(m.oid)), length(lo_get(m.oid)), pg_get_userbyid(m.lomowner),"
                           " coalesce(m.lomacl::text, '-'), coalesce(obj_description(m.oid, 'pg_largeobject'), '-')),"
                           " E'\\n' ORDER BY m.oid), '')"
                           " FROM pg_catalog.pg_largeobject_metadata m");
}

static FerryConfig *
config_for (const char *from,
            const char *target)
{
  FerryConfig *config = ferry_test_config_new (from, target);

  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_CHECKSUMS);
  return config;
}

static FerryCheck *
readiness (FerryConfig *config,
           FerryValidator **validator_out)
{
  g_autoptr(FerryValidator) validator = ferry_validator_new (config);
  g_autoptr(GError) error = NULL;
  FerryCheck *check;

  ferry_validator_run (validator, NULL, &error);
  g_assert_no_error (error);
  check = ferry_validator_lookup_check (validator, "large-objects");
  g_assert_nonnull (check);
  *validator_out = g_steal_pointer (&validator);
  return check;
}

/* The sample's objects and the extras arrive whole, with their owner,
 * grants and comment; validation compares them; the report says so. */
static void
test_copy (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "lo_copy", "target_template");
  g_autoptr(FerryConfig) config = config_for (source, target);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autofree char *before = large_objects (source);
  g_autofree char *after = NULL;
  g_autofree char *detail = NULL;
  FerryCheck *check;
  FerryState state;
  gint64 started;

  check = readiness (config, &validator);
  g_test_message ("readiness: %s", ferry_check_get_summary (check));
  g_assert_cmpint (ferry_check_get_status (check), ==, FERRY_CHECK_STATUS_PASS);
  g_assert_nonnull (strstr (ferry_check_get_summary (check), "large objects ("));
  g_assert_nonnull (strstr (ferry_check_get_summary (check), "are copied after the tables"));

  coordinator = ferry_test_coordinator_new_ready (config);
  started = g_get_monotonic_time ();
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  if (state != FERRY_STATE_COMPLETED)
    {
      g_autofree char *status = ferry_test_status_text (coordinator);
      g_error ("the migration ended %s:\n%s", ferry_enum_to_nick (FERRY_TYPE_STATE, state), status);
    }
  g_test_message ("migrated in %.1f s", (g_get_monotonic_time () - started) / 1e6);

  after = large_objects (target);
  g_assert_cmpstr (after, ==, before);
  ferry_test_assert_same (source, target, NULL);

  conn = ferry_test_connect (target);
  /* The documents point at objects that are there. */
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM core.documents d WHERE d.content_oid IS NOT NULL"
                                         " AND NOT EXISTS (SELECT 1 FROM pg_largeobject_metadata m WHERE m.oid = d.content_oid)"),
                   ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.large_object_batch"), >=, 1);
  g_assert_cmpint (ferry_test_int (conn, "SELECT sum(objects) FROM ferry.large_object_batch"), ==,
                   ferry_test_int_at (source, "SELECT count(*) FROM pg_largeobject_metadata"));
  detail = ferry_test_value (conn, "SELECT detail FROM ferry.event WHERE action = 'large-objects'");
  g_test_message ("event: %s", detail);
  g_assert_nonnull (strstr (detail, "large objects copied"));
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.validation WHERE table_name = 'pg_largeobject'"
                                         " AND part = 'large objects' AND matches"
                                         " AND source_rows = target_rows AND source_checksum = target_checksum"),
                   ==, 1);
  ferry_test_assert_journal_consistent (target);

  /* The completion report counts them. */
  {
    g_autofree char *out = NULL;
    g_autofree char *file = ferry_test_config_write (config, workdir, "lo-copy.yaml");
    int status = ferry_test_cli (&out, "report", "--config", file, "--format", "json", "--output", "-", NULL);

    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "\"large_objects\""));
    g_assert_nonnull (strstr (out, "\"copied\" : 8,"));
  }

  /* So does `ferry-cli status`, from the journal. */
  {
    g_autofree char *out = NULL;
    g_autofree char *file = ferry_test_config_write (config, workdir, "lo-status.yaml");
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) parse_error = NULL;
    JsonObject *large;
    int status = ferry_test_cli (&out, "status", "--config", file, "--json", NULL);

    g_assert_cmpint (status, ==, 0);
    json_parser_load_from_data (parser, out, -1, &parse_error);
    g_assert_no_error (parse_error);
    large = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "large_objects");
    g_assert_nonnull (large);
    g_assert_cmpint (json_object_get_int_member (large, "objects"), ==, 8);
    g_assert_cmpint (json_object_get_int_member (large, "bytes"), ==,
                     ferry_test_int_at (source, "SELECT sum(length(data)) FROM pg_largeobject"));

    g_free (out);
    out = NULL;
    status = ferry_test_cli (&out, "status", "--config", file, NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "Large objects"));
  }
}

static void
run_free (GSubprocess *process)
{
  g_clear_object (&process);
}

static GSubprocess *
run_start (const char *config_path,
           const char *log)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *cli = ferry_test_cli_path ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  ferry_test_launcher_die_with_us (launcher);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "ferry-large-objects", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "run", "--force", "--config", config_path, NULL);
  g_assert_no_error (error);
  return process;
}

/* The batches in the journal follow one another, none overlapping, and
 * the target has exactly the objects they count. */
static void
assert_batches_consistent (PGconn *conn)
{
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM (SELECT first_oid, last_oid,"
                                         " lag(last_oid) OVER (ORDER BY first_oid) AS previous"
                                         " FROM ferry.large_object_batch) b"
                                         " WHERE b.first_oid > b.last_oid OR b.first_oid <= b.previous"), ==, 0);
  g_assert_cmpint (ferry_test_int (conn, "SELECT coalesce(sum(objects), 0) FROM ferry.large_object_batch"), ==,
                   ferry_test_int (conn, "SELECT count(*) FROM pg_largeobject_metadata"));
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_largeobject_metadata m WHERE NOT EXISTS"
                                         " (SELECT 1 FROM ferry.large_object_batch b"
                                         "  WHERE m.oid BETWEEN b.first_oid AND b.last_oid)"), ==, 0);
}

/* Until the run has committed 3 batches of large objects. */
static void
wait_for_batches (GSubprocess *process,
                  PGconn      *conn,
                  const char  *log)
{
  gint64 end = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *ready = ferry_test_value (conn, "SELECT to_regclass('ferry.large_object_batch') IS NOT NULL");

      if (g_str_equal (ready, "t") &&
          ferry_test_int (conn, "SELECT count(*) FROM ferry.large_object_batch") >= 3)
        return;
      if (g_subprocess_get_identifier (process) == NULL || g_get_monotonic_time () > end)
        {
          ferry_test_dump_file (log);
          g_error ("ferry-cli ended or timed out before the large objects");
        }
      g_usleep (2000);
    }
}

/* The run after an interruption: it completes, and the target has every
 * object of the source, once. */
static void
resume_to_completion (const char *file,
                      const char *log,
                      const char *target,
                      gint64      batches_before)
{
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  g_autofree char *before = large_objects (source_many);
  g_autofree char *after = NULL;
  GSubprocess *process = run_start (file, log);
  int status = ferry_test_cli_wait (process, log, 300);

  run_free (process);
  if (status != 0)
    {
      ferry_test_dump_file (log);
      g_error ("ferry-cli run exited with %d", status);
    }
  after = large_objects (target);
  g_assert_cmpstr (after, ==, before);
  assert_batches_consistent (conn);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.large_object_batch"), >, batches_before);
  g_assert_cmpstr (ferry_test_value (conn, "SELECT state FROM ferry.migration"), ==, "completed");
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.validation WHERE NOT matches"), ==, 0);
  ferry_test_assert_same (source_many, target, NULL);
}

/* SIGKILL in the middle of the objects; the next run copies the rest. */
static void
test_kill_and_resume (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "lo_kill", "target_template");
  g_autoptr(FerryConfig) config = config_for (source_many, target);
  g_autofree char *file = ferry_test_config_write (config, workdir, "lo-kill.yaml");
  g_autofree char *log1 = g_build_filename (workdir, "lo-kill-1.log", NULL);
  g_autofree char *log2 = g_build_filename (workdir, "lo-kill-2.log", NULL);
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  gint64 batches_at_kill;
  gint64 started;

  process = run_start (file, log1);
  wait_for_batches (process, conn, log1);
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (process));
  run_free (process);

  /* The killed sessions go; a half-done batch rolled back with them. */
  for (int i = 0; i < 500; i++)
    {
      if (ferry_test_int (conn, "SELECT count(*) FROM pg_stat_activity"
                                " WHERE application_name = 'ferry' AND datname = current_database()") == 0)
        break;
      g_usleep (10000);
    }
  batches_at_kill = ferry_test_int (conn, "SELECT count(*) FROM ferry.large_object_batch");
  g_test_message ("killed after %" G_GINT64_FORMAT " batches, %" G_GINT64_FORMAT " objects",
                  batches_at_kill, ferry_test_int (conn, "SELECT count(*) FROM pg_largeobject_metadata"));
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_largeobject_metadata"), <,
                   ferry_test_int_at (source_many, "SELECT count(*) FROM pg_largeobject_metadata"));
  assert_batches_consistent (conn);
  ferry_test_assert_journal_consistent (target);

  started = g_get_monotonic_time ();
  resume_to_completion (file, log2, target, batches_at_kill);
  g_test_message ("resumed and completed in %.1f s", (g_get_monotonic_time () - started) / 1e6);
  {
    g_autofree char *text = NULL;
    const char *line;

    /* The copy's own figures (its debug message). */
    if (g_file_get_contents (log2, &text, NULL, NULL) &&
        (line = strstr (text, "Large objects: ")) != NULL)
      g_test_message ("%.*s", (int)strcspn (line, "\n"), line);
  }
}

/* `ferry-cli stop` while the large objects are copied: the run ends
 * STOPPED (exit 6) between two pieces, without waiting for the rest;
 * what committed stays, once; the next run copies the rest. */
static void
test_stop_and_resume (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "lo_stop", "target_template");
  g_autoptr(FerryConfig) config = config_for (source_many, target);
  g_autofree char *file = ferry_test_config_write (config, workdir, "lo-stop.yaml");
  g_autofree char *log1 = g_build_filename (workdir, "lo-stop-1.log", NULL);
  g_autofree char *log2 = g_build_filename (workdir, "lo-stop-2.log", NULL);
  g_autofree char *out = NULL;
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  gint64 total = ferry_test_int_at (source_many, "SELECT count(*) FROM pg_largeobject_metadata");
  gint64 batches_at_stop;
  GSubprocess *process;
  int status;

  process = run_start (file, log1);
  wait_for_batches (process, conn, log1);
  status = ferry_test_cli (&out, "stop", "--config", file, NULL);
  g_assert_cmpint (status, ==, 0);
  status = ferry_test_cli_wait (process, log1, 120);
  run_free (process);
  if (status != 6)
    {
      ferry_test_dump_file (log1);
      g_error ("the stopped run exited with %d, not 6", status);
    }

  g_assert_cmpstr (ferry_test_value (conn, "SELECT state FROM ferry.migration"), ==, "stopped");
  batches_at_stop = ferry_test_int (conn, "SELECT count(*) FROM ferry.large_object_batch");
  g_test_message ("stopped after %" G_GINT64_FORMAT " batches, %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " objects",
                  batches_at_stop, ferry_test_int (conn, "SELECT count(*) FROM pg_largeobject_metadata"), total);
  g_assert_cmpint (batches_at_stop, >=, 3);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM pg_largeobject_metadata"), <, total);
  assert_batches_consistent (conn);
  ferry_test_assert_journal_consistent (target);

  resume_to_completion (file, log2, target, batches_at_stop);
}

/* A target that has one of the source's OIDs: the readiness check names
 * it; a forced run stops with it, and the target's object is untouched. */
static void
test_oid_taken (void)
{
  g_autofree char *target = ferry_test_new_database (cluster, "lo_taken", "target_template");
  g_autoptr(FerryConfig) config = config_for (source, target);
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  g_autofree char *theirs = NULL;
  g_autofree char *after = NULL;
  GError *last;
  FerryCheck *check;
  FerryState state;

  ferry_test_sql (conn, "SELECT lo_from_bytea(424202, 'the target''s own')");
  theirs = large_objects (target);

  check = readiness (config, &validator);
  g_test_message ("readiness: %s\nfix: %s", ferry_check_get_summary (check), ferry_check_get_fix (check));
  g_assert_cmpint (ferry_check_get_status (check), ==, FERRY_CHECK_STATUS_FAIL);
  g_assert_nonnull (strstr (ferry_check_get_summary (check), "424202"));
  g_assert_nonnull (strstr (ferry_check_get_fix (check), "lo_unlink"));
  g_assert_nonnull (strstr (ferry_check_get_fix (check), "424202"));

  /* Started anyway. */
  coordinator = ferry_test_coordinator_new_ready (config);
  ferry_coordinator_start (coordinator, &error);
  g_assert_no_error (error);
  state = ferry_test_run_until_idle (coordinator, 240);
  g_assert_cmpint (state, ==, FERRY_STATE_ERROR);
  last = ferry_coordinator_get_last_error (coordinator);
  g_assert_nonnull (last);
  g_test_message ("error: %s", last->message);
  g_assert_nonnull (strstr (last->message, "424202"));
  g_assert_nonnull (strstr (last->message, "lo_unlink"));

  /* Nothing of the target's own object changed, nothing else came. */
  after = large_objects (target);
  g_assert_cmpstr (after, ==, theirs);
  g_assert_cmpint (ferry_test_int (conn, "SELECT count(*) FROM ferry.large_object_batch"), ==, 0);
  ferry_test_assert_journal_consistent (target);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  cluster = ferry_test_cluster_start_with_sample ("source", 0.2, &source);
  workdir = ferry_test_cluster_make_dir (cluster, "large-objects");
  ferry_test_make_template (cluster, "target_template", source);

  source_many = ferry_test_new_database (cluster, "source_many", "source");
  ferry_test_sql_at (source, "CREATE ROLE lo_owner; CREATE ROLE lo_reader; CREATE ROLE \"LO Writer\"");

  /* Odd sizes around the piece size (1 MB) and the group size (4 MB),
   * an empty object, several MB; an owner, grants and comments. */
  ferry_test_sql_at (source,
                     "SELECT lo_from_bytea(500001, ''::bytea);"
                     "SELECT lo_from_bytea(500002, decode(repeat('ab', 1024 * 1024), 'hex'));"
                     "SELECT lo_from_bytea(500003, decode(repeat('cd', 1024 * 1024 + 1), 'hex'));"
                     "SELECT lo_from_bytea(500004, (SELECT string_agg(sha256(int4send(i)), ''::bytea)"
                     "                              FROM generate_series(1, 5 * 32768 + 777) i));"
                     "SELECT lo_from_bytea(500005, decode(repeat('0123456789', 37), 'hex'));"
                     "ALTER LARGE OBJECT 500004 OWNER TO lo_owner;"
                     "ALTER LARGE OBJECT 424201 OWNER TO lo_owner;"
                     "GRANT SELECT ON LARGE OBJECT 500004 TO lo_reader;"
                     "GRANT SELECT, UPDATE ON LARGE OBJECT 500004 TO \"LO Writer\" WITH GRANT OPTION;"
                     "GRANT SELECT ON LARGE OBJECT 500005 TO PUBLIC;"
                     "REVOKE UPDATE ON LARGE OBJECT 500002 FROM CURRENT_USER;"
                     "COMMENT ON LARGE OBJECT 500004 IS 'five MB and some; it''s odd';"
                     "COMMENT ON LARGE OBJECT 424203 IS 'the sample''s largest'");

  /* Many small objects of varied sizes: the copy takes a few seconds. */
  ferry_test_sql_at (source_many,
                     "SELECT count(lo_from_bytea(600000 + i, decode(repeat(lpad(to_hex(i %% 256), 2, '0'),"
                     " 1000 + (i * 7919) %% 9000), 'hex')))"
                     " FROM generate_series(1, 40000) i");

  g_test_add_func ("/large-objects/copy", test_copy);
  g_test_add_func ("/large-objects/kill-and-resume", test_kill_and_resume);
  g_test_add_func ("/large-objects/stop-and-resume", test_stop_and_resume);
  g_test_add_func ("/large-objects/oid-taken", test_oid_taken);

  ret = g_test_run ();

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&source_many, g_free);
  g_clear_pointer (&workdir, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  return ret;
}
