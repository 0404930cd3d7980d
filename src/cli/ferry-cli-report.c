/* ferry-cli-report.c — `ferry-cli report`: the four reports, in HTML, JSON or CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ferry-cli-private.h"
#include "ferry-enum-types.h"
#include "ferry-report.h"

/* ferry_cli_print_error() reads the SQLSTATE, detail and hint, which
 * only Ferry's errors have (the getters complain about other domains):
 * an option or I/O error is shown as one of Ferry's. */
static void
print_error (FerryCliOptions *options,
             const GError    *error)
{
  g_autoptr(GError) copy = NULL;

  if (error->domain == FERRY_ERROR)
    {
      ferry_cli_print_error (options, error);
      return;
    }
  copy = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED, error->message);
  ferry_cli_print_error (options, copy);
}

/* The format a file name asks for: "x.json" → JSON. */
static gboolean
format_from_path (const char        *path,
                  FerryReportFormat *format)
{
  const char *dot = path ? strrchr (path, '.') : NULL;
  int value;

  if (dot == NULL || !ferry_enum_from_nick (FERRY_TYPE_REPORT_FORMAT, dot + 1, &value))
    return FALSE;
  if (g_ascii_strcasecmp (dot + 1, "htm") == 0)
    value = FERRY_REPORT_FORMAT_HTML;
  *format = value;
  return TRUE;
}

static FerryJournal *
open_journal (FerryConfig  *config,
              GError      **error)
{
  g_autoptr(FerryConnection) connection = ferry_connection_new (ferry_config_get_target (config), _("target"));
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!ferry_connection_open (connection, ferry_config_get_connect_timeout (config),
                              ferry_config_get_query_timeout (config), NULL, error))
    return NULL;

  journal = ferry_journal_new (connection, ferry_config_get_journal_schema (config));
  if (!ferry_journal_exists (journal, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                     _("The target has no Ferry journal (schema “%s”): no migration ran there yet"),
                     ferry_config_get_journal_schema (config));
      return NULL;
    }
  return g_steal_pointer (&journal);
}

/**
 * ferry_cli_write_report:
 * @report: what to report on
 * @output: a file, "-" for standard output, or %NULL for a new file in
 *   the configured reports directory
 * @path_out: (out) (optional): where the report went
 *
 * Shared by `report` and by `run`, which writes the completion report
 * at the end of every run.
 */
gboolean
ferry_cli_write_report (FerryConfig       *config,
                        FerryReport       *report,
                        FerryReportKind    kind,
                        FerryReportFormat  format,
                        const char        *output,
                        char             **path_out,
                        GError           **error)
{
  g_autofree char *path = NULL;

  if (g_strcmp0 (output, "-") == 0)
    {
      g_autoptr(GBytes) bytes = ferry_report_render (report, kind, format, error);
      gsize length = 0;
      const char *data;

      if (bytes == NULL)
        return FALSE;
      data = g_bytes_get_data (bytes, &length);
      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_IO, _("Could not write to standard output"));
          return FALSE;
        }
      if (path_out != NULL)
        *path_out = g_strdup ("-");
      return TRUE;
    }

  if (output != NULL)
    path = g_strdup (output);
  else
    {
      g_autofree char *dir = ferry_config_dup_reports_path (config);
      g_autofree char *name = ferry_report_suggest_filename (report, kind, format);

      path = g_build_filename (dir, name, NULL);
    }

  if (!ferry_report_write (report, kind, format, path, error))
    return FALSE;
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return TRUE;
}

int
ferry_cli_report (int    argc,
                  char **argv)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryReport) report = NULL;
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kind_name = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *written = NULL;
  gint64 id = 0;
  int kind = FERRY_REPORT_KIND_COMPLETION;
  FerryReportFormat format = FERRY_REPORT_FORMAT_HTML;
  const GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_name,
      N_("readiness, progress, performance or completion (default completion)"), N_("KIND") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("html, json or csv (default: from the file name, else html)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (“-”: standard output; default: a new file in the reports directory)"), N_("FILE") },
    { "migration", 'm', 0, G_OPTION_ARG_INT64, &id,
      N_("The migration's journal id (default: the latest)"), N_("ID") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Writes a report for the change record. readiness runs the readiness checks against both "
      "servers (nothing is changed); progress, performance and completion are read from the journal "
      "in the target database, for the latest migration or --migration ID, at any time after it ran.\n\n"
      "HTML is one self-contained printable page; JSON follows data/report.schema.json; CSV has a "
      "row per table.\n\n"
      "Exit status: 0 written, 2 bad arguments or configuration, 3 a server could not be reached, "
      "4 other errors (e.g. no such migration)."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ferry_cli_common_group (&options));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  if (kind_name != NULL && !ferry_enum_from_nick (FERRY_TYPE_REPORT_KIND, kind_name, &kind))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--kind: “%s” is not one of readiness, progress, performance, completion"), kind_name);
      print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }
  if (format_name != NULL)
    {
      int value;

      if (!ferry_enum_from_nick (FERRY_TYPE_REPORT_FORMAT, format_name, &value))
        {
          g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--format: “%s” is not one of html, json, csv"), format_name);
          print_error (&options, error);
          return FERRY_EXIT_USAGE;
        }
      format = value;
    }
  else if (output != NULL)
    format_from_path (output, &format);
  if (id < 0)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--migration: an id is positive"));
      print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  if (!(config = ferry_cli_load_config (&options, &error)))
    {
      print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (kind == FERRY_REPORT_KIND_READINESS)
    {
      validator = ferry_validator_new (config);
      if (!options.json && g_strcmp0 (output, "-") != 0)
        g_printerr ("%s\n", _("Running the readiness checks…"));
      if (!ferry_validator_run (validator, NULL, &error))
        {
          print_error (&options, error);
          return ferry_cli_exit_for_error (error);
        }
      report = ferry_report_new_from_validator (validator);
    }
  else
    {
      if (!(journal = open_journal (config, &error)) ||
          !(report = ferry_report_new_from_journal (journal, id, &error)))
        {
          print_error (&options, error);
          return ferry_cli_exit_for_error (error);
        }
    }

  if (!ferry_cli_write_report (config, report, kind, format, output, &written, &error))
    {
      print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (g_strcmp0 (written, "-") != 0)
    {
      if (options.json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) node = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind));
          json_builder_set_member_name (b, "format");
          json_builder_add_string_value (b, ferry_enum_to_nick (FERRY_TYPE_REPORT_FORMAT, format));
          json_builder_set_member_name (b, "migration_id");
          json_builder_add_int_value (b, ferry_report_get_migration_id (report));
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, written);
          json_builder_end_object (b);
          node = json_builder_get_root (b);
          ferry_cli_print_json (node);
        }
      else
        g_print (_("%s written to %s\n"), ferry_report_kind_to_string (kind), written);
    }

  return FERRY_EXIT_OK;
}
