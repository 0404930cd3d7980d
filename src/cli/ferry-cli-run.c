/* ferry-cli-run.c — `ferry-cli run`, and the commands that steer a run
 * from elsewhere through the journal: status, pause, resume, stop,
 * resolve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <inttypes.h>

#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ferry-cli-private.h"
#include "ferry-coordinator.h"
#include "ferry-enum-types.h"
#include "ferry-monitor.h"
#include "ferry-webhooks.h"

typedef struct {
  FerryCliOptions   *options;
  FerryCoordinator  *coordinator;
  gboolean           tty;
  gboolean           bar_shown;
  guint              interrupts;
  gint64             last_line;
  gint64             started;
  guint              interval;
  gboolean           wait_on_error;
} RunContext;

static void
emit_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
emit_event_json (const char *type,
                 const char *key1,
                 const char *value1,
                 const char *key2,
                 const char *value2)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  if (key1 != NULL)
    {
      json_builder_set_member_name (b, key1);
      json_builder_add_string_value (b, value1);
    }
  if (key2 != NULL)
    {
      json_builder_set_member_name (b, key2);
      json_builder_add_string_value (b, value2);
    }
  json_builder_end_object (b);
  emit_json (b);
}

static void
clear_bar (RunContext *ctx)
{
  if (ctx->bar_shown)
    {
      fputs ("\r\033[K", stdout);
      ctx->bar_shown = FALSE;
    }
}

/* The progress line: bar, percent, tables, rows/s, MB/s, ETA. */
static void
print_progress (RunContext *ctx,
                gboolean    force_line)
{
  FerryCoordinator *c = ctx->coordinator;
  FerryMonitor *monitor = ferry_coordinator_get_monitor (c);
  FerryTableList *tables = ferry_coordinator_get_tables (c);
  double fraction = ferry_coordinator_get_fraction (c);
  guint done = ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED) +
               ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_SKIPPED);
  guint total = g_list_model_get_n_items (G_LIST_MODEL (tables)) -
                ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_EXCLUDED);
  guint failed = ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_FAILED);
  g_autofree char *eta = ferry_format_clock (ferry_monitor_get_eta_seconds (monitor), "--:--");
  g_autofree char *bytes = ferry_format_bytes (ferry_coordinator_get_bytes_done (c));
  double mbps = ferry_monitor_get_bytes_per_second (monitor) / (1024.0 * 1024.0);
  double rows = ferry_monitor_get_rows_per_second (monitor);
  const char *phase = ferry_coordinator_get_phase (c);
  g_autoptr(GString) line = g_string_new (NULL);

  if (ctx->options->json)
    {
      g_autoptr(JsonNode) status = ferry_coordinator_status (c);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_object_set_string_member (json_node_get_object (status), "event", "progress");
      json_generator_set_root (generator, status);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return;
    }

  if (ctx->tty)
    {
      guint width = 24;
      guint filled = (guint)(fraction * width + 0.5);

      g_string_append_c (line, '[');
      for (guint i = 0; i < width; i++)
        g_string_append (line, i < filled ? "█" : "·");
      g_string_append (line, "] ");
    }

  g_string_append_printf (line, "%5.1f%%  ", 100.0 * fraction);
  g_string_append_printf (line, _("%u/%u tables"), done, total);
  if (failed > 0)
    g_string_append_printf (line, _(" (%u failed)"), failed);
  g_string_append_printf (line, "  %s  %.0f %s  %.1f %s  ", bytes, rows, _("rows/s"), mbps, _("MB/s"));
  g_string_append_printf (line, _("ETA %s"), eta);
  if (phase != NULL && !g_str_equal (phase, "data"))
    g_string_append_printf (line, "  [%s]", ferry_phase_to_string (phase));
  if (ferry_coordinator_is_pausing (c))
    g_string_append_printf (line, "  %s", _("pausing…"));

  if (ctx->tty && !force_line)
    {
      g_print ("\r\033[K%s", line->str);
      fflush (stdout);
      ctx->bar_shown = TRUE;
    }
  else
    {
      clear_bar (ctx);
      g_print ("%s\n", line->str);
    }
}

