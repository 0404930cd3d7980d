/* bench-service.c — ferry-cli serve under load during a migration
 *
 * Prints figures; passes or fails nothing (but fails if a run does not
 * complete). One throwaway cluster, the sample database at a larger scale
 * in the source, and three migrations into fresh targets, each driven by
 * a `ferry-cli serve` process on 127.0.0.1:
 *
 *  (1, 3) without load, before and after (2): one WebSocket client (to
 *      see the end) and one status request a second (the latency at rest);
 *  (2) under load: 20 WebSocket clients taking every message, and waves
 *      of 200 concurrent GET /status requests, back to back (a wave
 *      starts when the previous one has been answered, after 50 ms),
 *      for as long as the migration runs, at most 2000 waves.
 *
 * For each: the migration's throughput (bytes of COPY data over the
 * seconds of the run, as the service's last progress message has them,
 * and over the wall time from POST start to the completed message), the
 * status requests' latency (p50, p99, max), the messages the stream
 * clients received, and the CPU time of the ferry-cli process. Everything
 * is local: the bench's client competes for the same 2 cores as the
 * servers and ferry-cli, which is part of what it measures.
 *
 * Environment: FERRY_BENCH_SCALE (default 150, about 500 MB, a run of
 * about a minute on 2 cores), FERRY_BENCH_PARALLEL (max_parallel,
 * default 2), FERRY_BENCH_REQUESTS (per wave, default 200),
 * FERRY_BENCH_CLIENTS (WebSocket clients, default 20).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "ferry-service-tokens.h"
#include "ferry-test-migrate.h"

#define CONTROL_TOKEN "bench-control-token-0123456789abcdef"
#define READ_TOKEN    "bench-read-token-0123456789abcdef"
#define MAX_WAVES     2000

static FerryTestCluster *cluster;
static char *source;
static char *workdir;
static char *token_file;
static SoupSession *session;

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double)G_USEC_PER_SEC;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint)g_ascii_strtoull (value, NULL, 10) : fallback;
}

/* ------------------------------------------------------------------ */
/* The HTTP side                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
  GArray     *latencies;     /* double, ms */
  guint       in_flight;
  guint       failed;
  GHashTable *reasons;       /* why requests failed → how many times */
} Load;

typedef struct {
  Load    *load;
  double   started;
} Request;

static void
request_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  double ms = (now_seconds () - request->started) * 1000.0;

  if (error != NULL || soup_message_get_status (msg) != 200)
    {
      g_autofree char *reason = error ? g_strdup (error->message)
                                      : g_strdup_printf ("HTTP %u", soup_message_get_status (msg));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (request->load->reasons, reason));

      request->load->failed++;
      g_hash_table_replace (request->load->reasons, g_steal_pointer (&reason), GUINT_TO_POINTER (n + 1));
    }
  else
    g_array_append_val (request->load->latencies, ms);
  request->load->in_flight--;
  g_free (request);
}

static void
send_status (const char *base,
             Load       *load)
{
  g_autofree char *url = g_strconcat (base, "status", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Request *request = g_new0 (Request, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " READ_TOKEN);
  request->load = load;
  request->started = now_seconds ();
  load->in_flight++;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, request_done, request);
}

typedef struct {
  gboolean done;
  guint    status;
} Post;

static void
post_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Post *post = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  post->status = soup_message_get_status (msg);
  post->done = TRUE;
}

static guint
post (const char *base,
      const char *path,
      const char *body)
{
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  Post result = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " CONTROL_TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, post_done, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  return result.status;
}

/* ------------------------------------------------------------------ */
/* The stream                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
  SoupWebsocketConnection *connection;
  gboolean                 connected;
  guint64                  messages;
  guint64                  bytes;
  gboolean                 completed;     /* saw the state message to completed */
  JsonObject              *final_progress;
  double                   completed_at;
} Client;

