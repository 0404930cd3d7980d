/* ferry-cli-check.c — `ferry-cli check`: is the migration ready to run?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-cli-private.h"

#define MAX_ITEMS_SHOWN 10

static const char *
status_symbol (FerryCheckStatus status)
{
  switch (status)
    {
    case FERRY_CHECK_STATUS_PASS:    return "✓";
    case FERRY_CHECK_STATUS_WARNING: return "!";
    case FERRY_CHECK_STATUS_FAIL:    return "✗";
    case FERRY_CHECK_STATUS_SKIPPED:
    default:                         return "–";
    }
}

static const char *
status_style (FerryCheckStatus status)
{
  switch (status)
    {
    case FERRY_CHECK_STATUS_PASS:    return "pass";
    case FERRY_CHECK_STATUS_WARNING: return "warning";
    case FERRY_CHECK_STATUS_FAIL:    return "fail";
    case FERRY_CHECK_STATUS_SKIPPED:
    default:                         return "dim";
    }
}

static void
print_server (FerryCliOptions *options,
              const char      *role,
              FerryConnection *connection,
              FerryCatalog    *catalog)
{
  g_autofree char *size = NULL;

  g_print ("  %s%-7s%s %s\n", ferry_cli_style (options, "bold"), role,
           ferry_cli_style (options, "reset"),
           connection ? ferry_connection_get_display_name (connection) : "—");

  if (connection == NULL || !ferry_connection_is_open (connection) || catalog == NULL ||
      ferry_catalog_get_database (catalog) == NULL)
    return;

  size = ferry_format_bytes (ferry_catalog_get_database_size (catalog));
  g_print ("          PostgreSQL %s · %s · %s\n",
           ferry_connection_get_server_version_string (connection),
           ferry_catalog_get_encoding (catalog), size);
}

static void
print_check (FerryCliOptions *options,
             FerryCheck      *check,
             gboolean         verbose,
             guint            width)
{
  FerryCheckStatus status = ferry_check_get_status (check);
  const char * const *items = ferry_check_get_items (check);
  guint n_items = items ? g_strv_length ((char **)items) : 0;

  g_print ("  %s%s%s %s", ferry_cli_style (options, status_style (status)),
           status_symbol (status), ferry_cli_style (options, "reset"),
           ferry_check_get_title (check));
  if (ferry_check_get_summary (check) != NULL)
    g_print (" %s—%s %s", ferry_cli_style (options, "dim"),
             ferry_cli_style (options, "reset"), ferry_check_get_summary (check));
  g_print ("\n");

  if (!verbose && (status == FERRY_CHECK_STATUS_PASS || status == FERRY_CHECK_STATUS_SKIPPED))
    return;

  ferry_cli_print_wrapped (ferry_check_get_explanation (check), 4, width);

  if (n_items > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < n_items && i < MAX_ITEMS_SHOWN; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", items[i]);
      if (n_items > MAX_ITEMS_SHOWN)
        g_string_append_printf (list,
                                g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more",
                                             n_items - MAX_ITEMS_SHOWN),
                                n_items - MAX_ITEMS_SHOWN);
      g_print ("    %s%s%s\n", ferry_cli_style (options, "bold"), _("Affected:"),
               ferry_cli_style (options, "reset"));
      ferry_cli_print_wrapped (list->str, 6, width);
    }

  if (ferry_check_get_fix (check) != NULL)
    {
      g_print ("    %s%s%s\n", ferry_cli_style (options, "bold"), _("Fix:"),
               ferry_cli_style (options, "reset"));
      ferry_cli_print_wrapped (ferry_check_get_fix (check), 6, width);
    }
}

static void
print_report (FerryCliOptions *options,
              FerryValidator  *validator,
              gboolean         verbose)
{
  GListModel *checks = ferry_validator_get_checks (validator);
  guint width = ferry_cli_terminal_width ();
  int group = -1;
  guint passed = ferry_validator_count (validator, FERRY_CHECK_STATUS_PASS);
  guint warnings = ferry_validator_count (validator, FERRY_CHECK_STATUS_WARNING);
  guint failed = ferry_validator_count (validator, FERRY_CHECK_STATUS_FAIL);
  guint skipped = ferry_validator_count (validator, FERRY_CHECK_STATUS_SKIPPED);

  g_print ("%s%s%s\n", ferry_cli_style (options, "heading"), _("Ferry readiness check"),
           ferry_cli_style (options, "reset"));
  print_server (options, _("Source"), ferry_validator_get_source (validator),
                ferry_validator_get_source_catalog (validator));
  print_server (options, _("Target"), ferry_validator_get_target (validator),
                ferry_validator_get_target_catalog (validator));

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(FerryCheck) check = g_list_model_get_item (checks, i);

      if ((int)ferry_check_get_group (check) != group)
        {
          group = ferry_check_get_group (check);
          g_print ("\n%s%s%s\n", ferry_cli_style (options, "bold"),
                   ferry_check_group_to_string (group), ferry_cli_style (options, "reset"));
        }
      print_check (options, check, verbose, width);
    }

  g_print ("\n");
  /* Translators: the summary line of `ferry-cli check` */
  g_print (_("%u passed, %u warnings, %u failed, %u skipped — %.0f%% of the checks passed."),
           passed, warnings, failed, skipped, ferry_validator_get_score (validator));
  g_print ("\n");

  if (failed > 0)
    g_print ("%s%s%s\n", ferry_cli_style (options, "fail"),
             _("Not ready: fix the failed checks before starting the migration."),
             ferry_cli_style (options, "reset"));
  else if (warnings > 0)
    g_print ("%s%s%s\n", ferry_cli_style (options, "warning"),
             _("Ready, with warnings: read them before starting the migration."),
             ferry_cli_style (options, "reset"));
  else
    g_print ("%s%s%s\n", ferry_cli_style (options, "pass"),
             _("Ready to migrate."), ferry_cli_style (options, "reset"));
}

int
ferry_cli_check (int    argc,
                 char **argv)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  gboolean verbose = FALSE;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Explain every check, not only the ones that need attention"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Checks, without changing anything, that the source can be read and the target is ready to "
      "receive it: connectivity, privileges, schema, data, dependencies and capacity.\n\n"
      "Exit status: 0 ready, 1 a check failed, 2 bad arguments or configuration, "
      "3 the source could not be read, 4 other errors."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ferry_cli_common_group (&options));
  g_option_context_set_help_enabled (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !(config = ferry_cli_load_config (&options, &error)))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  validator = ferry_validator_new (config);
  if (!ferry_validator_run (validator, NULL, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (options.json)
    {
      g_autoptr(JsonNode) node = ferry_validator_to_json (validator);
      ferry_cli_print_json (node);
    }
  else
    print_report (&options, validator, verbose);

  return ferry_validator_is_ready (validator) ? FERRY_EXIT_OK : FERRY_EXIT_NOT_READY;
}