static gboolean
progress_tick (gpointer user_data)
{
  RunContext *ctx = user_data;
  gint64 now = g_get_monotonic_time ();

  /* A bar on a terminal; a line per monitoring interval in a log. */
  if (ctx->tty || ctx->options->json ||
      now - ctx->last_line >= (gint64)ctx->interval * G_USEC_PER_SEC)
    {
      ctx->last_line = now;
      print_progress (ctx, FALSE);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_event (FerryCoordinator *c,
          const char       *action,
          const char       *detail,
          RunContext       *ctx)
{
  static const char * const shown[] = {
    "retry", "split", "escalated", "table-failed", "resolve", "request", "request-refused",
    "validation-mismatch", "phase", "sequences", "left-not-valid", "restore-failed", NULL
  };

  if (ctx->options->json)
    {
      emit_event_json (action, "detail", detail, NULL, NULL);
      return;
    }

  if (!g_strv_contains (shown, action) || (g_str_equal (action, "phase") && g_strcmp0 (detail, "done") == 0))
    return;

  clear_bar (ctx);
  if (g_str_equal (action, "phase"))
    g_print ("%s %s\n", _("Phase:"), ferry_phase_to_string (detail));
  else
    g_print ("%s%s%s %s\n", ferry_cli_style (ctx->options, "warning"), action,
             ferry_cli_style (ctx->options, "reset"), detail ? detail : "");
}

static void
on_table_failed (FerryCoordinator *c,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class,
                 RunContext       *ctx)
{
  gboolean pg = error->domain == FERRY_ERROR;
  const char *sqlstate = pg ? ferry_error_get_sqlstate (error) : NULL;
  const char *detail = pg ? ferry_error_get_detail (error) : NULL;
  const char *hint = pg ? ferry_error_get_hint (error) : NULL;

  if (ctx->options->json)
    return;

  clear_bar (ctx);
  g_print ("%s%s%s %s [%s%s%s]: %s\n", ferry_cli_style (ctx->options, "fail"), _("Failed:"),
           ferry_cli_style (ctx->options, "reset"), ferry_table_get_display_name (table),
           ferry_error_class_to_string (error_class), sqlstate ? " " : "", sqlstate ? sqlstate : "",
           error->message);
  if (detail != NULL)
    g_print ("  %s %s\n", _("Detail:"), detail);
  if (hint != NULL)
    g_print ("  %s %s\n", _("Hint:"), hint);
  if (ctx->wait_on_error)
    {
      g_print ("  %s\n", _("The other tables go on. Resolve this one, from another terminal, with:"));
      g_print ("    ferry-cli resolve --table '%s' --action retry|skip|truncate-retry|abort\n",
               ferry_table_get_display_name (table));
    }
  else
    g_print ("  %s\n", _("The other tables go on. Fix the cause and run again: the failed chunks are "
                         "retried. (With --wait, the run waits for “ferry-cli resolve” instead.)"));
}

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  RunContext       *ctx)
{
  if (ctx->options->json)
    emit_event_json ("state", "from", ferry_enum_to_nick (FERRY_TYPE_STATE, old_state),
                     "to", ferry_enum_to_nick (FERRY_TYPE_STATE, new_state));
  else if (new_state == FERRY_STATE_PAUSED)
    {
      clear_bar (ctx);
      g_print ("%s\n", _("Paused. Resume with “ferry-cli resume”, or stop with “ferry-cli stop”."));
    }
}

static gboolean
on_signal (gpointer user_data)
{
  RunContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  ctx->interrupts++;
  clear_bar (ctx);

  if (ctx->interrupts > 1)
    {
      /* The journal makes this safe: what committed is recorded, what did
       * not rolls back when the connections close. */
      g_printerr ("%s\n", _("Interrupted again: leaving now. “ferry-cli run” resumes from the journal."));
      _exit (FERRY_EXIT_STOPPED);
    }

  g_printerr ("%s\n", _("Stopping: running chunks are cancelled and rolled back (press Ctrl+C again to leave at once)…"));
  if (!ferry_coordinator_stop (ctx->coordinator, &error))
    g_printerr ("%s\n", error->message);
  return G_SOURCE_CONTINUE;
}

static void
quit_on_state_change (FerryCoordinator *c,
                      FerryState        old_state,
                      FerryState        new_state,
                      GMainLoop        *loop)
{
  g_main_loop_quit (loop);
}

/* Until something (a request taken from the journal, a signal) moves
 * the migration out of the state it rests in. */
static void
wait_for_state_change (FerryCoordinator *coordinator)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler = g_signal_connect (coordinator, "state-changed", G_CALLBACK (quit_on_state_change), loop);

  g_main_loop_run (loop);
  g_signal_handler_disconnect (coordinator, handler);
}