static void
client_message (SoupWebsocketConnection *connection,
                SoupWebsocketDataType    type,
                GBytes                  *message,
                Client                  *client)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  client->messages++;
  client->bytes += length;

  /* Only the state messages ("type" comes first) are parsed: the rest
   * is counted. */
  if (g_strstr_len (data, MIN (length, 32), "\"type\":\"state\"") != NULL &&
      g_strstr_len (data, length, "\"to\":\"completed\"") != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, data, length, NULL))
        {
          JsonObject *o = json_node_get_object (json_parser_get_root (parser));
          client->final_progress = json_object_ref (json_object_get_object_member (o, "progress"));
        }
      client->completed = TRUE;
      client->completed_at = now_seconds ();
    }
}

static void
client_connected (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;

  client->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (client->connection == NULL)
    g_error ("WebSocket: %s", error->message);
  soup_websocket_connection_set_max_incoming_payload_size (client->connection, 16 * 1024 * 1024);
  g_signal_connect (client->connection, "message", G_CALLBACK (client_message), client);
  client->connected = TRUE;
}

static Client *
client_connect (const char *base)
{
  g_autofree char *url = g_strdup_printf ("%sevents/stream?access_token=%s", base, READ_TOKEN);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Client *client = g_new0 (Client, 1);

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, client_connected, client);
  while (!client->connected)
    g_main_context_iteration (NULL, TRUE);
  return client;
}

static void
client_free (Client *client)
{
  if (client->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->connection, client);
      if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (client->connection);
    }
  g_clear_pointer (&client->final_progress, json_object_unref);
  g_free (client);
}

/* ------------------------------------------------------------------ */
/* One run                                                             */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *name;
  double      seconds;          /* the run's, from its last progress */
  double      wall;             /* POST start → completed message */
  guint64     bytes;
  guint64     rows;
  double      mb_per_second;
  double      wall_mb_per_second;
  double      cpu_seconds;
  double      bench_cpu_seconds;  /* this process: the clients */
  GArray     *latencies;
  guint       failed;
  GHashTable *reasons;
  guint       waves;
  guint64     stream_messages;  /* per client, the least */
  guint64     stream_messages_max;
  guint64     stream_bytes;
  guint       clients;
} Figures;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  if (values->len == 0)
    return 0;
  index = (guint)(p * (values->len - 1) + 0.5);
  return g_array_index (values, double, MIN (index, values->len - 1));
}

