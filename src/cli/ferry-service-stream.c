/* ferry-service-stream.c — the WebSocket event stream, /api/v1/events/stream
 *
 * Every message is a JSON object with "type", "seq" (one counter for the
 * service's broadcasts, so that a client sees what it missed: a gap means
 * skipped progress samples, or types it filtered out) and "at":
 *
 *   hello         on connect: the API version and the whole status; its
 *                 seq is that of the last message sent to anyone; with
 *                 ?include=samples,tables also the monitor's samples so
 *                 far and every table
 *   state         a state change: from, to, and the progress figures;
 *                 to completed, stopped or error, the validation's results
 *   pausing       a pause was asked for, or withdrawn
 *   progress      the progress figures, at every monitor sample (1 s)
 *   tables        the tables whose status or progress changed (≤ 2/s)
 *   table-failed  a table failed: its error, class, SQLSTATE and chunk
 *   escalated     a critical error: the migration waits for the user
 *   event         what the audit trail records (phases, retries, requests)
 *   health        a new probe of both servers
 *
 * ?types=state,progress,… keeps only those types (hello always comes).
 *
 * Sending never waits: the message goes to libsoup's queue for the
 * connection, which writes it as the socket takes it. A client that does
 * not keep up would make that queue grow without end, so the service
 * watches what the kernel could not send yet on each client socket
 * (SIOCOUTQNSD): while there is some, the client is behind; progress samples are skipped for
 * it (the next one supersedes them), and once max_backlog bytes were
 * queued for it, or it has been behind for max_behind_seconds, it is
 * closed with 1008 and its queue dropped. The migration never notices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-service"

#include "config.h"

#include "ferry-service-private.h"

#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#ifdef __linux__
#include <linux/sockios.h>
#endif

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-error-handler.h"
#include "ferry-monitor.h"

#define FLUSH_INTERVAL_MS 500

typedef struct {
  FerryService            *service;     /* unowned */
  SoupWebsocketConnection *connection;
  GSocket                 *socket;
  char                    *client;
  char                    *actor;
  GHashTable              *types;       /* NULL: every type */
  gsize                    backlog;     /* bytes queued since the client was last caught up */
  gint64                   behind_since;
  guint64                  sent;
  guint64                  skipped;
  gulong                   closed_id;
  gboolean                 closing;
} StreamClient;

static void
stream_client_free (StreamClient *client)
{
  g_clear_signal_handler (&client->closed_id, client->connection);
  g_clear_object (&client->connection);
  g_clear_object (&client->socket);
  g_clear_pointer (&client->types, g_hash_table_unref);
  g_free (client->client);
  g_free (client->actor);
  g_free (client);
}

/* --- the objects the messages carry ------------------------------------ */

JsonObject *
ferry_service_table_object (FerryTable *table)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "name", ferry_table_get_display_name (table));
  json_object_set_string_member (o, "schema", ferry_table_get_schema (table));
  json_object_set_string_member (o, "table", ferry_table_get_name (table));
  json_object_set_string_member (o, "kind", ferry_enum_to_nick (FERRY_TYPE_TABLE_KIND, ferry_table_get_kind (table)));
  json_object_set_string_member (o, "status", ferry_enum_to_nick (FERRY_TYPE_TABLE_STATUS, ferry_table_get_status (table)));
  json_object_set_int_member (o, "level", ferry_table_get_level (table));
  json_object_set_int_member (o, "size_bytes", ferry_table_get_size_bytes (table));
  json_object_set_int_member (o, "row_estimate", ferry_table_get_row_estimate (table));
  json_object_set_int_member (o, "rows_done", ferry_table_get_rows_done (table));
  json_object_set_int_member (o, "bytes_done", ferry_table_get_bytes_done (table));
  json_object_set_double_member (o, "fraction", ferry_table_get_fraction (table));
  json_object_set_int_member (o, "attempts", ferry_table_get_attempts (table));
  if (ferry_table_get_last_error (table) != NULL)
    json_object_set_string_member (o, "last_error", ferry_table_get_last_error (table));
  else
    json_object_set_null_member (o, "last_error");
  return o;
}

