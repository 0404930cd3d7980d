/* bench-migrate.c — how fast Ferry moves the sample, against the raw tools
 *
 * Prints figures; passes or fails nothing. Two throwaway clusters on this
 * machine, the sample database at a large scale in the source, then:
 *
 *  (a) the data phase: `ferry-cli run` into a target that has the tables
 *      (pg_restore --section=pre-data: no keys, indexes or foreign keys,
 *      so that only the copying is measured), against a raw pipe
 *        psql -c "COPY (SELECT …) TO STDOUT (FORMAT binary)" |
 *        psql -c "COPY … FROM STDIN (FORMAT binary)"
 *      per table, largest first, the same number at a time (xargs -P),
 *      and the same COPYs from a pool of libpq threads (no processes,
 *      pipes, transactions or journal: the floor for Ferry's data path);
 *  (b) a whole `schema: copy` run into an empty database, against
 *      pg_dump -Fd -j N and pg_restore -j N; Ferry's post-data items
 *      (keys, indexes, foreign keys…) run while tables load, so its
 *      "data" ends with the last chunk and "post-data" is what is left;
 *  (c) Ferry's CPU time and peak RSS (wait4() of the ferry-cli process),
 *      and for (b) the CPU time the whole machine was busy during each
 *      run: both servers share it, so that is the work of a run.
 *
 * Environment: FERRY_BENCH_SCALE (default 300: about 1 GB, see
 * data/sample/README.md), FERRY_BENCH_PARALLEL (default 2),
 * FERRY_BENCH_CHUNK_SIZE (default: Ferry's, 256 MB), FERRY_BENCH_REPEAT
 * (rounds of (a), default 1), FERRY_BENCH_SKIP (comma-separated: "raw",
 * "pool", "ferry-data", "dump", "ferry-copy").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ferry-test-migrate.h"

static FerryTestCluster *source_cluster;
static FerryTestCluster *target_cluster;
static char *workdir;
static char *bindir;
static guint parallel = 2;
static guint repeat = 1;
static char *chunk_size;
static char **skip;

typedef struct {
  double  wall;
  double  user;
  double  sys;
  long    max_rss_kb;
  double  machine_cpu;   /* CPU seconds the whole machine was busy: servers, tools and all */
  int     status;
} Measure;

static char *source;
static void checkpoint (void);

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double)G_USEC_PER_SEC;
}

static gboolean
skipped (const char *what)
{
  return skip != NULL && g_strv_contains ((const char * const *)skip, what);
}

/* Seconds of CPU time the machine has spent busy since boot, on all its
 * CPUs (/proc/stat: user, nice, system, irq, softirq, steal). Both
 * servers run here: this is the work of a run on both sides. */
static double
machine_busy_seconds (void)
{
  g_autofree char *text = NULL;
  guint64 v[8] = { 0 };

  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL) ||
      sscanf (text, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                    " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
    return 0;
  /* 3 is idle, 4 iowait */
  return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf (_SC_CLK_TCK);
}

