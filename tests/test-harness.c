/* test-harness.c — the throwaway cluster harness itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "ferry-error.h"
#include "ferry-test-cluster.h"

/* How long the watchdog may take to notice a dead process and remove the
 * cluster: it polls once a second, stopping takes a moment. */
#define WATCHDOG_TIMEOUT_SECONDS 15

static void
test_start_and_free (void)
{
  g_autoptr(FerryTestCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *socket = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *value = NULL;
  g_autofree char *listen = NULL;

  if (ferry_test_skip_unless_postgres ())
    return;

  cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (cluster);

  dir = g_strdup (ferry_test_cluster_get_dir (cluster));
  g_assert_true (g_path_is_absolute (dir));
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  /* Unix socket in the cluster's own directory, and no TCP at all. */
  socket = g_build_filename (dir, ".s.PGSQL.5432", NULL);
  g_assert_true (g_file_test (socket, G_FILE_TEST_EXISTS));

  conninfo = ferry_test_cluster_conninfo (cluster, NULL);
  g_assert_nonnull (strstr (conninfo, dir));
  g_assert_nonnull (strstr (conninfo, "dbname=postgres"));

  value = ferry_test_cluster_query_value (cluster, NULL, "SELECT 1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "1");

  listen = ferry_test_cluster_query_value (cluster, NULL,
                                           "SELECT current_setting('listen_addresses')",
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpstr (listen, ==, "");

  g_clear_pointer (&cluster, ferry_test_cluster_free);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_sql_helpers (void)
{
  g_autoptr(FerryTestCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *script = NULL;
  g_autofree char *script_dir = NULL;
  const char *odd_name = "Ünïcødé \"db\"; --";
  const char *vars[] = { "greeting=it's fine", "n=42", NULL };

  if (ferry_test_skip_unless_postgres ())
    return;

  cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);

  /* A server error keeps its SQLSTATE. */
  g_assert_false (ferry_test_cluster_exec (cluster, NULL, "SELEC 1", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_QUERY);
  g_assert_cmpstr (ferry_error_get_sqlstate (error), ==, "42601");
  g_clear_error (&error);

  /* SQL NULL is NULL without an error; no row at all is an error. */
  value = ferry_test_cluster_query_value (cluster, NULL, "SELECT NULL", &error);
  g_assert_no_error (error);
  g_assert_null (value);
  value = ferry_test_cluster_query_value (cluster, NULL, "SELECT 1 WHERE false", &error);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  g_assert_null (value);
  g_clear_error (&error);

  /* Any database name works, and conninfo strings quote it. */
  g_assert_true (ferry_test_cluster_create_database (cluster, odd_name, &error));
  g_assert_no_error (error);
  value = ferry_test_cluster_query_value (cluster, odd_name, "SELECT current_database()", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, odd_name);
  g_clear_pointer (&value, g_free);

  g_assert_false (ferry_test_cluster_create_database (cluster, odd_name, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_QUERY);
  g_assert_cmpstr (ferry_error_get_sqlstate (error), ==, "42P04");
  g_clear_error (&error);

  /* Connecting to a database that does not exist fails cleanly. */
  g_assert_false (ferry_test_cluster_exec (cluster, "no such db", "SELECT 1", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION);
  g_clear_error (&error);

  /* psql scripts, with variables, stop at the first error. */
  script_dir = g_dir_make_tmp ("ferry-harness-XXXXXX", &error);
  g_assert_no_error (error);
  script = g_build_filename (script_dir, "script.sql", NULL);
  g_file_set_contents (script,
                       "CREATE TABLE t (n int, greeting text);\n"
                       "INSERT INTO t VALUES (:n, :'greeting');\n",
                       -1, &error);
  g_assert_no_error (error);

  g_assert_true (ferry_test_cluster_psql_file (cluster, odd_name, script, vars, &error));
  g_assert_no_error (error);
  value = ferry_test_cluster_query_value (cluster, odd_name, "SELECT n || ' ' || greeting FROM t", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "42 it's fine");
  g_clear_pointer (&value, g_free);

  /* Running it again fails on CREATE TABLE and never reaches the INSERT. */
  g_assert_false (ferry_test_cluster_psql_file (cluster, odd_name, script, vars, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "already exists"));
  g_clear_error (&error);
  value = ferry_test_cluster_query_value (cluster, odd_name, "SELECT count(*) FROM t", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "1");

  g_unlink (script);
  g_rmdir (script_dir);
}

/* Reads one line from fd, blocking. */
static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n')
        break;
      g_string_append_c (line, c);
    }

  return g_string_free (line, FALSE);
}

static gboolean
server_answers (const char *dir)
{
  g_autoptr(GString) conninfo = g_string_new ("port=5432 user=postgres dbname=postgres connect_timeout=5 host=");
  PGconn *conn;
  gboolean ok;

  g_string_append (conninfo, dir);  /* g_dir_make_tmp names need no quoting */
  conn = PQconnectdb (conninfo->str);
  ok = PQstatus (conn) == CONNECTION_OK;
  PQfinish (conn);

  return ok;
}

/* A process that started a cluster with --watch is killed with SIGKILL:
 * no cleanup code of its own runs, the watchdog must remove the cluster. */
static void
test_watchdog_after_sigkill (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *line = NULL;
  int fds[2];
  pid_t child;
  int status;
  gint64 deadline;

  if (ferry_test_skip_unless_postgres ())
    return;

  g_assert_no_errno (pipe (fds));

  child = fork ();
  g_assert_cmpint (child, >=, 0);

  if (child == 0)
    {
      /* The child: start a cluster watched on our own pid, report its
       * directory and wait to be killed. Never return into the test. */
      GError *error = NULL;
      FerryTestCluster *cluster;
      g_autofree char *report = NULL;

      close (fds[0]);
      cluster = ferry_test_cluster_start (&error);
      if (cluster == NULL)
        report = g_strdup_printf ("ERROR %s\n", error->message);
      else
        report = g_strdup_printf ("%s\n", ferry_test_cluster_get_dir (cluster));
      if (write (fds[1], report, strlen (report)) < 0)
        _exit (2);
      close (fds[1]);
      if (cluster == NULL)
        _exit (1);
      for (;;)
        pause ();
    }

  close (fds[1]);
  line = read_line (fds[0]);
  close (fds[0]);

  if (*line == '\0' || g_str_has_prefix (line, "ERROR "))
    {
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
      g_error ("the child could not start a cluster: %s", line);
    }

  dir = g_steal_pointer (&line);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_true (server_answers (dir));

  g_assert_no_errno (kill (child, SIGKILL));
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  deadline = g_get_monotonic_time () + WATCHDOG_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  while (g_file_test (dir, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 10);

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (server_answers (dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/harness/start-and-free", test_start_and_free);
  g_test_add_func ("/harness/sql-helpers", test_sql_helpers);
  g_test_add_func ("/harness/watchdog-after-sigkill", test_watchdog_after_sigkill);

  return g_test_run ();
}