JsonObject *
ferry_service_error_object (const GError *error,
                            int           error_class)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "message", error->message);
  if (error_class >= 0)
    json_object_set_string_member (o, "class", ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, error_class));
  json_object_set_string_member (o, "sqlstate", ferry_error_get_sqlstate (error));
  json_object_set_string_member (o, "detail", ferry_error_get_detail (error));
  json_object_set_string_member (o, "hint", ferry_error_get_hint (error));
  return o;
}

/* The part of the status that changes all the time. */
JsonObject *
ferry_service_progress_object (FerryService *self)
{
  FerryCoordinator *c = self->coordinator;
  FerryMonitor *monitor = ferry_coordinator_get_monitor (c);
  FerryTableList *tables = ferry_coordinator_get_tables (c);
  FerryErrorHandler *errors = ferry_coordinator_get_error_handler (c);
  GArray *samples = ferry_monitor_get_samples (monitor);
  JsonObject *o = json_object_new ();
  JsonObject *counts = json_object_new ();
  JsonObject *error_counts = json_object_new ();
  double eta = ferry_monitor_get_eta_seconds (monitor);

  json_object_set_int_member (o, "migration_id", ferry_coordinator_get_migration_id (c));
  json_object_set_string_member (o, "state", ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
  json_object_set_boolean_member (o, "pausing", ferry_coordinator_is_pausing (c));
  json_object_set_string_member (o, "phase", ferry_coordinator_get_phase (c));
  json_object_set_double_member (o, "percent", 100.0 * ferry_coordinator_get_fraction (c));
  json_object_set_int_member (o, "rows_done", ferry_coordinator_get_rows_done (c));
  json_object_set_int_member (o, "rows_total", ferry_coordinator_get_rows_total (c));
  json_object_set_int_member (o, "bytes_done", ferry_coordinator_get_bytes_done (c));
  json_object_set_int_member (o, "bytes_total", ferry_coordinator_get_bytes_total (c));
  json_object_set_int_member (o, "rows_resumed", ferry_coordinator_get_rows_resumed (c));
  json_object_set_int_member (o, "bytes_resumed", ferry_coordinator_get_bytes_resumed (c));
  json_object_set_int_member (o, "chunks_done", ferry_coordinator_get_chunks_done (c));
  json_object_set_int_member (o, "chunks_total", ferry_coordinator_get_chunks_total (c));
  json_object_set_int_member (o, "running", ferry_coordinator_get_n_running (c));
  json_object_set_int_member (o, "max_parallel", ferry_config_get_max_parallel (ferry_coordinator_get_config (c)));
  json_object_set_boolean_member (o, "resuming", ferry_coordinator_get_resuming (c));
  json_object_set_double_member (o, "rows_per_second", ferry_monitor_get_rows_per_second (monitor));
  json_object_set_double_member (o, "bytes_per_second", ferry_monitor_get_bytes_per_second (monitor));
  if (eta >= 0)
    json_object_set_double_member (o, "eta_seconds", eta);
  else
    json_object_set_null_member (o, "eta_seconds");
  json_object_set_double_member (o, "elapsed_seconds",
                                 samples != NULL && samples->len > 0
                                   ? g_array_index (samples, FerrySample, samples->len - 1).elapsed : 0.0);

  json_object_set_int_member (counts, "total", g_list_model_get_n_items (G_LIST_MODEL (tables)));
  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    json_object_set_int_member (counts, ferry_enum_to_nick (FERRY_TYPE_TABLE_STATUS, s),
                                ferry_table_list_count_status (tables, s));
  json_object_set_object_member (o, "tables", counts);

  for (guint e = 0; e < FERRY_ERROR_CLASS_LAST; e++)
    json_object_set_int_member (error_counts, ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, e),
                                ferry_error_handler_get_count (errors, e));
  json_object_set_object_member (o, "errors", error_counts);
  return o;
}

/* The whole status (GET status, the stream's hello): the coordinator's,
 * and what only the service adds to it, so that a client that attaches
 * at any time sees what a window of a local run shows — the time since
 * the run started, the workers it may run, whether a start resumes the
 * journal's migration, and the validation's results. */
