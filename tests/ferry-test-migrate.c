/* ferry-test-migrate.c — what the engine's tests share
 *
 * The check after a migration is deliberately independent of Ferry: it
 * reads both servers with plain SQL and compares what a DBA would
 * compare by hand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include "ferry-enum-types.h"
#include "ferry-test-migrate.h"

/* Settings under which a row's text is the same on both servers. */
static const char *canonical =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';"
  " SET extra_float_digits = 3; SET bytea_output = 'hex'; SET statement_timeout = 0;"
  " SET application_name = 'ferry-test';";

/* --- SQL ----------------------------------------------------------------- */

static void
log_notice (void       *user_data,
            const char *message)
{
  g_debug ("server: %s", message);
}

PGconn *
ferry_test_connect (const char *conninfo)
{
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", conninfo, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, log_notice, NULL);

  result = PQexec (conn, canonical);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", canonical, PQerrorMessage (conn));
  PQclear (result);

  return conn;
}

static PGresult *
run (PGconn     *conn,
     const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  switch (PQresultStatus (result))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return result;
    default:
      g_error ("SQL failed: %s\n  %s", PQerrorMessage (conn), sql);
      return NULL;
    }
}

void
ferry_test_sql (PGconn     *conn,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  PQclear (run (conn, text));
}

static char *
value_of (PGconn     *conn,
          const char *text)
{
  PGresult *result = run (conn, text);
  char *value = NULL;

  if (PQntuples (result) < 1 || PQnfields (result) < 1)
    g_error ("no value from %s", text);
  if (!PQgetisnull (result, 0, 0))
    value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

char *
ferry_test_value (PGconn     *conn,
                  const char *format,
                  ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return value_of (conn, text);
}

gint64
ferry_test_int (PGconn     *conn,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  value = value_of (conn, text);
  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

void
ferry_test_sql_at (const char *conninfo,
                   const char *format,
                   ...)
{
  g_autoptr(PGconn) conn = ferry_test_connect (conninfo);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  PQclear (run (conn, text));
}

gint64
ferry_test_int_at (const char *conninfo,
                   const char *format,
                   ...)
{
  g_autoptr(PGconn) conn = ferry_test_connect (conninfo);
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  value = value_of (conn, text);
  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/* --- programs ------------------------------------------------------------ */

char *
ferry_test_pg_bindir (void)
{
  const char *env = g_getenv ("FERRY_PG_BINDIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup ("/usr/lib/postgresql/15/bin");
}

char *
ferry_test_cli_path (void)
{
  const char *root = g_getenv ("FERRY_BUILD_ROOT");
  g_autofree char *path = NULL;

  if (root == NULL || *root == '\0')
    g_error ("FERRY_BUILD_ROOT is not set: run the tests with meson test");
  path = g_build_filename (root, "src", "cli", "ferry-cli", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s is not built", path);
  return g_steal_pointer (&path);
}

/* pg_dump --schema-only SOURCE | psql TARGET */
void
ferry_test_copy_schema (const char *source,
                        const char *target)
{
  g_autofree char *bindir = ferry_test_pg_bindir ();
  g_autofree char *pg_dump = g_build_filename (bindir, "pg_dump", NULL);
  g_autofree char *psql = g_build_filename (bindir, "psql", NULL);
  g_autofree char *q_pg_dump = g_shell_quote (pg_dump);
  g_autofree char *q_psql = g_shell_quote (psql);
  g_autofree char *q_from = g_shell_quote (source);
  g_autofree char *q_to = g_shell_quote (target);
  g_autofree char *command =
    g_strdup_printf ("set -o pipefail; %s --schema-only %s | %s -X -q -v ON_ERROR_STOP=1 %s",
                     q_pg_dump, q_from, q_psql, q_to);
  const char *argv[] = { "bash", "-c", command, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg_dump | psql failed: %s", err);
}

/* --- ferry-cli ----------------------------------------------------------- */

/* A ferry-cli started by a test dies with the test: a failed assertion
 * must not leave a run waiting for a cluster that the watchdog removed. */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != GPOINTER_TO_INT (user_data))
    _exit (127);
#endif
}

void
ferry_test_launcher_die_with_us (GSubprocessLauncher *launcher)
{
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (getpid ()), NULL);
}

GSubprocess *
ferry_test_cli_spawn (const char  *log,
                      GError     **error,
                      ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *cli = ferry_test_cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, cli);
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  ferry_test_launcher_die_with_us (launcher);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
}

/* Runs a short ferry-cli command; returns its exit status, its output in
 * @out. */
int
ferry_test_cli (char **out,
                ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *path = ferry_test_cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, path);
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &text, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("ferry-cli %s: %s", (char *)argv->pdata[1], text);
  if (out != NULL)
    *out = g_steal_pointer (&text);
  return g_subprocess_get_exit_status (process);
}

void
ferry_test_dump_file (const char *path)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_printerr ("--- %s ---\n%s\n---\n", path, text);
}

