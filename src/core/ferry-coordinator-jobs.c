/* ferry-coordinator-jobs.c — what the coordinator's threads do
 *
 * Everything here runs off the main thread: on a worker (a chunk, a
 * deferred DDL statement, a validation, each with the worker's Slot) or
 * on the control thread (the journal, the snapshot, the schema copy,
 * the sequences). Nothing here touches the schedule: results go back
 * through the GTask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-coordinator"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ferry-coordinator-private.h"
#include "ferry-enum-types.h"

/* Session settings that make text output identical on both servers, so
 * that checksums of rows computed on each can be compared. */
static const char *canonical_settings =
  "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';"
  " SET extra_float_digits = 3; SET bytea_output = 'hex'; SET lc_monetary = 'C';"
  " SET standard_conforming_strings = on;";

char **
ferry_table_dup_copy_columns (FerryTable *table)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GPtrArray *columns = ferry_table_get_columns (table);

  for (guint i = 0; i < columns->len; i++)
    {
      FerryColumn *column = g_ptr_array_index (columns, i);
      if (!column->generated)
        g_strv_builder_add (builder, column->name);
    }
  return g_strv_builder_end (builder);
}

static char *
int_string (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* Slots */

/* A chunk may run as long as timeout_seconds, no longer: past that the
 * server cancels it (57014) and the error handler splits it. Set when a
 * worker's connection opens, and again after a job that lifted it
 * (RESET would go back to the server's default, not to this). */
static gboolean
chunk_timeout (FerryCoordinator *self,
               FerryConnection  *connection)
{
  g_autofree char *sql = g_strdup_printf ("SET statement_timeout = '%us'",
                                          ferry_config_get_timeout_seconds (self->config));

  return ferry_connection_is_open (connection) && ferry_connection_exec (connection, sql, NULL);
}

static gboolean
slot_open_one (FerryCoordinator  *self,
               FerryConnection   *connection,
               GError           **error)
{
  FerryConfig *config = self->config;
  g_autofree char *timeouts = NULL;

  if (!ferry_connection_open (connection, ferry_config_get_connect_timeout (config),
                              0, self->cancellable, error))
    return FALSE;

  timeouts = g_strdup_printf ("SET statement_timeout = '%us'; SET idle_in_transaction_session_timeout = 0;",
                              ferry_config_get_timeout_seconds (config));
  return ferry_connection_exec (connection, timeouts, error) &&
         ferry_connection_exec (connection, canonical_settings, error);
}

static gboolean
slot_ensure (FerryCoordinator  *self,
             Slot              *slot,
             gboolean           need_source,
             GError           **error)
{
  if (slot->broken)
    {
      ferry_connection_close (slot->source);
      ferry_connection_close (slot->target);
      slot->broken = FALSE;
    }

  /* row_security off: a role that row-level security would filter gets
   * an error instead of silently fewer rows (as pg_dump does). */
  if (need_source && !ferry_connection_is_open (slot->source) &&
      (!slot_open_one (self, slot->source, error) ||
       !ferry_connection_exec (slot->source, "SET row_security = off", error)))
    return FALSE;

  if (!ferry_connection_is_open (slot->target))
    {
      slot->unbounded = FALSE;
      if (!slot_open_one (self, slot->target, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * ferry_coordinator_import_snapshot:
 * @imported: (out) (optional): whether the run's snapshot was imported
 *   (there may be none yet)
 * @gone: (out): set when the run's exported snapshot no longer exists
 *
 * Begins a read-only REPEATABLE READ transaction on @source in the
 * run's exported snapshot, so that it reads the source as every worker
 * does. When the snapshot is gone (22023 "invalid snapshot identifier",
 * or 55000 when the exporting process just went away: the source
 * restarted, or the coordinator lost its connection), fails with a
 * FERRY_ERROR_CONNECTION error and sets @gone; the transaction is then
 * still open, and aborted.
 */
gboolean
ferry_coordinator_import_snapshot (FerryCoordinator  *self,
                                   FerryConnection   *source,
                                   gboolean          *imported,
                                   gboolean          *gone,
                                   GError           **error)
{
  g_autofree char *set = NULL;
  g_autofree char *literal = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) local_error = NULL;

  if (imported != NULL)
    *imported = FALSE;
  *gone = FALSE;

  if (!ferry_connection_exec (source, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;

  g_mutex_lock (&self->snapshot_lock);
  id = g_strdup (self->snapshot_id);
  g_mutex_unlock (&self->snapshot_lock);
  if (id == NULL)
    return TRUE;

  literal = ferry_quote_literal (id);
  set = g_strdup_printf ("SET TRANSACTION SNAPSHOT %s", literal);
  if (ferry_connection_exec (source, set, &local_error))
    {
      if (imported != NULL)
        *imported = TRUE;
      return TRUE;
    }

  if (g_strcmp0 (ferry_error_get_sqlstate (local_error), "22023") == 0 ||
      g_strcmp0 (ferry_error_get_sqlstate (local_error), "55000") == 0)
    {
      *gone = TRUE;
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                   _("The source’s exported snapshot is gone (did the source restart?): %s"),
                   local_error->message);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* A chunk's read: a snapshot that is gone is not this chunk's fault but
 * an outage, and the coordinator exports a new one. */
static gboolean
begin_source_snapshot (FerryCoordinator  *self,
                       FerryConnection   *source,
                       GError           **error)
{
  gboolean gone;

  if (ferry_coordinator_import_snapshot (self, source, NULL, &gone, error))
    return TRUE;
  if (gone)
    g_atomic_int_set (&self->snapshot_lost, 1);
  return FALSE;
}

/* Opens a connection to the source that holds a transaction and exports
 * its snapshot for the workers: they all read the source as it was at
 * this moment. */
static gboolean
export_snapshot (FerryCoordinator  *self,
                 GError           **error)
{
  g_autoptr(FerryConnection) snapshot = ferry_connection_new (ferry_config_get_source (self->config), _("source"));
  g_autofree char *id = NULL;
  char *old;

  if (self->snapshot != NULL)
    {
      ferry_connection_rollback_quietly (self->snapshot);
      ferry_connection_close (self->snapshot);
    }

  /* Idle in its transaction for the whole run: a server-wide
   * idle_in_transaction_session_timeout must not end it. */
  if (!ferry_connection_open (snapshot, ferry_config_get_connect_timeout (self->config), 0, NULL, error) ||
      !ferry_connection_exec (snapshot, "SET idle_in_transaction_session_timeout = 0", error) ||
      !ferry_connection_exec (snapshot, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error) ||
      !(id = ferry_connection_query_value (snapshot, "SELECT pg_catalog.pg_export_snapshot()", error)))
    return FALSE;

  g_set_object (&self->snapshot, snapshot);
  g_mutex_lock (&self->snapshot_lock);
  old = self->snapshot_id;
  self->snapshot_id = g_steal_pointer (&id);
  g_mutex_unlock (&self->snapshot_lock);
  g_free (old);
  g_atomic_int_set (&self->snapshot_lost, 0);
  return TRUE;
}

static void
forget_snapshot (FerryCoordinator *self)
{
  char *old;

  if (self->snapshot != NULL)
    {
      ferry_connection_rollback_quietly (self->snapshot);
      ferry_connection_close (self->snapshot);
    }
  g_mutex_lock (&self->snapshot_lock);
  old = g_steal_pointer (&self->snapshot_id);
  g_mutex_unlock (&self->snapshot_lock);
  g_free (old);
}

/**
 * ferry_job_snapshot:
 *
 * On the control thread: a new snapshot, when the one the run started
 * with is gone. Chunks copied from now on read the source as it is now.
 */
void
ferry_job_snapshot (FerryCoordinator *self,
                    GTask            *task)
{
  g_autoptr(GError) error = NULL;

  if (!export_snapshot (self, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Chunks */

/* Binary COPY carries type OIDs inside arrays and composite values, and
 * a user-defined type (enum, composite, domain, extension type) has
 * another OID on the target: such tables go in text format, which
 * carries every value by its text form. */
static FerryCopyFormat
format_for_heap (FerryCoordinator *self,
                 FerryTable       *heap)
{
  GPtrArray *columns = ferry_table_get_columns (heap);

  if (ferry_config_get_copy_format (self->config) == FERRY_COPY_FORMAT_TEXT)
    return FERRY_COPY_FORMAT_TEXT;

  for (guint i = 0; i < columns->len; i++)
    {
      FerryColumn *column = g_ptr_array_index (columns, i);
      if (!column->generated && column->type_oid >= 16384)
        return FERRY_COPY_FORMAT_TEXT;
    }
  return FERRY_COPY_FORMAT_BINARY;
}

static gboolean
run_chunk (FerryCoordinator  *self,
           Work              *work,
           WorkResult        *res,
           GError           **error)
{
  Slot *slot = work->slot;
  g_auto(GStrv) columns = ferry_table_dup_copy_columns (work->heap);
  FerryCopyFormat format = format_for_heap (self, work->heap);
  g_autofree char *select_sql = NULL;
  g_autofree char *insert_sql = NULL;
  g_autofree char *done_sql = NULL;
  g_autofree char *migration = int_string (self->migration_id);
  g_autofree char *chunk = int_string (work->chunk_id);
  g_autoptr(PGresult) check = NULL;
  g_autoptr(PGresult) update = NULL;
  FerryCopyResult copied = { 0 };
  gint64 started = g_get_monotonic_time ();

  if (!slot_ensure (self, slot, TRUE, error))
    return FALSE;

  /* After deferred DDL: bounded by timeout_seconds again. */
  if (slot->unbounded)
    {
      if (!chunk_timeout (self, slot->target))
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                               _("Could not set the statement timeout on the target"));
          return FALSE;
        }
      slot->unbounded = FALSE;
    }

  if (!begin_source_snapshot (self, slot->source, error) ||
      !ferry_connection_exec (slot->target, "BEGIN", error))
    goto fail;

  /* Already on the target? After a lost COMMIT acknowledgement, or when
   * another process resumed the migration, the journal knows. */
  {
    g_autofree char *schema = ferry_quote_ident (ferry_journal_get_schema (self->journal));
    g_autofree char *check_sql = g_strdup_printf ("SELECT coalesce(rows, 0), coalesce(bytes, 0) FROM %s.chunk"
                                                  " WHERE migration_id = $1 AND chunk_id = $2"
                                                  " AND finished_at IS NOT NULL",
                                                  schema);
    const char *params[] = { migration, chunk };

    check = ferry_connection_query_params (slot->target, check_sql, 2, params, error);
    if (check == NULL)
      goto fail;
    if (PQntuples (check) > 0)
      {
        res->already_done = TRUE;
        res->rows = g_ascii_strtoull (PQgetvalue (check, 0, 0), NULL, 10);
        res->bytes = g_ascii_strtoull (PQgetvalue (check, 0, 1), NULL, 10);
        ferry_connection_rollback_quietly (slot->target);
        ferry_connection_rollback_quietly (slot->source);
        return TRUE;
      }
  }

  select_sql = ferry_copy_select_sql (ferry_table_get_quoted_name (work->heap),
                                      (const char * const *)columns, work->predicate, format);
  insert_sql = ferry_copy_insert_sql (ferry_table_get_quoted_name (work->heap),
                                      (const char * const *)columns, format);

  if (!ferry_copy_stream (slot->source, slot->target, select_sql, insert_sql,
                          &work->live, &copied, error))
    goto fail;

  /* The chunk's journal row, in the chunk's transaction. */
  {
    g_autofree char *rows = int_string (copied.rows);
    g_autofree char *bytes = int_string (copied.bytes);
    g_autofree char *checksum = g_strdup_printf ("%016" G_GINT64_MODIFIER "x", copied.checksum);
    g_autofree char *attempts = g_strdup_printf ("%u", work->prior_attempts + work->attempts);
    g_autofree char *duration = int_string ((g_get_monotonic_time () - started) / 1000);
    const char *params[] = { migration, chunk, rows, bytes, checksum, attempts, duration };

    done_sql = ferry_journal_chunk_done_sql (self->journal);
    update = ferry_connection_query_params (slot->target, done_sql, G_N_ELEMENTS (params), params, error);
    if (update == NULL)
      goto fail;
  }

  if (g_strcmp0 (PQcmdTuples (update), "1") != 0)
    {
      /* Someone else recorded this chunk meanwhile: ours must not land. */
      ferry_connection_rollback_quietly (slot->target);
      ferry_connection_rollback_quietly (slot->source);
      res->already_done = TRUE;
      res->rows = copied.rows;
      res->bytes = copied.bytes;
      return TRUE;
    }

  if (!ferry_connection_exec (slot->target, "COMMIT", error))
    goto fail;
  ferry_connection_rollback_quietly (slot->source);

  res->rows = copied.rows;
  res->bytes = copied.bytes;
  return TRUE;

fail:
  ferry_connection_rollback_quietly (slot->target);
  ferry_connection_rollback_quietly (slot->source);
  return FALSE;
}

/* Deferred DDL */

static gboolean
run_ddl (FerryCoordinator  *self,
         Work              *work,
         GError           **error)
{
  Slot *slot = work->slot;
  FerryJournalDdl *ddl = work->ddl;

  if (!slot_ensure (self, slot, FALSE, error))
    return FALSE;

  /* Index builds and validation may take longer than a chunk; the
   * timeout stays lifted for the slot's next DDL statements, and the
   * next chunk bounds it again. */
  if (!slot->unbounded)
    {
      if (!ferry_connection_exec (slot->target, "SET statement_timeout = 0", error))
        return FALSE;
      slot->unbounded = TRUE;
    }

  /* Each step commits with its mark in the journal, whose row it locks
   * first: a statement already run (by another process, or by an
   * attempt whose COMMIT was acknowledged too late) is not run again.
   * Two round trips a step: the lock, then the statement with its mark
   * and the COMMIT. */
  for (guint step = 0; step < 2; step++)
    {
      const char *statement = step == 0 ? ddl->restore_sql : ddl->validate_sql;
      gboolean last = step == 1 || ddl->validate_sql == NULL;
      g_autofree char *lock_row = NULL;
      g_autofree char *lock = NULL;
      g_autofree char *rest = NULL;
      g_autofree char *mark = NULL;
      g_autoptr(PGresult) state = NULL;

      if (statement == NULL || (step == 0 ? ddl->restored : ddl->validated))
        continue;

      lock_row = ferry_journal_lock_ddl_sql (self->journal, ddl->ddl_id);
      lock = g_strconcat ("BEGIN; ", lock_row, NULL);
      state = ferry_connection_query (slot->target, lock, error);
      if (state == NULL)
        goto fail;
      if (PQntuples (state) > 0 && PQgetvalue (state, 0, step)[0] == 't')
        rest = g_strdup ("COMMIT");
      else
        {
          mark = ferry_journal_mark_ddl_sql (self->journal, ddl->ddl_id, last);
          rest = g_strdup_printf ("%s;\n%s;\nCOMMIT", statement, mark);
        }
      if (!ferry_connection_exec (slot->target, rest, error))
        goto fail;

      if (step == 0)
        ddl->restored = TRUE;
      if (last || (PQntuples (state) > 0 && PQgetvalue (state, 0, 1)[0] == 't'))
        ddl->validated = TRUE;
    }

  return TRUE;

fail:
  ferry_connection_rollback_quietly (slot->target);
  return FALSE;
}

/* Validation */

static char *
validation_sql (FerryTable *heap,
                const char *predicate,
                gboolean    checksums)
{
  g_auto(GStrv) columns = ferry_table_dup_copy_columns (heap);
  GString *sql = g_string_new ("SELECT count(*)");

  if (checksums)
    {
      /* An order-independent checksum: the sum of the first 60 bits of
       * every row's md5, in numeric so that it cannot overflow. */
      g_string_append (sql, ", coalesce(sum(('x' || substr(md5(ROW(");
      for (guint i = 0; columns[i] != NULL; i++)
        {
          g_autofree char *quoted = ferry_quote_ident (columns[i]);
          g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", quoted);
        }
      g_string_append (sql, ")::text), 1, 15))::bit(60)::bigint::numeric), 0)::text");
    }
  else
    g_string_append (sql, ", NULL::text");

  g_string_append_printf (sql, " FROM ONLY %s", ferry_table_get_quoted_name (heap));
  if (predicate != NULL && !g_str_equal (predicate, "true"))
    g_string_append_printf (sql, " WHERE %s", predicate);

  return g_string_free (sql, FALSE);
}

static gboolean
run_validate (FerryCoordinator  *self,
              Work              *work,
              GError           **error)
{
  Slot *slot = work->slot;
  gboolean checksums = ferry_config_get_validation (self->config) == FERRY_VALIDATION_MODE_CHECKSUMS;
  g_autofree char *sql = validation_sql (work->heap, work->predicate, checksums);
  g_autoptr(PGresult) source = NULL;
  g_autoptr(PGresult) target = NULL;

  if (!slot_ensure (self, slot, TRUE, error))
    return FALSE;

  /* Counting a big table can take a while. */
  if (!ferry_connection_exec (slot->source, "SET statement_timeout = 0", error) ||
      !ferry_connection_exec (slot->target, "SET statement_timeout = 0", error) ||
      !begin_source_snapshot (self, slot->source, error))
    goto fail;

  source = ferry_connection_query (slot->source, sql, error);
  ferry_connection_rollback_quietly (slot->source);
  if (source == NULL)
    goto fail;

  target = ferry_connection_query (slot->target, sql, error);
  if (target == NULL)
    goto fail;

  work->source_rows = g_ascii_strtoll (PQgetvalue (source, 0, 0), NULL, 10);
  work->target_rows = g_ascii_strtoll (PQgetvalue (target, 0, 0), NULL, 10);
  g_clear_pointer (&work->source_checksum, g_free);
  g_clear_pointer (&work->target_checksum, g_free);
  if (!PQgetisnull (source, 0, 1))
    work->source_checksum = g_strdup (PQgetvalue (source, 0, 1));
  if (!PQgetisnull (target, 0, 1))
    work->target_checksum = g_strdup (PQgetvalue (target, 0, 1));
  work->matches = work->source_rows == work->target_rows &&
                  g_strcmp0 (work->source_checksum, work->target_checksum) == 0;

  chunk_timeout (self, slot->source);
  chunk_timeout (self, slot->target);
  slot->unbounded = FALSE;

  return ferry_journal_record_validation (self->journal, slot->target, self->migration_id,
                                          ferry_table_get_schema (work->table),
                                          ferry_table_get_name (work->table),
                                          work->part, work->source_rows, work->target_rows,
                                          work->source_checksum, work->target_checksum,
                                          work->matches, error);

fail:
  ferry_connection_rollback_quietly (slot->source);
  chunk_timeout (self, slot->source);
  chunk_timeout (self, slot->target);
  slot->unbounded = FALSE;
  return FALSE;
}

void
ferry_job_run_work (FerryCoordinator *self,
                    Work             *work,
                    GTask            *task)
{
  g_autoptr(GError) error = NULL;
  WorkResult *res = g_new0 (WorkResult, 1);
  gboolean ok = FALSE;

  switch (work->kind)
    {
    case WORK_CHUNK:
      ok = run_chunk (self, work, res, &error);
      break;
    case WORK_DDL:
      ok = run_ddl (self, work, &error);
      break;
    case WORK_VALIDATE:
      ok = run_validate (self, work, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      g_free (res);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, res, g_free);
}

/* Schema copy with pg_dump and pg_restore */

/* The newest installed client tool that can read the source: pg_dump
 * refuses servers newer than itself. */
static char *
find_pg_tool (const char  *name,
              int          server_version,
              GError     **error)
{
  int server_major = server_version / 10000;
  const char *bindir = g_getenv ("FERRY_PG_BINDIR");
  g_autofree char *in_path = NULL;

  if (bindir != NULL)
    return g_build_filename (bindir, name, NULL);

  for (int major = 30; major >= server_major && major >= 10; major--)
    {
      g_autofree char *path = g_strdup_printf ("/usr/lib/postgresql/%d/bin/%s", major, name);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }

  in_path = g_find_program_in_path (name);
  if (in_path != NULL)
    return g_steal_pointer (&in_path);

  g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
               _("%s (PostgreSQL %d or newer) is needed for “schema: copy” and was not found; "
                 "install the PostgreSQL client tools or set FERRY_PG_BINDIR"),
               name, server_major);
  return NULL;
}

/* A tool never outlives Ferry: killed with it, a pg_restore left
 * running would go on changing the target behind the resumed run. */
static void
tool_child_setup (gpointer user_data)
{
#ifdef __linux__
  pid_t parent = GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (127);
#endif
}

static gboolean
run_tool (GPtrArray   *argv,
          const char  *conninfo,
          const char  *what,
          char       **stdout_text,
          GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *out_text = NULL;
  char *password = conninfo ? ferry_conninfo_lookup_password (conninfo) : NULL;

  launcher = g_subprocess_launcher_new ((stdout_text ? G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                     : G_SUBPROCESS_FLAGS_STDOUT_SILENCE) |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, tool_child_setup, GINT_TO_POINTER (getpid ()), NULL);
  /* A password typed into the app reaches the tool through its
   * environment, never its command line. */
  if (password != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "PGPASSWORD", password, TRUE);
      explicit_bzero (password, strlen (password));
      g_free (password);
    }

  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
  if (process == NULL)
    return FALSE;

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, stdout_text ? &out_text : NULL, &err_text, error))
    return FALSE;

  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED, "%s: %s", what,
                   err_text && *err_text ? g_strchomp (err_text) : _("failed"));
      return FALSE;
    }
  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out_text);
  return TRUE;
}

static char *
dump_path (FerryCoordinator *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "ferry", NULL);
  g_autofree char *identity = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  /* Migration ids are per journal: two targets both have a migration 1.
   * The name says which source, target and migration the dump is for,
   * so that a dump left by one is never restored into another. */
  identity = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, self->source_id ? self->source_id : "",
                              ferry_connection_get_display_name (self->control_target), self->migration_id);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, identity, -1);
  digest[16] = '\0';
  name = g_strdup_printf ("schema-%" G_GINT64_FORMAT "-%s.dump", self->migration_id, digest);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