JsonNode *
ferry_service_status_node (FerryService *self)
{
  FerryCoordinator *c = self->coordinator;
  GArray *samples = ferry_monitor_get_samples (ferry_coordinator_get_monitor (c));
  JsonNode *node = ferry_coordinator_status (c);
  JsonObject *o = json_node_get_object (node);

  if (samples != NULL && samples->len > 0)
    json_object_set_double_member (o, "elapsed_seconds", g_array_index (samples, FerrySample, samples->len - 1).elapsed);
  else
    json_object_set_null_member (o, "elapsed_seconds");
  json_object_set_int_member (o, "max_parallel", ferry_config_get_max_parallel (ferry_coordinator_get_config (c)));
  json_object_set_boolean_member (o, "resuming", ferry_coordinator_get_resuming (c));
  json_object_set_member (o, "validation", ferry_coordinator_get_validation (c));
  return node;
}

/* --- sending ----------------------------------------------------------- */

/* Bytes written to the socket that the kernel could not send yet: the
 * peer's window is full, it does not read. (Not TIOCOUTQ, which also
 * counts what is sent and not acknowledged yet — a healthy client's
 * delayed ACK would look like a slow client.) */
static gsize
unsent_bytes (StreamClient *client)
{
  int n = 0;

  if (client->socket == NULL)
    return 0;
#if defined(SIOCOUTQNSD)
  if (ioctl (g_socket_get_fd (client->socket), SIOCOUTQNSD, &n) == 0)
    return n > 0 ? n : 0;
#elif defined(TIOCOUTQ)
  if (ioctl (g_socket_get_fd (client->socket), TIOCOUTQ, &n) == 0)
    return n > 0 ? n : 0;
#endif
  return 0;
}

static void
drop_client (StreamClient *client,
             const char   *why)
{
  if (client->closing)
    return;
  client->closing = TRUE;
  g_message ("Closing the event stream of %s (%s): %s", client->client, client->actor, why);
  soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, why);
}

static void
send_to (StreamClient *client,
         const char   *type,
         const char   *text,
         gsize         length,
         gboolean      droppable)
{
  FerryService *self = client->service;
  gint64 now = g_get_monotonic_time ();

  if (client->closing ||
      soup_websocket_connection_get_state (client->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  if (client->types != NULL && !g_hash_table_contains (client->types, type))
    return;

  if (unsent_bytes (client) == 0)
    {
      client->backlog = 0;
      client->behind_since = 0;
    }
  else
    {
      if (client->behind_since == 0)
        client->behind_since = now;
      if (droppable)
        {
          client->skipped++;
          return;
        }
      if (client->backlog + length > self->max_backlog)
        {
          drop_client (client, "too slow: its backlog is over the limit");
          return;
        }
      if (now - client->behind_since > (gint64)self->max_behind_seconds * G_USEC_PER_SEC)
        {
          drop_client (client, "too slow: behind for too long");
          return;
        }
    }

  client->backlog += length;
  client->sent++;
  soup_websocket_connection_send_text (client->connection, text);
}

/* @count: a broadcast takes the next "seq"; a hello carries the last
 * one (the client is up to date with it), so that the broadcasts any
 * client sees are numbered without gaps. */
static char *
finish_message (FerryService *self,
                JsonObject   *message,
                gboolean      count,
                gsize        *length)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  json_object_set_int_member (message, "seq", count ? ++self->seq : self->seq);
  json_object_set_string_member (message, "at", at);
  node = json_node_init_object (json_node_alloc (), message);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, length);
}

void
ferry_service_broadcast (FerryService *self,
                         JsonObject   *message)
{
  g_autofree char *text = NULL;
  const char *type;
  gboolean droppable;
  gsize length;

  g_return_if_fail (FERRY_IS_SERVICE (self));
  g_return_if_fail (message != NULL);

  if (self->clients == NULL || self->clients->len == 0)
    return;

  type = json_object_get_string_member_with_default (message, "type", "message");
  droppable = g_str_equal (type, "progress");
  text = finish_message (self, message, TRUE, &length);

  /* A copy of the list: a client may close (and leave it) meanwhile. */
  {
    g_autoptr(GPtrArray) clients = g_ptr_array_sized_new (self->clients->len);

    for (guint i = 0; i < self->clients->len; i++)
      g_ptr_array_add (clients, g_ptr_array_index (self->clients, i));

    for (guint i = 0; i < clients->len; i++)
      send_to (g_ptr_array_index (clients, i), type, text, length, droppable);
  }
}

