/* ferry-copy.c
 *
 * One chunk's rows go from `COPY (SELECT …) TO STDOUT` on the source
 * straight into `COPY … FROM STDIN` on the target, one row at a time as
 * libpq hands them over: memory stays constant whatever the chunk size.
 * The caller owns the transactions around it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-copy"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-copy.h"

static void
append_columns (GString            *sql,
                const char * const *columns)
{
  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_autofree char *quoted = ferry_quote_ident (columns[i]);
      if (i > 0)
        g_string_append (sql, ", ");
      g_string_append (sql, quoted);
    }
}

static const char *
format_option (FerryCopyFormat format)
{
  return format == FERRY_COPY_FORMAT_BINARY ? "(FORMAT binary)" : "(FORMAT text)";
}

/**
 * ferry_copy_select_sql:
 * @columns: the columns to copy (generated columns already left out)
 *
 * `COPY (SELECT cols FROM ONLY heap WHERE predicate) TO STDOUT`. ONLY,
 * because inheritance children and partitions are copied on their own.
 */
char *
ferry_copy_select_sql (const char          *quoted_heap,
                       const char * const  *columns,
                       const char          *predicate,
                       FerryCopyFormat      format)
{
  GString *sql = g_string_new ("COPY (SELECT ");

  append_columns (sql, columns);
  g_string_append_printf (sql, " FROM ONLY %s", quoted_heap);
  if (predicate != NULL && !g_str_equal (predicate, "true"))
    g_string_append_printf (sql, " WHERE %s", predicate);
  g_string_append_printf (sql, ") TO STDOUT %s", format_option (format));

  return g_string_free (sql, FALSE);
}

char *
ferry_copy_insert_sql (const char          *quoted_heap,
                       const char * const  *columns,
                       FerryCopyFormat      format)
{
  GString *sql = g_string_new ("COPY ");

  g_string_append_printf (sql, "%s (", quoted_heap);
  append_columns (sql, columns);
  g_string_append_printf (sql, ") FROM STDIN %s", format_option (format));

  return g_string_free (sql, FALSE);
}

/* What goes to the target in one CopyData message, at most. */
#define BATCH_BYTES (64 * 1024)

/* A cheap 64-bit mix of the stream (FNV-1a over 8-byte words): enough
 * to tell two transfers apart in the journal; the validation after the
 * load compares the tables themselves. */
static guint64
mix (guint64     h,
     const char *data,
     gsize       len)
{
  const guint64 prime = G_GUINT64_CONSTANT (0x100000001b3);
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 word;
      memcpy (&word, data + i, 8);
      h = (h ^ word) * prime;
    }
  for (; i < len; i++)
    h = (h ^ (guchar)data[i]) * prime;
  return h;
}

static gboolean
finish_command (FerryConnection  *connection,
                const char       *what,
                PGresult        **out,
                GError          **error)
{
  PGconn *conn = ferry_connection_get_pgconn (connection);
  gboolean ok = TRUE;
  PGresult *res;

  while ((res = PQgetResult (conn)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          if (ok)
            {
              g_autofree char *prefix = g_strdup_printf ("%s (%s)", what,
                                                         ferry_connection_get_label (connection));
              if (PQstatus (conn) == CONNECTION_BAD)
                ferry_set_error_from_conn (error, conn, prefix);
              else
                ferry_set_error_from_result (error, res, prefix);
            }
          ok = FALSE;
          PQclear (res);
        }
      else if (out != NULL && *out == NULL)
        *out = res;
      else
        PQclear (res);
    }

  if (ok && PQstatus (conn) == CONNECTION_BAD)
    {
      ferry_set_error_from_conn (error, conn, what);
      ok = FALSE;
    }

  return ok;
}

static gboolean
start_copy (FerryConnection  *connection,
            const char       *sql,
            ExecStatusType    expected,
            GError          **error)
{
  PGconn *conn = ferry_connection_get_pgconn (connection);
  g_autoptr(PGresult) res = NULL;

  if (conn == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                   _("The %s connection is not open"), ferry_connection_get_label (connection));
      return FALSE;
    }

  res = PQexec (conn, sql);
  if (res != NULL && PQresultStatus (res) == expected)
    return TRUE;

  if (res == NULL || PQstatus (conn) == CONNECTION_BAD)
    ferry_set_error_from_conn (error, conn, ferry_connection_get_label (connection));
  else
    {
      g_autofree char *prefix = g_strdup_printf (_("COPY on the %s"), ferry_connection_get_label (connection));
      ferry_set_error_from_result (error, res, prefix);
    }
  return FALSE;
}