int
ferry_test_cli_wait (GSubprocess *process,
                     const char  *log,
                     guint        timeout_seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;

  while (g_subprocess_get_identifier (process) != NULL)
    {
      if (g_get_monotonic_time () > end)
        {
          g_subprocess_force_exit (process);
          ferry_test_dump_file (log);
          g_error ("ferry-cli run did not end within %u s", timeout_seconds);
        }
      g_usleep (20000);
    }
  g_subprocess_wait (process, NULL, NULL);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* --- data ---------------------------------------------------------------- */

void
ferry_test_add_bulk (const char *source,
                     guint       megabytes)
{
  g_autoptr(PGconn) conn = ferry_test_connect (source);
  /* About 100 bytes a row on disk. */
  guint rows = megabytes * 10000;

  ferry_test_sql (conn,
    "CREATE SCHEMA ferry_bulk;"
    "CREATE TABLE ferry_bulk.keyed (id bigint PRIMARY KEY, n integer NOT NULL,"
    "  label text NOT NULL, at timestamptz NOT NULL, amount numeric(12,2));"
    "CREATE INDEX keyed_n_idx ON ferry_bulk.keyed (n);"
    "CREATE TABLE ferry_bulk.heap (n integer, label text, payload bytea);"
    "INSERT INTO ferry_bulk.keyed"
    "  SELECT i, (i * 7919) %% 100003, md5(i::text) || ' row ' || i,"
    "         timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute',"
    "         CASE WHEN i %% 11 = 0 THEN NULL ELSE (i %% 100000) / 100.0 END"
    "  FROM generate_series(1, %u) AS i;"
    /* a few duplicates: a table without a key may hold them */
    "INSERT INTO ferry_bulk.heap"
    "  SELECT i %% (%u - 50), repeat(chr(65 + i %% 26), 20) || E'\\t\\\\N\\n' || i,"
    "         decode(md5(i::text), 'hex')"
    "  FROM generate_series(1, %u) AS i;"
    "ANALYZE ferry_bulk.keyed; ANALYZE ferry_bulk.heap;",
    rows, rows, rows);
}

void
ferry_test_add_post_data_cases (const char *source)
{
  g_autoptr(PGconn) conn = ferry_test_connect (source);

  ferry_test_sql (conn,
    "DO $$ BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ferry_reader') THEN"
    "    CREATE ROLE ferry_reader NOLOGIN;"
    "  END IF;"
    "END $$;"
    "CREATE SCHEMA ferry_post;"
    "CREATE TABLE ferry_post.parent (id integer PRIMARY KEY, code text NOT NULL,"
    "  CONSTRAINT parent_code_key UNIQUE (code));"
    "CREATE TABLE ferry_post.child (id integer PRIMARY KEY, parent_id integer NOT NULL, note text,"
    "  CONSTRAINT child_parent_fkey FOREIGN KEY (parent_id) REFERENCES ferry_post.parent (id)"
    "    DEFERRABLE INITIALLY DEFERRED);"
    "INSERT INTO ferry_post.parent SELECT i, 'P' || i FROM generate_series(1, 100) AS i;"
    "INSERT INTO ferry_post.child SELECT i, 1 + i %% 100, 'note ' || (i %% 37) FROM generate_series(1, 3000) AS i;");
  ferry_test_sql (conn,
    /* what pg_dump puts with an index */
    "CREATE INDEX child_note_idx ON ferry_post.child (note) WITH (fillfactor = 70);"
    "ALTER TABLE ferry_post.child CLUSTER ON child_note_idx;"
    "CREATE UNIQUE INDEX child_ident_idx ON ferry_post.child (id, parent_id);"
    "ALTER TABLE ferry_post.child REPLICA IDENTITY USING INDEX child_ident_idx;"
    "CREATE INDEX child_lower_idx ON ferry_post.child (lower(note));"
    "ALTER INDEX ferry_post.child_lower_idx ALTER COLUMN 1 SET STATISTICS 500;"
    /* comments on post-data objects are post-data too */
    "COMMENT ON INDEX ferry_post.child_note_idx IS 'notes, clustered';"
    "COMMENT ON CONSTRAINT child_parent_fkey ON ferry_post.child IS 'checked at commit';"
    "COMMENT ON CONSTRAINT parent_code_key ON ferry_post.parent IS 'one code a parent';"
    "CREATE STATISTICS ferry_post.child_stats (dependencies) ON id, parent_id FROM ferry_post.child;"
    "CREATE FUNCTION ferry_post.touch () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
    "CREATE TRIGGER child_touch BEFORE UPDATE ON ferry_post.child FOR EACH ROW EXECUTE FUNCTION ferry_post.touch ();"
    "COMMENT ON TRIGGER child_touch ON ferry_post.child IS 'does nothing';"
    "CREATE RULE child_notify AS ON UPDATE TO ferry_post.child DO ALSO NOTIFY ferry_post_child;"
    /* what pg_restore keeps for the end: a materialized view's data, an
     * index on it, an event trigger and its comment */
    "CREATE MATERIALIZED VIEW ferry_post.child_counts AS"
    "  SELECT parent_id, count(*) AS n FROM ferry_post.child GROUP BY parent_id;"
    "CREATE UNIQUE INDEX child_counts_idx ON ferry_post.child_counts (parent_id);"
    "GRANT SELECT ON ferry_post.child, ferry_post.child_counts TO ferry_reader;"
    "GRANT USAGE ON SCHEMA ferry_post TO ferry_reader;"
    "CREATE FUNCTION ferry_post.on_ddl () RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;"
    "CREATE EVENT TRIGGER ferry_post_on_ddl ON ddl_command_end EXECUTE FUNCTION ferry_post.on_ddl ();"
    "COMMENT ON EVENT TRIGGER ferry_post_on_ddl IS 'does nothing, after everything';"
    "ANALYZE ferry_post.parent; ANALYZE ferry_post.child;");
}

/* pg_dump --schema-only of a database, without the journal and without
 * what differs between two dumps of the same schema. */
static char *
schema_dump (const char *conninfo)
{
  g_autofree char *bindir = ferry_test_pg_bindir ();
  g_autofree char *pg_dump = g_build_filename (bindir, "pg_dump", NULL);
  const char *argv[] = { pg_dump, "--schema-only", "--exclude-schema=ferry", "--dbname", conninfo, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GString *text = g_string_new (NULL);
  int status = 0;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg_dump failed: %s", err);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "\\restrict ") && !g_str_has_prefix (lines[i], "\\unrestrict "))
      g_string_append_printf (text, "%s\n", lines[i]);
  return g_string_free (text, FALSE);
}

void
ferry_test_assert_same_schema_impl (const char *source,
                                    const char *target,
                                    const char *where)
{
  g_autofree char *a = schema_dump (source);
  g_autofree char *b = schema_dump (target);
  g_autofree char *dir = NULL;
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;
  g_autofree char *diff = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (a, b))
    return;

  dir = g_dir_make_tmp ("ferry-schema-XXXXXX", &error);
  g_assert_no_error (error);
  fa = g_build_filename (dir, "source.sql", NULL);
  fb = g_build_filename (dir, "target.sql", NULL);
  g_file_set_contents (fa, a, -1, NULL);
  g_file_set_contents (fb, b, -1, NULL);
  {
    const char *argv[] = { "diff", "-u", fa, fb, NULL };
    g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &diff, NULL, NULL, NULL);
  }
  g_error ("%s: the target's schema (pg_dump --schema-only) differs from the source's:\n%s",
           where, diff ? diff : "");
}