static void
broadcast_take (FerryService *self,
                JsonObject   *message)
{
  ferry_service_broadcast (self, message);
  json_object_unref (message);
}

static JsonObject *
new_message (const char *type)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "type", type);
  return message;
}

/* --- what the coordinator says ----------------------------------------- */

static void send_dirty_tables (FerryService *self);

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  FerryService     *self)
{
  JsonObject *message;
  GError *last_error = ferry_coordinator_get_last_error (c);

  /* The tables as they are when the state changes, before it does: a
   * client that reads them on the state message (a report page) sees
   * every table the run completed. */
  send_dirty_tables (self);
  message = new_message ("state");

  json_object_set_string_member (message, "from", ferry_enum_to_nick (FERRY_TYPE_STATE, old_state));
  json_object_set_string_member (message, "to", ferry_enum_to_nick (FERRY_TYPE_STATE, new_state));
  json_object_set_int_member (message, "migration_id", ferry_coordinator_get_migration_id (c));
  if (last_error != NULL && new_state != FERRY_STATE_COMPLETED)
    json_object_set_object_member (message, "error", ferry_service_error_object (last_error, -1));
  json_object_set_object_member (message, "progress", ferry_service_progress_object (self));
  /* Where the run ends, or waits: what the report says of it. */
  if (new_state == FERRY_STATE_COMPLETED || new_state == FERRY_STATE_STOPPED || new_state == FERRY_STATE_ERROR)
    json_object_set_member (message, "validation", ferry_coordinator_get_validation (c));
  broadcast_take (self, message);
}

static void
on_pausing (FerryCoordinator *c,
            GParamSpec       *pspec,
            FerryService     *self)
{
  JsonObject *message = new_message ("pausing");

  json_object_set_boolean_member (message, "pausing", ferry_coordinator_is_pausing (c));
  json_object_set_string_member (message, "state", ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
  broadcast_take (self, message);
}

static void
on_event (FerryCoordinator *c,
          const char       *action,
          const char       *detail,
          FerryService     *self)
{
  JsonObject *message = new_message ("event");

  json_object_set_string_member (message, "action", action);
  json_object_set_string_member (message, "detail", detail);
  broadcast_take (self, message);
}

/* The number of the chunk @table failed in, as the status lists it; 0
 * when the failure was not a chunk's (a truncation, say). */
static gint64
failed_chunk (FerryCoordinator *c,
              FerryTable       *table)
{
  g_autoptr(JsonNode) status = ferry_coordinator_status (c);
  JsonArray *failed = json_object_get_array_member (json_node_get_object (status), "failed_tables");

  for (guint i = 0; failed != NULL && i < json_array_get_length (failed); i++)
    {
      JsonObject *f = json_array_get_object_element (failed, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (f, "table", NULL),
                     ferry_table_get_display_name (table)) == 0)
        return json_object_get_int_member_with_default (f, "chunk", 0);
    }
  return 0;
}

static void
on_table_failed (FerryCoordinator *c,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class,
                 FerryService     *self)
{
  JsonObject *message = new_message ("table-failed");

  json_object_set_string_member (message, "table", ferry_table_get_display_name (table));
  json_object_set_object_member (message, "error", ferry_service_error_object (error, error_class));
  json_object_set_int_member (message, "chunk", failed_chunk (c, table));
  broadcast_take (self, message);
}