static void
run (Figures *figures,
     guint    n_clients,
     guint    wave_size)
{
  g_autofree char *name = g_strdup_printf ("bench_%s", figures->name);
  g_autofree char *target = ferry_test_new_database (cluster, name, "bench_template");
  g_autoptr(FerryConfig) config = ferry_test_config_new (source, target);
  g_autofree char *config_name = g_strdup_printf ("%s.yaml", figures->name);
  g_autofree char *config_path = NULL;
  g_autofree char *cli = ferry_test_cli_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify)client_free);
  g_autofree char *line = NULL;
  g_autofree char *base = NULL;
  Load load = { 0 };
  struct rusage usage;
  double started, last_wave = 0, last_probe = 0;
  Client *watcher;
  int stdout_fd, status;
  GPid pid;

  /* Chunks of 16 MB, two workers: what a small server would use. */
  ferry_config_set_max_parallel (config, env_uint ("FERRY_BENCH_PARALLEL", 2));
  ferry_config_set_chunk_size (config, 16 * 1024 * 1024);
  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_NONE);
  config_path = ferry_test_config_write (config, workdir, config_name);

  {
    const char *argv[] = { cli, "serve", "--config", config_path, "--json", "--listen", "127.0.0.1:0",
                           "--token-file", token_file, NULL };

    g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                              NULL, NULL, &pid, NULL, &stdout_fd, NULL, &error);
    g_assert_no_error (error);
  }
  out = g_io_channel_unix_new (stdout_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_io_channel_read_line (out, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !json_parser_load_from_data (parser, line, -1, &error))
    g_error ("ferry-cli serve did not say where it listens");
  base = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "url"));

  load.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  load.reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  watcher = client_connect (base);
  g_ptr_array_add (clients, watcher);
  for (guint i = 1; i < n_clients; i++)
    g_ptr_array_add (clients, client_connect (base));

  getrusage (RUSAGE_SELF, &usage);
  figures->bench_cpu_seconds = -(usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                                 usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
  started = now_seconds ();
  if (post (base, "actions/start", "{\"check\": false}") != 202)
    g_error ("POST actions/start was refused");

  while (!watcher->completed)
    {
      double now = now_seconds ();

      if (wave_size > 0 && load.in_flight == 0 && figures->waves < MAX_WAVES && now - last_wave >= 0.05)
        {
          for (guint i = 0; i < wave_size; i++)
            send_status (base, &load);
          figures->waves++;
          last_wave = now;
        }
      else if (wave_size == 0 && now - last_probe >= 1.0 && load.in_flight == 0)
        {
          send_status (base, &load);
          last_probe = now;
        }
      g_main_context_iteration (NULL, TRUE);
      if (now - started > 1800)
        g_error ("the migration did not complete within 30 minutes");
    }
  while (load.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);

  getrusage (RUSAGE_SELF, &usage);
  figures->bench_cpu_seconds += usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                                usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  figures->wall = watcher->completed_at - started;
  figures->bytes = json_object_get_int_member (watcher->final_progress, "bytes_done");
  figures->rows = json_object_get_int_member (watcher->final_progress, "rows_done");
  figures->seconds = json_object_get_double_member (watcher->final_progress, "elapsed_seconds");
  figures->mb_per_second = figures->seconds > 0 ? figures->bytes / figures->seconds / (1024.0 * 1024.0) : 0;
  figures->wall_mb_per_second = figures->bytes / figures->wall / (1024.0 * 1024.0);
  figures->clients = n_clients;

  /* Let the stream's last messages arrive, then count. */
  {
    double until = now_seconds () + 1.0;
    while (now_seconds () < until)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  }
  figures->stream_messages = G_MAXUINT64;
  for (guint i = 0; i < clients->len; i++)
    {
      Client *c = g_ptr_array_index (clients, i);
      figures->stream_messages = MIN (figures->stream_messages, c->messages);
      figures->stream_messages_max = MAX (figures->stream_messages_max, c->messages);
      figures->stream_bytes += c->bytes;
    }
  g_ptr_array_set_size (clients, 0);

  /* The service leaves on SIGTERM (the last wave answered); its CPU time */
  kill (pid, SIGTERM);
  while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("ferry-cli serve ended with status %d", status);
  figures->cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;

  g_array_sort (load.latencies, compare_double);
  figures->latencies = load.latencies;
  figures->failed = load.failed;
  figures->reasons = load.reasons;

  /* The same number of rows on both sides (the tests compare the data). */
  {
    gint64 done = ferry_test_int_at (target, "SELECT sum(rows) FROM ferry.chunk");
    if (done != (gint64)figures->rows)
      g_error ("the journal has %" G_GINT64_FORMAT " rows, the service said %" G_GUINT64_FORMAT, done, figures->rows);
  }
}