static void
print_summary (RunContext *ctx)
{
  FerryCoordinator *c = ctx->coordinator;
  FerryTableList *tables = ferry_coordinator_get_tables (c);
  FerryState state = ferry_coordinator_get_state (c);
  double elapsed = (g_get_monotonic_time () - ctx->started) / (double)G_USEC_PER_SEC;
  g_autofree char *bytes = ferry_format_bytes (ferry_coordinator_get_bytes_done (c));
  g_autofree char *duration = ferry_format_clock (elapsed, "--:--");
  g_autoptr(JsonNode) validation = ferry_coordinator_get_validation (c);
  JsonArray *checks = json_node_get_array (validation);
  guint mismatches = 0;
  GError *last_error = ferry_coordinator_get_last_error (c);

  for (guint i = 0; i < json_array_get_length (checks); i++)
    if (!json_object_get_boolean_member (json_array_get_object_element (checks, i), "matches"))
      mismatches++;

  if (ctx->options->json)
    {
      g_autoptr(JsonNode) status = ferry_coordinator_status (c);
      JsonObject *object = json_node_get_object (status);

      json_object_set_string_member (object, "event", "summary");
      json_object_set_double_member (object, "elapsed_seconds", elapsed);
      json_object_set_member (object, "validation", g_steal_pointer (&validation));
      ferry_cli_print_json (status);
      return;
    }

  print_progress (ctx, TRUE);
  g_print ("\n%s%s%s %s\n", ferry_cli_style (ctx->options, "bold"), _("Migration"),
           ferry_cli_style (ctx->options, "reset"), ferry_state_to_string (state));
  g_print ("  %s %" G_GINT64_FORMAT "\n", _("Journal id:"), ferry_coordinator_get_migration_id (c));
  g_print ("  %s %u %s, %u %s, %u %s\n", _("Tables:"),
           ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED), _("completed"),
           ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_FAILED), _("failed"),
           ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_SKIPPED), _("skipped"));
  g_print ("  %s %'" G_GUINT64_FORMAT " %s, %s %s %s (%.1f MB/s)\n", _("Copied:"),
           ferry_coordinator_get_rows_done (c), _("rows"), bytes, _("in"), duration,
           ferry_coordinator_get_average_bytes_per_second (c, elapsed) / (1024.0 * 1024.0));
  if (ferry_coordinator_get_rows_resumed (c) > 0 || ferry_coordinator_get_bytes_resumed (c) > 0)
    {
      g_autofree char *resumed = ferry_format_bytes (ferry_coordinator_get_bytes_resumed (c));

      /* The rate above is of this run's own copying. */
      g_print ("  %s %'" G_GUINT64_FORMAT " %s, %s %s\n", _("Resumed:"),
               ferry_coordinator_get_rows_resumed (c), _("rows"), resumed,
               _("were already copied by an earlier run"));
    }
  if (json_array_get_length (checks) > 0)
    g_print ("  %s %u %s, %u %s\n", _("Validation:"), json_array_get_length (checks) - mismatches,
             _("parts match"), mismatches, _("differ"));
  if (last_error != NULL && state != FERRY_STATE_COMPLETED)
    g_print ("  %s %s\n", _("Reason:"), last_error->message);
  if (state == FERRY_STATE_STOPPED || state == FERRY_STATE_PAUSED)
    g_print ("  %s\n", _("Run “ferry-cli run” with the same configuration to resume where it stopped."));
}

