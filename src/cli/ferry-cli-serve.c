/* ferry-cli-serve.c — `ferry-cli serve`: the migration as a service
 *
 * Reads the catalogs and plans (as `run` does), then serves the
 * coordinator over REST and a WebSocket (FerryService) until SIGINT or
 * SIGTERM; the migration starts when a control client POSTs
 * /api/v1/actions/start, or at once with --start.
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
#include "ferry-service.h"
#include "ferry-webhooks.h"

typedef struct {
  FerryCliOptions  *options;
  FerryCoordinator *coordinator;
  GMainLoop        *loop;
  guint             interrupts;
  gboolean          exit_when_done;
  gboolean          quitting;
} ServeContext;

static void
emit_line (FerryCliOptions *options,
           JsonObject      *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *text = NULL;

  /* One line per event, at once: scripts read them as they come. */
  json_object_set_string_member (object, "at", at);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
maybe_quit (ServeContext *ctx)
{
  FerryState state = ferry_coordinator_get_state (ctx->coordinator);

  if (state == FERRY_STATE_RUNNING)
    return;
  if (ctx->quitting ||
      (ctx->exit_when_done && (state == FERRY_STATE_COMPLETED || state == FERRY_STATE_STOPPED ||
                               state == FERRY_STATE_ERROR)))
    g_main_loop_quit (ctx->loop);
}

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  ServeContext     *ctx)
{
  if (ctx->options->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();

      json_object_set_string_member (o, "event", "state");
      json_object_set_string_member (o, "from", ferry_enum_to_nick (FERRY_TYPE_STATE, old_state));
      json_object_set_string_member (o, "to", ferry_enum_to_nick (FERRY_TYPE_STATE, new_state));
      emit_line (ctx->options, o);
    }
  else
    g_print (_("Migration %" PRId64 ": %s → %s\n"), ferry_coordinator_get_migration_id (c),
             ferry_state_to_string (old_state), ferry_state_to_string (new_state));
  maybe_quit (ctx);
}

static gboolean
on_signal (gpointer user_data)
{
  ServeContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  ctx->interrupts++;
  if (ctx->interrupts > 1)
    {
      g_printerr ("%s\n", _("Interrupted again: leaving now. “ferry-cli run” or “serve” resumes from the journal."));
      _exit (FERRY_EXIT_STOPPED);
    }

  ctx->quitting = TRUE;
  if (ferry_coordinator_get_state (ctx->coordinator) == FERRY_STATE_RUNNING)
    {
      g_printerr ("%s\n", _("Stopping the migration (running chunks roll back), then the service…"));
      if (!ferry_coordinator_stop (ctx->coordinator, &error))
        g_printerr ("%s\n", error->message);
    }
  maybe_quit (ctx);
  return G_SOURCE_CONTINUE;
}