static void
print_figures (const Figures *f)
{
  g_print ("%-10s  %7.1f MB/s  (%'" G_GUINT64_FORMAT " bytes, %'" G_GUINT64_FORMAT " rows in %.1f s; "
           "%.1f MB/s over %.1f s wall)\n",
           f->name, f->mb_per_second, f->bytes, f->rows, f->seconds, f->wall_mb_per_second, f->wall);
  g_print ("            CPU: ferry-cli serve %.1f s (migration and service); the bench's clients %.1f s\n",
           f->cpu_seconds, f->bench_cpu_seconds);
  g_print ("            GET /status: %u answered, %u failed, %u waves; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
           f->latencies->len, f->failed, f->waves, percentile (f->latencies, 0.50), percentile (f->latencies, 0.99),
           percentile (f->latencies, 1.0));
  if (f->reasons != NULL)
    {
      GHashTableIter iter;
      gpointer reason, count;

      g_hash_table_iter_init (&iter, f->reasons);
      while (g_hash_table_iter_next (&iter, &reason, &count))
        g_print ("              failed: %u × %s\n", GPOINTER_TO_UINT (count), (const char *)reason);
    }
  g_print ("            stream: %u client(s), %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT " messages each, %.1f MB in all\n",
           f->clients, f->stream_messages, f->stream_messages_max, f->stream_bytes / (1024.0 * 1024.0));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryServiceTokens) tokens = ferry_service_tokens_new ();
  guint scale = env_uint ("FERRY_BENCH_SCALE", 150);
  guint wave = env_uint ("FERRY_BENCH_REQUESTS", 200);
  guint n_clients = env_uint ("FERRY_BENCH_CLIENTS", 20);
  Figures quiet = { .name = "no-load-1" };
  Figures loaded = { .name = "load" };
  Figures quiet2 = { .name = "no-load-2" };
  double baseline;
  double t0;

  setlocale (LC_ALL, "");
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTP_PROXY");

  if (ferry_test_skip_unless_postgres ())
    return 0;

  workdir = g_dir_make_tmp ("ferry-bench-service-XXXXXX", &error);
  g_assert_no_error (error);
  token_file = g_build_filename (workdir, "tokens.json", NULL);
  ferry_service_tokens_add (tokens, "control", FERRY_TOKEN_KIND_CONTROL, CONTROL_TOKEN, &error);
  g_assert_no_error (error);
  ferry_service_tokens_add (tokens, "read-only", FERRY_TOKEN_KIND_READ_ONLY, READ_TOKEN, &error);
  g_assert_no_error (error);
  ferry_service_tokens_save (tokens, token_file, &error);
  g_assert_no_error (error);

  session = soup_session_new_with_options ("max-conns", 1024, "max-conns-per-host", 1024,
                                           "timeout", 120, NULL);
  soup_session_set_proxy_resolver (session, NULL);

  g_print ("Sample at scale %u; %u concurrent status requests per wave, %u WebSocket clients; all on 127.0.0.1\n",
           scale, wave, n_clients);
  t0 = now_seconds ();
  cluster = ferry_test_cluster_start_with_sample ("source", scale, &source);
  ferry_test_make_template (cluster, "bench_template", source);
  g_print ("Loaded in %.0f s\n", now_seconds () - t0);

  /* Without load before and after the run under load: the first run
   * of a fresh cluster pays for its caches and checkpoints. */
  run (&quiet, 1, 0);
  print_figures (&quiet);
  run (&loaded, n_clients, wave);
  print_figures (&loaded);
  run (&quiet2, 1, 0);
  print_figures (&quiet2);

  baseline = (quiet.mb_per_second + quiet2.mb_per_second) / 2;
  g_print ("Throughput under load: %.1f MB/s against %.1f MB/s without (the mean of %.1f and %.1f): %+.1f %%\n",
           loaded.mb_per_second, baseline, quiet.mb_per_second, quiet2.mb_per_second,
           baseline > 0 ? 100.0 * (loaded.mb_per_second - baseline) / baseline : 0.0);

  g_clear_pointer (&quiet.latencies, g_array_unref);
  g_clear_pointer (&quiet2.latencies, g_array_unref);
  g_clear_pointer (&quiet.reasons, g_hash_table_unref);
  g_clear_pointer (&quiet2.reasons, g_hash_table_unref);
  g_clear_pointer (&loaded.reasons, g_hash_table_unref);
  g_clear_pointer (&loaded.latencies, g_array_unref);
  g_clear_object (&session);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  {
    g_autofree char *quoted = g_shell_quote (workdir);
    g_autofree char *command = g_strdup_printf ("rm -rf %s", quoted);
    const char *args[] = { "sh", "-c", command, NULL };
    g_spawn_sync (NULL, (char **)args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}