char *
ferry_test_new_database (FerryTestCluster *cluster,
                         const char       *name,
                         const char       *template_name)
{
  g_autofree char *admin = ferry_test_cluster_conninfo (cluster, "postgres");

  ferry_test_sql_at (admin, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
  if (template_name != NULL)
    ferry_test_sql_at (admin, "CREATE DATABASE \"%s\" TEMPLATE \"%s\"", name, template_name);
  else
    ferry_test_sql_at (admin, "CREATE DATABASE \"%s\" TEMPLATE template0", name);
  return ferry_test_cluster_conninfo (cluster, name);
}

void
ferry_test_make_template (FerryTestCluster *cluster,
                          const char       *name,
                          const char       *source)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;

  ferry_test_cluster_create_database (cluster, name, &error);
  g_assert_no_error (error);
  template = ferry_test_cluster_conninfo (cluster, name);
  ferry_test_copy_schema (source, template);
}

/* --- configuration ------------------------------------------------------- */

FerryConfig *
ferry_test_config_new (const char *source,
                       const char *target)
{
  FerryConfig *config = ferry_config_new ();

  ferry_config_set_source (config, source);
  ferry_config_set_target (config, target);
  ferry_config_set_max_parallel (config, 2);
  ferry_config_set_connection_pool_size (config, 4);
  ferry_config_set_chunk_size (config, FERRY_CONFIG_MIN_CHUNK_SIZE);
  ferry_config_set_connect_timeout (config, 5);
  ferry_config_set_interval_seconds (config, 1);
  ferry_config_set_retry_attempts (config, 4);
  ferry_config_set_notifications_enabled (config, FALSE);
  return config;
}