static gboolean
ensure_schema_dump (FerryCoordinator  *self,
                    GError           **error)
{
  g_autofree char *path = dump_path (self);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *pg_dump = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  FerryCatalog *catalog = ferry_validator_get_source_catalog (self->validator);
  const char * const *include = ferry_config_get_include (self->config);
  const char * const *exclude = ferry_config_get_exclude (self->config);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  pg_dump = find_pg_tool ("pg_dump", ferry_catalog_get_server_version (catalog), error);
  if (pg_dump == NULL)
    return FALSE;

  /* The two schema sections rather than --schema-only: the same
   * objects, plus the post-data section's materialized view refreshes
   * (their data is the source's query on the tables, run at the end),
   * which --schema-only leaves out. Large objects are data, and copied
   * after the tables. */
  g_ptr_array_add (argv, g_steal_pointer (&pg_dump));
  g_ptr_array_add (argv, g_strdup ("--section=pre-data"));
  g_ptr_array_add (argv, g_strdup ("--section=post-data"));
  g_ptr_array_add (argv, g_strdup ("--no-blobs"));
  g_ptr_array_add (argv, g_strdup ("--format=custom"));
  /* The statements Ferry reads from it travel as UTF-8, like all its SQL. */
  g_ptr_array_add (argv, g_strdup ("--encoding=UTF8"));
  g_ptr_array_add (argv, g_strdup_printf ("--file=%s", partial));
  g_ptr_array_add (argv, g_strdup_printf ("--exclude-schema=%s", ferry_config_get_journal_schema (self->config)));

  /* Filters: name every included table (and its partitions). */
  if ((include != NULL && include[0] != NULL) || (exclude != NULL && exclude[0] != NULL))
    {
      GPtrArray *tables = ferry_catalog_get_tables (catalog);

      for (guint i = 0; i < tables->len; i++)
        {
          FerryTable *table = g_ptr_array_index (tables, i);
          if (ferry_table_get_included (table) && ferry_table_get_extension (table) == NULL)
            g_ptr_array_add (argv, g_strdup_printf ("--table=%s", ferry_table_get_quoted_name (table)));
        }
    }

  source = ferry_conninfo_with_keepalives (ferry_config_get_source (self->config));
  g_ptr_array_add (argv, g_strdup_printf ("--dbname=%s", source));

  /* Written aside and renamed when complete: a dump cut short by a crash
   * is never taken for the whole schema. */
  if (!run_tool (argv, ferry_config_get_source (self->config), _("pg_dump of the source schema"), NULL, error))
    {
      g_unlink (partial);
      return FALSE;
    }
  if (g_rename (partial, path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_IO, _("Could not rename %s: %s"),
                   partial, g_strerror (saved_errno));
      g_unlink (partial);
      return FALSE;
    }
  return TRUE;
}

/* The TOC entries of @section whose object is not on the target yet,
 * as a pg_restore --use-list file. Each entry names its object by the
 * source's catalog and oid: the source says what it is
 * (pg_identify_object_as_address), the target whether it has it
 * (pg_get_object_address). Entries without an object (ALTER INDEX …
 * ATTACH PARTITION, ENABLE ROW LEVEL SECURITY, comments) are kept: they
 * can be run again. */
