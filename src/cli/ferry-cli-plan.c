/* ferry-cli-plan.c — `ferry-cli plan`: what a migration would do, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "ferry-cli-private.h"
#include "ferry-enum-types.h"

static char *
format_rows (gint64 rows)
{
  if (rows < 0)
    return g_strdup ("?");
  return g_strdup_printf ("%'" G_GINT64_FORMAT, rows);
}

static const char *
fk_action_to_string (FerryFkAction action)
{
  switch (action)
    {
    case FERRY_FK_ACTION_KEEP:       return _("kept");
    case FERRY_FK_ACTION_DROP_READD: return _("dropped, re-added NOT VALID and validated after the load");
    case FERRY_FK_ACTION_REBUILD:    return _("dropped and rebuilt after the load");
    default:                         return "?";
    }
}

static void
print_text (FerryCliOptions *options,
            FerryValidator  *validator,
            gboolean         show_chunks)
{
  FerryPlan *plan = ferry_validator_get_plan (validator);
  FerryAnalyzer *analyzer = ferry_plan_get_analyzer (plan);
  FerryConfig *config = ferry_plan_get_config (plan);
  GPtrArray *batches = ferry_plan_get_batches (plan);
  GPtrArray *chunks = ferry_plan_get_chunks (plan);
  GPtrArray *cycles = ferry_analyzer_get_cycles (analyzer);
  GPtrArray *breaking = ferry_analyzer_get_breaking_edges (analyzer);
  GPtrArray *self_refs = ferry_analyzer_get_self_references (analyzer);
  GPtrArray *external = ferry_analyzer_get_external_edges (analyzer);
  g_autofree char *total_size = ferry_format_bytes (ferry_plan_get_total_bytes (plan));
  g_autofree char *total_rows = format_rows (ferry_plan_get_total_rows (plan));
  g_autofree char *chunk_size = ferry_format_size (ferry_config_get_chunk_size (config));
  const char *bold = ferry_cli_style (options, "bold");
  const char *dim = ferry_cli_style (options, "dim");
  const char *reset = ferry_cli_style (options, "reset");
  g_autofree char *source_label = ferry_cli_pad (_("Source"), 12);
  g_autofree char *data_label = ferry_cli_pad (_("Data"), 12);
  g_autofree char *plan_label = ferry_cli_pad (_("Plan"), 12);
  g_autofree char *constraints_label = ferry_cli_pad (_("Constraints"), 12);

  g_print ("%s%s%s\n", ferry_cli_style (options, "heading"), _("Ferry migration plan"), reset);
  g_print ("  %s%s%s %s\n", bold, source_label, reset,
           ferry_connection_get_display_name (ferry_validator_get_source (validator)));
  g_print ("  %s%s%s ", bold, data_label, reset);
  g_print (_("%u tables · %s · %s rows"), ferry_plan_get_n_tables (plan), total_size, total_rows);
  g_print ("\n  %s%s%s ", bold, plan_label, reset);
  g_print (_("%u batches of up to %u tables · %u dependency levels · %u chunks of about %s"),
           batches->len, ferry_config_get_batch_size (config),
           ferry_analyzer_get_n_levels (analyzer), chunks->len, chunk_size);
  g_print ("\n  %s%s%s ", bold, constraints_label, reset);
  g_print (_("%s · %u workers"),
           ferry_enum_to_nick (FERRY_TYPE_CONSTRAINT_STRATEGY, ferry_config_get_constraints (config)),
           ferry_config_get_max_parallel (config));
  g_print ("\n");

  g_print ("\n%s%s%s\n", bold, _("Foreign-key cycles"), reset);
  if (cycles->len == 0)
    g_print ("  %s\n", _("None: every table can load after its parents."));
  for (guint i = 0; i < cycles->len; i++)
    {
      GPtrArray *cycle = g_ptr_array_index (cycles, i);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint j = 0; j < cycle->len; j++)
        g_string_append_printf (names, "%s%s", j > 0 ? ", " : "",
                                ferry_table_get_display_name (g_ptr_array_index (cycle, j)));
      g_print ("  %s %u: ", _("Cycle"), i + 1);
      g_print ("%s\n", names->str);
    }
  for (guint i = 0; i < breaking->len; i++)
    {
      FerryForeignKey *fk = g_ptr_array_index (breaking, i);
      g_print ("  %s %s (%s → %s): %s%s%s%s\n", _("Breaks at"), fk->name,
               ferry_table_get_display_name (fk->child),
               ferry_table_get_display_name (fk->parent),
               fk_action_to_string (ferry_plan_get_fk_action (plan, fk)),
               dim,
               /* Translators: after a cycle-breaking foreign key named in tables.break_cycles_at */
               ferry_analyzer_is_preferred_break (analyzer, fk) ? _(" (as configured)") : "",
               reset);
    }
  if (self_refs->len > 0)
    {
      g_print ("\n%s%s%s\n", bold, _("Self-references"), reset);
      for (guint i = 0; i < self_refs->len; i++)
        {
          FerryForeignKey *fk = g_ptr_array_index (self_refs, i);
          g_print ("  %s.%s: %s\n", ferry_table_get_display_name (fk->child), fk->name,
                   fk_action_to_string (ferry_plan_get_fk_action (plan, fk)));
        }
    }
  if (external->len > 0)
    {
      g_print ("\n%s%s%s\n", bold, _("References to tables outside the migration"), reset);
      for (guint i = 0; i < external->len; i++)
        {
          FerryForeignKey *fk = g_ptr_array_index (external, i);
          g_print ("  %s → %s (%s)\n", ferry_table_get_display_name (fk->child),
                   ferry_table_get_display_name (fk->parent), fk->name);
        }
    }

  for (guint b = 0; b < batches->len; b++)
    {
      FerryBatch *batch = g_ptr_array_index (batches, b);

      g_print ("\n%s", bold);
      g_print (_("Batch %u"), batch->number);
      g_print ("%s %s", reset, dim);
      g_print (_("level %d, %u tables"), batch->level, batch->tables->len);
      g_print ("%s\n", reset);

      for (guint t = 0; t < batch->tables->len; t++)
        {
          FerryTable *table = g_ptr_array_index (batch->tables, t);
          GPtrArray *table_chunks = ferry_plan_get_table_chunks (plan, table);
          g_autofree char *size = ferry_format_bytes (ferry_table_get_size_bytes (table));
          g_autofree char *rows = format_rows (ferry_table_get_row_estimate (table));

          g_autofree char *name = ferry_cli_pad (ferry_table_get_display_name (table), 44);
          g_autofree char *size_col = ferry_cli_pad (size, -10);
          g_autofree char *rows_col = ferry_cli_pad (rows, -14);

          g_print ("  %s %s %s %s  ", name, size_col, rows_col, _("rows"));
          g_print (g_dngettext (GETTEXT_PACKAGE, "%u chunk", "%u chunks", table_chunks->len),
                   table_chunks->len);
          if (ferry_table_get_kind (table) == FERRY_TABLE_KIND_PARTITIONED)
            g_print (" %s(%s %u)%s", dim, _("partitions:"),
                     ferry_table_get_partitions (table)->len, reset);
          g_print ("\n");

          if (!show_chunks || table_chunks->len < 2)
            continue;
          for (guint c = 0; c < table_chunks->len; c++)
            {
              FerryChunk *chunk = g_ptr_array_index (table_chunks, c);
              g_autofree char *chunk_bytes = ferry_format_bytes (chunk->est_bytes);

              g_print ("      %s#%u %-40s %s", dim, chunk->number, chunk->predicate, chunk_bytes);
              if (chunk->heap != chunk->table)
                g_print (" (%s)", ferry_table_get_display_name (chunk->heap));
              g_print ("%s\n", reset);
            }
        }
    }
}