int
ferry_cli_serve (int    argc,
                 char **argv)
{
  g_auto(FerryCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FerryConfig) config = NULL;
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(FerryServiceTokens) tokens = NULL;
  g_autoptr(FerryWebhooks) webhooks = NULL;
  g_autoptr(FerryService) service = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *address = NULL;
  g_autofree char *url = NULL;
  gboolean start = FALSE, force = FALSE, no_check = FALSE, exit_when_done = FALSE;
  gboolean created = FALSE;
  guint port = FERRY_SERVICE_DEFAULT_PORT;
  guint sigint_id, sigterm_id;
  ServeContext ctx = { 0 };
  FerryState state;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on ADDRESS:PORT (default 127.0.0.1:8431; [::1]:PORT for IPv6; port 0 picks a free one)"),
      N_("ADDRESS:PORT") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("The bearer tokens (default $XDG_CONFIG_HOME/ferry/service-tokens.json; created, mode 0600, when missing)"),
      N_("FILE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with this certificate (PEM); needs --tls-key"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The certificate's private key (PEM)"), N_("FILE") },
    { "start", 0, 0, G_OPTION_ARG_NONE, &start,
      N_("Start the migration at once (after the readiness checks) instead of waiting for POST actions/start"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("With --start: start even when a readiness check fails"), NULL },
    { "no-check", 0, 0, G_OPTION_ARG_NONE, &no_check,
      N_("With --start: do not run the readiness checks first"), NULL },
    { "exit-when-done", 0, 0, G_OPTION_ARG_NONE, &exit_when_done,
      N_("Leave once the migration has completed, stopped or failed (default: serve until SIGTERM)"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("Runs the migration as a service: a REST API and a WebSocket stream of events under /api/v1/ "
      "(data/openapi.yaml describes them), with bearer-token authentication — read-only tokens may "
      "read, control tokens may also start, pause, resume, stop and resolve. Every action is recorded "
      "in the journal with the token's name and the client's address. Webhooks of the configuration "
      "are sent on state changes, completion and escalations, signed with HMAC-SHA256 when "
      "FERRY_WEBHOOK_SECRET (or FERRY_WEBHOOK_SECRET_FILE) is set or the token file has a "
      "webhook_secret.\n\n"
      "The service listens on the loopback interface unless --listen says otherwise. SIGINT or "
      "SIGTERM stops a running migration cleanly (it resumes later from the journal) and ends "
      "the service.\n\n"
      "Exit status: 0 served and ended, 2 bad arguments or configuration, 3 a server could not be "
      "reached, 4 other errors; with --exit-when-done, as “run”: 0 completed, 5 failed, 6 stopped."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, ferry_cli_common_group (&options));

  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      !(config = ferry_cli_load_config (&options, &error)))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }

  if (!ferry_service_parse_listen (listen ? listen : FERRY_SERVICE_DEFAULT_ADDRESS, &address, &port, &error))
    {
      g_prefix_error (&error, "--listen: ");
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--tls-cert and --tls-key go together"));
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }
  if (tls_cert != NULL && !(certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error)))
    {
      g_prefix_error (&error, "--tls-cert/--tls-key: ");
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  if (token_file == NULL)
    token_file = ferry_service_tokens_default_path ();
  if (!(tokens = ferry_service_tokens_load_or_create (token_file, &created, &error)))
    {
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  if (!(webhooks = ferry_webhooks_new_for_config (config, ferry_service_tokens_get_webhook_secret (tokens), &error)))
    {
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_USAGE;
    }

  coordinator = ferry_coordinator_new (config);
  if (!options.json)
    g_print ("%s\n", _("Reading both catalogs and planning…"));
  if (!ferry_coordinator_initialize (coordinator, NULL, &error))
    {
      ferry_cli_print_error (&options, error);
      return ferry_cli_exit_for_error (error);
    }
  ferry_webhooks_attach (webhooks, coordinator);

  service = ferry_service_new (coordinator, tokens);
  ferry_service_set_webhooks (service, webhooks);
  if (!ferry_service_listen (service, address, port, certificate, &error))
    {
      ferry_cli_print_error (&options, error);
      return FERRY_EXIT_FAILED;
    }
  url = ferry_service_dup_url (service);

  if (options.json)
    {
      g_autoptr(JsonObject) o = json_object_new ();

      json_object_set_string_member (o, "event", "listening");
      json_object_set_string_member (o, "url", url);
      json_object_set_int_member (o, "port", ferry_service_get_port (service));
      json_object_set_string_member (o, "token_file", token_file);
      json_object_set_boolean_member (o, "token_file_created", created);
      json_object_set_int_member (o, "migration_id", ferry_coordinator_get_migration_id (coordinator));
      json_object_set_string_member (o, "state", ferry_enum_to_nick (FERRY_TYPE_STATE,
                                                                      ferry_coordinator_get_state (coordinator)));
      json_object_set_int_member (o, "webhooks", ferry_webhooks_get_n_urls (webhooks));
      json_object_set_boolean_member (o, "webhooks_signed", ferry_webhooks_is_signed (webhooks));
      emit_line (&options, o);
    }
  else
    {
      g_print (_("Serving on %s\n"), url);
      g_print (_("  Tokens: %s%s (read them there; send “Authorization: Bearer TOKEN”)\n"), token_file,
               created ? _(", just created with a control and a read-only token") : "");
      if (ferry_webhooks_get_n_urls (webhooks) > 0)
        g_print (_("  Webhooks: %u URL(s), %s\n"), ferry_webhooks_get_n_urls (webhooks),
                 ferry_webhooks_is_signed (webhooks) ? _("signed (X-Ferry-Signature)")
                                                      : _("NOT signed: set FERRY_WEBHOOK_SECRET"));
      if (ferry_coordinator_get_resuming (coordinator))
        g_print (_("  Migration %" PRId64 " is unfinished in the journal: starting resumes it.\n"),
                 ferry_coordinator_get_migration_id (coordinator));
      g_print ("  %s\n", start ? _("Starting the migration…") : _("Waiting for POST /api/v1/actions/start."));
    }
  if (!ferry_service_address_is_loopback (address))
    g_printerr (_("Warning: listening on %s, beyond this machine%s\n"), address,
                certificate ? "" : _(", without TLS: tokens and data travel in clear text (use --tls-cert)"));

  loop = g_main_loop_new (NULL, FALSE);
  ctx.options = &options;
  ctx.coordinator = coordinator;
  ctx.loop = loop;
  ctx.exit_when_done = exit_when_done;
  g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), &ctx);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &ctx);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &ctx);

  if (start)
    {
      FerryValidator *validator = ferry_coordinator_get_validator (coordinator);

      if (!no_check && !ferry_coordinator_get_resuming (coordinator))
        {
          if (!ferry_validator_run (validator, NULL, &error))
            {
              ferry_cli_print_error (&options, error);
              return ferry_cli_exit_for_error (error);
            }
          if (!ferry_validator_is_ready (validator) && !force)
            {
              g_printerr ("%s\n", _("Not ready: a readiness check failed (GET /api/v1/readiness, or “ferry-cli check”); "
                                    "the service waits for POST actions/start with {\"force\": true}."));
              start = FALSE;
            }
        }
      if (start && !ferry_coordinator_start (coordinator, &error))
        {
          ferry_cli_print_error (&options, error);
          return ferry_cli_exit_for_error (error);
        }
    }

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (coordinator, &ctx);

  /* The journal's last lines, then the last webhooks (for a while). */
  state = ferry_coordinator_run_until_idle (coordinator);
  ferry_service_shutdown (service);
  if (ferry_webhooks_get_n_pending (webhooks) > 0 && !ferry_webhooks_flush (webhooks, 15000))
    g_printerr (_("Warning: %u webhook(s) could not be delivered before leaving\n"),
                ferry_webhooks_get_n_pending (webhooks));
  ferry_webhooks_detach (webhooks);

  if (!exit_when_done)
    return FERRY_EXIT_OK;
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
