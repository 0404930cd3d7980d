/* ferry-test-cluster.h — throwaway PostgreSQL clusters for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A FerryTestCluster is a PostgreSQL cluster in a fresh temporary
 * directory, reachable only through a Unix socket in that directory. It is
 * created by tests/ferry-pg-cluster, which also starts a watchdog on the
 * test process: if the test crashes or is killed, the cluster is stopped
 * and its directory removed anyway. ferry_test_cluster_free() does the same
 * right away.
 *
 * Typical use:
 *
 *   static void
 *   test_something (void)
 *   {
 *     g_autoptr(FerryTestCluster) cluster = NULL;
 *     g_autoptr(GError) error = NULL;
 *
 *     if (ferry_test_skip_unless_postgres ())
 *       return;
 *
 *     cluster = ferry_test_cluster_start (&error);
 *     g_assert_no_error (error);
 *     ferry_test_cluster_create_database (cluster, "source", &error);
 *     g_assert_no_error (error);
 *     ferry_test_cluster_load_sample (cluster, "source", 0.1, &error);
 *     g_assert_no_error (error);
 *     …
 *   }
 *
 * Errors are in the FERRY_ERROR domain; a server error keeps its SQLSTATE,
 * detail and hint (ferry_error_get_sqlstate () …).
 */
typedef struct _FerryTestCluster FerryTestCluster;

gboolean          ferry_test_skip_unless_postgres        (void);

FerryTestCluster *ferry_test_cluster_start               (GError            **error);
void              ferry_test_cluster_free                (FerryTestCluster   *cluster);

const char       *ferry_test_cluster_get_dir             (FerryTestCluster   *cluster);
char             *ferry_test_cluster_conninfo            (FerryTestCluster   *cluster,
                                                          const char         *dbname);

gboolean          ferry_test_cluster_exec                (FerryTestCluster   *cluster,
                                                          const char         *dbname,
                                                          const char         *sql,
                                                          GError            **error);
char             *ferry_test_cluster_query_value         (FerryTestCluster   *cluster,
                                                          const char         *dbname,
                                                          const char         *sql,
                                                          GError            **error);
gboolean          ferry_test_cluster_create_database     (FerryTestCluster   *cluster,
                                                          const char         *dbname,
                                                          GError            **error);
gboolean          ferry_test_cluster_psql_file           (FerryTestCluster   *cluster,
                                                          const char         *dbname,
                                                          const char         *path,
                                                          const char * const *vars,
                                                          GError            **error);
gboolean          ferry_test_cluster_load_sample         (FerryTestCluster   *cluster,
                                                          const char         *dbname,
                                                          double              scale,
                                                          GError            **error);

/*
 * For a test program's set-up, each step asserted: database @dbname
 * created and loaded with the sample at @scale, its connection string;
 * the same on a cluster started for it (@conninfo, if not %NULL, gets
 * the string); a directory @name in the cluster's, for the test's files.
 */
char             *ferry_test_cluster_new_sample          (FerryTestCluster   *cluster,
                                                          const char         *dbname,
                                                          double              scale);
FerryTestCluster *ferry_test_cluster_start_with_sample   (const char         *dbname,
                                                          double              scale,
                                                          char              **conninfo);
char             *ferry_test_cluster_make_dir            (FerryTestCluster   *cluster,
                                                          const char         *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTestCluster, ferry_test_cluster_free)

G_END_DECLS
