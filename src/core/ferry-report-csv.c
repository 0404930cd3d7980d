/* ferry-report-csv.c — a report's tables as CSV, a row per table
 *
 * RFC 4180: a header row of stable, untranslated column names (scripts
 * rely on them), CRLF line ends, fields with a comma, a quote or a line
 * end quoted, quotes doubled. Numbers are plain (no grouping, a dot for
 * decimals); unknown values are empty; lists are joined with "; ".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-report"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ferry-report-private.h"

/* The columns of each kind: member of the document's "tables" entries. */
static const char * const readiness_columns[] = {
  "name", "schema", "table", "kind", "level", "batch", "rows", "size_bytes", "chunks", "parents", NULL
};

static const char * const progress_columns[] = {
  "name", "schema", "table", "status", "chunks_done", "chunks_total", "rows_done", "bytes_done",
  "bytes_total", "percent", "attempts", "last_error", NULL
};

static const char * const performance_columns[] = {
  "name", "schema", "table", "chunks", "rows", "bytes", "started_at", "finished_at",
  "elapsed_seconds", "busy_seconds", "bytes_per_second", "rows_per_second", "attempts", "retries", NULL
};

static const char * const completion_columns[] = {
  "name", "schema", "table", "status", "source_rows", "target_rows", "rows_match", "rows_copied",
  "bytes", "checksum", "validated_parts", "mismatched_parts", "duration_seconds", "chunks",
  "attempts", "retries", "resolutions", "error", NULL
};

static void
append_field (GString    *out,
              const char *text)
{
  gboolean quote = text[0] == ' ' || (text[0] != '\0' && text[strlen (text) - 1] == ' ') ||
                   strpbrk (text, ",\"\r\n") != NULL;

  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) joined = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (i > 0)
            g_string_append (joined, "; ");
          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_string_append (joined, json_node_get_string (element));
        }
      append_field (out, joined->str);
      return;
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    return;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        g_autofree char *valid = g_utf8_make_valid (json_node_get_string (node), -1);
        append_field (out, valid);
      }
      break;
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.3f", json_node_get_double (node)));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      break;
    }
}

/**
 * ferry_report_render_csv:
 *
 * Returns: (transfer full): the document's "tables" as CSV
 */
GBytes *
ferry_report_render_csv (JsonObject  *document,
                         GError     **error)
{
  const char *kind = ferry_report_get_string (document, "kind");
  JsonArray *tables = ferry_report_get_array (document, "tables");
  const char * const *columns;
  GString *out;

  if (g_strcmp0 (kind, "readiness") == 0)
    columns = readiness_columns;
  else if (g_strcmp0 (kind, "progress") == 0)
    columns = progress_columns;
  else if (g_strcmp0 (kind, "performance") == 0)
    columns = performance_columns;
  else if (g_strcmp0 (kind, "completion") == 0)
    columns = completion_columns;
  else
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_FAILED, _("No CSV form for a report of kind “%s”"),
                   kind ? kind : "?");
      return NULL;
    }

  out = g_string_new (NULL);
  for (guint c = 0; columns[c] != NULL; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      g_string_append (out, columns[c]);
    }
  g_string_append (out, "\r\n");

  for (guint i = 0; tables != NULL && i < json_array_get_length (tables); i++)
    {
      JsonObject *row = json_array_get_object_element (tables, i);

      for (guint c = 0; columns[c] != NULL; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          append_node (out, json_object_get_member (row, columns[c]));
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free_to_bytes (out);
}