static char *
missing_entries_list (FerryCoordinator  *self,
                      const char        *pg_restore,
                      const char        *dump,
                      const char        *section,
                      guint             *n_kept,
                      guint             *n_skipped,
                      GError           **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *toc = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) classes = g_string_new ("{");
  g_autoptr(GString) objects = g_string_new ("{");
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PGresult) addresses = NULL;
  g_autofree char *list_path = NULL;
  guint n = 0;

  g_ptr_array_add (argv, g_strdup (pg_restore));
  g_ptr_array_add (argv, g_strdup ("--list"));
  g_ptr_array_add (argv, g_strdup_printf ("--section=%s", section));
  g_ptr_array_add (argv, g_strdup (dump));
  if (!run_tool (argv, NULL, _("Listing the schema dump"), &toc, error))
    return NULL;

  lines = g_strsplit (toc, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 id, classid, objid;

      if (sscanf (lines[i], "%" G_GUINT64_FORMAT "; %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                  &id, &classid, &objid) == 3 && classid != 0 && objid != 0)
        {
          g_string_append_printf (classes, "%s%" G_GUINT64_FORMAT, n ? "," : "", classid);
          g_string_append_printf (objects, "%s%" G_GUINT64_FORMAT, n ? "," : "", objid);
          n++;
        }
    }
  g_string_append_c (classes, '}');
  g_string_append_c (objects, '}');

  if (n > 0)
    {
      const char *params[] = { classes->str, objects->str };

      addresses = ferry_connection_query_params (self->control_source,
        "SELECT u.c || ' ' || u.o, a.type, a.object_names, a.object_args"
        " FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), pg_catalog.unnest($2::pg_catalog.oid[])) AS u(c, o),"
        " LATERAL pg_catalog.pg_identify_object_as_address(u.c, u.o, 0) AS a"
        " WHERE a.type IS NOT NULL",
        2, params, error);
      if (addresses == NULL)
        return NULL;

      if (!ferry_connection_exec (self->control_target, "BEGIN", error))
        return NULL;
      for (int r = 0; r < PQntuples (addresses); r++)
        {
          const char *p[] = { PQgetvalue (addresses, r, 1), PQgetvalue (addresses, r, 2),
                              PQgetvalue (addresses, r, 3) };
          g_autoptr(PGresult) found = NULL;

          /* A view's _RETURN rule is on the target from the start: the
           * pre-data section creates the view with a placeholder
           * definition that the rule's CREATE OR REPLACE VIEW replaces.
           * It is always run again. */
          if (g_str_equal (PQgetvalue (addresses, r, 1), "rule") &&
              g_str_has_suffix (PQgetvalue (addresses, r, 2), ",_RETURN}"))
            continue;

          if (!ferry_connection_exec (self->control_target, "SAVEPOINT probe", error))
            goto fail;
          found = ferry_connection_query_params (self->control_target,
                                                 "SELECT pg_catalog.pg_get_object_address($1, $2::text[], $3::text[])",
                                                 3, p, NULL);
          if (found != NULL)
            g_hash_table_add (present, g_strdup (PQgetvalue (addresses, r, 0)));
          if (!ferry_connection_exec (self->control_target,
                                      found ? "RELEASE SAVEPOINT probe" : "ROLLBACK TO SAVEPOINT probe", error))
            goto fail;
        }
      if (!ferry_connection_exec (self->control_target, "COMMIT", error))
        goto fail;
    }

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 id, classid, objid;
      g_autofree char *key = NULL;

      if (sscanf (lines[i], "%" G_GUINT64_FORMAT "; %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                  &id, &classid, &objid) != 3)
        continue;
      key = g_strdup_printf ("%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, classid, objid);
      if (g_hash_table_contains (present, key))
        {
          (*n_skipped)++;
          g_string_append_c (list, ';');
        }
      else
        (*n_kept)++;
      g_string_append (list, lines[i]);
      g_string_append_c (list, '\n');
    }

  list_path = g_strdup_printf ("%s.%s.list", dump, section);
  if (!g_file_set_contents (list_path, list->str, list->len, error))
    return NULL;
  return g_steal_pointer (&list_path);

fail:
  ferry_connection_rollback_quietly (self->control_target);
  return NULL;
}

/**
 * restore_section:
 *
 * pg_restore of one section of the schema dump into the target. When an
 * earlier run started the section and did not record its end (it was
 * killed: pre-data is one transaction, but post-data runs in parallel
 * jobs and may be half there), only what the target lacks is restored.
 */
static gboolean
restore_section (FerryCoordinator  *self,
                 const char        *section,
                 GError           **error)
{
  g_autofree char *path = dump_path (self);
  g_autofree char *pg_restore = NULL;
  g_autofree char *list = NULL;
  g_autofree char *started = g_strdup_printf ("schema-%s-started", section);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *target = ferry_conninfo_with_keepalives (ferry_config_get_target (self->config));
  FerryCatalog *catalog = ferry_validator_get_source_catalog (self->validator);
  gboolean again;

  if (!ensure_schema_dump (self, error))
    return FALSE;

  pg_restore = find_pg_tool ("pg_restore", ferry_catalog_get_server_version (catalog), error);
  if (pg_restore == NULL)
    return FALSE;

  again = ferry_journal_has_event (self->journal, self->migration_id, started, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (again)
    {
      guint kept = 0, skipped = 0;
      g_autofree char *detail = NULL;

      list = missing_entries_list (self, pg_restore, path, section, &kept, &skipped, error);
      if (list == NULL)
        return FALSE;
      detail = g_strdup_printf (_("%s again: %u objects already on the target, %u to restore"),
                                section, skipped, kept);
      ferry_journal_add_event (self->journal, self->migration_id, "schema-resume", detail, NULL);
    }
  else if (!ferry_journal_add_event (self->journal, self->migration_id, started, NULL, error))
    return FALSE;

  g_ptr_array_add (argv, g_steal_pointer (&pg_restore));
  g_ptr_array_add (argv, g_strdup_printf ("--section=%s", section));
  g_ptr_array_add (argv, g_strdup ("--exit-on-error"));
  if (list != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--use-list=%s", list));
  if (g_str_equal (section, "pre-data"))
    g_ptr_array_add (argv, g_strdup ("--single-transaction"));
  else
    {
      guint pool = ferry_config_get_connection_pool_size (self->config);
      guint jobs = CLAMP (pool > 2 ? pool - 2 : 1, 1, ferry_config_get_max_parallel (self->config));

      /* After the data the workers are idle: their connections go, and
       * pg_restore's (a leader and one per job) take their place within
       * connection_pool_size, beside the control connection. */
      for (guint i = 0; i < self->slots->len; i++)
        {
          Slot *slot = g_ptr_array_index (self->slots, i);
          ferry_connection_close (slot->source);
          ferry_connection_close (slot->target);
        }
      g_ptr_array_add (argv, g_strdup_printf ("--jobs=%u", jobs));
    }
  g_ptr_array_add (argv, g_strdup_printf ("--dbname=%s", target));
  g_ptr_array_add (argv, g_strdup (path));

  if (!run_tool (argv, ferry_config_get_target (self->config), section, NULL, error))
    return FALSE;
  if (list != NULL)
    g_unlink (list);
  return TRUE;
}

/* schema: copy — the post-data section, item by item
 *
 * Rather than one pg_restore of the whole section once every table is
 * loaded, each of its TOC entries (an index, a key, a foreign key, a
 * check, a trigger, a rule, a policy, a comment…) becomes a deferred DDL
 * statement in the journal, written there before any of them runs,
 * together with what it waits for: the tables whose data it needs (its
 * dependencies on TABLE entries) and the other entries it depends on (a
 * foreign key on the referenced key, an ATTACH on both indexes). Workers
 * run each one as soon as that is there, beside the chunks of the tables
 * still loading. The statements are pg_restore's own: its script of the
 * section, cut at its TOC entries. Entries that need nothing of the data,
 * and those pg_restore itself keeps for last (grants, event triggers,
 * materialized view refreshes), run at the end, in pg_restore's order.
 */

typedef struct {
  guint      toc_id;
  guint32    classid;
  guint32    objid;
  char      *desc;
  char      *tag;
  char      *body;          /* the statements; NULL when there are none */
  GArray    *deps;          /* guint: TOC ids */

  int        state;         /* 0 new, 1 resolving, 2 resolved */
  gboolean   at_end;
  GPtrArray *after;         /* PostItem* with a body */
  GPtrArray *tables;        /* FerryTable* of the source */
  FerryJournalDdl *ddl;
} PostItem;

static void
post_item_free (PostItem *item)
{
  g_free (item->desc);
  g_free (item->tag);
  g_free (item->body);
  g_clear_pointer (&item->deps, g_array_unref);
  g_clear_pointer (&item->after, g_ptr_array_unref);
  g_clear_pointer (&item->tables, g_ptr_array_unref);
  g_clear_pointer (&item->ddl, ferry_journal_ddl_free);
  g_free (item);
}

/* What pg_restore's TOC entries of the post-data section (and the few
 * that follow them into it) call themselves. */
static const char * const post_data_descs[] = {
  "INDEX", "INDEX ATTACH", "CONSTRAINT", "FK CONSTRAINT", "CHECK CONSTRAINT",
  "TRIGGER", "EVENT TRIGGER", "RULE", "POLICY", "ROW SECURITY", "COMMENT",
  "SECURITY LABEL", "ACL", "DEFAULT ACL", "MATERIALIZED VIEW DATA",
  "PUBLICATION", "PUBLICATION TABLE", "PUBLICATION TABLES IN SCHEMA",
  "SUBSCRIPTION", "SUBSCRIPTION TABLE", "STATISTICS", "STATISTICS DATA",
  NULL
};

/* "-- Name: TAG; Type: DESC; Schema: …; Owner: …": names may contain
 * anything, so DESC is one pg_restore knows, followed by "; Schema: ". */
static void
parse_name_line (PostItem   *item,
                 const char *line)
{
  const char *rest = line + strlen ("-- Name: ");
  const char *at = NULL;
  const char *desc = NULL;

  for (const char *p = strstr (rest, "; Type: "); p != NULL; p = strstr (p + 1, "; Type: "))
    for (guint d = 0; post_data_descs[d] != NULL; d++)
      {
        const char *after = p + strlen ("; Type: ");

        if (g_str_has_prefix (after, post_data_descs[d]) &&
            g_str_has_prefix (after + strlen (post_data_descs[d]), "; Schema: "))
          {
            at = p;
            desc = post_data_descs[d];
          }
      }

  if (at == NULL && (at = strstr (rest, "; Type: ")) != NULL)
    {
      const char *start = at + strlen ("; Type: ");
      const char *end = strchr (start, ';');

      item->desc = end ? g_strndup (start, end - start) : g_strdup (start);
    }
  else if (desc != NULL)
    item->desc = g_strdup (desc);
  item->tag = at ? g_strndup (rest, at - rest) : g_strdup (rest);
}

static gboolean
script_error (GError     **error,
              const char  *why)
{
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED,
               _("pg_restore’s script of the post-data section cannot be cut into its entries: %s"), why);
  return FALSE;
}

/* The TOC ids that `pg_restore --list` prints, in its order; with
 * @relations, also id → oid of every pg_class entry. */
static GArray *
toc_list (const char  *pg_restore,
          const char  *dump,
          const char  *section,
          GHashTable  *relations,
          GError     **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *toc = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *ids;

  g_ptr_array_add (argv, g_strdup (pg_restore));
  g_ptr_array_add (argv, g_strdup ("--list"));
  if (section != NULL)
    g_ptr_array_add (argv, g_strdup_printf ("--section=%s", section));
  g_ptr_array_add (argv, g_strdup (dump));
  if (!run_tool (argv, NULL, _("Listing the schema dump"), &toc, error))
    return NULL;

  ids = g_array_new (FALSE, FALSE, sizeof (guint));
  lines = g_strsplit (toc, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint id, classid, objid;

      if (lines[i][0] == ';' ||
          sscanf (lines[i], "%u; %u %u", &id, &classid, &objid) != 3)
        continue;
      g_array_append_val (ids, id);
      if (relations != NULL && classid == 1259 /* pg_class */)
        g_hash_table_insert (relations, GUINT_TO_POINTER (id), GUINT_TO_POINTER (objid));
    }
  return ids;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *)a, y = *(const guint *)b;
  return x < y ? -1 : x > y;
}

/*
 * Cuts pg_restore's verbose script of the section into its entries.
 * Each one starts with
 *
 *   --
 *   -- TOC entry ID (class C OID O)
 *   -- Dependencies: ID ID …
 *   -- Name: …; Type: …; Schema: …; Owner: …
 *   --
 *   <blank>
 *   statements
 *
 * A statement may contain such lines too (in a comment's string, say):
 * the entry lines found must be exactly the entries that --list names,
 * each once, or nothing is cut.
 */
static gboolean
parse_post_data_script (const char  *script,
                        GArray      *expected,
                        GPtrArray   *items,
                        GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (script, "\n", -1);
  guint n_lines = g_strv_length (lines);
  g_autoptr(GArray) markers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) wanted = g_array_copy (expected);
  gboolean utf8 = FALSE;
  guint end = 0;

  /* The script's end: the last "PostgreSQL database dump complete". */
  for (guint i = n_lines; i >= 2; i--)
    if (g_str_equal (lines[i - 1], "-- PostgreSQL database dump complete") && g_str_equal (lines[i - 2], "--"))
      {
        end = i - 2;
        break;
      }
  if (end == 0)
    return script_error (error, _("it has no end"));

  for (guint i = 1; i < end; i++)
    {
      guint id, classid, objid;
      int len = 0;

      if (g_str_equal (lines[i - 1], "--") &&
          sscanf (lines[i], "-- TOC entry %u (class %u OID %u)%n", &id, &classid, &objid, &len) == 3 &&
          lines[i][len] == '\0')
        {
          PostItem *item = g_new0 (PostItem, 1);

          item->toc_id = id;
          item->classid = classid;
          item->objid = objid;
          item->deps = g_array_new (FALSE, FALSE, sizeof (guint));
          g_ptr_array_add (items, item);
          g_array_append_val (markers, i);
          g_array_append_val (found, id);
        }
    }

  g_array_sort (found, compare_uint);
  g_array_sort (wanted, compare_uint);
  if (found->len != wanted->len ||
      (found->len > 0 && memcmp (found->data, wanted->data, found->len * sizeof (guint)) != 0))
    return script_error (error, _("its entries are not those of the dump’s list"));

  for (guint i = 0; i < (markers->len > 0 ? g_array_index (markers, guint, 0) : end); i++)
    if (g_str_equal (lines[i], "SET client_encoding = 'UTF8';"))
      utf8 = TRUE;
  if (!utf8)
    return script_error (error, _("it is not in UTF-8"));

  for (guint k = 0; k < markers->len; k++)
    {
      PostItem *item = g_ptr_array_index (items, k);
      guint first = g_array_index (markers, guint, k) + 1;
      guint limit = k + 1 < markers->len ? g_array_index (markers, guint, k + 1) - 1 : end;
      guint last;
      guint i;
      g_autoptr(GString) body = g_string_new (NULL);

      for (i = first; i < limit && !g_str_equal (lines[i], "--"); i++)
        {
          if (g_str_has_prefix (lines[i], "-- Dependencies:"))
            {
              g_auto(GStrv) words = g_strsplit (lines[i] + strlen ("-- Dependencies:"), " ", -1);

              for (guint w = 0; words[w] != NULL; w++)
                {
                  guint64 dep;

                  if (*words[w] != '\0' && g_ascii_string_to_unsigned (words[w], 10, 1, G_MAXUINT, &dep, NULL))
                    {
                      guint id = dep;
                      g_array_append_val (item->deps, id);
                    }
                }
            }
          else if (g_str_has_prefix (lines[i], "-- Name: "))
            parse_name_line (item, lines[i]);
        }
      if (i >= limit || item->desc == NULL)
        return script_error (error, _("an entry has no header"));
      i++;
      if (i < limit && lines[i][0] == '\0')
        i++;

      /* The last entry is followed by "-- Completed on …". */
      last = limit;
      while (last > i && lines[last - 1][0] == '\0')
        last--;
      if (k + 1 == markers->len && last > i && g_str_has_prefix (lines[last - 1], "-- Completed on "))
        last--;

      for (guint j = i; j < last; j++)
        {
          g_string_append (body, lines[j]);
          g_string_append_c (body, '\n');
        }
      g_strstrip (body->str);
      if (body->str[0] != '\0')
        item->body = g_strdup (body->str);
    }

  return TRUE;
}

static void
add_unique (GPtrArray *array,
            gpointer   data)
{
  if (!g_ptr_array_find (array, data, NULL))
    g_ptr_array_add (array, data);
}

/* What @item waits for: tables (its dependencies on TABLE entries of
 * migrated tables) and items with statements; an item without any
 * passes its own on. */
static void
resolve_item (PostItem   *item,
              GHashTable *by_id,
              GHashTable *relations,
              GHashTable *tables_by_oid)
{
  if (item->state != 0)
    return;   /* done, or a cycle: pg_dump makes none */
  item->state = 1;
  item->after = g_ptr_array_new ();
  item->tables = g_ptr_array_new ();

  for (guint d = 0; d < item->deps->len; d++)
    {
      guint id = g_array_index (item->deps, guint, d);
      PostItem *dep = g_hash_table_lookup (by_id, GUINT_TO_POINTER (id));

      if (dep == item)
        continue;
      if (dep != NULL)
        {
          resolve_item (dep, by_id, relations, tables_by_oid);
          if (dep->body != NULL)
            add_unique (item->after, dep);
          else if (dep->state == 2)
            {
              for (guint k = 0; k < dep->after->len; k++)
                add_unique (item->after, g_ptr_array_index (dep->after, k));
              for (guint k = 0; k < dep->tables->len; k++)
                add_unique (item->tables, g_ptr_array_index (dep->tables, k));
            }
        }
      else
        {
          gpointer oid = g_hash_table_lookup (relations, GUINT_TO_POINTER (id));
          FerryTable *table = oid ? g_hash_table_lookup (tables_by_oid, oid) : NULL;

          if (table != NULL)
            add_unique (item->tables, table);
        }
    }
  item->state = 2;
}

/* What pg_restore restores after everything else: grants, event
 * triggers (they would fire on the rest), materialized view data (it
 * reads other tables) and their comments. */
static gboolean
restored_last (PostItem *item)
{
  return g_strcmp0 (item->desc, "ACL") == 0 || g_strcmp0 (item->desc, "DEFAULT ACL") == 0 ||
         g_strcmp0 (item->desc, "EVENT TRIGGER") == 0 ||
         g_strcmp0 (item->desc, "MATERIALIZED VIEW DATA") == 0 ||
         (g_strcmp0 (item->desc, "COMMENT") == 0 && item->tag != NULL &&
          g_str_has_prefix (item->tag, "EVENT TRIGGER "));
}

static char *
kind_of (PostItem *item)
{
  g_autofree char *lower = NULL;

  if (g_str_equal (item->desc, "FK CONSTRAINT"))
    return g_strdup ("foreign-key");
  lower = g_ascii_strdown (item->desc, -1);
  return g_strdelimit (g_steal_pointer (&lower), " ", '-');
}

/* Statements of pg_restore's script run with the settings it begins
 * with; SET LOCAL, so that the worker's session is as before. */
#define POST_DATA_SETTINGS \
  "SET LOCAL search_path = ''; SET LOCAL check_function_bodies = false;" \
  " SET LOCAL xmloption = content; SET LOCAL client_min_messages = warning;" \
  " SET LOCAL row_security = off; SET LOCAL lock_timeout = 0;"

/* The source's catalog, for the items that are catalog objects: the
 * table each belongs to, the index's tablespace, and for foreign keys
 * what is needed to add them NOT VALID and validate them apart. */
static gboolean
describe_items (FerryCoordinator  *self,
                GPtrArray         *items,
                GHashTable        *tables_by_oid,
                GError           **error)
{
  g_autoptr(GString) classes = g_string_new ("{");
  g_autoptr(GString) objects = g_string_new ("{");
  g_autoptr(GHashTable) by_object = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      PostItem *item = g_ptr_array_index (items, i);
      char *key;

      if (item->ddl == NULL || item->classid == 0 || item->objid == 0)
        continue;
      key = g_strdup_printf ("%u %u", item->classid, item->objid);
      g_ptr_array_add (keys, key);
      g_hash_table_insert (by_object, key, item);
      g_string_append_printf (classes, "%s%u", n ? "," : "", item->classid);
      g_string_append_printf (objects, "%s%u", n ? "," : "", item->objid);
      n++;
    }
  g_string_append_c (classes, '}');
  g_string_append_c (objects, '}');
  if (n == 0)
    return TRUE;

  {
    const char *params[] = { classes->str, objects->str };

    result = ferry_connection_query_params (self->control_source,
      "SELECT u.c || ' ' || u.o,"
      "       CASE u.c WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass THEN con.conrelid"
      "                WHEN 'pg_catalog.pg_class'::pg_catalog.regclass THEN coalesce(x.indrelid, u.o)"
      "                WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass"
      "                  THEN (SELECT t.tgrelid FROM pg_catalog.pg_trigger t WHERE t.oid = u.o)"
      "                WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
      "                  THEN (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = u.o)"
      "                WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass"
      "                  THEN (SELECT p.polrelid FROM pg_catalog.pg_policy p WHERE p.oid = u.o) END,"
      "       (pg_catalog.pg_identify_object(u.c, u.o, 0)).identity,"
      "       coalesce(ts.spcname, ''), con.contype, con.confrelid, con.convalidated,"
      "       con.conname, pg_catalog.pg_get_constraintdef(con.oid),"
      "       CASE WHEN cc.oid IS NOT NULL THEN pg_catalog.format('%I.%I', cn.nspname, cc.relname) END,"
      "       cc.relkind, rc.relkind"
      " FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), pg_catalog.unnest($2::pg_catalog.oid[])) AS u(c, o)"
      " LEFT JOIN pg_catalog.pg_constraint con"
      "        ON u.c = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND con.oid = u.o"
      " LEFT JOIN pg_catalog.pg_class cc ON cc.oid = con.conrelid"
      " LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace"
      " LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid"
      " LEFT JOIN pg_catalog.pg_index x"
      "        ON u.c = 'pg_catalog.pg_class'::pg_catalog.regclass AND x.indexrelid = u.o"
      " LEFT JOIN pg_catalog.pg_class ix"
      "        ON ix.oid = coalesce(x.indexrelid, CASE WHEN con.contype IN ('p', 'u', 'x') THEN con.conindid END)"
      " LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = ix.reltablespace",
      2, params, error);
    if (result == NULL)
      return FALSE;
  }

  for (int r = 0; r < PQntuples (result); r++)
    {
      PostItem *item = g_hash_table_lookup (by_object, PQgetvalue (result, r, 0));
      FerryJournalDdl *ddl;
      FerryTable *owner = NULL;
      g_autofree char *settings = NULL;
      g_autofree char *body = NULL;

      if (item == NULL)
        continue;
      ddl = item->ddl;

      if (!PQgetisnull (result, r, 1))
        owner = g_hash_table_lookup (tables_by_oid, GUINT_TO_POINTER (strtoul (PQgetvalue (result, r, 1), NULL, 10)));
      if (owner != NULL)
        {
          g_free (ddl->table_schema);
          g_free (ddl->table_name);
          ddl->table_schema = g_strdup (ferry_table_get_schema (owner));
          ddl->table_name = g_strdup (ferry_table_get_name (owner));
        }
      if (!PQgetisnull (result, r, 2))
        {
          g_free (ddl->object_name);
          ddl->object_name = g_strdup (PQgetvalue (result, r, 2));
        }

      /* An index or key goes where pg_restore would put it. */
      if (g_str_equal (PQgetvalue (result, r, 4), "p") || g_str_equal (PQgetvalue (result, r, 4), "u") ||
          g_str_equal (PQgetvalue (result, r, 4), "x") || g_str_equal (ddl->kind, "index"))
        {
          g_autofree char *space = *PQgetvalue (result, r, 3) ? ferry_quote_ident (PQgetvalue (result, r, 3))
                                                               : g_strdup ("''");
          settings = g_strdup_printf (POST_DATA_SETTINGS " SET LOCAL default_tablespace = %s;\n", space);
        }

      if (g_str_equal (PQgetvalue (result, r, 4), "f"))
        {
          FerryTable *ref = g_hash_table_lookup (tables_by_oid,
                                                 GUINT_TO_POINTER (strtoul (PQgetvalue (result, r, 5), NULL, 10)));
          const char *definition = PQgetvalue (result, r, 8);
          gboolean validated = PQgetvalue (result, r, 6)[0] == 't';
          gboolean partitioned = PQgetvalue (result, r, 10)[0] == 'p' || PQgetvalue (result, r, 11)[0] == 'p';
          g_autofree char *tail = g_strconcat (" ", definition, ";", NULL);

          g_free (ddl->object_name);
          ddl->object_name = g_strdup (PQgetvalue (result, r, 7));
          if (ref != NULL)
            {
              ddl->ref_schema = g_strdup (ferry_table_get_schema (ref));
              ddl->ref_name = g_strdup (ferry_table_get_name (ref));
            }

          /* As the rebuild strategy does: added NOT VALID (no scan, a
           * short lock), then validated with a lock that lets the other
           * work on both tables go on. Not for partitioned tables
           * (PostgreSQL 15 cannot), nor a key that was NOT VALID. */
          if (validated && !partitioned && g_str_has_suffix (item->body, tail))
            {
              g_autofree char *qname = ferry_quote_ident (PQgetvalue (result, r, 7));

              body = g_strdup_printf ("%.*s NOT VALID;", (int)(strlen (item->body) - 1), item->body);
              ddl->validate_sql = g_strdup_printf ("ALTER TABLE ONLY %s VALIDATE CONSTRAINT %s",
                                                   PQgetvalue (result, r, 9), qname);
            }
        }

      if (settings != NULL || body != NULL)
        {
          g_free (ddl->restore_sql);
          ddl->restore_sql = g_strdup_printf ("%s%s", settings ? settings : POST_DATA_SETTINGS "\n",
                                              body ? body : item->body);
        }
    }

  return TRUE;
}

/**
 * journal_post_data:
 *
 * Writes every item of the post-data section to the journal, with what
 * it waits for, in one transaction with the "schema-post-data-journaled"
 * event. Fails without writing anything when pg_restore's script cannot
 * be cut into its entries with certainty: the section is then restored
 * by one pg_restore after the data, as before.
 */
static gboolean
journal_post_data (FerryCoordinator  *self,
                   GError           **error)
{
  FerryCatalog *catalog = ferry_validator_get_source_catalog (self->validator);
  FerryAnalyzer *analyzer = ferry_validator_get_analyzer (self->validator);
  GPtrArray *tables = ferry_catalog_get_tables (catalog);
  g_autofree char *path = dump_path (self);
  g_autofree char *pg_restore = NULL;
  g_autofree char *script = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) relations = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) tables_by_oid = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) by_id = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify)post_item_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) ids = NULL;
  PostItem *previous_end = NULL;
  gboolean restored_last_seen = FALSE;
  gboolean changed;
  guint n_at_end = 0;

  if (!ensure_schema_dump (self, error))
    return FALSE;
  pg_restore = find_pg_tool ("pg_restore", ferry_catalog_get_server_version (catalog), error);
  if (pg_restore == NULL)
    return FALSE;

  all = toc_list (pg_restore, path, NULL, relations, error);
  expected = all ? toc_list (pg_restore, path, "post-data", NULL, error) : NULL;
  if (expected == NULL)
    return FALSE;

  g_ptr_array_add (argv, g_strdup (pg_restore));
  g_ptr_array_add (argv, g_strdup ("--verbose"));
  g_ptr_array_add (argv, g_strdup ("--section=post-data"));
  g_ptr_array_add (argv, g_strdup ("--no-tablespaces"));
  g_ptr_array_add (argv, g_strdup ("--file=-"));
  g_ptr_array_add (argv, g_strdup (path));
  if (!run_tool (argv, NULL, _("pg_restore’s script of the post-data section"), &script, error) ||
      !parse_post_data_script (script, expected, items, error))
    return FALSE;
  g_clear_pointer (&script, g_free);

  for (guint i = 0; i < tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (tables, i);

      if (ferry_analyzer_get_unit (analyzer, table) != NULL)
        g_hash_table_insert (tables_by_oid, GUINT_TO_POINTER (ferry_table_get_oid (table)), table);
    }
  for (guint i = 0; i < items->len; i++)
    {
      PostItem *item = g_ptr_array_index (items, i);
      g_hash_table_insert (by_id, GUINT_TO_POINTER (item->toc_id), item);
    }
  for (guint i = 0; i < items->len; i++)
    resolve_item (g_ptr_array_index (items, i), by_id, relations, tables_by_oid);

  /* At the end: what pg_restore keeps for last (and all that its script
   * puts after the first of those), what needs no table, and what
   * waits for something at the end. */
  for (guint i = 0; i < items->len; i++)
    {
      PostItem *item = g_ptr_array_index (items, i);

      restored_last_seen |= restored_last (item);
      item->at_end = restored_last_seen || (item->tables->len == 0 && item->after->len == 0);
    }
  do
    {
      changed = FALSE;
      for (guint i = 0; i < items->len; i++)
        {
          PostItem *item = g_ptr_array_index (items, i);

          for (guint k = 0; !item->at_end && k < item->after->len; k++)
            if (((PostItem *)g_ptr_array_index (item->after, k))->at_end)
              item->at_end = changed = TRUE;
        }
    }
  while (changed);

  /* The rows, in the script's order: pg_restore's. */
  for (guint i = 0; i < items->len; i++)
    {
      PostItem *item = g_ptr_array_index (items, i);
      FerryJournalDdl *ddl;
      FerryTable *table;

      if (item->body == NULL)
        continue;

      ddl = item->ddl = g_new0 (FerryJournalDdl, 1);
      ddl->kind = kind_of (item);
      ddl->object_name = g_strdup (item->tag);
      ddl->restore_sql = g_strconcat (POST_DATA_SETTINGS "\n", item->body, NULL);
      ddl->section = g_strdup ("post-data");
      ddl->at_end = item->at_end;

      /* The table it is reported under: its first (describe_items()
       * knows better for catalog objects), or that of what it waits for. */
      table = item->tables->len > 0 ? g_ptr_array_index (item->tables, 0) : NULL;
      for (guint k = 0; table == NULL && k < item->after->len; k++)
        {
          FerryJournalDdl *other = ((PostItem *)g_ptr_array_index (item->after, k))->ddl;

          if (other != NULL && other->table_schema != NULL)
            table = ferry_catalog_lookup (catalog, other->table_schema, other->table_name);
        }
      if (table != NULL)
        {
          ddl->table_schema = g_strdup (ferry_table_get_schema (table));
          ddl->table_name = g_strdup (ferry_table_get_name (table));
        }

      if (item->tables->len > 0)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          for (guint k = 0; k < item->tables->len; k++)
            {
              FerryTable *t = g_ptr_array_index (item->tables, k);
              g_strv_builder_add (builder, ferry_table_get_schema (t));
              g_strv_builder_add (builder, ferry_table_get_name (t));
            }
          ddl->wait_tables = g_strv_builder_end (builder);
        }

      if (item->at_end)
        {
          /* One after the other, in pg_restore's order. */
          if (previous_end != NULL)
            add_unique (item->after, previous_end);
          previous_end = item;
          n_at_end++;
        }
      g_ptr_array_add (rows, ddl);
    }

  if (!describe_items (self, items, tables_by_oid, error))
    return FALSE;

  if (!ferry_connection_exec (self->control_target, "BEGIN", error))
    return FALSE;

  ids = ferry_journal_reserve_ddl_ids (self->journal, NULL, rows->len, error);
  if (ids == NULL || ids->len != rows->len)
    goto fail;
  for (guint i = 0, r = 0; i < items->len; i++)
    {
      PostItem *item = g_ptr_array_index (items, i);

      if (item->ddl != NULL)
        item->ddl->ddl_id = g_array_index (ids, gint64, r++);
    }
  for (guint i = 0; i < items->len; i++)
    {
      PostItem *item = g_ptr_array_index (items, i);

      if (item->ddl == NULL || item->after->len == 0)
        continue;
      item->ddl->after = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint k = 0; k < item->after->len; k++)
        {
          PostItem *other = g_ptr_array_index (item->after, k);

          if (other->ddl != NULL)
            g_array_append_val (item->ddl->after, other->ddl->ddl_id);
        }
    }

  detail = g_strdup_printf (_("%u post-data items, %u of them after the data"), rows->len, n_at_end);
  if (!ferry_journal_add_ddl_items (self->journal, NULL, self->migration_id, rows, error) ||
      !ferry_journal_add_event (self->journal, self->migration_id, "schema-post-data-journaled", detail, error) ||
      !ferry_connection_exec (self->control_target, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  ferry_connection_rollback_quietly (self->control_target);
  return FALSE;
}

/* Dropping constraints and indexes for the load */

static char *
ddl_key (const char *kind,
         const char *schema,
         const char *table,
         const char *object)
{
  return g_strdup_printf ("%s\037%s\037%s\037%s", kind, schema, table, object);
}

/* [[schema, name], …] of the target tables this migration writes. */
static char *
target_tables_json (FerryCoordinator *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  GPtrArray *order = ferry_analyzer_get_order (ferry_validator_get_analyzer (self->validator));

  json_builder_begin_array (b);
  for (guint i = 0; i < order->len; i++)
    {
      FerryTable *table = g_ptr_array_index (order, i);
      GPtrArray *partitions = ferry_table_get_partitions (table);

      json_builder_begin_array (b);
      json_builder_add_string_value (b, ferry_table_get_schema (table));
      json_builder_add_string_value (b, ferry_table_get_name (table));
      json_builder_end_array (b);
      for (guint p = 0; p < partitions->len; p++)
        {
          FerryTable *part = g_ptr_array_index (partitions, p);
          json_builder_begin_array (b);
          json_builder_add_string_value (b, ferry_table_get_schema (part));
          json_builder_add_string_value (b, ferry_table_get_name (part));
          json_builder_end_array (b);
        }
    }
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

#define TARGETS_CTE \
  "WITH targets AS (SELECT t->>0 AS nspname, t->>1 AS relname" \
  "                   FROM pg_catalog.jsonb_array_elements($1::jsonb) AS t)"

static gboolean
drop_one (FerryCoordinator  *self,
          const char        *kind,
          const char        *schema,
          const char        *table,
          const char        *object,
          const char        *ref_schema,
          const char        *ref_name,
          const char        *restore_sql,
          const char        *validate_sql,
          const char        *drop_sql,
          GError           **error)
{
  FerryConnection *target = self->control_target;

  /* The definition goes to the journal in the transaction that drops
   * it: it is never gone without a record of how to put it back. */
  if (!ferry_connection_exec (target, "BEGIN", error))
    return FALSE;

  if (ferry_journal_add_ddl (self->journal, target, self->migration_id, kind, schema, table,
                             object, ref_schema, ref_name, restore_sql, validate_sql, error) == 0 ||
      !ferry_connection_exec (target, drop_sql, error) ||
      !ferry_connection_exec (target, "COMMIT", error))
    {
      ferry_connection_rollback_quietly (target);
      return FALSE;
    }

  return TRUE;
}

static gboolean
drop_foreign_keys (FerryCoordinator  *self,
                   GHashTable        *journaled,
                   GError           **error)
{
  FerryPlan *plan = ferry_validator_get_plan (self->validator);
  FerryAnalyzer *analyzer = ferry_plan_get_analyzer (plan);
  gboolean rebuild = ferry_config_get_constraints (self->config) == FERRY_CONSTRAINT_STRATEGY_REBUILD;
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *targets = target_tables_json (self);
  const char *params[] = { targets };
  g_autoptr(PGresult) result = NULL;
  GPtrArray *fks = ferry_analyzer_get_foreign_keys (analyzer);

  /* keep: only what the plan says must go (cycles, self-references of
   * chunked tables). rebuild: every foreign key of the tables loaded. */
  for (guint i = 0; i < fks->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (fks, i);
      if (ferry_plan_get_fk_action (plan, fk) == FERRY_FK_ACTION_DROP_READD)
        g_hash_table_add (wanted, ddl_key ("foreign-key", ferry_table_get_schema (fk->child),
                                           ferry_table_get_name (fk->child), fk->name));
    }

  if (!rebuild && g_hash_table_size (wanted) == 0)
    return TRUE;

  result = ferry_connection_query_params (self->control_target,
    TARGETS_CTE
    " SELECT n.nspname, c.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid),"
    "        rn.nspname, rc.relname, con.convalidated, c.relkind, rc.relkind,"
    "        (SELECT pg_catalog.format(';\nCOMMENT ON CONSTRAINT %I ON %I.%I IS %L', con.conname, n.nspname,"
    "                                  c.relname, d.description)"
    "         FROM pg_catalog.pg_description d WHERE d.objsubid = 0 AND d.objoid = con.oid"
    "           AND d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass)"
    " FROM pg_catalog.pg_constraint con"
    " JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid"
    " JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace"
    " JOIN targets t ON t.nspname = n.nspname AND t.relname = c.relname"
    " WHERE con.contype = 'f' AND con.conparentid = 0"
    " ORDER BY 1, 2, 3",
    1, params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *schema = PQgetvalue (result, i, 0);
      const char *table = PQgetvalue (result, i, 1);
      const char *name = PQgetvalue (result, i, 2);
      const char *def = PQgetvalue (result, i, 3);
      gboolean validated = PQgetvalue (result, i, 6)[0] == 't';
      gboolean partitioned = PQgetvalue (result, i, 7)[0] == 'p' || PQgetvalue (result, i, 8)[0] == 'p';
      g_autofree char *key = ddl_key ("foreign-key", schema, table, name);
      g_autofree char *qtable = ferry_quote_qualified (schema, table);
      g_autofree char *qname = ferry_quote_ident (name);
      g_autofree char *restore = NULL;
      g_autofree char *validate = NULL;
      g_autofree char *drop = NULL;

      if (g_hash_table_contains (journaled, key))
        continue;
      if (!rebuild && !g_hash_table_contains (wanted, key))
        continue;

      /* Re-added NOT VALID (cheap, no scan) and validated afterwards with
       * a lock that lets readers and writers go on. PostgreSQL 15 cannot
       * add a NOT VALID foreign key to a partitioned table, and one that
       * references a partitioned table has a constraint per referenced
       * partition that VALIDATE leaves NOT VALID: those are added
       * validated in one step. A key that was NOT VALID before stays so. */
      if (!validated || partitioned)
        restore = g_strdup_printf ("ALTER TABLE %s ADD CONSTRAINT %s %s%s", qtable, qname, def,
                                   PQgetvalue (result, i, 9));
      else
        {
          /* (its comment, if it has one, with it) */
          restore = g_strdup_printf ("ALTER TABLE %s ADD CONSTRAINT %s %s NOT VALID%s", qtable, qname, def,
                                     PQgetvalue (result, i, 9));
          validate = g_strdup_printf ("ALTER TABLE %s VALIDATE CONSTRAINT %s", qtable, qname);
        }
      drop = g_strdup_printf ("ALTER TABLE %s DROP CONSTRAINT %s", qtable, qname);

      if (!drop_one (self, "foreign-key", schema, table, name,
                     PQgetvalue (result, i, 4), PQgetvalue (result, i, 5),
                     restore, validate, drop, error))
        return FALSE;
      g_hash_table_add (journaled, g_steal_pointer (&key));
    }

  return TRUE;
}

/*
 * What an index's definition (pg_get_indexdef, pg_get_constraintdef)
 * leaves out and a DROP loses, for the index i (x in pg_index) of the
 * table c in schema n and its constraint con (NULL for a plain index):
 * extras.before sets its tablespace, as pg_restore does; extras.after
 * puts back its comment, CLUSTER ON, REPLICA IDENTITY USING INDEX and
 * the statistics targets of its columns. Each NULL when there is
 * nothing of the kind.
 */
#define INDEX_EXTRAS_COLUMNS " extras.before, extras.after"
#define INDEX_EXTRAS_JOIN \
  " CROSS JOIN LATERAL (SELECT" \
  "   (SELECT pg_catalog.format('SET LOCAL default_tablespace = %I;\n', ts.spcname)" \
  "    FROM pg_catalog.pg_tablespace ts WHERE ts.oid = i.reltablespace) AS before," \
  "   NULLIF(concat_ws(''," \
  "     (SELECT CASE WHEN con.oid IS NOT NULL" \
  "                  THEN pg_catalog.format('COMMENT ON CONSTRAINT %I ON %I.%I IS %L;\n'," \
  "                                         con.conname, n.nspname, c.relname, d.description)" \
  "                  ELSE pg_catalog.format('COMMENT ON INDEX %I.%I IS %L;\n', n.nspname, i.relname, d.description) END" \
  "      FROM pg_catalog.pg_description d" \
  "      WHERE d.objsubid = 0" \
  "        AND ((d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objoid = i.oid AND con.oid IS NULL)" \
  "          OR (d.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND d.objoid = con.oid)))," \
  "     CASE WHEN x.indisclustered" \
  "          THEN pg_catalog.format('ALTER TABLE %I.%I CLUSTER ON %I;\n', n.nspname, c.relname, i.relname) END," \
  "     CASE WHEN x.indisreplident" \
  "          THEN pg_catalog.format('ALTER TABLE %I.%I REPLICA IDENTITY USING INDEX %I;\n'," \
  "                                 n.nspname, c.relname, i.relname) END," \
  "     (SELECT pg_catalog.string_agg(pg_catalog.format('ALTER INDEX %I.%I ALTER COLUMN %s SET STATISTICS %s;\n'," \
  "                                                     n.nspname, i.relname, a.attnum, a.attstattarget), ''" \
  "                                   ORDER BY a.attnum)" \
  "      FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.oid AND a.attstattarget >= 0)), '') AS after) AS extras"

static char *
partitioned_index_restore_sql (FerryCoordinator  *self,
                               const char        *index_oid,
                               const char        *definition,
                               GError           **error)
{
  const char *params[] = { index_oid };
  g_autoptr(PGresult) tree = NULL;
  g_autoptr(GString) sql = g_string_new (definition);

  tree = ferry_connection_query_params (self->control_target,
    "WITH RECURSIVE tree AS ("
    "  SELECT h.inhrelid AS idx, h.inhparent AS parent, 1 AS depth"
    "  FROM pg_catalog.pg_inherits h WHERE h.inhparent = $1::pg_catalog.oid"
    "  UNION ALL"
    "  SELECT h.inhrelid, h.inhparent, t.depth + 1"
    "  FROM pg_catalog.pg_inherits h JOIN tree t ON h.inhparent = t.idx)"
    " SELECT pg_catalog.pg_get_indexdef(t.idx),"
    "        pg_catalog.format('%I.%I', cn.nspname, ci.relname),"
    "        pg_catalog.format('%I.%I', pn.nspname, pi.relname), t.depth"
    " FROM tree t"
    " JOIN pg_catalog.pg_class ci ON ci.oid = t.idx JOIN pg_catalog.pg_namespace cn ON cn.oid = ci.relnamespace"
    " JOIN pg_catalog.pg_class pi ON pi.oid = t.parent JOIN pg_catalog.pg_namespace pn ON pn.oid = pi.relnamespace"
    " ORDER BY t.depth, 2",
    1, params, error);
  if (tree == NULL)
    return NULL;

  g_string_append_c (sql, ';');
  for (int r = 0; r < PQntuples (tree); r++)
    g_string_append_printf (sql, "\n%s;", PQgetvalue (tree, r, 0));
  for (int r = PQntuples (tree) - 1; r >= 0; r--)
    g_string_append_printf (sql, "\nALTER INDEX %s ATTACH PARTITION %s;",
                            PQgetvalue (tree, r, 2), PQgetvalue (tree, r, 1));

  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static gboolean
drop_indexes (FerryCoordinator  *self,
              GHashTable        *journaled,
              GError           **error)
{
  g_autofree char *targets = target_tables_json (self);
  const char *params[] = { targets };
  g_autoptr(PGresult) result = NULL;

  /* Secondary indexes: not the primary key, not an index of a partition
   * (its parent's index stands for it), not one a remaining foreign key
   * (of a table outside the migration) depends on. */
  result = ferry_connection_query_params (self->control_target,
    TARGETS_CTE
    " SELECT n.nspname, c.relname, i.relname, pg_catalog.pg_get_indexdef(x.indexrelid),"
    "        con.conname, pg_catalog.pg_get_constraintdef(con.oid), x.indexrelid, i.relkind,"
    INDEX_EXTRAS_COLUMNS
    " FROM pg_catalog.pg_index x"
    " JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid"
    " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN targets t ON t.nspname = n.nspname AND t.relname = c.relname"
    " LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid"
    "                                       AND con.contype IN ('u', 'x')"
    INDEX_EXTRAS_JOIN
    " WHERE NOT x.indisprimary"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = x.indexrelid)"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)"
    " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "                 AND d.objid = x.indexrelid AND d.deptype = 'e')"
    " ORDER BY 1, 2, 3",
    1, params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *schema = PQgetvalue (result, i, 0);
      const char *table = PQgetvalue (result, i, 1);
      const char *index = PQgetvalue (result, i, 2);
      gboolean constraint = !PQgetisnull (result, i, 4);
      const char *object = constraint ? PQgetvalue (result, i, 4) : index;
      const char *kind = constraint ? "constraint" : "index";
      g_autofree char *key = ddl_key (kind, schema, table, object);
      g_autofree char *qtable = ferry_quote_qualified (schema, table);
      g_autofree char *restore = NULL;
      g_autofree char *drop = NULL;

      if (g_hash_table_contains (journaled, key))
        continue;

      if (constraint)
        {
          g_autofree char *qname = ferry_quote_ident (object);
          restore = g_strdup_printf ("ALTER TABLE %s ADD CONSTRAINT %s %s", qtable, qname,
                                     PQgetvalue (result, i, 5));
          drop = g_strdup_printf ("ALTER TABLE %s DROP CONSTRAINT %s", qtable, qname);
        }
      else if (PQgetvalue (result, i, 7)[0] == 'I')
        {
          /* An index of a partitioned table: DROP takes the partitions'
           * indexes along, and its definition (CREATE INDEX … ON ONLY)
           * brings back only an invalid parent. Put back the whole tree,
           * as pg_dump does: each partition's index by its own name, then
           * attached, from the bottom up. */
          g_autofree char *qindex = ferry_quote_qualified (schema, index);

          restore = partitioned_index_restore_sql (self, PQgetvalue (result, i, 6),
                                                   PQgetvalue (result, i, 3), error);
          if (restore == NULL)
            return FALSE;
          drop = g_strdup_printf ("DROP INDEX %s", qindex);
        }
      else
        {
          g_autofree char *qindex = ferry_quote_qualified (schema, index);
          restore = g_strdup (PQgetvalue (result, i, 3));
          drop = g_strdup_printf ("DROP INDEX %s", qindex);
        }

      /* What the definition does not say, put back with it. */
      if (!PQgetisnull (result, i, 8) || !PQgetisnull (result, i, 9))
        {
          g_autofree char *with_extras = g_strconcat (PQgetvalue (result, i, 8), restore, ";\n",
                                                      PQgetvalue (result, i, 9), NULL);
          g_free (restore);
          restore = g_steal_pointer (&with_extras);
        }

      if (!drop_one (self, kind, schema, table, object, NULL, NULL, restore, NULL, drop, error))
        return FALSE;
      g_hash_table_add (journaled, g_steal_pointer (&key));
    }

  return TRUE;
}

/* The triggers Ferry keeps from firing while it loads a table: the
 * user's (not those of constraints), not clones on partitions (their
 * parent's ENABLE/DISABLE takes them along), and only those that fire
 * now in an ordinary session (ENABLE ALWAYS ones are left as they are). */
#define SILENCED_TRIGGERS "NOT tg.tgisinternal AND tg.tgparentid = 0 AND tg.tgenabled = 'O'"

static gboolean
disable_triggers (FerryCoordinator  *self,
                  GHashTable        *journaled,
                  GError           **error)
{
  g_autofree char *targets = target_tables_json (self);
  const char *params[] = { targets };
  g_autoptr(PGresult) result = NULL;

  /* User triggers that are enabled now; they are put back as they were,
   * by name, so that a trigger disabled before stays disabled. */
  result = ferry_connection_query_params (self->control_target,
    TARGETS_CTE
    " SELECT n.nspname, c.relname, pg_catalog.json_agg(tg.tgname ORDER BY tg.tgname)::text"
    " FROM pg_catalog.pg_trigger tg"
    " JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN targets t ON t.nspname = n.nspname AND t.relname = c.relname"
    " WHERE " SILENCED_TRIGGERS
    " GROUP BY 1, 2 ORDER BY 1, 2",
    1, params, error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *schema = PQgetvalue (result, i, 0);
      const char *table = PQgetvalue (result, i, 1);
      g_autofree char *key = ddl_key ("triggers", schema, table, "");
      g_autofree char *qtable = ferry_quote_qualified (schema, table);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GString) restore = g_string_new (NULL);
      g_autoptr(GString) drop = g_string_new (NULL);
      JsonArray *names;

      if (g_hash_table_contains (journaled, key))
        continue;
      if (!json_parser_load_from_data (parser, PQgetvalue (result, i, 2), -1, error))
        return FALSE;

      names = json_node_get_array (json_parser_get_root (parser));
      for (guint j = 0; j < json_array_get_length (names); j++)
        {
          g_autofree char *qname = ferry_quote_ident (json_array_get_string_element (names, j));
          g_string_append_printf (restore, "ALTER TABLE %s ENABLE TRIGGER %s;", qtable, qname);
          g_string_append_printf (drop, "ALTER TABLE %s DISABLE TRIGGER %s;", qtable, qname);
        }

      if (!drop_one (self, "triggers", schema, table, "", NULL, NULL, restore->str, NULL, drop->str, error))
        return FALSE;
      g_hash_table_add (journaled, g_steal_pointer (&key));
    }

  return TRUE;
}