static int
exit_for_state (FerryState state)
{
  switch (state)
    {
    case FERRY_STATE_COMPLETED:
      return FERRY_EXIT_OK;
    case FERRY_STATE_ERROR:
      return FERRY_EXIT_MIGRATION_FAILED;
    case FERRY_STATE_STOPPED:
    case FERRY_STATE_PAUSED:
      return FERRY_EXIT_STOPPED;
    default:
      return FERRY_EXIT_FAILED;
    }
}

/* The completion report, written at the end of every run (whatever its
 * outcome) into the configured reports directory: the evidence for the
 * change record. A report that cannot be written is a warning; it does
 * not change the exit status. (See ferry-cli-report.c.) */
static void
write_completion_report (RunContext  *ctx,
                         FerryConfig *config)
{
  g_autoptr(FerryReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (ferry_coordinator_get_migration_id (ctx->coordinator) <= 0)
    return;

  report = ferry_report_new_from_coordinator (ctx->coordinator);
  if (!ferry_cli_write_report (config, report, FERRY_REPORT_KIND_COMPLETION, FERRY_REPORT_FORMAT_HTML,
                               NULL, &path, &error))
    {
      g_printerr (_("Warning: the completion report could not be written: %s\n"), error->message);
      return;
    }

  if (ctx->options->json)
    emit_event_json ("report", "kind", "completion", "path", path);
  else
    g_print ("  %s %s\n", _("Completion report:"), path);
}

int
ferry_cli_run (int    argc,
               char **argv)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(FerryWebhooks) webhooks = NULL;
  g_autoptr(GError) error = NULL;
  gboolean force = FALSE;
  gboolean no_check = FALSE;
  gboolean wait_on_error = FALSE;
  RunContext ctx = { 0 };
  guint tick_id;
  guint sigint_id, sigterm_id;
  FerryState state;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Start even when a readiness check fails"), NULL },
    { "no-check", 0, 0, G_OPTION_ARG_NONE, &no_check,
      N_("Do not run the readiness checks first"), NULL },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait_on_error,
      N_("When tables fail, wait for their resolution (ferry-cli resolve, resume or stop) instead of ending"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Runs the migration: checks readiness, then copies every table in dependency order with "
      "parallel workers, restores constraints and sequences, and validates. An unfinished "
      "migration of the same source found in the target's journal is resumed.\n\n"
      "Ctrl+C stops cleanly (running chunks roll back); run again to resume. With --wait, a run "
      "whose tables failed waits for ferry-cli resolve (or resume, or stop) from another terminal; "
      "without it, it ends, and the next run retries the failed tables.\n\n"
      "Exit status: 0 completed, 1 a readiness check failed, 2 bad arguments or configuration, "
      "3 a server could not be reached, 4 other errors, 5 the migration ended with failed tables "
      "or validation differences, 6 stopped or paused."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ferry_cli_common_group (&options));

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !(config = ferry_cli_load_config (&options, &error)))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  ctx.options = &options;
  ctx.wait_on_error = wait_on_error;
  ctx.tty = !options.json && isatty (STDOUT_FILENO);
  ctx.interval = ferry_config_get_interval_seconds (config);

  coordinator = ferry_coordinator_new (config);
  ctx.coordinator = coordinator;

  if (!options.json)
    g_print ("%s\n", _("Reading both catalogs and planning…"));
  if (!ferry_coordinator_initialize (coordinator, NULL, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (ferry_coordinator_get_resuming (coordinator) && !options.json)
    g_print (_("Resuming migration %" PRId64 " from the journal.\n"),
             ferry_coordinator_get_migration_id (coordinator));

  if (!no_check)
    {
      FerryValidator *validator = ferry_coordinator_get_validator (coordinator);

      if (!ferry_validator_run (validator, NULL, &error))
        {
          ferry_cli_print_error (&options, error);
          return ferry_cli_exit_for_error (error);
        }

      /* A resumed migration has its own tables on the target already. */
      if (!ferry_validator_is_ready (validator) && !force && !ferry_coordinator_get_resuming (coordinator))
        {
          GListModel *checks = ferry_validator_get_checks (validator);

          if (options.json)
            {
              g_autoptr(JsonNode) node = ferry_validator_to_json (validator);
              ferry_cli_print_json (node);
            }
          else
            {
              g_print ("%s\n", _("Not ready; these checks failed:"));
              for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
                {
                  g_autoptr(FerryCheck) check = g_list_model_get_item (checks, i);
                  if (ferry_check_get_status (check) == FERRY_CHECK_STATUS_FAIL)
                    g_print ("  ✗ %s — %s\n", ferry_check_get_title (check),
                             ferry_check_get_summary (check) ? ferry_check_get_summary (check) : "");
                }
              g_print ("%s\n", _("Run “ferry-cli check” for the explanations and fixes, or --force to start anyway."));
            }
          return FERRY_EXIT_NOT_READY;
        }
    }

  /* notifications.webhooks: state changes, completion, escalations
   * (ferry-webhooks.c; the secret comes from the environment). */
  if (!(webhooks = ferry_webhooks_new_for_config (config, NULL, &error)))
    {
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }
  if (ferry_webhooks_get_n_urls (webhooks) > 0 && !ferry_webhooks_is_signed (webhooks) && !options.json)
    g_printerr ("%s\n", _("Warning: webhooks are not signed; set FERRY_WEBHOOK_SECRET to sign them"));
  ferry_webhooks_attach (webhooks, coordinator);

  g_signal_connect (coordinator, "event", G_CALLBACK (on_event), &ctx);
  g_signal_connect (coordinator, "table-failed", G_CALLBACK (on_table_failed), &ctx);
  g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), &ctx);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &ctx);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &ctx);

  ctx.started = g_get_monotonic_time ();
  ctx.last_line = ctx.started;
  if (!ferry_coordinator_start (coordinator, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  tick_id = g_timeout_add (ctx.tty ? 250 : 1000, progress_tick, &ctx);

  /* PAUSED waits for a resume (from ferry-cli resume, through the
   * journal), and with --wait ERROR waits for a resolution; every other
   * resting state ends the run. */
  for (;;)
    {
      state = ferry_coordinator_run_until_idle (coordinator);
      if (state != FERRY_STATE_PAUSED && !(wait_on_error && state == FERRY_STATE_ERROR))
        break;

      if (state == FERRY_STATE_ERROR && !options.json)
        {
          clear_bar (&ctx);
          g_print ("%s\n", _("Waiting: resolve the failed tables with “ferry-cli resolve”, "
                              "or “ferry-cli resume” or “ferry-cli stop”."));
        }
      wait_for_state_change (coordinator);
    }

  g_source_remove (tick_id);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  print_summary (&ctx);
  write_completion_report (&ctx, config);

  /* The last webhooks (the final state) go out before the process ends. */
  ferry_webhooks_detach (webhooks);
  if (ferry_webhooks_get_n_pending (webhooks) > 0 && !ferry_webhooks_flush (webhooks, 15000))
    g_printerr (_("Warning: %u webhook(s) could not be delivered\n"), ferry_webhooks_get_n_pending (webhooks));
  return exit_for_state (state);
}

/* Commands that act on a migration through the journal */

static FerryJournal *
open_journal (FerryCliOptions  *options,
              FerryConfig      *config,
              FerryConnection **connection_out,
              GError          **error)
{
  g_autoptr(FerryConnection) connection = ferry_connection_new (ferry_config_get_target (config), _("target"));
  g_autoptr(FerryJournal) journal = NULL;

  if (!ferry_connection_open (connection, ferry_config_get_connect_timeout (config),
                              ferry_config_get_query_timeout (config), NULL, error))
    return NULL;

  journal = ferry_journal_new (connection, ferry_config_get_journal_schema (config));
  if (!ferry_journal_exists (journal, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                     _("The target has no Ferry journal (schema “%s”): no migration ran there yet"),
                     ferry_config_get_journal_schema (config));
      return NULL;
    }

  if (connection_out != NULL)
    *connection_out = g_steal_pointer (&connection);
  return g_steal_pointer (&journal);
}

static gboolean
parse_and_load (int                argc,
                char             **argv,
                const char        *summary,
                const GOptionEntry *entries,
                FerryCliOptions   *options,
                FerryConfig      **config,
                GError           **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ferry_cli_common_group (options));

  return g_option_context_parse (context, &argc, &argv, error) &&
         (*config = ferry_cli_load_config (options, error)) != NULL;
}

