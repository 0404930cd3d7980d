/* ferry-test-cluster.c — throwaway PostgreSQL clusters for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-test-cluster"

#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "ferry-error.h"
#include "ferry-test-cluster.h"

#define DEFAULT_PG_BINDIR "/usr/lib/postgresql/15/bin"

struct _FerryTestCluster
{
  char *dir;      /* the cluster's directory (also its socket directory) */
  char *script;   /* tests/ferry-pg-cluster */
  char *host;     /* from the conninfo the script printed */
  char *port;
  char *user;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* --- locating things ---------------------------------------------------- */

static gboolean
has_server_binaries (const char *bindir)
{
  static const char * const programs[] = { "initdb", "pg_ctl", "postgres" };

  if (bindir == NULL || *bindir == '\0')
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_build_filename (bindir, programs[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return FALSE;
    }

  return TRUE;
}

/* The same search order as tests/ferry-pg-cluster. */
static char *
find_bindir (void)
{
  const char *env = g_getenv ("FERRY_PG_BINDIR");
  g_autofree char *pg_config = NULL;
  g_autofree char *out = NULL;
  const char *argv[3] = { NULL, "--bindir", NULL };
  int status;

  if (env != NULL && *env != '\0')
    return has_server_binaries (env) ? g_strdup (env) : NULL;

  if (has_server_binaries (DEFAULT_PG_BINDIR))
    return g_strdup (DEFAULT_PG_BINDIR);

  pg_config = g_find_program_in_path ("pg_config");
  if (pg_config == NULL)
    return NULL;

  argv[0] = pg_config;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;

  g_strstrip (out);
  return has_server_binaries (out) ? g_steal_pointer (&out) : NULL;
}

static char *
find_psql (void)
{
  g_autofree char *bindir = find_bindir ();

  if (bindir != NULL)
    {
      g_autofree char *path = g_build_filename (bindir, "psql", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }

  return g_find_program_in_path ("psql");
}

/* The source tree: meson's test environment sets FERRY_SOURCE_ROOT; a test
 * run by hand from the build directory still has G_TEST_SRCDIR (tests/). */
static char *
find_source_path (const char  *relative,
                  GError     **error)
{
  const char *root = g_getenv ("FERRY_SOURCE_ROOT");
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *path = NULL;

  if (root != NULL && *root != '\0')
    path = g_build_filename (root, relative, NULL);
  else if (srcdir != NULL && *srcdir != '\0')
    path = g_build_filename (srcdir, "..", relative, NULL);
  else
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   "FERRY_SOURCE_ROOT is not set: run the tests with \"meson test\" "
                   "or set it to the source directory");
      return NULL;
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   "%s does not exist", path);
      return NULL;
    }

  return g_steal_pointer (&path);
}

/**
 * ferry_test_skip_unless_postgres:
 *
 * Marks the current test as skipped when no throwaway cluster can be made
 * here: the PostgreSQL server binaries or psql are missing, or we run as
 * root and there is no "postgres" user to run the server as.
 *
 * Returns: %TRUE if the test was skipped (the caller returns), %FALSE if
 *   PostgreSQL is available.
 */
gboolean
ferry_test_skip_unless_postgres (void)
{
  g_autofree char *bindir = find_bindir ();
  g_autofree char *psql = NULL;

  if (bindir == NULL)
    {
      g_test_skip ("PostgreSQL server binaries not found "
                   "(set FERRY_PG_BINDIR or install postgresql)");
      return TRUE;
    }

  psql = find_psql ();
  if (psql == NULL)
    {
      g_test_skip ("psql not found");
      return TRUE;
    }

  if (geteuid () == 0 && getpwnam ("postgres") == NULL)
    {
      g_test_skip ("running as root without a \"postgres\" user to run the server");
      return TRUE;
    }

  return FALSE;
}

/* --- running programs --------------------------------------------------- */

/* Runs argv, waits for it, and turns a failure into an error that carries
 * what the program said on stderr. */
static gboolean
run_program (const char * const  *argv,
             char               **stdout_out,
             GError             **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local_error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT,
                     NULL, NULL, &out, &err, &status, &local_error))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   "cannot run %s: %s", argv[0], local_error->message);
      return FALSE;
    }

  if (!g_spawn_check_wait_status (status, &local_error))
    {
      g_strstrip (err);
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   "%s %s failed (%s)%s%s", argv[0], argv[1] != NULL ? argv[1] : "",
                   local_error->message, *err != '\0' ? ": " : "", err);
      return FALSE;
    }

  if (err != NULL && *g_strstrip (err) != '\0')
    g_debug ("%s: %s", argv[0], err);

  if (stdout_out != NULL)
    *stdout_out = g_steal_pointer (&out);

  return TRUE;
}