/* Runs argv (stdout and stderr to @log), measuring it with wait4(). */
static Measure
measure (const char * const *argv,
         const char         *log)
{
  Measure m = { 0 };
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  GPid pid;
  int fd = g_open (log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  double start;
  int status;

  g_assert_cmpint (fd, >=, 0);
  m.machine_cpu = -machine_busy_seconds ();
  start = now_seconds ();
  g_spawn_async_with_fds (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH,
                          NULL, NULL, &pid, -1, fd, fd, &error);
  g_assert_no_error (error);
  close (fd);

  if (wait4 (pid, &status, 0, &usage) < 0)
    g_error ("wait4: %s", g_strerror (errno));
  g_spawn_close_pid (pid);

  m.wall = now_seconds () - start;
  m.machine_cpu += machine_busy_seconds ();
  m.user = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6;
  m.sys = usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  m.max_rss_kb = usage.ru_maxrss;
  m.status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  if (m.status != 0)
    {
      g_autofree char *text = NULL;
      g_file_get_contents (log, &text, NULL, NULL);
      g_error ("%s exited with %d:\n%s", argv[0], m.status, text ? text : "");
    }
  return m;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  guint n = sorted->len;

  if (n == 0)
    return 0;
  g_array_sort (sorted, compare_double);
  return n % 2 ? g_array_index (sorted, double, n / 2)
               : (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static Measure
shell (const char *command,
       const char *log)
{
  const char *argv[] = { "bash", "-c", command, NULL };
  return measure (argv, log);
}

/* Before each measured run: what the previous one wrote goes to disk
 * now, not in the middle of the next one. */
static void
checkpoint (void)
{
  g_autofree char *src = ferry_test_cluster_conninfo (source_cluster, "postgres");
  g_autofree char *dst = ferry_test_cluster_conninfo (target_cluster, "postgres");

  ferry_test_sql_at (src, "CHECKPOINT");
  ferry_test_sql_at (dst, "CHECKPOINT");
}

/* A database with the source's tables and nothing else of its schema. */
static char *
pre_data_target (const char *name)
{
  g_autofree char *target = ferry_test_new_database (target_cluster, name, NULL);
  g_autofree char *dump = g_build_filename (workdir, "pre-data.dump", NULL);
  g_autofree char *log = g_build_filename (workdir, "pre-data.log", NULL);
  g_autofree char *command = NULL;
  g_autofree char *q_source = g_shell_quote (source);
  g_autofree char *q_target = g_shell_quote (target);

  if (!g_file_test (dump, G_FILE_TEST_EXISTS))
    {
      g_autofree char *c = g_strdup_printf ("%s/pg_dump --schema-only -Fc -f %s %s", bindir, dump, q_source);
      shell (c, log);
    }
  command = g_strdup_printf ("%s/pg_restore --section=pre-data --exit-on-error -d %s %s", bindir, q_target, dump);
  shell (command, log);
  return g_steal_pointer (&target);
}

static guint64
source_heap_bytes (void)
{
  return ferry_test_int_at (source,
    "SELECT sum(pg_catalog.pg_relation_size(c.oid))"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    " AND n.nspname NOT LIKE 'pg\\_%%'");
}

/* The raw pipe: one psql | psql per table, largest first, @parallel at
 * a time. Generated columns are left out (COPY cannot write them);
 * tables with user-defined column types go in text format, as Ferry
 * does (binary COPY embeds type OIDs, which differ between databases). */
typedef struct {
  char *select_sql;
  char *insert_sql;
} RawTable;

static void
raw_table_free (RawTable *t)
{
  g_free (t->select_sql);
  g_free (t->insert_sql);
  g_free (t);
}

/* COPY statements for every table, largest first. */
static GPtrArray *
raw_tables (void)
{
  g_autoptr(PGconn) conn = ferry_test_connect (source);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)raw_table_free);
  PGresult *tables;

  tables = PQexec (conn,
    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname),"
    "       (SELECT string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)"
    "        FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
    "        AND NOT a.attisdropped AND a.attgenerated = ''),"
    "       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0"
    "               AND NOT a.attisdropped AND a.attgenerated = '' AND a.atttypid >= 16384)"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    " AND n.nspname NOT LIKE 'pg\\_%'"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass"
    "                 AND d.objid = c.oid AND d.deptype = 'e')"
    " ORDER BY pg_catalog.pg_relation_size(c.oid) DESC");
  g_assert_cmpint (PQresultStatus (tables), ==, PGRES_TUPLES_OK);

  for (int i = 0; i < PQntuples (tables); i++)
    {
      const char *table = PQgetvalue (tables, i, 0);
      const char *columns = PQgetvalue (tables, i, 1);
      const char *format = PQgetvalue (tables, i, 2)[0] == 't' ? "text" : "binary";
      RawTable *t = g_new0 (RawTable, 1);

      t->select_sql = g_strdup_printf ("COPY (SELECT %s FROM ONLY %s) TO STDOUT (FORMAT %s)", columns, table, format);
      t->insert_sql = g_strdup_printf ("COPY %s (%s) FROM STDIN (FORMAT %s)", table, columns, format);
      g_ptr_array_add (list, t);
    }
  PQclear (tables);
  return list;
}