/* "  Label          ": the labels of the status, padded by characters
 * (not bytes) so that translated ones line up too. */
static void
print_label (const char *label)
{
  g_autofree char *padded = ferry_cli_pad (label, 14);
  g_print ("  %s ", padded);
}

static void
print_status_text (FerryCliOptions *options,
                   JsonObject      *m)
{
  const char *state = json_object_get_string_member_with_default (m, "state", "?");
  gint64 chunks_total = json_object_get_int_member_with_default (m, "chunks_total", 0);
  gint64 chunks_done = json_object_get_int_member_with_default (m, "chunks_done", 0);
  gint64 bytes_total = json_object_get_int_member_with_default (m, "bytes_total", 0);
  gint64 bytes_done = json_object_get_int_member_with_default (m, "bytes_done", 0);
  g_autofree char *done = ferry_format_bytes (bytes_done);
  g_autofree char *total_size = ferry_format_bytes (bytes_total);
  g_autofree char *total = g_strdup_printf (_("%s of source tables, in %" PRId64 " chunks"),
                                           total_size, chunks_total);
  double age = json_object_get_double_member_with_default (m, "heartbeat_age_seconds", -1);

  g_print ("%s%s %" G_GINT64_FORMAT "%s  %s\n", ferry_cli_style (options, "bold"), _("Migration"),
           json_object_get_int_member (m, "migration_id"), ferry_cli_style (options, "reset"), state);
  print_label (_("Source"));
  g_print ("%s\n", json_object_get_string_member_with_default (m, "source", ""));
  print_label (_("Target"));
  g_print ("%s\n", json_object_get_string_member_with_default (m, "target", ""));
  print_label (_("Started"));
  g_print ("%s\n", json_object_get_string_member_with_default (m, "started_at", "—"));
  if (!json_object_get_null_member (m, "finished_at"))
    {
      print_label (_("Finished"));
      g_print ("%s\n", json_object_get_string_member_with_default (m, "finished_at", "—"));
    }
  print_label (_("Progress"));
  g_print ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " %s, %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " %s\n",
           json_object_get_int_member_with_default (m, "tables_done", 0),
           json_object_get_int_member_with_default (m, "tables_total", 0), _("tables"),
           chunks_done, chunks_total, _("chunks"));
  print_label (_("Copied"));
  g_print ("%'" G_GINT64_FORMAT " %s, %s %s\n", json_object_get_int_member_with_default (m, "rows_done", 0),
           _("rows"), done, _("of COPY data"));
  print_label (_("Planned"));
  g_print ("%s\n", total);
  {
    JsonObject *large = json_object_get_object_member (m, "large_objects");
    gint64 objects = large ? json_object_get_int_member_with_default (large, "objects", 0) : 0;

    if (objects > 0)
      {
        g_autofree char *size = ferry_format_bytes (json_object_get_int_member_with_default (large, "bytes", 0));

        print_label (_("Large objects"));
        g_print ("%'" G_GINT64_FORMAT " %s, %s\n", objects, _("copied"), size);
      }
  }
  print_label (_("Run on"));
  g_print ("%s (pid %" G_GINT64_FORMAT ")", json_object_get_string_member_with_default (m, "owner_host", "?"),
           json_object_get_int_member_with_default (m, "owner_pid", 0));
  if (age >= 0)
    g_print (_(", last heard of %.0f s ago"), age);
  g_print ("\n");
  if (json_object_get_int_member_with_default (m, "ddl_pending", 0) > 0)
    {
      print_label (_("Pending"));
      g_print ("%" G_GINT64_FORMAT " %s\n", json_object_get_int_member (m, "ddl_pending"),
               _("dropped constraints, indexes or trigger states to restore"));
    }

  if ((g_str_equal (state, "running") || g_str_equal (state, "paused")) && age > 30)
    g_print ("%s%s%s\n", ferry_cli_style (options, "warning"),
             _("The process running it seems gone. Run “ferry-cli run” to resume it."),
             ferry_cli_style (options, "reset"));
}