/* --- lifecycle ---------------------------------------------------------- */

/* Quote a libpq conninfo value when it needs it. */
static void
append_conninfo_value (GString    *s,
                       const char *value)
{
  if (*value != '\0' && strpbrk (value, " \t\n\r\f\v'\\") == NULL)
    {
      g_string_append (s, value);
      return;
    }

  g_string_append_c (s, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

/* g_set_str () is GLib 2.76. */
static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* Takes what ferry-pg-cluster printed apart, so that conninfo strings for
 * other databases can be built from it. */
static gboolean
parse_conninfo (FerryTestCluster  *self,
                const char        *conninfo,
                GError           **error)
{
  char *parse_error = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &parse_error);

  if (options == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   "ferry-pg-cluster printed an invalid conninfo \"%s\": %s",
                   conninfo, parse_error != NULL ? g_strchomp (parse_error) : "out of memory");
      PQfreemem (parse_error);
      return FALSE;
    }

  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL)
        continue;
      if (g_str_equal (o->keyword, "host"))
        replace_string (&self->host, o->val);
      else if (g_str_equal (o->keyword, "port"))
        replace_string (&self->port, o->val);
      else if (g_str_equal (o->keyword, "user"))
        replace_string (&self->user, o->val);
    }
  PQconninfoFree (options);

  if (self->host == NULL || self->port == NULL || self->user == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
                   "ferry-pg-cluster printed an incomplete conninfo \"%s\"", conninfo);
      return FALSE;
    }

  return TRUE;
}

/**
 * ferry_test_cluster_start:
 *
 * Creates a temporary directory, starts a cluster in it and arranges for
 * it to be removed when this process exits, however it exits.
 *
 * Returns: (transfer full): the cluster, or %NULL with @error set
 */
FerryTestCluster *
ferry_test_cluster_start (GError **error)
{
  g_autoptr(FerryTestCluster) self = g_new0 (FerryTestCluster, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *out = NULL;
  const char *argv[6];

  self->script = find_source_path ("tests/ferry-pg-cluster", error);
  if (self->script == NULL)
    return NULL;

  self->dir = g_dir_make_tmp ("ferry-test-XXXXXX", &local_error);
  if (self->dir == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_IO,
                   "cannot create a temporary directory: %s", local_error->message);
      return NULL;
    }

  /* g_dir_make_tmp makes it 0700; the server may run as another user
   * ("postgres" when we are root) and must be able to enter it. */
  if (g_chmod (self->dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, FERRY_ERROR, FERRY_ERROR_IO,
                   "cannot chmod %s: %s", self->dir, g_strerror (saved_errno));
      g_rmdir (self->dir);
      g_clear_pointer (&self->dir, g_free);
      return NULL;
    }

  pid = g_strdup_printf ("%d", (int) getpid ());
  argv[0] = self->script;
  argv[1] = "start";
  argv[2] = self->dir;
  argv[3] = "--watch";
  argv[4] = pid;
  argv[5] = NULL;

  if (!run_program (argv, &out, error))
    {
      /* The script removed what it made; the directory is ours. */
      g_rmdir (self->dir);
      g_clear_pointer (&self->dir, g_free);
      return NULL;
    }

  if (!parse_conninfo (self, g_strstrip (out), error))
    return NULL;  /* the free function stops the cluster */

  g_debug ("started a cluster in %s", self->dir);

  return g_steal_pointer (&self);
}

/**
 * ferry_test_cluster_free:
 *
 * Stops the cluster immediately and removes its directory.
 */
void
ferry_test_cluster_free (FerryTestCluster *self)
{
  if (self == NULL)
    return;

  if (self->dir != NULL && self->script != NULL)
    {
      const char *argv[] = { self->script, "stop", self->dir, NULL };
      g_autoptr(GError) error = NULL;

      /* Not a g_warning (): warnings abort a test, and the watchdog will
       * still remove the cluster when this process exits. */
      if (!run_program (argv, NULL, &error))
        g_message ("could not remove the test cluster in %s: %s", self->dir, error->message);
    }

  g_free (self->dir);
  g_free (self->script);
  g_free (self->host);
  g_free (self->port);
  g_free (self->user);
  g_free (self);
}