/**
 * ferry_copy_stream:
 * @progress: (nullable): updated with atomic operations as rows pass
 *
 * Streams the rows. On failure both COPYs are ended (the target's with
 * an error, so nothing of it can commit) and @error says which side
 * failed and why. Cancel it from another thread with
 * ferry_connection_cancel() on either connection.
 */
gboolean
ferry_copy_stream (FerryConnection    *source,
                   FerryConnection    *target,
                   const char         *select_sql,
                   const char         *insert_sql,
                   FerryCopyProgress  *progress,
                   FerryCopyResult    *result,
                   GError            **error)
{
  PGconn *src;
  PGconn *dst;
  guint64 checksum = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  guint64 bytes = 0;
  guint64 messages = 0;
  g_autoptr(PGresult) target_result = NULL;
  g_autofree char *batch = NULL;
  gsize fill = 0;
  gboolean target_failed = FALSE;
  gboolean source_ok;
  int n;

  g_return_val_if_fail (FERRY_IS_CONNECTION (source), FALSE);
  g_return_val_if_fail (FERRY_IS_CONNECTION (target), FALSE);

  if (!start_copy (target, insert_sql, PGRES_COPY_IN, error))
    return FALSE;

  if (!start_copy (source, select_sql, PGRES_COPY_OUT, error))
    {
      PQputCopyEnd (ferry_connection_get_pgconn (target), "source failed");
      finish_command (target, "COPY", NULL, NULL);
      return FALSE;
    }

  src = ferry_connection_get_pgconn (source);
  dst = ferry_connection_get_pgconn (target);

  batch = g_malloc (BATCH_BYTES);

  for (;;)
    {
      char *buffer = NULL;

      n = PQgetCopyData (src, &buffer, 0);
      if (n < 0)
        break;

      checksum = mix (checksum, buffer, n);
      bytes += n;
      messages++;

      /* Rows go out in messages of up to 64 kB rather than one each:
       * fewer calls into libpq here, fewer messages for the target to
       * take apart. COPY reads a byte stream; where the messages split
       * it does not matter. */
      if (fill + n > BATCH_BYTES && fill > 0)
        {
          if (PQputCopyData (dst, batch, fill) != 1)
            {
              PQfreemem (buffer);
              target_failed = TRUE;
              break;
            }
          fill = 0;
        }
      if (n >= BATCH_BYTES)
        {
          if (PQputCopyData (dst, buffer, n) != 1)
            {
              PQfreemem (buffer);
              target_failed = TRUE;
              break;
            }
        }
      else
        {
          memcpy (batch + fill, buffer, n);
          fill += n;
        }
      PQfreemem (buffer);

      if (progress != NULL && (messages & 63) == 0)
        {
          __atomic_store_n (&progress->rows, (gint64)messages, __ATOMIC_RELAXED);
          __atomic_store_n (&progress->bytes, (gint64)bytes, __ATOMIC_RELAXED);
        }
    }

  if (!target_failed && fill > 0 && PQputCopyData (dst, batch, fill) != 1)
    target_failed = TRUE;

  if (target_failed)
    {
      /* The target refused the data or went away. Its error is the one
       * that matters; stop the source and drain it so that its
       * connection stays usable. */
      char *buffer = NULL;

      ferry_connection_cancel (source);
      while (PQgetCopyData (src, &buffer, 0) >= 0)
        PQfreemem (buffer);
      finish_command (source, _("Reading from the source"), NULL, NULL);
      if (!finish_command (target, _("Writing to the target"), NULL, error))
        return FALSE;
      ferry_set_error_from_conn (error, dst, _("Writing to the target"));
      return FALSE;
    }

  /* n is -1 at the end of the data and -2 on a source error. */
  source_ok = finish_command (source, _("Reading from the source"), NULL, error);
  if (n != -1 || !source_ok)
    {
      if (source_ok)
        ferry_set_error_from_conn (error, src, _("Reading from the source"));
      PQputCopyEnd (dst, "the source failed");
      finish_command (target, _("Writing to the target"), NULL, NULL);
      return FALSE;
    }

  if (PQputCopyEnd (dst, NULL) != 1)
    {
      finish_command (target, _("Writing to the target"), NULL, NULL);
      ferry_set_error_from_conn (error, dst, _("Writing to the target"));
      return FALSE;
    }

  if (!finish_command (target, _("Writing to the target"), &target_result, error))
    return FALSE;

  if (progress != NULL)
    {
      __atomic_store_n (&progress->rows, (gint64)messages, __ATOMIC_RELAXED);
      __atomic_store_n (&progress->bytes, (gint64)bytes, __ATOMIC_RELAXED);
    }

  if (result != NULL)
    {
      result->rows = target_result ? g_ascii_strtoull (PQcmdTuples (target_result), NULL, 10) : messages;
      result->bytes = bytes;
      result->checksum = checksum;
    }

  return TRUE;
}