/* prepare: everything before the first chunk */

static JsonNode *
config_json (FerryCoordinator *self)
{
  g_autoptr(FerryConfig) copy = ferry_config_copy (self->config);
  g_autofree char *source = ferry_conninfo_mask (ferry_config_get_source (self->config));
  g_autofree char *target = ferry_conninfo_mask (ferry_config_get_target (self->config));
  g_autofree char *yaml = NULL;
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  /* Never a password in the journal: the connections are masked. */
  ferry_config_set_source (copy, source);
  ferry_config_set_target (copy, target);
  yaml = ferry_config_to_yaml (copy);

  json_object_set_string_member (object, "source", source);
  json_object_set_string_member (object, "target", target);
  json_object_set_string_member (object, "yaml", yaml);
  json_node_take_object (node, object);
  return node;
}

void
ferry_job_prepare (FerryCoordinator *self,
                   GTask            *task)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) journaled = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  FerryPlan *plan = ferry_validator_get_plan (self->validator);
  gboolean copy_schema = ferry_config_get_schema_mode (self->config) == FERRY_SCHEMA_MODE_COPY;
  gboolean post_data_items = FALSE;
  gint64 id = self->migration_id;
  PrepareResult *prepared;

  if (!ferry_coordinator_ensure_control (self, &error) ||
      !ferry_journal_ensure (self->journal, &error))
    goto fail;

  if (id <= 0)
    {
      g_autoptr(JsonNode) config = config_json (self);
      g_autoptr(JsonNode) plan_json = ferry_plan_to_json (plan);

      id = ferry_journal_create_migration (self->journal, self->source_id,
                                           ferry_connection_get_display_name (self->control_source),
                                           ferry_connection_get_display_name (self->control_target),
                                           config, plan_json, &error);
      if (id == 0 || !ferry_journal_add_chunks (self->journal, id, ferry_plan_get_chunks (plan), &error))
        goto fail;
      self->migration_id = id;
      ferry_journal_add_event (self->journal, id, "start", NULL, NULL);
    }
  else
    {
      self->migration_id = id;
      ferry_journal_add_event (self->journal, id, "resume-start", NULL, NULL);
    }

  /* What happened before the journal had the migration (its start). */
  {
    GPtrArray *early = g_task_get_task_data (task);

    for (guint i = 0; early != NULL && i < early->len; i++)
      {
        EventData *event = g_ptr_array_index (early, i);
        ferry_journal_add_event_as (self->journal, id, event->actor, event->host,
                                    event->action, event->detail, NULL);
      }
  }

  if (!ferry_journal_set_state (self->journal, id, "running", &error) ||
      !ferry_journal_heartbeat (self->journal, id, &error))
    goto fail;

  /* schema: copy — the tables, types, functions… before the data. */
  if (copy_schema && !ferry_journal_has_event (self->journal, id, "schema-pre-data", &error))
    {
      if (error != NULL || !restore_section (self, "pre-data", &error))
        goto fail;
      ferry_journal_add_event (self->journal, id, "schema-pre-data", NULL, NULL);
    }

  /* schema: copy — the post-data section goes to the journal, item by
   * item, before any of it runs: each runs on a worker once the data it
   * needs is there. A run that began the section the old way (one
   * pg_restore after the data) goes on that way; so does one whose
   * section cannot be cut into its items. */
  if (copy_schema)
    {
      gboolean legacy;

      post_data_items = ferry_journal_has_event (self->journal, id, "schema-post-data-journaled", &error);
      if (error != NULL)
        goto fail;
      legacy = !post_data_items &&
               (ferry_journal_has_event (self->journal, id, "schema-post-data-started", &error) ||
                ferry_journal_has_event (self->journal, id, "schema-post-data", &error));
      if (error != NULL)
        goto fail;
      if (!post_data_items && !legacy)
        {
          g_autoptr(GError) why = NULL;

          post_data_items = journal_post_data (self, &why);
          if (!post_data_items)
            {
              g_message ("The post-data section runs after the data: %s", why->message);
              ferry_journal_add_event (self->journal, id, "schema-post-data-whole", why->message, NULL);
            }
        }
    }

  /* What is already dropped (a resumed run) is not dropped again. */
  existing = ferry_journal_list_ddl (self->journal, id, FALSE, &error);
  if (existing == NULL)
    goto fail;
  journaled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < existing->len; i++)
    {
      FerryJournalDdl *ddl = g_ptr_array_index (existing, i);
      g_hash_table_add (journaled, ddl_key (ddl->kind, ddl->table_schema, ddl->table_name,
                                            ddl->object_name ? ddl->object_name : ""));
    }

  /* With the post-data items in the journal, the target's keys,
   * indexes and triggers are theirs, made once a table is loaded: a
   * resumed run leaves them be. */
  if (!post_data_items)
    {
      if (!drop_foreign_keys (self, journaled, &error))
        goto fail;
      if (ferry_config_get_constraints (self->config) == FERRY_CONSTRAINT_STRATEGY_REBUILD &&
          !drop_indexes (self, journaled, &error))
        goto fail;
      if (!ferry_config_get_fire_triggers (self->config) && !disable_triggers (self, journaled, &error))
        goto fail;
    }

  /* One snapshot for every worker: parents and children agree. */
  if (!export_snapshot (self, &error))
    goto fail;

  prepared = g_new0 (PrepareResult, 1);
  prepared->chunks = ferry_journal_list_chunks (self->journal, id, &error);
  prepared->ddl = prepared->chunks ? ferry_journal_list_ddl (self->journal, id, TRUE, &error) : NULL;
  if (prepared->ddl == NULL)
    {
      prepare_result_free (prepared);
      goto fail;
    }

  g_task_return_pointer (task, prepared, (GDestroyNotify)prepare_result_free);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