const char *
ferry_test_cluster_get_dir (FerryTestCluster *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->dir;
}

/**
 * ferry_test_cluster_conninfo:
 * @dbname: (nullable): the database, %NULL for "postgres"
 *
 * Returns: (transfer full): a libpq conninfo string for @dbname
 */
char *
ferry_test_cluster_conninfo (FerryTestCluster *self,
                             const char       *dbname)
{
  GString *s;

  g_return_val_if_fail (self != NULL, NULL);

  s = g_string_new ("host=");
  append_conninfo_value (s, self->host);
  g_string_append (s, " port=");
  append_conninfo_value (s, self->port);
  g_string_append (s, " user=");
  append_conninfo_value (s, self->user);
  g_string_append (s, " dbname=");
  append_conninfo_value (s, dbname != NULL ? dbname : "postgres");

  return g_string_free (s, FALSE);
}

/* --- SQL through libpq -------------------------------------------------- */

static void
log_notice (void       *user_data,
            const char *message)
{
  g_debug ("server: %s", message);
}

static PGconn *
connect_to (FerryTestCluster  *self,
            const char        *dbname,
            GError           **error)
{
  g_autofree char *conninfo = ferry_test_cluster_conninfo (self, dbname);
  g_autoptr(PGconn) conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *what = g_strdup_printf ("cannot connect to database \"%s\"",
                                               dbname != NULL ? dbname : "postgres");

      ferry_set_error_from_conn (error, conn, what);
      return NULL;
    }

  PQsetNoticeProcessor (conn, log_notice, NULL);

  return g_steal_pointer (&conn);
}

/* Runs @sql (one or more statements); the result of the last one. */
static PGresult *
run_sql (FerryTestCluster  *self,
         const char        *dbname,
         const char        *sql,
         GError           **error)
{
  g_autoptr(PGconn) conn = connect_to (self, dbname, error);
  g_autoptr(PGresult) result = NULL;

  if (conn == NULL)
    return NULL;

  result = PQexec (conn, sql);
  switch (PQresultStatus (result))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return g_steal_pointer (&result);

    default:
      if (result != NULL)
        ferry_set_error_from_result (error, result, NULL);
      else
        ferry_set_error_from_conn (error, conn, NULL);
      return NULL;
    }
}

/**
 * ferry_test_cluster_exec:
 * @dbname: (nullable): the database, %NULL for "postgres"
 * @sql: one or more SQL statements
 *
 * Runs @sql in its own connection. Several statements separated by
 * semicolons run in one implicit transaction.
 */
gboolean
ferry_test_cluster_exec (FerryTestCluster  *self,
                         const char        *dbname,
                         const char        *sql,
                         GError           **error)
{
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = run_sql (self, dbname, sql, error);

  return result != NULL;
}

/**
 * ferry_test_cluster_query_value:
 * @dbname: (nullable): the database, %NULL for "postgres"
 * @sql: a query
 *
 * Returns: (transfer full) (nullable): the first column of the first row
 *   in text form; %NULL for an SQL NULL, or with @error set when the query
 *   fails or returns no row.
 */
char *
ferry_test_cluster_query_value (FerryTestCluster  *self,
                                const char        *dbname,
                                const char        *sql,
                                GError           **error)
{
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = run_sql (self, dbname, sql, error);
  if (result == NULL)
    return NULL;

  if (PQntuples (result) < 1 || PQnfields (result) < 1)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   "the query returned no value: %s", sql);
      return NULL;
    }

  if (PQgetisnull (result, 0, 0))
    return NULL;

  return g_strdup (PQgetvalue (result, 0, 0));
}

/**
 * ferry_test_cluster_create_database:
 *
 * Creates @dbname (any name: it is quoted as an identifier).
 */
gboolean
ferry_test_cluster_create_database (FerryTestCluster  *self,
                                    const char        *dbname,
                                    GError           **error)
{
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *sql = NULL;
  char *quoted;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (dbname != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = connect_to (self, "postgres", error);
  if (conn == NULL)
    return FALSE;

  quoted = PQescapeIdentifier (conn, dbname, strlen (dbname));
  if (quoted == NULL)
    {
      ferry_set_error_from_conn (error, conn, "cannot quote a database name");
      return FALSE;
    }
  sql = g_strdup_printf ("CREATE DATABASE %s", quoted);
  PQfreemem (quoted);

  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_autofree char *what = g_strdup_printf ("cannot create database \"%s\"", dbname);

      ferry_set_error_from_result (error, result, what);
      return FALSE;
    }

  return TRUE;
}