static double
raw_pipe (const char *target)
{
  g_autoptr(GPtrArray) tables = raw_tables ();
  g_autofree char *commands = g_build_filename (workdir, "raw-pipe.commands", NULL);
  g_autofree char *log = g_build_filename (workdir, "raw-pipe.log", NULL);
  g_autofree char *run = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *q_source = g_shell_quote (source);
  g_autofree char *q_target = g_shell_quote (target);
  g_autoptr(GError) error = NULL;
  Measure m;

  for (guint i = 0; i < tables->len; i++)
    {
      RawTable *t = g_ptr_array_index (tables, i);
      g_autofree char *q_out = g_shell_quote (t->select_sql);
      g_autofree char *q_in = g_shell_quote (t->insert_sql);
      g_autofree char *line = g_strdup_printf ("set -o pipefail; %s/psql -X -q -v ON_ERROR_STOP=1 -d %s -c %s"
                                               " | %s/psql -X -q -v ON_ERROR_STOP=1 -d %s -c %s",
                                               bindir, q_source, q_out, bindir, q_target, q_in);
      g_autofree char *q_line = g_shell_quote (line);

      /* One line per table for xargs. */
      g_string_append_printf (text, "%s\n", q_line);
    }

  g_file_set_contents (commands, text->str, text->len, &error);
  g_assert_no_error (error);
  run = g_strdup_printf ("xargs -P %u -n 1 bash -c < %s", parallel, commands);
  m = shell (run, log);
  return m.wall;
}

/* The same COPYs from a small pool of threads with libpq: no process,
 * no pipe, no transaction, no journal — the floor for Ferry's data path. */
typedef struct {
  GPtrArray  *tables;
  const char *target;
  gint        next;
} Pool;

static gpointer
pool_thread (gpointer user_data)
{
  Pool *pool = user_data;
  g_autoptr(PGconn) src = ferry_test_connect (source);
  g_autoptr(PGconn) dst = ferry_test_connect (pool->target);

  for (;;)
    {
      gint i = g_atomic_int_add (&pool->next, 1);
      RawTable *t;
      PGresult *res;
      char *buffer;
      int n;

      if (i >= (gint)pool->tables->len)
        break;
      t = g_ptr_array_index (pool->tables, i);

      res = PQexec (dst, t->insert_sql);
      g_assert_cmpint (PQresultStatus (res), ==, PGRES_COPY_IN);
      PQclear (res);
      res = PQexec (src, t->select_sql);
      g_assert_cmpint (PQresultStatus (res), ==, PGRES_COPY_OUT);
      PQclear (res);

      while ((n = PQgetCopyData (src, &buffer, 0)) > 0)
        {
          if (PQputCopyData (dst, buffer, n) != 1)
            g_error ("PQputCopyData: %s", PQerrorMessage (dst));
          PQfreemem (buffer);
        }
      g_assert_cmpint (n, ==, -1);
      while ((res = PQgetResult (src)) != NULL)
        {
          g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
          PQclear (res);
        }
      g_assert_cmpint (PQputCopyEnd (dst, NULL), ==, 1);
      while ((res = PQgetResult (dst)) != NULL)
        {
          if (PQresultStatus (res) != PGRES_COMMAND_OK)
            g_error ("%s: %s", t->insert_sql, PQerrorMessage (dst));
          PQclear (res);
        }
    }
  return NULL;
}

static double
raw_pool (const char *target)
{
  g_autoptr(GPtrArray) tables = raw_tables ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Pool pool = { tables, target, 0 };
  double start = now_seconds ();

  for (guint i = 0; i < parallel; i++)
    g_ptr_array_add (threads, g_thread_new ("raw", pool_thread, &pool));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  return now_seconds () - start;
}

