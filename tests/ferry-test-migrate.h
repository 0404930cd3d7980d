/* ferry-test-migrate.h — what the engine's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

#include "ferry-config.h"
#include "ferry-coordinator.h"
#include "ferry-test-cluster.h"

G_BEGIN_DECLS

/*
 * SQL on a server, for the tests' own eyes: every helper asserts that it
 * worked, so a test reads as a list of steps.
 */
PGconn     *ferry_test_connect            (const char   *conninfo);
void        ferry_test_sql                (PGconn       *conn,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
char       *ferry_test_value              (PGconn       *conn,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
gint64      ferry_test_int                (PGconn       *conn,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
void        ferry_test_sql_at             (const char   *conninfo,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);
gint64      ferry_test_int_at             (const char   *conninfo,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (2, 3);

/* Programs */
char       *ferry_test_pg_bindir          (void);
char       *ferry_test_cli_path           (void);
void        ferry_test_copy_schema        (const char   *source,
                                           const char   *target);

/* ferry-cli, the real binary: in the background with its output in
 * @log, or to completion with its output in @out; its exit status. */
GSubprocess *ferry_test_cli_spawn         (const char   *log,
                                           GError      **error,
                                           ...) G_GNUC_NULL_TERMINATED;
int         ferry_test_cli                (char        **out,
                                           ...) G_GNUC_NULL_TERMINATED;
int         ferry_test_cli_wait           (GSubprocess  *process,
                                           const char   *log,
                                           guint         timeout_seconds);
void        ferry_test_dump_file          (const char   *path);
void        ferry_test_launcher_die_with_us (GSubprocessLauncher *launcher);

/*
 * Test data on top of the sample: "ferry_bulk.keyed" (a bigint key,
 * so key-range chunks) and "ferry_bulk.heap" (no key: ctid chunks), about
 * @megabytes MB each, so that a small chunk_size gives many chunks.
 */
void        ferry_test_add_bulk           (const char   *source,
                                           guint         megabytes);

/*
 * Objects whose definitions pg_dump puts in the post-data section, one of
 * each kind, in schema "ferry_post": keys, a deferrable foreign key,
 * indexes with storage parameters, CLUSTER ON, REPLICA IDENTITY, column
 * statistics, comments on an index, constraints and a trigger, extended
 * statistics, a trigger, a rule; and what pg_restore keeps for the end: a
 * materialized view with an index, grants, an event trigger.
 */
void        ferry_test_add_post_data_cases (const char  *source);

/* The target's schema is the source's, as pg_dump --schema-only prints
 * them (without the journal's schema). */
void        ferry_test_assert_same_schema_impl (const char *source,
                                           const char   *target,
                                           const char   *where);
#define ferry_test_assert_same_schema(s, t) ferry_test_assert_same_schema_impl (s, t, G_STRLOC)

/* Database @name of @cluster with @source's schema and none of its
 * rows: the template the targets are made from. */
void        ferry_test_make_template      (FerryTestCluster *cluster,
                                           const char       *name,
                                           const char       *source);

/* A database made from a template (CREATE DATABASE … TEMPLATE). */
char       *ferry_test_new_database       (FerryTestCluster *cluster,
                                           const char       *name,
                                           const char       *template_name);

/* A configuration for tests: small chunks, two workers, short timeouts. */
FerryConfig *ferry_test_config_new        (const char   *source,
                                           const char   *target);
char       *ferry_test_config_write       (FerryConfig  *config,
                                           const char   *dir,
                                           const char   *name);

/*
 * The independent check of a migration: SQL on both servers, nothing of
 * Ferry's. For every table of the source (outside the journal's schema
 * and extensions): the same row count and the same md5 of its rows in
 * order on the target; every constraint, index and trigger (with its
 * enabled state) by name and definition, foreign keys and checks as
 * validated as on the source; every sequence at the source's value.
 *
 * Returns the differences, one line each; empty when there is none.
 */
typedef struct {
  const char * const *only_data;        /* "schema.table": the only rows compared */
  const char * const *skip_data;        /* "schema.table": rows not compared */
  const char * const *ignore_objects;   /* constraint/index names whose presence is not compared */
  gboolean            skip_sequences;   /* the run did not reach its end: nor materialized views */
} FerryTestCompare;

GPtrArray  *ferry_test_compare            (const char              *source,
                                           const char              *target,
                                           const FerryTestCompare  *options);
void        ferry_test_assert_same_impl   (const char              *source,
                                           const char              *target,
                                           const FerryTestCompare  *options,
                                           const char              *where);
#define ferry_test_assert_same(s, t, o) ferry_test_assert_same_impl (s, t, o, G_STRLOC)

/* Row count and md5 of the rows of one table ("schema.table", quoted as
 * SQL wants it). */
char       *ferry_test_table_digest       (PGconn       *conn,
                                           const char   *quoted_table);

/* The coordinator, driven to a resting state with a deadline. */
FerryCoordinator *ferry_test_coordinator_new_ready (FerryConfig *config);
FerryState  ferry_test_run_until_idle     (FerryCoordinator *coordinator,
                                           guint             timeout_seconds);
char       *ferry_test_status_text        (FerryCoordinator *coordinator);
void        ferry_test_wait_for           (gboolean (*predicate) (gpointer),
                                           gpointer          data,
                                           guint             timeout_seconds,
                                           const char       *what);

/* The journal */
gint64      ferry_test_journal_chunks_done (PGconn      *target);
gint64      ferry_test_journal_chunks_total (PGconn     *target);
void        ferry_test_assert_journal_consistent (const char *target);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

G_END_DECLS