static void
on_escalated (FerryCoordinator *c,
              GError           *error,
              FerryService     *self)
{
  JsonObject *message = new_message ("escalated");

  json_object_set_object_member (message, "error", ferry_service_error_object (error, FERRY_ERROR_CLASS_CRITICAL));
  json_object_set_string_member (message, "state", ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
  broadcast_take (self, message);
}

static void
on_sampled (FerryMonitor *monitor,
            FerryService *self)
{
  JsonObject *message;

  if (self->clients->len == 0)
    return;
  message = ferry_service_progress_object (self);
  json_object_set_string_member (message, "type", "progress");
  broadcast_take (self, message);
}

static void
on_health_changed (FerryMonitor *monitor,
                   FerryService *self)
{
  JsonObject *message;

  if (self->clients->len == 0)
    return;
  message = new_message ("health");
  json_object_set_member (message, "health", ferry_monitor_get_health (monitor));
  broadcast_take (self, message);
}

/* Table changes are gathered and sent together, at most twice a second:
 * a table's progress moves with every chunk. */

static void
send_dirty_tables (FerryService *self)
{
  JsonObject *message;
  JsonArray *array;
  GHashTableIter iter;
  gpointer table;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (g_hash_table_size (self->dirty_tables) == 0)
    return;

  message = new_message ("tables");
  array = json_array_new ();
  g_hash_table_iter_init (&iter, self->dirty_tables);
  while (g_hash_table_iter_next (&iter, &table, NULL))
    json_array_add_object_element (array, ferry_service_table_object (table));
  g_hash_table_remove_all (self->dirty_tables);
  json_object_set_array_member (message, "tables", array);
  broadcast_take (self, message);
}

static gboolean
flush_tables (gpointer user_data)
{
  FerryService *self = user_data;

  self->flush_id = 0;
  send_dirty_tables (self);
  return G_SOURCE_REMOVE;
}

static void
on_table_notify (FerryTable   *table,
                 GParamSpec   *pspec,
                 FerryService *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (!g_str_equal (name, "status") && !g_str_equal (name, "rows-done") && !g_str_equal (name, "attempts") &&
      !g_str_equal (name, "last-error") && !g_str_equal (name, "bytes-done"))
    return;
  if (self->clients->len == 0)
    return;

  g_hash_table_add (self->dirty_tables, table);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_INTERVAL_MS, flush_tables, self);
}

static void
unwatch_tables (FerryService *self)
{
  if (self->watched_tables == NULL)
    return;
  for (guint i = 0; i < self->watched_tables->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_tables, i), self);
  g_ptr_array_set_size (self->watched_tables, 0);
  g_hash_table_remove_all (self->dirty_tables);
}

static void
watch_tables (FerryService *self)
{
  FerryTableList *tables = ferry_coordinator_get_tables (self->coordinator);

  unwatch_tables (self);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);

      g_ptr_array_add (self->watched_tables, g_object_ref (table));
      g_signal_connect (table, "notify", G_CALLBACK (on_table_notify), self);
    }
}

static void
on_tables_changed (GListModel   *model,
                   guint         position,
                   guint         removed,
                   guint         added,
                   FerryService *self)
{
  watch_tables (self);
}

void
ferry_service_stream_init (FerryService *self)
{
  FerryCoordinator *c = self->coordinator;
  FerryMonitor *monitor = ferry_coordinator_get_monitor (c);

  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify)stream_client_free);
  self->dirty_tables = g_hash_table_new (NULL, NULL);
  self->watched_tables = g_ptr_array_new_with_free_func (g_object_unref);

  g_signal_connect (c, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (c, "notify::pausing", G_CALLBACK (on_pausing), self);
  g_signal_connect (c, "event", G_CALLBACK (on_event), self);
  g_signal_connect (c, "table-failed", G_CALLBACK (on_table_failed), self);
  g_signal_connect (c, "escalated", G_CALLBACK (on_escalated), self);
  g_signal_connect (monitor, "sampled", G_CALLBACK (on_sampled), self);
  g_signal_connect (monitor, "health-changed", G_CALLBACK (on_health_changed), self);
  g_signal_connect (ferry_coordinator_get_tables (c), "items-changed", G_CALLBACK (on_tables_changed), self);
  watch_tables (self);
}

void
ferry_service_stream_dispose (FerryService *self)
{
  if (self->coordinator != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->coordinator, self);
      g_signal_handlers_disconnect_by_data (ferry_coordinator_get_monitor (self->coordinator), self);
      g_signal_handlers_disconnect_by_data (ferry_coordinator_get_tables (self->coordinator), self);
    }
  unwatch_tables (self);
  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->clients != NULL)
    {
      g_autoptr(GPtrArray) clients = g_steal_pointer (&self->clients);

      self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify)stream_client_free);
      for (guint i = 0; i < clients->len; i++)
        {
          StreamClient *client = g_ptr_array_index (clients, i);

          g_clear_signal_handler (&client->closed_id, client->connection);
          if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                             "the service is shutting down");
        }
    }
}

/* --- clients ----------------------------------------------------------- */