static Measure
ferry_run (const char *name,
           const char *target,
           gboolean    copy_schema)
{
  g_autoptr(FerryConfig) config = ferry_config_new ();
  g_autofree char *file = g_strdup_printf ("%s.yaml", name);
  g_autofree char *log_name = g_strdup_printf ("%s.log", name);
  g_autofree char *log = g_build_filename (workdir, log_name, NULL);
  g_autofree char *path = NULL;
  g_autofree char *cli = ferry_test_cli_path ();

  ferry_config_set_source (config, source);
  ferry_config_set_target (config, target);
  ferry_config_set_max_parallel (config, parallel);
  ferry_config_set_connection_pool_size (config, parallel + 3);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_NONE);
  ferry_config_set_schema_mode (config, copy_schema ? FERRY_SCHEMA_MODE_COPY : FERRY_SCHEMA_MODE_EXISTING);
  /* (a)'s target has no foreign keys (pre-data only): rebuild drops
   * nothing and, like the raw pipes, loads every table at once. */
  if (!copy_schema)
    ferry_config_set_constraints (config, FERRY_CONSTRAINT_STRATEGY_REBUILD);
  ferry_config_set_interval_seconds (config, 5);
  if (chunk_size != NULL)
    {
      guint64 bytes;
      g_autoptr(GError) error = NULL;

      ferry_parse_size (chunk_size, &bytes, &error);
      g_assert_no_error (error);
      ferry_config_set_chunk_size (config, bytes);
    }
  path = ferry_test_config_write (config, workdir, file);

  {
    const char *argv[] = { cli, "run", "--no-check", "--config", path, NULL };
    return measure (argv, log);
  }
}

/* Seconds between two phase events in the target's journal. */
static double
journal_phase_seconds (const char *target,
                       const char *from,
                       const char *to)
{
  g_autoptr(PGconn) conn = ferry_test_connect (target);
  g_autofree char *value = ferry_test_value (conn,
    "SELECT extract(epoch FROM (SELECT max(at) FROM ferry.event WHERE action = 'phase' AND detail = '%s')"
    " - (SELECT min(at) FROM ferry.event WHERE action = 'phase' AND detail = '%s'))", to, from);
  return value ? g_ascii_strtod (value, NULL) : -1;
}