/* finish: sequences and post-data */

static gboolean
set_sequences (FerryCoordinator  *self,
               GError           **error)
{
  FerryCatalog *catalog = ferry_validator_get_source_catalog (self->validator);
  GPtrArray *sequences = ferry_catalog_get_sequences (catalog);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  g_autoptr(GHashTable) schemas = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *order = ferry_analyzer_get_order (ferry_validator_get_analyzer (self->validator));
  const guint per_query = 200;
  guint n_set = 0;

  for (guint i = 0; i < order->len; i++)
    g_hash_table_add (schemas, (gpointer)ferry_table_get_schema (g_ptr_array_index (order, i)));

  /* Sequences of the migrated tables, and free-standing sequences in the
   * schemas the migration touches. */
  for (guint i = 0; i < sequences->len; i++)
    {
      FerrySequence *seq = g_ptr_array_index (sequences, i);

      if (seq->owner_table != NULL ? (ferry_table_get_included (seq->owner_table) &&
                                      ferry_table_get_extension (seq->owner_table) == NULL)
                                   : g_hash_table_contains (schemas, seq->schema))
        g_ptr_array_add (wanted, seq);
    }

  for (guint start = 0; start < wanted->len; start += per_query)
    {
      g_autoptr(GString) read = g_string_new (NULL);
      g_autoptr(GString) write = g_string_new ("SELECT ");
      g_autoptr(PGresult) values = NULL;
      g_autoptr(PGresult) written = NULL;
      guint end = MIN (start + per_query, wanted->len);
      guint n_write = 0;

      for (guint i = start; i < end; i++)
        {
          FerrySequence *seq = g_ptr_array_index (wanted, i);
          g_string_append_printf (read, "%sSELECT %u, last_value, is_called FROM %s",
                                  i > start ? " UNION ALL " : "", i, seq->quoted_name);
        }

      values = ferry_connection_query (self->control_source, read->str, error);
      if (values == NULL)
        return FALSE;

      for (int r = 0; r < PQntuples (values); r++)
        {
          FerrySequence *seq = g_ptr_array_index (wanted, atoi (PQgetvalue (values, r, 0)));
          g_autofree char *literal = ferry_quote_literal (seq->quoted_name);

          g_string_append_printf (write, "%s(SELECT pg_catalog.setval(c.oid, %s, %s) FROM pg_catalog.pg_class c"
                                  " WHERE c.oid = pg_catalog.to_regclass(%s))",
                                  n_write > 0 ? ", " : "", PQgetvalue (values, r, 1),
                                  PQgetvalue (values, r, 2)[0] == 't' ? "true" : "false", literal);
          n_write++;
        }

      if (n_write == 0)
        continue;

      written = ferry_connection_query (self->control_target, write->str, error);
      if (written == NULL)
        return FALSE;

      for (guint c = 0; c < n_write; c++)
        if (!PQgetisnull (written, 0, c))
          n_set++;
    }

  {
    g_autofree char *detail = g_strdup_printf (_("%u of %u sequences set to the source’s values"),
                                               n_set, wanted->len);
    ferry_journal_add_event (self->journal, self->migration_id, "sequences", detail, NULL);
  }
  return TRUE;
}