/* --- psql --------------------------------------------------------------- */

/* Runs the files in one psql session, stopping at the first error. */
static gboolean
run_psql (FerryTestCluster    *self,
          const char          *dbname,
          const char * const  *files,
          const char * const  *vars,
          GError             **error)
{
  g_autofree char *psql = find_psql ();
  g_autofree char *conninfo = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  if (psql == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, "psql not found");
      return FALSE;
    }

  conninfo = ferry_test_cluster_conninfo (self, dbname);

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, psql);
  g_ptr_array_add (argv, (char *) "-X");
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "-v");
  g_ptr_array_add (argv, (char *) "ON_ERROR_STOP=1");
  for (guint i = 0; vars != NULL && vars[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "-v");
      g_ptr_array_add (argv, (char *) vars[i]);
    }
  g_ptr_array_add (argv, (char *) "-d");
  g_ptr_array_add (argv, conninfo);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (char *) "-f");
      g_ptr_array_add (argv, (char *) files[i]);
    }
  g_ptr_array_add (argv, NULL);

  return run_program ((const char * const *) argv->pdata, NULL, error);
}

/**
 * ferry_test_cluster_psql_file:
 * @dbname: (nullable): the database, %NULL for "postgres"
 * @path: an SQL script
 * @vars: (nullable) (array zero-terminated=1): psql variables as
 *   "NAME=VALUE" strings (psql's -v), or %NULL
 *
 * Runs @path with psql and ON_ERROR_STOP, so the first error fails it;
 * the error message is what psql printed.
 */
gboolean
ferry_test_cluster_psql_file (FerryTestCluster    *self,
                              const char          *dbname,
                              const char          *path,
                              const char * const  *vars,
                              GError             **error)
{
  const char *files[] = { path, NULL };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_psql (self, dbname, files, vars, error);
}

/**
 * ferry_test_cluster_load_sample:
 * @dbname: (nullable): an empty database, %NULL for "postgres"
 * @scale: the size of the data (1 is a few MB; see data/sample/data.sql)
 *
 * Loads data/sample/schema.sql and data.sql into @dbname.
 */
gboolean
ferry_test_cluster_load_sample (FerryTestCluster  *self,
                                const char        *dbname,
                                double             scale,
                                GError           **error)
{
  g_autofree char *schema = NULL;
  g_autofree char *data = NULL;
  g_autofree char *scale_var = NULL;
  char scale_str[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (scale > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  schema = find_source_path ("data/sample/schema.sql", error);
  if (schema == NULL)
    return FALSE;
  data = find_source_path ("data/sample/data.sql", error);
  if (data == NULL)
    return FALSE;

  /* g_ascii_dtostr: a "." whatever the locale. */
  scale_var = g_strconcat ("scale=", g_ascii_dtostr (scale_str, sizeof scale_str, scale), NULL);

  {
    const char *files[] = { schema, data, NULL };
    const char *vars[] = { scale_var, NULL };

    return run_psql (self, dbname, files, vars, error);
  }
}

/* --- a test program's set-up --------------------------------------------- */

char *
ferry_test_cluster_new_sample (FerryTestCluster *self,
                               const char       *dbname,
                               double            scale)
{
  g_autoptr(GError) error = NULL;

  ferry_test_cluster_create_database (self, dbname, &error);
  g_assert_no_error (error);
  ferry_test_cluster_load_sample (self, dbname, scale, &error);
  g_assert_no_error (error);
  return ferry_test_cluster_conninfo (self, dbname);
}

FerryTestCluster *
ferry_test_cluster_start_with_sample (const char  *dbname,
                                      double       scale,
                                      char       **conninfo)
{
  g_autoptr(FerryTestCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *loaded = NULL;

  cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  loaded = ferry_test_cluster_new_sample (cluster, dbname, scale);
  if (conninfo != NULL)
    *conninfo = g_steal_pointer (&loaded);
  return g_steal_pointer (&cluster);
}

char *
ferry_test_cluster_make_dir (FerryTestCluster *self,
                             const char       *name)
{
  char *dir = g_build_filename (ferry_test_cluster_get_dir (self), name, NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}