static void
print_ferry (const char *what,
             Measure    *m)
{
  g_print ("  %-34s %8.1f s wall, %6.1f s user + %5.1f s sys CPU, peak RSS %6.1f MB\n",
           what, m->wall, m->user, m->sys, m->max_rss_kb / 1024.0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *env;
  double scale = 300;
  double load_time;
  guint64 heap_bytes;
  double mb;

  g_test_init (&argc, &argv, NULL);
  if (ferry_test_skip_unless_postgres ())
    {
      g_print ("PostgreSQL is not available: nothing to measure\n");
      return 0;
    }

  if ((env = g_getenv ("FERRY_BENCH_SCALE")) != NULL)
    scale = g_ascii_strtod (env, NULL);
  if ((env = g_getenv ("FERRY_BENCH_PARALLEL")) != NULL)
    parallel = MAX (1, atoi (env));
  if ((env = g_getenv ("FERRY_BENCH_REPEAT")) != NULL)
    repeat = MAX (1, atoi (env));
  chunk_size = g_strdup (g_getenv ("FERRY_BENCH_CHUNK_SIZE"));
  if ((env = g_getenv ("FERRY_BENCH_SKIP")) != NULL)
    skip = g_strsplit (env, ",", -1);
  bindir = ferry_test_pg_bindir ();

  source_cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  target_cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  workdir = ferry_test_cluster_make_dir (target_cluster, "bench");

  g_print ("Ferry benchmark: the sample database at scale %g, %u at a time, 2 clusters on this machine (%u CPUs)\n",
           scale, parallel, g_get_num_processors ());

  load_time = now_seconds ();
  source = ferry_test_cluster_new_sample (source_cluster, "source", scale);
  ferry_test_sql_at (source, "VACUUM (FREEZE, ANALYZE)");
  load_time = now_seconds () - load_time;
  heap_bytes = source_heap_bytes ();
  mb = heap_bytes / (1024.0 * 1024.0);
  {
    g_autoptr(PGconn) conn = ferry_test_connect (source);
    g_autofree char *size = ferry_test_value (conn, "SELECT pg_catalog.pg_size_pretty(pg_catalog.pg_database_size('source'))");
    g_print ("Source: %s database, %.0f MB of table heaps, %" G_GINT64_FORMAT " rows; loaded in %.0f s\n\n",
             size, mb,
             ferry_test_int_at (source, "SELECT sum(n_live_tup) FROM pg_catalog.pg_stat_user_tables"),
             load_time);
  }

  /* (a) the data phase */
  g_print ("(a) Data phase, into tables without keys or indexes (pre-data only), MB = source heap MB;\n"
           "    %u round(s), alternating, best of each:\n", repeat);
  {
    double raw = G_MAXDOUBLE, pool = G_MAXDOUBLE, ferry_data = G_MAXDOUBLE;
    Measure fm = { 0 };

    for (guint round = 0; round < repeat; round++)
      {
        if (!skipped ("raw"))
          {
            g_autofree char *target = pre_data_target ("raw");
            double t;

            checkpoint ();
            t = raw_pipe (target);
            g_print ("  %-34s %8.1f s  %7.1f MB/s\n", "raw psql | psql, per table", t, mb / t);
            raw = MIN (raw, t);
          }
        if (!skipped ("pool"))
          {
            g_autofree char *target = pre_data_target ("pool");
            double t;

            checkpoint ();
            t = raw_pool (target);
            g_print ("  %-34s %8.1f s  %7.1f MB/s\n", "raw libpq COPY pool, per table", t, mb / t);
            pool = MIN (pool, t);
          }
        if (!skipped ("ferry-data"))
          {
            g_autofree char *target = pre_data_target ("ferry_data");
            gint64 copy_bytes;
            double t;

            checkpoint ();
            fm = ferry_run ("ferry-data", target, FALSE);
            t = journal_phase_seconds (target, "data", "sequences");
            copy_bytes = ferry_test_int_at (target, "SELECT sum(bytes) FROM ferry.chunk");
            g_print ("  %-34s %8.1f s  %7.1f MB/s  (%" G_GINT64_FORMAT " chunks, %.0f MB of COPY data)\n",
                     "Ferry data phase (journal)", t, mb / t,
                     ferry_test_int_at (target, "SELECT count(*) FROM ferry.chunk"),
                     copy_bytes / (1024.0 * 1024.0));
            print_ferry ("ferry-cli run, whole", &fm);
            ferry_data = MIN (ferry_data, t);
          }
      }
    if (raw < G_MAXDOUBLE && ferry_data < G_MAXDOUBLE)
      g_print ("  => Ferry throughput / raw psql pipe: %.2f (goal >= 0.95)\n", raw / ferry_data);
    if (pool < G_MAXDOUBLE && ferry_data < G_MAXDOUBLE)
      g_print ("  => Ferry throughput / raw libpq pool: %.2f\n", pool / ferry_data);
  }

  /* (b) a whole schema: copy run */
  g_print ("\n(b) Whole migration with its schema, into an empty database; %u round(s), the order\n"
           "    alternating, best of each:\n", repeat);
  {
    double dump_restore = G_MAXDOUBLE;
    double ferry_copy = G_MAXDOUBLE;
    g_autoptr(GArray) dump_walls = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) dump_cpus = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) ferry_walls = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) ferry_cpus = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint round = 0; round < 2 * repeat; round++)
      {
        /* dump, Ferry, Ferry, dump, … */
        gboolean dump_first = (round / 2) % 2 == 0;
        gboolean dump_now = (round % 2 == 0) == dump_first;

        checkpoint ();
        if (dump_now && !skipped ("dump"))
          {
            g_autofree char *target = ferry_test_new_database (target_cluster, "restored", NULL);
            g_autofree char *admin = ferry_test_cluster_conninfo (target_cluster, "postgres");
            g_autofree char *dir = g_build_filename (workdir, "dump.dir", NULL);
            g_autofree char *log = g_build_filename (workdir, "dump.log", NULL);
            g_autofree char *q_source = g_shell_quote (source);
            g_autofree char *q_target = g_shell_quote (target);
            g_autofree char *dump = g_strdup_printf ("rm -rf %s && %s/pg_dump -Fd -j %u -f %s %s",
                                                     dir, bindir, parallel, dir, q_source);
            g_autofree char *restore = g_strdup_printf ("%s/pg_restore -j %u --exit-on-error -d %s %s",
                                                        bindir, parallel, q_target, dir);
            Measure d = shell (dump, log);
            Measure r = shell (restore, log);

            dump_restore = MIN (dump_restore, d.wall + r.wall);
            g_array_append_val (dump_walls, (double) { d.wall + r.wall });
            g_array_append_val (dump_cpus, (double) { d.machine_cpu + r.machine_cpu });
            g_print ("  %-34s %8.1f s  (pg_dump %.1f s + pg_restore %.1f s; machine busy %.1f + %.1f CPU s)\n",
                     "pg_dump -Fd -j + pg_restore -j", d.wall + r.wall, d.wall, r.wall,
                     d.machine_cpu, r.machine_cpu);
            ferry_test_sql_at (admin, "DROP DATABASE restored");
          }
        else if (!dump_now && !skipped ("ferry-copy"))
          {
            g_autofree char *target = ferry_test_new_database (target_cluster, "ferry_copy", NULL);
            Measure fm = ferry_run ("ferry-copy", target, TRUE);

            g_autoptr(PGconn) conn = ferry_test_connect (target);
            g_autofree char *data = ferry_test_value (conn,
              "SELECT extract(epoch FROM (SELECT max(finished_at) FROM ferry.chunk)"
              " - (SELECT min(at) FROM ferry.event WHERE action = 'phase' AND detail = 'data'))");
            g_autofree char *tail = ferry_test_value (conn,
              "SELECT extract(epoch FROM (SELECT max(at) FROM ferry.event WHERE action = 'phase' AND detail = 'sequences')"
              " - (SELECT max(finished_at) FROM ferry.chunk))");

            /* The post-data items run beside the chunks: "data" ends with
             * the last chunk, "post-data" is what is left after it. */
            g_print ("  %-34s %8.1f s  (pre-data %.1f s, data %.1f s, post-data after the data %.1f s,"
                     " sequences + post-data (pg_restore) %.1f s; %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                     " post-data items while chunks ran)\n",
                     "Ferry, schema: copy", fm.wall,
                     journal_phase_seconds (target, "prepare", "data"),
                     data ? g_ascii_strtod (data, NULL) : -1, tail ? g_ascii_strtod (tail, NULL) : -1,
                     journal_phase_seconds (target, "sequences", "done"),
                     ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl"
                                           " WHERE restored_at < (SELECT max(finished_at) FROM ferry.chunk)"),
                     ferry_test_int (conn, "SELECT count(*) FROM ferry.deferred_ddl"));
            print_ferry ("ferry-cli run, whole", &fm);
            g_print ("  %-34s %8.1f CPU s (both servers, Ferry and all)\n", "machine busy", fm.machine_cpu);
            ferry_copy = MIN (ferry_copy, fm.wall);
            g_array_append_val (ferry_walls, fm.wall);
            g_array_append_val (ferry_cpus, fm.machine_cpu);
          }
      }
    if (dump_restore < G_MAXDOUBLE && ferry_copy < G_MAXDOUBLE)
      {
        g_print ("  => Ferry / (pg_dump + pg_restore) wall time: %.2f best, %.2f median (goal <= 0.6)\n",
                 ferry_copy / dump_restore, median (ferry_walls) / median (dump_walls));
        /* Both servers share this machine's CPUs: Ferry's overlap of the
         * two sides cannot beat the work they do together. */
        g_print ("  => machine CPU time, Ferry / (pg_dump + pg_restore): %.2f median (%.1f / %.1f CPU s)\n",
                 median (ferry_cpus) / median (dump_cpus), median (ferry_cpus), median (dump_cpus));
      }
  }

  g_print ("\nLogs and configurations: %s (removed with the clusters)\n", workdir);

  g_clear_pointer (&source, g_free);
  g_clear_pointer (&target_cluster, ferry_test_cluster_free);
  g_clear_pointer (&source_cluster, ferry_test_cluster_free);
  g_free (workdir);
  g_free (bindir);
  g_free (chunk_size);
  g_strfreev (skip);
  return 0;
}