int
ferry_cli_plan (int    argc,
                char **argv)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryValidator) validator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  gboolean show_chunks = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text, json or dot (Graphviz)"), N_("FORMAT") },
    { "chunks", 0, 0, G_OPTION_ARG_NONE, &show_chunks,
      N_("List every chunk of the tables that are split"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Reads the source's catalog and prints the plan: the load order by dependency level, "
      "the batches, how each table is split into chunks, and which foreign keys are dropped "
      "to break cycles. Only the source is needed; nothing is changed.\n\n"
      "Exit status: 0 success, 2 bad arguments or configuration, 3 the source could not be read, "
      "4 other errors."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ferry_cli_common_group (&options));

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !(config = ferry_cli_load_config (&options, &error)))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (format == NULL)
    format = g_strdup (options.json ? "json" : "text");
  if (!g_str_equal (format, "text") && !g_str_equal (format, "json") && !g_str_equal (format, "dot"))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--format: unknown format “%s” (use text, json or dot)"), format);
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  validator = ferry_validator_new (config);
  if (!ferry_validator_prepare (validator, NULL, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (g_str_equal (format, "json"))
    {
      g_autoptr(JsonNode) node = ferry_plan_to_json (ferry_validator_get_plan (validator));
      ferry_cli_print_json (node);
    }
  else if (g_str_equal (format, "dot"))
    {
      g_autofree char *dot = ferry_plan_to_dot (ferry_validator_get_plan (validator));
      fputs (dot, stdout);
    }
  else
    print_text (&options, validator, show_chunks);

  return FERRY_EXIT_OK;
}