/*
 * schema: existing — the target's materialized views that the source has
 * populated, in the schemas the migration touched, are refreshed from
 * the loaded tables, as pg_restore does with a dump's data. One reading
 * another is refreshed after it: a view refused because another is not
 * populated yet (55000) waits for the next pass. Refreshing again is
 * harmless, so a resumed run simply does it again. (schema: copy has
 * them among its post-data items.)
 */
static gboolean
refresh_materialized_views (FerryCoordinator  *self,
                            GError           **error)
{
  GPtrArray *order = ferry_analyzer_get_order (ferry_validator_get_analyzer (self->validator));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PGresult) source_views = NULL;
  g_autoptr(PGresult) target_views = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *schemas = NULL;
  g_autofree char *names = NULL;
  g_autofree char *detail = NULL;
  guint n_refreshed = 0;

  json_builder_begin_array (b);
  for (guint i = 0; i < order->len; i++)
    {
      const char *schema = ferry_table_get_schema (g_ptr_array_index (order, i));

      if (g_hash_table_add (seen, (gpointer)schema))
        json_builder_add_string_value (b, schema);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  schemas = json_generator_to_data (gen, NULL);

  {
    const char *params[] = { schemas };

    source_views = ferry_connection_query_params (self->control_source,
      "SELECT pg_catalog.json_agg(pg_catalog.format('%I.%I', n.nspname, c.relname) ORDER BY c.oid)"
      " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
      " WHERE c.relkind = 'm' AND c.relispopulated"
      "   AND n.nspname IN (SELECT pg_catalog.jsonb_array_elements_text($1::pg_catalog.jsonb))"
      "   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
      "                   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
      "                     AND d.objid = c.oid AND d.deptype = 'e')",
      1, params, error);
    if (source_views == NULL)
      return FALSE;
    if (PQgetisnull (source_views, 0, 0))
      return TRUE;
    names = g_strdup (PQgetvalue (source_views, 0, 0));
  }

  {
    const char *params[] = { names };

    target_views = ferry_connection_query_params (self->control_target,
      "SELECT v FROM pg_catalog.jsonb_array_elements_text($1::pg_catalog.jsonb) AS v"
      " WHERE pg_catalog.to_regclass(v) IS NOT NULL",
      1, params, error);
    if (target_views == NULL)
      return FALSE;
  }
  for (int r = 0; r < PQntuples (target_views); r++)
    g_ptr_array_add (pending, g_strdup (PQgetvalue (target_views, r, 0)));

  while (pending->len > 0)
    {
      g_autoptr(GError) waiting = NULL;
      guint before = pending->len;

      for (guint i = 0; i < pending->len; )
        {
          g_autofree char *sql = g_strdup_printf ("REFRESH MATERIALIZED VIEW %s",
                                                  (const char *)g_ptr_array_index (pending, i));
          g_autoptr(GError) local_error = NULL;

          if (ferry_connection_exec (self->control_target, "BEGIN; SET LOCAL statement_timeout = 0", &local_error) &&
              ferry_connection_exec (self->control_target, sql, &local_error) &&
              ferry_connection_exec (self->control_target, "COMMIT", &local_error))
            {
              g_ptr_array_remove_index (pending, i);
              n_refreshed++;
              continue;
            }

          ferry_connection_rollback_quietly (self->control_target);
          if (g_strcmp0 (ferry_error_get_sqlstate (local_error), "55000") != 0)
            {
              g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                          _("Refreshing the materialized view %s on the target: "),
                                          (const char *)g_ptr_array_index (pending, i));
              return FALSE;
            }
          g_clear_error (&waiting);
          waiting = g_steal_pointer (&local_error);
          i++;
        }

      if (pending->len == before)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&waiting),
                                      _("Refreshing the materialized view %s on the target: "),
                                      (const char *)g_ptr_array_index (pending, 0));
          return FALSE;
        }
    }

  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u materialized view refreshed",
                                         "%u materialized views refreshed", n_refreshed), n_refreshed);
  ferry_journal_add_event (self->journal, self->migration_id, "materialized-views", detail, NULL);
  return TRUE;
}