char *
ferry_test_config_write (FerryConfig *config,
                         const char  *dir,
                         const char  *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  ferry_config_save (config, path, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* --- the independent check ----------------------------------------------- */

#define USER_TABLES \
  " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace" \
  " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry', 'pg_toast')" \
  " AND n.nspname NOT LIKE 'pg\\_%'" \
  " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass" \
  "                 AND d.objid = c.oid AND d.deptype = 'e')"

char *
ferry_test_table_digest (PGconn     *conn,
                         const char *quoted_table)
{
  /* The rows as text, sorted, hashed: equal multisets of rows give equal
   * digests; a duplicate or a missing row changes the count. */
  return ferry_test_value (conn,
                           "SELECT count(*) || ' ' || coalesce(md5(string_agg(r, E'\\n' ORDER BY r COLLATE \"C\")), '-')"
                           " FROM (SELECT t::text AS r FROM ONLY %s t) s",
                           quoted_table);
}

/* key → value of a two-column result */
static GHashTable *
map_of (PGconn     *conn,
        const char *sql)
{
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  PGresult *result = run (conn, sql);

  for (int i = 0; i < PQntuples (result); i++)
    g_hash_table_insert (map, g_strdup (PQgetvalue (result, i, 0)),
                         g_strdup (PQgetisnull (result, i, 1) ? "(null)" : PQgetvalue (result, i, 1)));
  PQclear (result);
  return map;
}

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  return list != NULL && g_strv_contains (list, name);
}

static void
compare_maps (GPtrArray          *problems,
              const char         *what,
              GHashTable         *source,
              GHashTable         *target,
              const char * const *ignore,
              gboolean            extra_is_problem)
{
  GHashTableIter iter;
  const char *key;
  const char *value;
  g_autoptr(GList) keys = g_hash_table_get_keys (source);

  keys = g_list_sort (keys, (GCompareFunc)g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *other;

      key = l->data;
      value = g_hash_table_lookup (source, key);
      other = g_hash_table_lookup (target, key);
      if (in_list (ignore, key))
        continue;
      if (other == NULL)
        g_ptr_array_add (problems, g_strdup_printf ("%s %s: missing on the target (source: %s)",
                                                    what, key, value));
      else if (!g_str_equal (value, other))
        g_ptr_array_add (problems, g_strdup_printf ("%s %s: source “%s”, target “%s”",
                                                    what, key, value, other));
    }

  if (!extra_is_problem)
    return;

  g_hash_table_iter_init (&iter, target);
  while (g_hash_table_iter_next (&iter, (gpointer *)&key, (gpointer *)&value))
    if (!g_hash_table_contains (source, key) && !in_list (ignore, key))
      g_ptr_array_add (problems, g_strdup_printf ("%s %s: only on the target (%s)", what, key, value));
}

/* @sql's rows (a name, a value) on both servers, compared. */
static void
compare_query (GPtrArray          *problems,
               const char         *what,
               PGconn             *src,
               PGconn             *dst,
               const char         *sql,
               const char * const *ignore,
               gboolean            extra_is_problem)
{
  g_autoptr(GHashTable) a = map_of (src, sql);
  g_autoptr(GHashTable) b = map_of (dst, sql);

  compare_maps (problems, what, a, b, ignore, extra_is_problem);
}

GPtrArray *
ferry_test_compare (const char             *source,
                    const char             *target,
                    const FerryTestCompare *options)
{
  static const FerryTestCompare defaults = { 0 };
  g_autoptr(PGconn) src = ferry_test_connect (source);
  g_autoptr(PGconn) dst = ferry_test_connect (target);
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  PGresult *tables;

  if (options == NULL)
    options = &defaults;

  /* Rows, table by table. */
  tables = run (src, "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), n.nspname || '.' || c.relname"
                     USER_TABLES " AND c.relkind = 'r' ORDER BY 1");
  for (int i = 0; i < PQntuples (tables); i++)
    {
      const char *quoted = PQgetvalue (tables, i, 0);
      const char *plain = PQgetvalue (tables, i, 1);
      g_autofree char *exists = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      g_autofree char *literal = NULL;

      if (in_list (options->skip_data, plain) ||
          (options->only_data != NULL && !in_list (options->only_data, plain)))
        continue;

      {
        char *l = PQescapeLiteral (dst, quoted, strlen (quoted));
        literal = g_strdup (l);
        PQfreemem (l);
      }
      exists = ferry_test_value (dst, "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", literal);
      if (g_strcmp0 (exists, "t") != 0)
        {
          g_ptr_array_add (problems, g_strdup_printf ("table %s: missing on the target", plain));
          continue;
        }

      a = ferry_test_table_digest (src, quoted);
      b = ferry_test_table_digest (dst, quoted);
      if (!g_str_equal (a, b))
        g_ptr_array_add (problems, g_strdup_printf ("table %s: source %s, target %s (rows, md5)",
                                                    plain, a, b));
    }
  PQclear (tables);

  /* Constraints by name: definition, and validated or not. */
  {
    const char *sql =
      "SELECT n.nspname || '.' || c.relname || ' ' || con.conname,"
      "       con.contype::text || ' ' || pg_catalog.pg_get_constraintdef(con.oid)"
      "       || CASE WHEN con.convalidated THEN '' ELSE ' [NOT VALID]' END"
      "       || CASE WHEN con.condeferrable THEN ' [deferrable]' ELSE '' END"
      " FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry')"
      " AND n.nspname NOT LIKE 'pg\\_%'"
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass"
      "                 AND d.objid = c.oid AND d.deptype = 'e')";

    compare_query (problems, "constraint", src, dst, sql, options->ignore_objects, TRUE);
  }

  /* Indexes by name: definition, valid and ready. */
  {
    const char *sql =
      "SELECT n.nspname || '.' || i.relname,"
      "       pg_catalog.pg_get_indexdef(x.indexrelid)"
      "       || CASE WHEN x.indisvalid AND x.indisready THEN '' ELSE ' [INVALID]' END"
      " FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
      " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry', 'pg_toast')"
      " AND n.nspname NOT LIKE 'pg\\_%'"
      " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass"
      "                 AND d.objid = c.oid AND d.deptype = 'e')";

    compare_query (problems, "index", src, dst, sql, options->ignore_objects, TRUE);
  }

  /* User triggers and whether they fire. */
  {
    const char *sql =
      "SELECT n.nspname || '.' || c.relname || ' ' || t.tgname, t.tgenabled::text"
      " FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE NOT t.tgisinternal AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry')";

    compare_query (problems, "trigger", src, dst, sql, options->ignore_objects, TRUE);
  }

  /* Sequences at the source's value. */
  if (!options->skip_sequences)
    {
      const char *sql =
        "SELECT schemaname || '.' || sequencename, coalesce(last_value::text, 'not called')"
        " FROM pg_catalog.pg_sequences WHERE schemaname NOT IN ('ferry')";

      compare_query (problems, "sequence", src, dst, sql, options->ignore_objects, FALSE);
    }

  /* Materialized views: populated as on the source, with its rows (a
   * run refreshes them at its end, like the sequences). */
  if (!options->skip_sequences)
    {
      const char *sql =
        "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname),"
        "       CASE WHEN c.relispopulated THEN 'populated' ELSE 'not populated' END"
        " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind = 'm' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry')";
      g_autoptr(GHashTable) a = map_of (src, sql);
      g_autoptr(GHashTable) b = map_of (dst, sql);
      GHashTableIter iter;
      const char *name;
      const char *populated;

      compare_maps (problems, "materialized view", a, b, options->ignore_objects, FALSE);
      g_hash_table_iter_init (&iter, a);
      while (g_hash_table_iter_next (&iter, (gpointer *)&name, (gpointer *)&populated))
        if (g_str_equal (populated, "populated") && g_strcmp0 (g_hash_table_lookup (b, name), "populated") == 0)
          {
            g_autofree char *da = ferry_test_table_digest (src, name);
            g_autofree char *db = ferry_test_table_digest (dst, name);

            if (!g_str_equal (da, db))
              g_ptr_array_add (problems, g_strdup_printf ("materialized view %s: source %s, target %s (rows, md5)",
                                                          name, da, db));
          }
    }

  return problems;
}

void
ferry_test_assert_same_impl (const char             *source,
                             const char             *target,
                             const FerryTestCompare *options,
                             const char             *where)
{
  g_autoptr(GPtrArray) problems = ferry_test_compare (source, target, options);
  g_autoptr(GString) text = NULL;

  if (problems->len == 0)
    return;

  text = g_string_new (NULL);
  for (guint i = 0; i < problems->len && i < 60; i++)
    g_string_append_printf (text, "\n  %s", (char *)g_ptr_array_index (problems, i));
  if (problems->len > 60)
    g_string_append_printf (text, "\n  … and %u more", problems->len - 60);
  g_error ("%s: the target differs from the source in %u ways:%s", where, problems->len, text->str);
}

/* --- the coordinator ----------------------------------------------------- */

FerryCoordinator *
ferry_test_coordinator_new_ready (FerryConfig *config)
{
  g_autoptr(FerryCoordinator) coordinator = ferry_coordinator_new (config);
  g_autoptr(GError) error = NULL;

  ferry_coordinator_initialize (coordinator, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_READY);
  return g_steal_pointer (&coordinator);
}

char *
ferry_test_status_text (FerryCoordinator *coordinator)
{
  g_autoptr(JsonNode) status = ferry_coordinator_status (coordinator);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, status);
  return json_generator_to_data (generator, NULL);
}