static gboolean
nothing_more (gpointer data)
{
  return G_SOURCE_REMOVE;
}

static void
on_closed (SoupWebsocketConnection *connection,
           StreamClient            *client)
{
  FerryService *self = client->service;

  guint index;

  g_debug ("Event stream of %s closed after %" G_GUINT64_FORMAT " messages (%" G_GUINT64_FORMAT " skipped)",
           client->client, client->sent, client->skipped);

  /* Freed once libsoup is done emitting ::closed. */
  if (self->clients != NULL && g_ptr_array_find (self->clients, client, &index))
    g_ptr_array_steal_index (self->clients, index);
  g_clear_signal_handler (&client->closed_id, connection);
  g_idle_add_full (G_PRIORITY_DEFAULT, nothing_more, client, (GDestroyNotify)stream_client_free);
}

void
ferry_service_stream_accept (FerryService            *self,
                             SoupServerMessage       *msg,
                             SoupWebsocketConnection *connection)
{
  StreamClient *client = g_new0 (StreamClient, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *actor = g_object_get_data (G_OBJECT (msg), "ferry-actor");
  g_autoptr(JsonObject) hello = json_object_new ();
  g_autofree char *text = NULL;
  gboolean with_samples = FALSE, with_tables = FALSE;
  gsize length;

  client->service = self;
  client->connection = g_object_ref (connection);
  client->socket = soup_server_message_get_socket (msg) ? g_object_ref (soup_server_message_get_socket (msg)) : NULL;
  client->client = g_strdup (soup_server_message_get_remote_host (msg));
  client->actor = g_strdup (actor ? actor : "?");

  if (uri != NULL && g_uri_get_query (uri) != NULL)
    {
      g_autoptr(GHashTable) form = soup_form_decode (g_uri_get_query (uri));
      const char *types = g_hash_table_lookup (form, "types");
      const char *include = g_hash_table_lookup (form, "include");

      if (types != NULL && *types != '\0')
        {
          g_auto(GStrv) names = g_strsplit (types, ",", -1);

          client->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = 0; names[i] != NULL; i++)
            g_hash_table_add (client->types, g_strdup (g_strstrip (names[i])));
        }
      if (include != NULL)
        {
          g_auto(GStrv) names = g_strsplit (include, ",", -1);

          for (guint i = 0; names[i] != NULL; i++)
            {
              const char *name = g_strstrip (names[i]);

              with_samples |= g_str_equal (name, "samples");
              with_tables |= g_str_equal (name, "tables");
            }
        }
    }

  soup_websocket_connection_set_keepalive_interval (connection, 30);
  client->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (on_closed), client);
  g_ptr_array_add (self->clients, client);
  g_debug ("Event stream opened by %s (%s)", client->client, client->actor);

  /* The whole status first: what the messages then change. On the same
   * connection as they come, the samples so far and every table are what
   * a client needs to follow from here without a gap, whatever changed
   * while it read GET tables. */
  json_object_set_string_member (hello, "type", "hello");
  json_object_set_int_member (hello, "api_version", FERRY_SERVICE_API_VERSION);
  json_object_set_string_member (hello, "version", PACKAGE_VERSION);
  json_object_set_member (hello, "status", ferry_service_status_node (self));
  if (with_samples)
    json_object_set_member (hello, "samples",
                            ferry_monitor_samples_to_json (ferry_coordinator_get_monitor (self->coordinator)));
  if (with_tables)
    {
      FerryTableList *tables = ferry_coordinator_get_tables (self->coordinator);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
        json_array_add_object_element (array, ferry_service_table_object (ferry_table_list_get_table (tables, i)));
      json_object_set_array_member (hello, "tables", array);
    }
  text = finish_message (self, hello, FALSE, &length);
  soup_websocket_connection_send_text (connection, text);
}

guint
ferry_service_get_n_stream_clients (FerryService *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE (self), 0);
  return self->clients != NULL ? self->clients->len : 0;
}

void
ferry_service_set_stream_limits (FerryService *self,
                                 gsize         max_backlog,
                                 guint         max_behind_seconds)
{
  g_return_if_fail (FERRY_IS_SERVICE (self));

  self->max_backlog = MAX (max_backlog, 1024);
  self->max_behind_seconds = MAX (max_behind_seconds, 1);
}