void
ferry_job_finish (FerryCoordinator *self,
                  GTask            *task)
{
  g_autoptr(GError) error = NULL;
  gboolean copy_schema = ferry_config_get_schema_mode (self->config) == FERRY_SCHEMA_MODE_COPY;

  if (!ferry_coordinator_ensure_control (self, &error) ||
      !ferry_large_objects_copy (self, &error) ||
      !set_sequences (self, &error) ||
      (!copy_schema && !refresh_materialized_views (self, &error)))
    goto fail;

  /* schema: copy — the post-data section: its items, from the journal,
   * are all done by now; or, the old way, one pg_restore of it, in
   * parallel jobs, after the data. */
  if (copy_schema && !ferry_journal_has_event (self->journal, self->migration_id, "schema-post-data", &error))
    {
      gboolean journaled;

      if (error != NULL)
        goto fail;
      journaled = ferry_journal_has_event (self->journal, self->migration_id, "schema-post-data-journaled", &error);
      if (error != NULL || (!journaled && !restore_section (self, "post-data", &error)))
        goto fail;
      ferry_journal_add_event (self->journal, self->migration_id, "schema-post-data", NULL, NULL);
    }

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

/* release: the end of a run, whatever its outcome */

void
ferry_job_release (FerryCoordinator *self,
                   GTask            *task)
{
  ReleaseData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  forget_snapshot (self);

  if (ferry_coordinator_ensure_control (self, &error) && self->migration_id > 0)
    ferry_journal_set_state (self->journal, self->migration_id, data->journal_state, &error);

  if (data->state == FERRY_STATE_COMPLETED && self->migration_id > 0)
    {
      g_autofree char *path = dump_path (self);
      g_unlink (path);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* abort: nothing copied is removed, everything dropped is put back */

void
ferry_job_abort_restore (FerryCoordinator *self,
                         GTask            *task)
{
  g_autoptr(GError) error = NULL;

  if (!ferry_coordinator_ensure_control (self, &error) ||
      !ferry_journal_restore_pending (self->journal, self->migration_id, &error))
    g_warning ("Restoring after the abort: %s", error->message);

  ferry_job_release (self, task);
}

/* Splitting a chunk that ran over timeout_seconds */

static FerryJournalChunk *
make_piece (Work          *work,
            FerryChunkKind kind,
            gboolean       has_lo,
            gint64         lo,
            gboolean       has_hi,
            gint64         hi,
            guint64        est_bytes)
{
  FerryJournalChunk *c = g_new0 (FerryJournalChunk, 1);
  g_autofree char *column = kind == FERRY_CHUNK_KIND_KEY_RANGE ? ferry_quote_ident (work->key_column) : NULL;
  GString *pred = g_string_new (NULL);

  c->table_schema = g_strdup (ferry_table_get_schema (work->table));
  c->table_name = g_strdup (ferry_table_get_name (work->table));
  c->heap_schema = g_strdup (ferry_table_get_schema (work->heap));
  c->heap_name = g_strdup (ferry_table_get_name (work->heap));
  c->number = work->number;
  c->kind = kind;
  c->key_column = g_strdup (work->key_column);
  c->has_lo = has_lo;
  c->lo = lo;
  c->has_hi = has_hi;
  c->hi = hi;
  c->est_bytes = est_bytes;

  if (kind == FERRY_CHUNK_KIND_KEY_RANGE)
    {
      if (has_lo)
        g_string_append_printf (pred, "%s >= %" G_GINT64_FORMAT, column, lo);
      if (has_hi)
        g_string_append_printf (pred, "%s%s < %" G_GINT64_FORMAT, has_lo ? " AND " : "", column, hi);
    }
  else
    {
      if (has_lo)
        g_string_append_printf (pred, "ctid >= '(%" G_GINT64_FORMAT ",0)'::pg_catalog.tid", lo);
      if (has_hi)
        g_string_append_printf (pred, "%sctid < '(%" G_GINT64_FORMAT ",0)'::pg_catalog.tid",
                                has_lo ? " AND " : "", hi);
    }
  if (pred->len == 0)
    g_string_append (pred, "true");
  c->predicate = g_string_free (pred, FALSE);
  return c;
}

static Work *
work_from_piece (Work              *parent,
                 FerryJournalChunk *c)
{
  Work *work = g_new0 (Work, 1);

  work->kind = WORK_CHUNK;
  work->state = WORK_PENDING;
  work->table = parent->table;
  work->heap = parent->heap;
  work->chunk_id = c->chunk_id;
  work->number = parent->number;
  work->chunk_kind = c->kind;
  work->key_column = g_strdup (c->key_column);
  work->has_lo = c->has_lo;
  work->lo = c->lo;
  work->has_hi = c->has_hi;
  work->hi = c->hi;
  work->predicate = g_strdup (c->predicate);
  work->est_bytes = c->est_bytes;
  return work;
}

void
ferry_job_split (FerryCoordinator *self,
                 GTask            *task)
{
  Work *work = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify)ferry_journal_chunk_free);
  GPtrArray *halves;
  FerryChunkKind kind = work->chunk_kind;
  gboolean has_lo = work->has_lo, has_hi = work->has_hi;
  gint64 lo = work->lo, hi = work->hi;
  gint64 mid;

  if (!ferry_coordinator_ensure_control (self, &error))
    goto fail;

  /* Open bounds: find the real ones, so that the middle is a middle. */
  if (kind == FERRY_CHUNK_KIND_KEY_RANGE && (!has_lo || !has_hi))
    {
      g_autofree char *column = ferry_quote_ident (work->key_column);
      g_autofree char *sql = g_strdup_printf ("SELECT min(%s), max(%s) FROM ONLY %s WHERE %s",
                                              column, column, ferry_table_get_quoted_name (work->heap),
                                              work->predicate);
      g_autoptr(PGresult) result = ferry_connection_query (self->control_source, sql, &error);

      if (result == NULL)
        goto fail;
      if (PQgetisnull (result, 0, 0))
        {
          g_set_error (&error, FERRY_ERROR, FERRY_ERROR_TIMEOUT,
                       _("The chunk ran over timeout_seconds and cannot be split further"));
          goto fail;
        }
      if (!has_lo)
        lo = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      if (!has_hi)
        hi = g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10) + 1;
    }
  else if (kind != FERRY_CHUNK_KIND_KEY_RANGE)
    {
      /* A whole table or a block range: split by blocks. */
      guint64 pages = MAX (ferry_table_get_pages (work->heap), 1);

      if (!has_lo)
        lo = 0;
      if (!has_hi)
        hi = MAX ((gint64)pages, lo + 2);
      kind = FERRY_CHUNK_KIND_CTID_RANGE;
    }

  if (hi - lo < 2)
    {
      g_set_error (&error, FERRY_ERROR, FERRY_ERROR_TIMEOUT,
                   _("The chunk ran over timeout_seconds and cannot be split further"));
      goto fail;
    }

  /* The outer bounds stay as open as they were: no row is left out. */
  mid = lo + (hi - lo) / 2;
  g_ptr_array_add (pieces, make_piece (work, kind, has_lo, lo, TRUE, mid, work->est_bytes / 2));
  g_ptr_array_add (pieces, make_piece (work, kind, TRUE, mid, has_hi, hi,
                                       work->est_bytes - work->est_bytes / 2));

  if (!ferry_journal_replace_chunk (self->journal, self->migration_id, work->chunk_id, pieces, &error))
    goto fail;

  halves = g_ptr_array_new_with_free_func ((GDestroyNotify)work_free);
  for (guint i = 0; i < pieces->len; i++)
    g_ptr_array_add (halves, work_from_piece (work, g_ptr_array_index (pieces, i)));
  g_task_return_pointer (task, halves, (GDestroyNotify)g_ptr_array_unref);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
}