static gboolean
deadline_passed (gpointer user_data)
{
  FerryCoordinator *coordinator = user_data;
  g_autofree char *status = ferry_test_status_text (coordinator);

  g_error ("the migration did not come to rest in time; its status:\n%s", status);
  return G_SOURCE_REMOVE;
}

FerryState
ferry_test_run_until_idle (FerryCoordinator *coordinator,
                           guint             timeout_seconds)
{
  guint deadline = g_timeout_add_seconds (timeout_seconds, deadline_passed, coordinator);
  FerryState state = ferry_coordinator_run_until_idle (coordinator);

  g_source_remove (deadline);
  return state;
}

void
ferry_test_wait_for (gboolean  (*predicate) (gpointer),
                     gpointer    data,
                     guint       timeout_seconds,
                     const char *what)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      /* Let the coordinator's main context run while we wait. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
}

/* --- the journal --------------------------------------------------------- */

gint64
ferry_test_journal_chunks_done (PGconn *target)
{
  return ferry_test_int (target,
                         "SELECT count(*) FROM ferry.chunk WHERE finished_at IS NOT NULL"
                         " AND migration_id = (SELECT max(migration_id) FROM ferry.migration)");
}

gint64
ferry_test_journal_chunks_total (PGconn *target)
{
  return ferry_test_int (target,
                         "SELECT count(*) FROM ferry.chunk WHERE skipped_at IS NULL"
                         " AND migration_id = (SELECT max(migration_id) FROM ferry.migration)");
}