int
ferry_cli_status (int    argc,
                  char **argv)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(FerryConnection) connection = NULL;
  g_autoptr(JsonNode) migration = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  const GOptionEntry entries[] = {
    { "migration", 'm', 0, G_OPTION_ARG_INT64, &id, N_("The migration's journal id (default: the latest)"), N_("ID") },
    { NULL }
  };

  if (!parse_and_load (argc, argv,
                       _("Shows the state of the latest migration (or of --migration ID) as the target's "
                         "journal records it, wherever it runs."),
                       entries, &options, &config, &error) ||
      !(journal = open_journal (&options, config, &connection, &error)) ||
      (id == 0 && (id = ferry_journal_find_latest (journal, &error)) == 0 && error != NULL) ||
      (id == 0 && (g_set_error_literal (&error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                                        _("The journal holds no migration")), TRUE)) ||
      !(migration = ferry_journal_get_migration (journal, id, &error)))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  json_object_remove_member (json_node_get_object (migration), "config");
  if (options.json)
    ferry_cli_print_json (migration);
  else
    print_status_text (&options, json_node_get_object (migration));

  return FERRY_EXIT_OK;
}

/* pause, resume, stop, resolve: a request in the journal, which the
 * running process picks up within a second; then wait to see it done. */
static int
send_request (int         argc,
              char      **argv,
              const char *action,
              const char *summary)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryJournal) journal = NULL;
  g_autoptr(FerryConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_autofree char *resolution = NULL;
  g_autofree char *request = NULL;
  g_autofree char *initial_state = NULL;
  gint64 id = 0;
  int wait_seconds = 30;
  gboolean is_resolve = g_str_equal (action, "resolve");
  const GOptionEntry resolve_entries[] = {
    { "table", 0, 0, G_OPTION_ARG_STRING, &table, N_("The failed table, as Ferry names it"), N_("TABLE") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &resolution, N_("retry, skip, truncate-retry or abort"), N_("ACTION") },
    { "migration", 'm', 0, G_OPTION_ARG_INT64, &id, N_("The migration's journal id (default: the latest)"), N_("ID") },
    { "wait", 'w', 0, G_OPTION_ARG_INT, &wait_seconds, N_("Seconds to wait for the migration to act (default 30)"), N_("SECONDS") },
    { NULL }
  };
  const GOptionEntry entries[] = {
    { "migration", 'm', 0, G_OPTION_ARG_INT64, &id, N_("The migration's journal id (default: the latest)"), N_("ID") },
    { "wait", 'w', 0, G_OPTION_ARG_INT, &wait_seconds, N_("Seconds to wait for the migration to act (default 30)"), N_("SECONDS") },
    { NULL }
  };

  if (!parse_and_load (argc, argv, summary, is_resolve ? resolve_entries : entries,
                       &options, &config, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (is_resolve)
    {
      int value;

      if (table == NULL || resolution == NULL ||
          !ferry_enum_from_nick (FERRY_TYPE_RESOLUTION, resolution, &value))
        {
          g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("resolve needs --table TABLE and --action retry|skip|truncate-retry|abort"));
          ferry_cli_print_error (&options, error);
          return FERRY_EXIT_USAGE;
        }
      request = g_strdup_printf ("resolve %s %s", resolution, table);
    }
  else
    request = g_strdup (action);

  if (!(journal = open_journal (&options, config, &connection, &error)))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (id == 0)
    id = ferry_journal_find_latest (journal, &error);
  if (id == 0)
    {
      if (error == NULL)
        g_set_error_literal (&error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("The journal holds no migration"));
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  {
    g_autoptr(JsonNode) before = ferry_journal_get_migration (journal, id, &error);
    JsonObject *m;

    if (before == NULL)
      {
        ferry_cli_print_error (&options, error);
        return ferry_cli_exit_for_error (error);
      }
    m = json_node_get_object (before);
    initial_state = g_strdup (json_object_get_string_member_with_default (m, "state", ""));

    if (!g_str_equal (initial_state, "running") && !g_str_equal (initial_state, "paused") &&
        !g_str_equal (initial_state, "error"))
      {
        g_set_error (&error, FERRY_ERROR, FERRY_ERROR_STATE,
                     _("Migration %" PRId64 " is %s: there is nothing to %s"),
                     id, initial_state, action);
        ferry_cli_print_error (&options, error);
        return FERRY_EXIT_FAILED;
      }
    if (json_object_get_double_member_with_default (m, "heartbeat_age_seconds", 0) > 30)
      g_printerr ("%s\n", _("Warning: the process running this migration has not been heard of for more than 30 s; "
                            "the request waits in the journal until a “ferry-cli run” picks the migration up."));
  }

  if (!ferry_journal_request (journal, id, request, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  /* Wait until the running process has taken the request. */
  for (int waited = 0; waited < wait_seconds * 4; waited++)
    {
      g_autoptr(JsonNode) now = NULL;
      const char *pending;

      g_usleep (G_USEC_PER_SEC / 4);
      now = ferry_journal_get_migration (journal, id, NULL);
      if (now == NULL)
        continue;
      pending = json_object_get_string_member_with_default (json_node_get_object (now), "request", NULL);
      if (pending != NULL)
        {
          const char *state = json_object_get_string_member_with_default (json_node_get_object (now), "state", "?");

          /* It ended meanwhile (completed, stopped…) without taking the
           * request: withdraw it, or a later resumed run would act on a
           * request nobody means any more. */
          if (!g_str_equal (state, "running") && !g_str_equal (state, "paused") && !g_str_equal (state, "error"))
            {
              g_autofree char *withdrawn = ferry_journal_take_request (journal, id, NULL);

              g_printerr (_("Migration %" PRId64 " ended (%s) before it took the request “%s”.\n"),
                          id, state, request);
              return FERRY_EXIT_FAILED;
            }
        }
      else
        {
          const char *state = json_object_get_string_member_with_default (json_node_get_object (now), "state", "?");
          if (options.json)
            emit_event_json ("request-taken", "request", request, "state", state);
          else
            g_print (_("Migration %" PRId64 " took the request “%s”; it is now %s.\n"),
                     id, request, state);
          return FERRY_EXIT_OK;
        }
    }

  g_printerr (_("The request “%s” is waiting in the journal: no running Ferry took it within %d s.\n"),
              request, wait_seconds);
  return FERRY_EXIT_FAILED;
}

int
ferry_cli_pause (int    argc,
                 char **argv)
{
  return send_request (argc, argv, "pause",
                       _("Pauses the running migration: no new chunk starts, running chunks finish."));
}

int
ferry_cli_resume (int    argc,
                  char **argv)
{
  return send_request (argc, argv, "resume", _("Resumes a paused migration."));
}

int
ferry_cli_stop (int    argc,
                char **argv)
{
  return send_request (argc, argv, "stop",
                       _("Stops the running migration: running chunks are cancelled and rolled back. "
                         "“ferry-cli run” resumes it later from the journal."));
}

int
ferry_cli_resolve (int    argc,
                   char **argv)
{
  return send_request (argc, argv, "resolve",
                       _("Resolves a failed table of the running migration: retry it, skip it, "
                         "truncate it on the target and copy it again, or abort the migration."));
}