/* Resolutions */

void
ferry_resolve_data_free (ResolveData *data)
{
  g_clear_pointer (&data->triggers, ferry_journal_ddl_free);
  g_free (data);
}

/*
 * In the truncate's transaction: the table's user triggers that are
 * enabled now (put back by post-data, or by the end of an earlier load)
 * must not fire for the emptying nor for the reload. Disabled, with
 * their ENABLE in the journal as deferred DDL that runs once the table
 * is loaded again; @triggers is that item, or NULL when none was
 * enabled.
 */
static gboolean
disable_table_triggers (FerryCoordinator  *self,
                        FerryTable        *table,
                        FerryJournalDdl  **triggers,
                        GError           **error)
{
  const char *params[2] = { ferry_table_get_schema (table), ferry_table_get_name (table) };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GString) restore = g_string_new (NULL);
  g_autoptr(GString) disable = g_string_new (NULL);
  FerryJournalDdl *ddl;
  gint64 id;

  /* The table's, and its partitions' (a trigger on a partitioned table
   * has clones on them, which follow it). */
  result = ferry_connection_query_params (self->control_target,
    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), pg_catalog.quote_ident(tg.tgname)"
    " FROM pg_catalog.pg_trigger tg"
    " JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE " SILENCED_TRIGGERS
    "   AND c.oid IN (SELECT pg_catalog.to_regclass(pg_catalog.format('%I.%I', $1::text, $2::text))"
    "                 UNION ALL SELECT relid FROM pg_catalog.pg_partition_tree("
    "                   pg_catalog.to_regclass(pg_catalog.format('%I.%I', $1::text, $2::text))))"
    " ORDER BY 1, 2",
    2, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      g_string_append_printf (restore, "ALTER TABLE %s ENABLE TRIGGER %s;",
                              PQgetvalue (result, i, 0), PQgetvalue (result, i, 1));
      g_string_append_printf (disable, "ALTER TABLE %s DISABLE TRIGGER %s;",
                              PQgetvalue (result, i, 0), PQgetvalue (result, i, 1));
    }

  id = ferry_journal_add_ddl (self->journal, self->control_target, self->migration_id, "triggers",
                              params[0], params[1], "", NULL, NULL, restore->str, NULL, error);
  if (id == 0 || !ferry_connection_exec (self->control_target, disable->str, error))
    return FALSE;

  ddl = g_new0 (FerryJournalDdl, 1);
  ddl->ddl_id = id;
  ddl->kind = g_strdup ("triggers");
  ddl->table_schema = g_strdup (params[0]);
  ddl->table_name = g_strdup (params[1]);
  ddl->object_name = g_strdup ("");
  ddl->restore_sql = g_string_free (g_steal_pointer (&restore), FALSE);
  *triggers = ddl;
  return TRUE;
}

void
ferry_job_truncate (FerryCoordinator *self,
                    GTask            *task)
{
  ResolveData *data = g_task_get_task_data (task);
  FerryTable *table = data->table;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) referenced = NULL;
  const char *params[2] = { ferry_table_get_schema (table), ferry_table_get_name (table) };
  gboolean partitioned = ferry_table_get_kind (table) == FERRY_TABLE_KIND_PARTITIONED;
  g_autofree char *sql = NULL;

  if (!ferry_coordinator_ensure_control (self, &error))
    goto fail;

  /* TRUNCATE cannot empty a table that a foreign key references, and
   * CASCADE would empty others: DELETE then, which the foreign keys
   * check, so nothing else is lost. */
  referenced = ferry_connection_query_params (self->control_target,
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con"
    " JOIN pg_catalog.pg_class c ON c.oid = con.confrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE con.contype = 'f' AND n.nspname = $1 AND c.relname = $2)",
    2, params, &error);
  if (referenced == NULL)
    goto fail;

  if (PQgetvalue (referenced, 0, 0)[0] == 't')
    sql = g_strdup_printf ("DELETE FROM %s%s", partitioned ? "" : "ONLY ", ferry_table_get_quoted_name (table));
  else
    sql = g_strdup_printf ("TRUNCATE %s%s", partitioned ? "" : "ONLY ", ferry_table_get_quoted_name (table));

  if (!ferry_connection_exec (self->control_target, "BEGIN", &error) ||
      !ferry_connection_exec (self->control_target, "SET LOCAL statement_timeout = 0", &error) ||
      !disable_table_triggers (self, table, &data->triggers, &error) ||
      !ferry_connection_exec (self->control_target, sql, &error) ||
      !ferry_journal_reset_table_chunks (self->journal, self->control_target, self->migration_id,
                                         ferry_table_get_schema (table), ferry_table_get_name (table),
                                         &error) ||
      !ferry_connection_exec (self->control_target, "COMMIT", &error))
    {
      ferry_connection_rollback_quietly (self->control_target);
      goto fail;
    }

  g_task_return_boolean (task, TRUE);
  return;

fail:
  g_prefix_error (&error, _("Could not empty %s on the target: "), ferry_table_get_display_name (table));
  g_task_return_error (task, g_steal_pointer (&error));
}

void
ferry_job_skip (FerryCoordinator *self,
                GTask            *task)
{
  ResolveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ferry_coordinator_ensure_control (self, &error) ||
      !ferry_journal_skip_table (self->journal, self->migration_id,
                                 ferry_table_get_schema (data->table),
                                 ferry_table_get_name (data->table), &error))
    {
      g_warning ("Could not record the skip of %s: %s",
                 ferry_table_get_display_name (data->table), error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* A chunk's failed attempt: its journal row keeps the count and the
 * error, so that a resumed run and the reports know them. */

void
ferry_chunk_error_data_free (ChunkErrorData *data)
{
  g_free (data->message);
  g_free (data);
}

void
ferry_job_chunk_error (FerryCoordinator *self,
                       GTask            *task)
{
  ChunkErrorData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ferry_coordinator_ensure_control (self, &error) ||
      !ferry_journal_record_chunk_error (self->journal, self->migration_id, data->chunk_id,
                                         data->attempts, data->message, &error))
    {
      g_debug ("Could not record the error of chunk %" G_GINT64_FORMAT ": %s", data->chunk_id, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* The monitor's probe of both servers */

static void
probe_one (FerryConnection *connection,
           JsonBuilder     *b,
           gboolean         copy_progress)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "display");
  json_builder_add_string_value (b, ferry_connection_get_display_name (connection));

  if (ferry_connection_is_open (connection) ||
      ferry_connection_open (connection, 5, 10, NULL, &error))
    result = ferry_connection_query (connection,
      "SELECT pg_catalog.pg_is_in_recovery(),"
      " (SELECT count(*) FROM pg_catalog.pg_stat_activity),"
      " pg_catalog.current_setting('max_connections')::int,"
      " CASE WHEN pg_catalog.pg_is_in_recovery()"
      "      THEN extract(epoch FROM now() - pg_catalog.pg_last_xact_replay_timestamp()) END,"
      " pg_catalog.current_setting('server_version')",
      &error);

  json_builder_set_member_name (b, "reachable");
  json_builder_add_boolean_value (b, result != NULL);
  json_builder_set_member_name (b, "latency_ms");
  json_builder_add_double_value (b, (g_get_monotonic_time () - start) / 1000.0);

  if (result != NULL)
    {
      json_builder_set_member_name (b, "in_recovery");
      json_builder_add_boolean_value (b, PQgetvalue (result, 0, 0)[0] == 't');
      json_builder_set_member_name (b, "connections");
      json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10));
      json_builder_set_member_name (b, "max_connections");
      json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (result, 0, 2), NULL, 10));
      json_builder_set_member_name (b, "replay_lag_seconds");
      if (PQgetisnull (result, 0, 3))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, g_ascii_strtod (PQgetvalue (result, 0, 3), NULL));
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, PQgetvalue (result, 0, 4));
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error ? error->message : NULL);
    }

  if (copy_progress && result != NULL)
    {
      g_autoptr(PGresult) copies = ferry_connection_query (connection,
        "SELECT coalesce(p.relid::pg_catalog.regclass::text, ''), p.bytes_processed, p.bytes_total,"
        "       p.tuples_processed, p.pid"
        " FROM pg_catalog.pg_stat_progress_copy p"
        " WHERE p.datname = pg_catalog.current_database() AND p.command = 'COPY FROM'"
        " ORDER BY p.pid", NULL);

      json_builder_set_member_name (b, "copies");
      json_builder_begin_array (b);
      for (int i = 0; copies != NULL && i < PQntuples (copies); i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "relation");
          json_builder_add_string_value (b, PQgetvalue (copies, i, 0));
          json_builder_set_member_name (b, "bytes_processed");
          json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (copies, i, 1), NULL, 10));
          json_builder_set_member_name (b, "tuples_processed");
          json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (copies, i, 3), NULL, 10));
          json_builder_set_member_name (b, "pid");
          json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (copies, i, 4), NULL, 10));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }

  json_builder_end_object (b);
}

void
ferry_job_probe (FerryCoordinator *self,
                 GTask            *task)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "checked_at");
  json_builder_add_int_value (b, g_get_real_time () / G_USEC_PER_SEC);
  if (self->control_source != NULL)
    {
      json_builder_set_member_name (b, "source");
      probe_one (self->control_source, b, FALSE);
    }
  if (self->control_target != NULL)
    {
      json_builder_set_member_name (b, "target");
      probe_one (self->control_target, b, TRUE);
    }
  if (self->journal != NULL && self->migration_id > 0 && self->control_target != NULL &&
      ferry_connection_is_open (self->control_target))
    ferry_journal_heartbeat (self->journal, self->migration_id, NULL);
  json_builder_end_object (b);

  g_task_return_pointer (task, json_builder_get_root (b), (GDestroyNotify)json_node_unref);
}