/*
 * Exactly once, seen from outside: for every heap, the rows on the target
 * are exactly the rows of the chunks the journal records as done. Holds
 * whenever no chunk is in flight, e.g. right after the process was killed.
 */
void
ferry_test_assert_journal_consistent (const char *target)
{
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  PGresult *heaps = run (conn,
    "SELECT pg_catalog.format('%I.%I', heap_schema, heap_name),"
    "       coalesce(sum(rows) FILTER (WHERE finished_at IS NOT NULL), 0)"
    " FROM ferry.chunk WHERE migration_id = (SELECT max(migration_id) FROM ferry.migration)"
    " GROUP BY 1 ORDER BY 1");
  g_autoptr(GString) problems = g_string_new (NULL);

  for (int i = 0; i < PQntuples (heaps); i++)
    {
      const char *heap = PQgetvalue (heaps, i, 0);
      gint64 journal = g_ascii_strtoll (PQgetvalue (heaps, i, 1), NULL, 10);
      g_autofree char *literal = PQescapeLiteral (conn, heap, strlen (heap));
      g_autofree char *exists = ferry_test_value (conn, "SELECT pg_catalog.to_regclass(%s) IS NOT NULL", literal);
      gint64 rows;

      /* schema: copy, stopped before the tables were created */
      if (g_str_equal (exists, "f") && journal == 0)
        continue;
      rows = ferry_test_int (conn, "SELECT count(*) FROM ONLY %s", heap);

      if (rows != journal)
        g_string_append_printf (problems, "\n  %s: %" G_GINT64_FORMAT " rows on the target, %"
                                G_GINT64_FORMAT " in the journal's finished chunks",
                                heap, rows, journal);
    }
  PQclear (heaps);

  if (problems->len > 0)
    g_error ("the target and its journal disagree:%s", problems->str);
}
