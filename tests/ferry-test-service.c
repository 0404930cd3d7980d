/* ferry-test-service.c — what the tests of `ferry-cli serve` share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-test"

#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include "ferry-test-migrate.h"
#include "ferry-test-service.h"

void
ferry_test_service_loopback_only (void)
{
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
}

SoupSession *
ferry_test_service_session_new (void)
{
  SoupSession *session = soup_session_new_with_options ("timeout", 60, NULL);

  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

gboolean
ferry_test_service_accept_certificate (SoupMessage          *msg,
                                       GTlsCertificate      *certificate,
                                       GTlsCertificateFlags  errors,
                                       gpointer              trusted)
{
  return trusted != NULL && g_tls_certificate_is_same (certificate, trusted);
}

char *
ferry_test_service_source_new (FerryTestCluster *cluster,
                               guint             bulk_megabytes,
                               const char       *dup_table)
{
  char *source = ferry_test_cluster_new_sample (cluster, "source", 1.0);

  ferry_test_add_bulk (source, bulk_megabytes);
  ferry_test_sql_at (source,
                     "CREATE TABLE %s (id integer PRIMARY KEY, v text);"
                     "INSERT INTO %s SELECT i, 'row ' || i FROM generate_series(1, 50) AS i;"
                     "ANALYZE %s", dup_table, dup_table, dup_table);
  ferry_test_make_template (cluster, "target_template", source);
  return source;
}

void
ferry_test_remove_dir (const char *dir)
{
  g_autofree char *quoted = g_shell_quote (dir);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);
  const char *args[] = { "sh", "-c", command, NULL };

  g_spawn_sync (NULL, (char **)args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* --- ferry-cli serve as a program ----------------------------------------- */

FerryTestService *
ferry_test_service_new (const char *target,
                        const char *config,
                        const char *log,
                        const char *token_file)
{
  FerryTestService *service = g_new0 (FerryTestService, 1);

  service->target = g_strdup (target);
  service->config = g_strdup (config);
  service->log = g_strdup (log);
  service->token_file = g_strdup (token_file);
  return service;
}

void
ferry_test_service_set_tls (FerryTestService *service,
                            const char       *tls_cert,
                            const char       *tls_key)
{
  g_autoptr(GError) error = NULL;

  g_free (service->tls_cert);
  service->tls_cert = g_strdup (tls_cert);
  g_free (service->tls_key);
  service->tls_key = g_strdup (tls_key);
  g_clear_object (&service->certificate);
  service->certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
  g_assert_no_error (error);
}

/* Its output so far has the "listening" line. */
static gboolean
service_listening (gpointer data)
{
  FerryTestService *service = data;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (service->log, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;

      if (lines[i][0] != '{' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      o = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member_with_default (o, "event", ""), "listening") == 0)
        {
          g_autoptr(GUri) uri = NULL;

          g_clear_pointer (&service->listening, json_object_unref);
          service->listening = json_object_ref (o);
          g_free (service->url);
          service->url = g_strdup (json_object_get_string_member (o, "url"));
          uri = g_uri_parse (service->url, G_URI_FLAGS_NONE, NULL);
          service->port = g_uri_get_port (uri);
          g_free (service->root);
          service->root = g_strdup_printf ("%s://127.0.0.1:%u", service->tls_cert ? "https" : "http", service->port);
          return TRUE;
        }
    }
  if (g_subprocess_get_identifier (service->process) == NULL)
    {
      ferry_test_dump_file (service->log);
      g_error ("ferry-cli serve ended before it listened");
    }
  return FALSE;
}

void
ferry_test_service_spawn (FerryTestService *service,
                          guint             port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);

  g_unlink (service->log);
  g_clear_object (&service->process);
  /* Without TLS the arguments end at the first NULL. */
  service->process = ferry_test_cli_spawn (service->log, &error, "serve", "--config", service->config, "--json",
                                           "--listen", listen, "--token-file", service->token_file,
                                           service->tls_cert ? "--tls-cert" : NULL, service->tls_cert,
                                           "--tls-key", service->tls_key, NULL);
  g_assert_no_error (error);
  ferry_test_wait_for (service_listening, service, 120, "ferry-cli serve to listen");
}

static gboolean
process_gone (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

/* SIGTERM: the service stops a running migration cleanly and leaves.
 * Returns whether it left with status 0. */
gboolean
ferry_test_service_terminate (FerryTestService *service)
{
  if (service->process == NULL)
    return FALSE;
  if (g_subprocess_get_identifier (service->process) != NULL)
    g_subprocess_send_signal (service->process, SIGTERM);
  ferry_test_wait_for (process_gone, service->process, 60, "ferry-cli serve to leave");
  g_subprocess_wait (service->process, NULL, NULL);
  return g_subprocess_get_successful (service->process);
}

void
ferry_test_service_free (FerryTestService *service)
{
  ferry_test_service_terminate (service);
  g_clear_object (&service->process);
  g_clear_pointer (&service->listening, json_object_unref);
  g_free (service->target);
  g_free (service->config);
  g_free (service->log);
  g_free (service->token_file);
  g_free (service->tls_cert);
  g_free (service->tls_key);
  g_clear_object (&service->certificate);
  g_free (service->url);
  g_free (service->root);
  g_free (service);
}

JsonObject *
ferry_test_service_get (FerryTestService *service,
                        SoupSession      *session,
                        const char       *token,
                        const char       *path)
{
  g_autofree char *url = g_strconcat (service->url, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  if (service->certificate != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (ferry_test_service_accept_certificate),
                      service->certificate);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
