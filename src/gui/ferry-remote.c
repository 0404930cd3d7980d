/* ferry-remote.c — a migration that runs in `ferry-cli serve`, seen from here
 *
 * The app's side of the service API (data/openapi.yaml): FerryRemote
 * checks the token (GET /api/v1/), reads the status and every table (GET
 * status, GET tables a page at a time) into a FerryTableList of
 * FerryTable mirrors, then follows the WebSocket event stream and keeps
 * them up to date — the same model and figures the dashboard takes from a
 * local FerryCoordinator, so the same pages can show either. The
 * stream's hello brings the run's samples so far and every table again,
 * so that a window that attaches mid-run charts the whole run and misses
 * no change made while it read the tables. Actions (start, pause,
 * resume, stop, resolve) are POSTs; they need a control token.
 * Everything is asynchronous on the main context (SoupSession): nothing
 * here blocks the window.
 *
 * It is a FerryFigureSource, as a local run is: once connected it reads
 * the plan (GET plan) and rebuilds it (ferry-plan-document.c), and the
 * tables of its list become the plan's own, so that the graph view and
 * the dashboard's column view follow the same objects.
 *
 * GTK-free: tests/test-service.c drives it against a real service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-remote"

#include "config.h"

#include "ferry-remote.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ferry-catalog.h"
#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-figure-source.h"
#include "ferry-plan-document.h"
#include "ferry-table.h"

#define PAGE_SIZE          1000
#define MAX_SAMPLES        7200
#define MAX_RECONNECT_S    30

struct _FerryRemote
{
  GObject                  parent_instance;

  char                    *base;          /* ".../api/v1/" */
  char                    *token;
  SoupSession             *session;
  GTlsCertificate         *trusted;
  GCancellable            *cancellable;   /* the connection's, renewed on disconnect */

  SoupWebsocketConnection *stream;
  gboolean                 connected;
  gboolean                 wanted;        /* reconnect when the stream drops */
  guint                    reconnect_id;
  guint                    reconnect_delay;
  gboolean                 refreshing;
  guint64                  last_seq;

  gboolean                 can_control;
  char                    *token_name;
  guint                    http_status;   /* of the last answer, 0 for none */
  GTlsCertificateFlags     tls_errors;    /* of the last certificate refused */

  /* the migration */
  FerryState               state;
  gboolean                 pausing;
  char                    *phase;
  gint64                   migration_id;
  double                   percent;
  guint64                  rows_done;
  gint64                   rows_total;
  guint64                  bytes_done;
  guint64                  bytes_resumed;  /* copied by the runs before this one */
  guint64                  bytes_total;
  guint                    chunks_done;
  guint                    chunks_total;
  guint                    n_running;
  guint                    max_parallel;  /* 0: the service did not say */
  gboolean                 resuming;
  double                   rows_per_second;
  double                   bytes_per_second;
  double                   eta_seconds;
  double                   elapsed;       /* < 0: not started */
  guint                    errors[FERRY_ERROR_CLASS_LAST];
  char                    *last_error;
  JsonNode                *health;
  JsonNode                *validation;    /* NULL: the service did not say */
  GHashTable              *failed_chunks; /* a failed table's name → its chunk */

  FerryTableList          *tables;
  GHashTable              *by_name;       /* the service's name → FerryTable (owned by the list) */
  GArray                  *samples;       /* FerrySample */
  FerryPlan               *plan;
  gboolean                 plan_stale;    /* the tables changed: read the plan again */
  gboolean                 plan_loading;
};

enum {
  PROP_0,
  PROP_CONNECTED,
  PROP_STATE,
  PROP_PAUSING,
  PROP_PHASE,
  PROP_FRACTION,
  PROP_PLAN,
  PROP_CAN_CONTROL,
  N_PROPS
};

enum {
  HEALTH_CHANGED,
  DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void figure_source_iface_init (FerryFigureSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryRemote, ferry_remote, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FERRY_TYPE_FIGURE_SOURCE, figure_source_iface_init))

static void open_stream (FerryRemote *self, GTask *task);
static void refresh (FerryRemote *self, GTask *task);
static void load_plan (FerryRemote *self);

/* --- the object -------------------------------------------------------- */

static void
ferry_remote_dispose (GObject *object)
{
  FerryRemote *self = FERRY_REMOTE (object);

  ferry_remote_disconnect (self);
  g_clear_object (&self->session);
  g_clear_object (&self->trusted);
  g_clear_object (&self->plan);
  g_clear_object (&self->tables);
  g_clear_pointer (&self->by_name, g_hash_table_unref);

  G_OBJECT_CLASS (ferry_remote_parent_class)->dispose (object);
}

static void
ferry_remote_finalize (GObject *object)
{
  FerryRemote *self = FERRY_REMOTE (object);

  g_free (self->base);
  if (self->token != NULL)
    explicit_bzero (self->token, strlen (self->token));
  g_free (self->token);
  g_free (self->token_name);
  g_free (self->phase);
  g_free (self->last_error);
  g_clear_pointer (&self->health, json_node_unref);
  g_clear_pointer (&self->validation, json_node_unref);
  g_clear_pointer (&self->failed_chunks, g_hash_table_unref);
  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_remote_parent_class)->finalize (object);
}

static void
ferry_remote_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FerryRemote *self = FERRY_REMOTE (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PAUSING:
      g_value_set_boolean (value, self->pausing);
      break;
    case PROP_PHASE:
      g_value_set_string (value, self->phase);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ferry_remote_get_fraction (self));
      break;
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    case PROP_CAN_CONTROL:
      g_value_set_boolean (value, self->can_control);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_remote_class_init (FerryRemoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ferry_remote_dispose;
  object_class->finalize = ferry_remote_finalize;
  object_class->get_property = ferry_remote_get_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  g_object_class_install_property (object_class, PROP_CONNECTED, properties[PROP_CONNECTED]);

  /* FerryFigureSource: "state-changed", "sampled" (a progress message, a
   * sample appended), "event", "table-failed", "escalated" and these. */
  G_STATIC_ASSERT (PROP_CAN_CONTROL == PROP_STATE + 5);
  ferry_figure_source_install_properties (object_class, PROP_STATE, properties);

  signals[HEALTH_CHANGED] =
    g_signal_new ("health-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The stream dropped (@error says why); FerryRemote reconnects. */
  signals[DISCONNECTED] =
    g_signal_new ("disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
ferry_remote_init (FerryRemote *self)
{
  self->tables = ferry_table_list_new ();
  self->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->samples = g_array_new (FALSE, TRUE, sizeof (FerrySample));
  self->failed_chunks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->state = FERRY_STATE_INITIALIZING;
  self->eta_seconds = -1;
  self->elapsed = -1;
}

FerryRemote *
ferry_remote_new (const char *url,
                  const char *token)
{
  FerryRemote *self;
  g_autofree char *agent = g_strdup_printf ("Ferry/%s", PACKAGE_VERSION);
  g_autofree char *base = NULL;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  base = g_str_has_suffix (url, "/") ? g_strdup (url) : g_strconcat (url, "/", NULL);
  if (!g_str_has_suffix (base, "/api/v1/"))
    {
      char *full = g_strconcat (base, "api/v1/", NULL);
      g_free (base);
      base = full;
    }

  self = g_object_new (FERRY_TYPE_REMOTE, NULL);
  self->base = g_steal_pointer (&base);
  self->token = g_strdup (token);
  self->session = soup_session_new_with_options ("user-agent", agent, "timeout", 60, NULL);
  return self;
}

const char *
ferry_remote_get_url (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->base;
}

/* The service as people write it: "http://host:8431", no API path. */
char *
ferry_remote_dup_service_url (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);

  if (g_str_has_suffix (self->base, "/api/v1/"))
    return g_strndup (self->base, strlen (self->base) - strlen ("/api/v1/"));
  return g_strdup (self->base);
}

void
ferry_remote_set_trusted_certificate (FerryRemote     *self,
                                      GTlsCertificate *certificate)
{
  g_return_if_fail (FERRY_IS_REMOTE (self));
  g_set_object (&self->trusted, certificate);
}

/* --- requests ---------------------------------------------------------- */

static gboolean
accept_certificate (SoupMessage          *msg,
                    GTlsCertificate      *certificate,
                    GTlsCertificateFlags  errors,
                    FerryRemote          *self)
{
  if (self->trusted != NULL && g_tls_certificate_is_same (certificate, self->trusted))
    return TRUE;
  self->tls_errors = errors != 0 ? errors : G_TLS_CERTIFICATE_GENERIC_ERROR;
  return FALSE;
}

static SoupMessage *
new_message (FerryRemote *self,
             const char  *method,
             const char  *path)
{
  g_autofree char *url = g_strconcat (self->base, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    return NULL;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (accept_certificate), self, 0);
  return msg;
}

/* An error from an answer: the server's {"error": {...}} when there is one. */
static GError *
error_from_reply (SoupMessage *msg,
                  GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *message = NULL;
  int code;

  if (body != NULL &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonObject *e = json_object_has_member (root, "error") &&
                      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error"))
                        ? json_object_get_object_member (root, "error") : NULL;

      if (e != NULL)
        message = json_object_get_string_member_with_default (e, "message", NULL);
    }

  switch (status)
    {
    case SOUP_STATUS_CONFLICT:
      code = FERRY_ERROR_STATE;
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = FERRY_ERROR_NOT_FOUND;
      break;
    case SOUP_STATUS_BAD_REQUEST:
      code = FERRY_ERROR_CONFIG;
      break;
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      code = FERRY_ERROR_CONNECTION;
      break;
    default:
      code = FERRY_ERROR_FAILED;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    message = _("The service refused the token");
  return g_error_new (FERRY_ERROR, code, "%s (HTTP %u)",
                      message ? message : soup_message_get_reason_phrase (msg), status);
}

typedef struct {
  GBytes *body;
  char   *content_type;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply->content_type);
  g_free (reply);
}

static void
request_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRemote *self = g_task_get_source_object (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  Reply *reply;

  self->http_status = body != NULL ? soup_message_get_status (msg) : 0;
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error->domain == G_TLS_ERROR && self->tls_errors != 0)
        g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                                 _("The service’s certificate is not trusted (%s)"), error->message);
      else
        g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_CONNECTION, "%s", error->message);
      return;
    }
  self->tls_errors = 0;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_task_return_error (task, error_from_reply (msg, body));
      return;
    }

  reply = g_new0 (Reply, 1);
  reply->body = g_steal_pointer (&body);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  g_task_return_pointer (task, reply, (GDestroyNotify)reply_free);
}

static void
request_async (FerryRemote         *self,
               const char          *method,
               const char          *path,
               JsonObject          *body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = new_message (self, method, path);

  g_task_set_source_tag (task, request_async);
  self->tls_errors = 0;
  if (msg == NULL)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_CONFIG, _("“%s” is not a valid URL"), self->base);
      g_object_unref (task);
      return;
    }
  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length;
      char *text;
      g_autoptr(GBytes) bytes = NULL;

      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable, request_done, task);
}

static JsonNode *
reply_json (Reply   *reply,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body), error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* --- what the messages say --------------------------------------------- */

static gint64
get_int (JsonObject *o,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return (gint64)json_node_get_double (node);
    default:
      return fallback;
    }
}

static double
get_double (JsonObject *o,
            const char *name,
            double      fallback)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return fallback;
    }
}

static const char *
get_string (JsonObject *o,
            const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
set_state (FerryRemote *self,
           FerryState   state)
{
  FerryState old = self->state;

  if (old == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  ferry_figure_source_emit_state_changed (FERRY_FIGURE_SOURCE (self), old, state);

  /* The plan exists once the service has initialized. */
  if (self->plan == NULL && self->connected && state != FERRY_STATE_INITIALIZING)
    load_plan (self);
}

/* The validation's results, as a status or a state message gives them. */
static void
set_validation (FerryRemote *self,
                JsonNode    *validation)
{
  if (validation == NULL || !JSON_NODE_HOLDS_ARRAY (validation))
    return;
  g_clear_pointer (&self->validation, json_node_unref);
  self->validation = json_node_copy (validation);
}

/* The figures of a status, a progress message or a state message's
 * progress (they share their names). */
static void
apply_progress (FerryRemote *self,
                JsonObject  *o)
{
  const char *state = get_string (o, "state");
  const char *phase = get_string (o, "phase");
  gboolean pausing;
  int value;

  if (json_object_has_member (o, "migration_id"))
    self->migration_id = get_int (o, "migration_id", self->migration_id);
  self->percent = get_double (o, "percent", self->percent);
  self->rows_done = get_int (o, "rows_done", self->rows_done);
  self->rows_total = get_int (o, "rows_total", self->rows_total);
  self->bytes_done = get_int (o, "bytes_done", self->bytes_done);
  self->bytes_total = get_int (o, "bytes_total", self->bytes_total);
  self->bytes_resumed = get_int (o, "bytes_resumed", self->bytes_resumed);
  self->chunks_done = get_int (o, "chunks_done", self->chunks_done);
  self->chunks_total = get_int (o, "chunks_total", self->chunks_total);
  self->rows_per_second = get_double (o, "rows_per_second", self->rows_per_second);
  self->bytes_per_second = get_double (o, "bytes_per_second", self->bytes_per_second);
  if (json_object_has_member (o, "eta_seconds"))
    self->eta_seconds = get_double (o, "eta_seconds", -1);
  /* null in a status: no run has started */
  if (json_object_has_member (o, "elapsed_seconds"))
    self->elapsed = get_double (o, "elapsed_seconds", -1);
  self->max_parallel = get_int (o, "max_parallel", self->max_parallel);
  self->resuming = json_object_get_boolean_member_with_default (o, "resuming", self->resuming);
  set_validation (self, json_object_get_member (o, "validation"));

  /* "running": a count in progress messages, a list in the status */
  if (json_object_has_member (o, "running"))
    {
      JsonNode *running = json_object_get_member (o, "running");
      self->n_running = JSON_NODE_HOLDS_ARRAY (running) ? json_array_get_length (json_node_get_array (running))
                                                       : get_int (o, "running", self->n_running);
    }
  if (json_object_has_member (o, "errors") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "errors")))
    {
      JsonObject *errors = json_object_get_object_member (o, "errors");

      for (guint c = 0; c < FERRY_ERROR_CLASS_LAST; c++)
        self->errors[c] = get_int (errors, ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, c), 0);
    }
  if (json_object_has_member (o, "failed_tables") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "failed_tables")))
    {
      JsonArray *failed = json_object_get_array_member (o, "failed_tables");

      g_hash_table_remove_all (self->failed_chunks);
      for (guint i = 0; i < json_array_get_length (failed); i++)
        {
          JsonObject *f = json_array_get_object_element (failed, i);

          if (get_string (f, "table") != NULL && get_int (f, "chunk", 0) > 0)
            g_hash_table_insert (self->failed_chunks, g_strdup (get_string (f, "table")),
                                 GUINT_TO_POINTER ((guint)get_int (f, "chunk", 0)));
        }
    }
  if (json_object_has_member (o, "last_error"))
    {
      g_free (self->last_error);
      self->last_error = g_strdup (get_string (o, "last_error"));
    }

  if (json_object_has_member (o, "phase") && g_strcmp0 (phase, self->phase) != 0)
    {
      g_free (self->phase);
      self->phase = g_strdup (phase);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
    }
  pausing = json_object_get_boolean_member_with_default (o, "pausing", self->pausing);
  if (pausing != self->pausing)
    {
      self->pausing = pausing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);

  if (state != NULL && ferry_enum_from_nick (FERRY_TYPE_STATE, state, &value))
    set_state (self, value);
}

static void
add_sample (FerryRemote *self,
            JsonObject  *o)
{
  FerrySample sample = { 0 };

  sample.time = g_get_real_time ();
  sample.elapsed = get_double (o, "elapsed_seconds", 0);
  sample.rows_done = self->rows_done;
  sample.bytes_done = self->bytes_done;
  sample.rows_per_second = self->rows_per_second;
  sample.bytes_per_second = self->bytes_per_second;
  sample.running = self->n_running;
  for (guint c = 0; c < FERRY_ERROR_CLASS_LAST; c++)
    sample.errors += self->errors[c];

  /* A new run starts the chart again. */
  if (self->samples->len > 0 &&
      sample.elapsed + 0.5 < g_array_index (self->samples, FerrySample, self->samples->len - 1).elapsed)
    g_array_set_size (self->samples, 0);
  if (self->samples->len >= MAX_SAMPLES)
    g_array_remove_range (self->samples, 0, MAX_SAMPLES / 2);
  g_array_append_val (self->samples, sample);
}

/* The service's samples so far (the hello's), in place of those this
 * side saw: the chart of a window that attached mid-run is the whole
 * run's, as a local one's is. (They do not count errors.) */
static void
set_samples (FerryRemote *self,
             JsonArray   *samples)
{
  guint n = json_array_get_length (samples);
  guint first = n > MAX_SAMPLES ? n - MAX_SAMPLES : 0;
  double last = n > 0 ? get_double (json_array_get_object_element (samples, n - 1), "elapsed", 0) : 0;
  gint64 now = g_get_real_time ();

  g_array_set_size (self->samples, 0);
  for (guint i = first; i < n; i++)
    {
      JsonObject *o = json_array_get_object_element (samples, i);
      FerrySample sample = { 0 };

      if (o == NULL)
        continue;
      sample.elapsed = get_double (o, "elapsed", 0);
      sample.time = now - (gint64)((last - sample.elapsed) * G_USEC_PER_SEC);
      sample.rows_done = get_int (o, "rows_done", 0);
      sample.bytes_done = get_int (o, "bytes_done", 0);
      sample.rows_per_second = get_double (o, "rows_per_second", 0);
      sample.bytes_per_second = get_double (o, "bytes_per_second", 0);
      sample.running = get_int (o, "running", 0);
      g_array_append_val (self->samples, sample);
    }
}

static void
update_table (FerryTable *table,
              JsonObject *o)
{
  const char *status = get_string (o, "status");
  const char *kind = get_string (o, "kind");
  int value, kind_value = FERRY_TABLE_KIND_ORDINARY;

  if (kind != NULL)
    ferry_enum_from_nick (FERRY_TYPE_TABLE_KIND, kind, &kind_value);
  ferry_table_set_shape (table, kind_value, get_int (o, "size_bytes", 0), get_int (o, "row_estimate", -1),
                         get_int (o, "level", -1));
  ferry_table_set_progress (table, get_int (o, "rows_done", 0), get_int (o, "bytes_done", 0));
  ferry_table_set_attempts (table, get_int (o, "attempts", 0));
  ferry_table_set_last_error (table, get_string (o, "last_error"));
  if (status != NULL && ferry_enum_from_nick (FERRY_TYPE_TABLE_STATUS, status, &value))
    ferry_table_set_status (table, value);
}

static void
apply_tables (FerryRemote *self,
              JsonArray   *tables)
{
  gboolean unknown = FALSE;

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *o = json_array_get_object_element (tables, i);
      const char *name = get_string (o, "name");
      FerryTable *table = name ? g_hash_table_lookup (self->by_name, name) : NULL;

      if (table != NULL)
        update_table (table, o);
      else
        unknown = TRUE;
    }

  /* A table the list does not have: the plan changed; read them all. */
  if (unknown)
    self->plan_stale = TRUE;
  if (unknown && !self->refreshing)
    refresh (self, NULL);
}

/* --- the stream -------------------------------------------------------- */

/* A StreamError ({message, class, sqlstate, detail, hint}) as the
 * coordinator's signals carry it: a FerryError with the server's fields. */
static GError *
error_from_stream (JsonObject      *message,
                   FerryErrorClass *error_class)
{
  JsonObject *e = json_object_has_member (message, "error") &&
                  JSON_NODE_HOLDS_OBJECT (json_object_get_member (message, "error"))
                    ? json_object_get_object_member (message, "error") : NULL;
  const char *text = e != NULL ? get_string (e, "message") : NULL;
  int value;
  GError *error;

  if (e != NULL && get_string (e, "class") != NULL &&
      ferry_enum_from_nick (FERRY_TYPE_ERROR_CLASS, get_string (e, "class"), &value))
    *error_class = value;
  error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_QUERY, text != NULL ? text : _("The service sent no message"));
  if (e != NULL)
    ferry_error_set_pg_fields (error, get_string (e, "sqlstate"), get_string (e, "detail"), get_string (e, "hint"), NULL);
  return error;
}

static void
stream_message (SoupWebsocketConnection *connection,
                SoupWebsocketDataType    type,
                GBytes                  *message,
                FerryRemote             *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  const char *kind;
  guint64 seq;

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !json_parser_load_from_data (parser, g_bytes_get_data (message, NULL), g_bytes_get_size (message), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  o = json_node_get_object (json_parser_get_root (parser));
  kind = get_string (o, "type");
  seq = get_int (o, "seq", 0);
  if (kind == NULL)
    return;

  if (g_str_equal (kind, "hello"))
    {
      if (json_object_has_member (o, "status") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "status")))
        apply_progress (self, json_object_get_object_member (o, "status"));
      if (json_object_has_member (o, "samples") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "samples")))
        set_samples (self, json_object_get_array_member (o, "samples"));
      if (json_object_has_member (o, "tables") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "tables")))
        apply_tables (self, json_object_get_array_member (o, "tables"));
      self->last_seq = seq;
      ferry_figure_source_emit_sampled (FERRY_FIGURE_SOURCE (self));
      return;
    }

  /* Only progress samples are ever skipped for a client: nothing to
   * catch up on but the figures, which the next sample brings. */
  if (self->last_seq != 0 && seq > self->last_seq + 1)
    g_debug ("%" G_GUINT64_FORMAT " message(s) of the stream skipped", seq - self->last_seq - 1);
  self->last_seq = MAX (self->last_seq, seq);

  if (g_str_equal (kind, "progress"))
    {
      apply_progress (self, o);
      add_sample (self, o);
      ferry_figure_source_emit_sampled (FERRY_FIGURE_SOURCE (self));
    }
  else if (g_str_equal (kind, "state"))
    {
      JsonObject *progress = json_object_has_member (o, "progress") &&
                             JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "progress"))
                               ? json_object_get_object_member (o, "progress") : NULL;
      int to;

      if (json_object_has_member (o, "error") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "error")))
        {
          g_free (self->last_error);
          self->last_error = g_strdup (get_string (json_object_get_object_member (o, "error"), "message"));
        }
      else
        g_clear_pointer (&self->last_error, g_free);
      set_validation (self, json_object_get_member (o, "validation"));
      if (progress != NULL)
        apply_progress (self, progress);
      if (get_string (o, "to") != NULL && ferry_enum_from_nick (FERRY_TYPE_STATE, get_string (o, "to"), &to))
        set_state (self, to);
    }
  else if (g_str_equal (kind, "pausing"))
    {
      gboolean pausing = json_object_get_boolean_member_with_default (o, "pausing", FALSE);

      if (pausing != self->pausing)
        {
          self->pausing = pausing;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);
        }
    }
  else if (g_str_equal (kind, "tables") && json_object_has_member (o, "tables") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "tables")))
    apply_tables (self, json_object_get_array_member (o, "tables"));
  else if (g_str_equal (kind, "table-failed") && get_string (o, "table") != NULL)
    {
      FerryTable *table = g_hash_table_lookup (self->by_name, get_string (o, "table"));
      FerryErrorClass error_class = FERRY_ERROR_CLASS_DATA;
      g_autoptr(GError) error = error_from_stream (o, &error_class);

      /* The next "tables" message says so too, later: the table has
       * failed now, as a local one has when its signal comes. */
      if (get_int (o, "chunk", 0) > 0)
        g_hash_table_insert (self->failed_chunks, g_strdup (get_string (o, "table")),
                             GUINT_TO_POINTER ((guint)get_int (o, "chunk", 0)));
      if (table != NULL)
        {
          ferry_table_set_last_error (table, error->message);
          ferry_table_set_status (table, FERRY_TABLE_STATUS_FAILED);
          ferry_figure_source_emit_table_failed (FERRY_FIGURE_SOURCE (self), table, error, error_class);
        }
    }
  else if (g_str_equal (kind, "escalated"))
    {
      FerryErrorClass error_class = FERRY_ERROR_CLASS_CRITICAL;
      g_autoptr(GError) error = error_from_stream (o, &error_class);

      ferry_figure_source_emit_escalated (FERRY_FIGURE_SOURCE (self), error);
    }
  else if (g_str_equal (kind, "event"))
    ferry_figure_source_emit_event (FERRY_FIGURE_SOURCE (self), get_string (o, "action"), get_string (o, "detail"));
  else if (g_str_equal (kind, "health") && json_object_has_member (o, "health"))
    {
      g_clear_pointer (&self->health, json_node_unref);
      self->health = json_node_copy (json_object_get_member (o, "health"));
      g_signal_emit (self, signals[HEALTH_CHANGED], 0);
    }
}

static void
set_connected (FerryRemote *self,
               gboolean     connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
reconnected (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryRemote *self = FERRY_REMOTE (object);
  g_autoptr(GError) error = NULL;

  if (!ferry_remote_connect_finish (self, result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Reconnecting to %s: %s", self->base, error->message);
}

static gboolean
reconnect (gpointer user_data)
{
  FerryRemote *self = user_data;

  self->reconnect_id = 0;
  ferry_remote_connect_async (self, NULL, reconnected, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (FerryRemote *self)
{
  if (!self->wanted || self->reconnect_id != 0)
    return;
  self->reconnect_delay = CLAMP (self->reconnect_delay * 2, 1, MAX_RECONNECT_S);
  self->reconnect_id = g_timeout_add_seconds (self->reconnect_delay, reconnect, self);
}

static void
stream_closed (SoupWebsocketConnection *connection,
               FerryRemote             *self)
{
  g_autoptr(GError) error = NULL;
  const char *why = soup_websocket_connection_get_close_data (connection);

  g_signal_handlers_disconnect_by_data (connection, self);
  g_clear_object (&self->stream);
  set_connected (self, FALSE);
  error = g_error_new (FERRY_ERROR, FERRY_ERROR_CONNECTION, _("The event stream closed (%u%s%s)"),
                       soup_websocket_connection_get_close_code (connection), why ? ": " : "", why ? why : "");
  g_signal_emit (self, signals[DISCONNECTED], 0, error);
  schedule_reconnect (self);
}

static void
stream_opened (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRemote *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  if (connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        schedule_reconnect (self);
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_CONNECTION, "%s", error->message);
      return;
    }

  self->stream = connection;
  soup_websocket_connection_set_max_incoming_payload_size (connection, 64 * 1024 * 1024);
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "message", G_CALLBACK (stream_message), self);
  g_signal_connect (connection, "closed", G_CALLBACK (stream_closed), self);
  self->reconnect_delay = 0;
  set_connected (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
open_stream (FerryRemote *self,
             GTask       *task)
{
  /* The samples and the tables again, on the stream: what changed since
   * GET status and GET tables comes in order with what follows. */
  g_autoptr(SoupMessage) msg = new_message (self, SOUP_METHOD_GET, "events/stream?include=samples,tables");

  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        g_task_get_cancellable (task), stream_opened, task);
}

/* --- connecting: the token, the status, the tables, the stream ---------- */

typedef struct {
  guint      offset;
  GPtrArray *tables;     /* FerryTable* */
  GPtrArray *objects;    /* JsonObject*, the same order */
  gboolean   then_stream;
} Connect;

static void
connect_free (Connect *data)
{
  g_clear_pointer (&data->tables, g_ptr_array_unref);
  g_clear_pointer (&data->objects, g_ptr_array_unref);
  g_free (data);
}

static void fetch_tables (FerryRemote *self, GTask *task);

/* The same objects where the names are known, so that a view keeps its
 * rows; the plan's own tables where it has them, so that the graph
 * follows them too. */
static FerryTable *
find_or_make_table (FerryRemote *self,
                    JsonObject  *t)
{
  const char *name = get_string (t, "name");
  FerryTable *table = name ? g_hash_table_lookup (self->by_name, name) : NULL;

  if (table == NULL && name != NULL && self->plan != NULL)
    table = ferry_catalog_find (ferry_analyzer_get_catalog (ferry_plan_get_analyzer (self->plan)), name);
  if (table != NULL)
    return g_object_ref (table);

  if (self->plan != NULL)
    self->plan_stale = TRUE;
  return ferry_table_new (get_string (t, "schema") ? get_string (t, "schema") : "",
                          get_string (t, "table") ? get_string (t, "table") : "");
}

/* --- the plan ------------------------------------------------------------ */

static void
copy_live_state (FerryTable *to,
                 FerryTable *from)
{
  ferry_table_set_shape (to, ferry_table_get_kind (from), ferry_table_get_size_bytes (from),
                         ferry_table_get_row_estimate (from), ferry_table_get_level (from));
  ferry_table_set_progress (to, ferry_table_get_rows_done (from), ferry_table_get_bytes_done (from));
  ferry_table_set_attempts (to, ferry_table_get_attempts (from));
  ferry_table_set_last_error (to, ferry_table_get_last_error (from));
  ferry_table_set_status (to, ferry_table_get_status (from));
}

/* The plan's tables take the place of the mirrors of the same names. */
static void
adopt_plan (FerryRemote *self,
            FerryPlan   *plan)
{
  FerryCatalog *catalog = ferry_analyzer_get_catalog (ferry_plan_get_analyzer (plan));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tables));
  g_autoptr(GPtrArray) tables = g_ptr_array_new_full (n, g_object_unref);
  g_autoptr(GHashTable) swapped = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < n; i++)
    {
      FerryTable *mirror = ferry_table_list_get_table (self->tables, i);
      FerryTable *planned = ferry_catalog_find (catalog, ferry_table_get_display_name (mirror));

      if (planned != NULL && planned != mirror)
        {
          copy_live_state (planned, mirror);
          g_hash_table_insert (swapped, mirror, planned);
          g_ptr_array_add (tables, g_object_ref (planned));
        }
      else
        g_ptr_array_add (tables, g_object_ref (mirror));
    }

  g_hash_table_iter_init (&iter, self->by_name);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_hash_table_contains (swapped, value))
      g_hash_table_iter_replace (&iter, g_hash_table_lookup (swapped, value));

  g_set_object (&self->plan, plan);
  self->plan_stale = FALSE;
  if (g_hash_table_size (swapped) > 0)
    ferry_table_list_splice (self->tables, tables);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

/* Reading and rebuilding a plan of 10,000 tables takes a moment: not
 * on the main context. */
static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Reply *reply = task_data;
  GError *error = NULL;
  g_autoptr(JsonNode) node = reply_json (reply, &error);
  FerryPlan *plan = node != NULL ? ferry_plan_document_load (node, &error) : NULL;

  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, g_object_unref);
}

static void
plan_loaded (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryRemote *self = FERRY_REMOTE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryPlan) plan = g_task_propagate_pointer (G_TASK (result), &error);

  self->plan_loading = FALSE;
  if (plan == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No plan from %s: %s", self->base, error->message);
      return;
    }
  adopt_plan (self, plan);
}

static void
plan_fetched (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FerryRemote *self = FERRY_REMOTE (object);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GTask) task = NULL;

  if (reply == NULL)
    {
      /* 409 while the service initializes: the state change brings it. */
      self->plan_loading = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No plan from %s: %s", self->base, error->message);
      return;
    }

  task = g_task_new (self, self->cancellable, plan_loaded, NULL);
  g_task_set_source_tag (task, plan_fetched);
  g_task_set_task_data (task, reply, (GDestroyNotify)reply_free);
  g_task_run_in_thread (task, plan_thread);
}

static void
load_plan (FerryRemote *self)
{
  if (self->plan_loading)
    return;
  self->plan_loading = TRUE;
  request_async (self, SOUP_METHOD_GET, "plan", NULL, self->cancellable, plan_fetched, NULL);
}

static void
tables_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRemote *self = FERRY_REMOTE (object);
  Connect *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(JsonNode) node = reply ? reply_json (reply, &error) : NULL;
  JsonObject *o;
  JsonArray *page;
  gint64 total;

  g_clear_pointer (&reply, reply_free);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      self->refreshing = FALSE;
      if (error == NULL)
        error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED, _("The service sent no table list"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  o = json_node_get_object (node);
  page = json_object_get_array_member (o, "tables");
  total = get_int (o, "total", 0);
  for (guint i = 0; page != NULL && i < json_array_get_length (page); i++)
    {
      JsonObject *t = json_array_get_object_element (page, i);

      g_ptr_array_add (data->tables, find_or_make_table (self, t));
      g_ptr_array_add (data->objects, json_object_ref (t));
    }
  data->offset += page != NULL ? json_array_get_length (page) : 0;

  if (page != NULL && json_array_get_length (page) > 0 && data->offset < total)
    {
      fetch_tables (self, g_steal_pointer (&task));
      return;
    }

  /* All read: the figures, then one splice. */
  g_hash_table_remove_all (self->by_name);
  for (guint i = 0; i < data->tables->len; i++)
    {
      FerryTable *table = g_ptr_array_index (data->tables, i);
      JsonObject *t = g_ptr_array_index (data->objects, i);

      update_table (table, t);
      if (get_string (t, "name") != NULL)
        g_hash_table_insert (self->by_name, g_strdup (get_string (t, "name")), table);
    }
  ferry_table_list_splice (self->tables, data->tables);
  self->refreshing = FALSE;
  if (self->plan == NULL || self->plan_stale)
    load_plan (self);

  if (data->then_stream)
    open_stream (self, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

static void
fetch_tables (FerryRemote *self,
              GTask       *task)
{
  Connect *data = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("tables?offset=%u&limit=%u", data->offset, PAGE_SIZE);

  request_async (self, SOUP_METHOD_GET, path, NULL, g_task_get_cancellable (task), tables_fetched, task);
}

static void
status_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRemote *self = FERRY_REMOTE (object);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(JsonNode) node = reply ? reply_json (reply, &error) : NULL;

  g_clear_pointer (&reply, reply_free);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      self->refreshing = FALSE;
      if (error == NULL)
        error = g_error_new_literal (FERRY_ERROR, FERRY_ERROR_FAILED, _("The service sent no status"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  apply_progress (self, json_node_get_object (node));
  fetch_tables (self, g_steal_pointer (&task));
}

static void
index_fetched (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FerryRemote *self = FERRY_REMOTE (object);
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(JsonNode) node = reply ? reply_json (reply, &error) : NULL;
  GCancellable *cancellable;
  JsonObject *token;
  gboolean can_control;

  g_clear_pointer (&reply, reply_free);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      get_int (json_node_get_object (node), "api_version", 0) != 1)
    {
      self->refreshing = FALSE;
      if (error == NULL)
        error = g_error_new (FERRY_ERROR, FERRY_ERROR_FAILED, _("%s is not a Ferry service of API version 1"), self->base);
      else if (g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CONNECTION))
        schedule_reconnect (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  token = json_object_get_object_member (json_node_get_object (node), "token");
  g_free (self->token_name);
  self->token_name = g_strdup (token ? get_string (token, "name") : NULL);
  can_control = token != NULL && g_strcmp0 (get_string (token, "kind"), "control") == 0;
  if (can_control != self->can_control)
    {
      self->can_control = can_control;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_CONTROL]);
    }

  cancellable = g_task_get_cancellable (task);
  request_async (self, SOUP_METHOD_GET, "status", NULL, cancellable, status_fetched, g_steal_pointer (&task));
}

static void
refresh (FerryRemote *self,
         GTask       *task)
{
  Connect *data = g_new0 (Connect, 1);

  if (task == NULL)
    task = g_task_new (self, self->cancellable, NULL, NULL);
  data->tables = g_ptr_array_new_with_free_func (g_object_unref);
  data->objects = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  data->then_stream = g_task_get_source_tag (task) == ferry_remote_connect_async;
  g_task_set_task_data (task, data, (GDestroyNotify)connect_free);
  self->refreshing = TRUE;
  request_async (self, SOUP_METHOD_GET, "", NULL, g_task_get_cancellable (task), index_fetched, task);
}

void
ferry_remote_connect_async (FerryRemote         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_REMOTE (self));

  self->wanted = TRUE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  task = g_task_new (self, cancellable ? cancellable : self->cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_remote_connect_async);

  if (self->stream != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  refresh (self, task);
}

gboolean
ferry_remote_connect_finish (FerryRemote   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ferry_remote_disconnect (FerryRemote *self)
{
  g_return_if_fail (FERRY_IS_REMOTE (self));

  self->wanted = FALSE;
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      if (soup_websocket_connection_get_state (self->stream) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->stream, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->stream);
    }
  set_connected (self, FALSE);
}

/* --- actions and reads ------------------------------------------------- */

static void
action_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      reply_free (reply);
      g_task_return_boolean (task, TRUE);
    }
}

void
ferry_remote_action_async (FerryRemote         *self,
                           const char          *action,
                           JsonObject          *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (FERRY_IS_REMOTE (self));
  g_return_if_fail (action != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_remote_action_async);
  path = g_strconcat ("actions/", action, NULL);
  request_async (self, SOUP_METHOD_POST, path, body, cancellable, action_done, task);
}

gboolean
ferry_remote_action_finish (FerryRemote   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ferry_remote_resolve_async (FerryRemote         *self,
                            const char          *table,
                            FerryResolution      resolution,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (FERRY_IS_REMOTE (self));
  g_return_if_fail (table != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_remote_resolve_async);
  escaped = g_uri_escape_string (table, NULL, FALSE);
  path = g_strdup_printf ("tables/%s/resolve", escaped);
  json_object_set_string_member (body, "action", ferry_enum_to_nick (FERRY_TYPE_RESOLUTION, resolution));
  request_async (self, SOUP_METHOD_POST, path, body, cancellable, action_done, task);
}

gboolean
ferry_remote_resolve_finish (FerryRemote   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
get_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_task_propagate_pointer (G_TASK (result), &error);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify)reply_free);
}

void
ferry_remote_get_async (FerryRemote         *self,
                        const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_REMOTE (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_remote_get_async);
  request_async (self, SOUP_METHOD_GET, path, NULL, cancellable, get_done, task);
}

JsonNode *
ferry_remote_get_finish (FerryRemote   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  Reply *reply;
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return NULL;
  node = reply_json (reply, error);
  reply_free (reply);
  return node;
}

GBytes *
ferry_remote_get_bytes_finish (FerryRemote   *self,
                               GAsyncResult  *result,
                               char         **content_type,
                               GError       **error)
{
  Reply *reply;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return NULL;
  bytes = g_steal_pointer (&reply->body);
  if (content_type != NULL)
    *content_type = g_steal_pointer (&reply->content_type);
  reply_free (reply);
  return bytes;
}

/* --- getters ----------------------------------------------------------- */

gboolean
ferry_remote_get_connected (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), FALSE);
  return self->connected;
}

gboolean
ferry_remote_get_can_control (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), FALSE);
  return self->can_control;
}

const char *
ferry_remote_get_token_name (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->token_name;
}

FerryState
ferry_remote_get_state (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), FERRY_STATE_ERROR);
  return self->state;
}

gboolean
ferry_remote_is_pausing (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), FALSE);
  return self->pausing;
}

const char *
ferry_remote_get_phase (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->phase;
}

gint64
ferry_remote_get_migration_id (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->migration_id;
}

double
ferry_remote_get_fraction (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return CLAMP (self->percent / 100.0, 0.0, 1.0);
}

guint64
ferry_remote_get_rows_done (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->rows_done;
}

gint64
ferry_remote_get_rows_total (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->rows_total;
}

guint64
ferry_remote_get_bytes_done (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->bytes_done;
}

guint64
ferry_remote_get_bytes_total (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->bytes_total;
}

guint
ferry_remote_get_chunks_done (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->chunks_done;
}

guint
ferry_remote_get_chunks_total (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->chunks_total;
}

guint
ferry_remote_get_n_running (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->n_running;
}

double
ferry_remote_get_rows_per_second (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->rows_per_second;
}

double
ferry_remote_get_bytes_per_second (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->bytes_per_second;
}

double
ferry_remote_get_eta_seconds (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), -1);
  return self->eta_seconds;
}

const char *
ferry_remote_get_last_error (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->last_error;
}

FerryTableList *
ferry_remote_get_tables (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->tables;
}

GArray *
ferry_remote_get_samples (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->samples;
}

JsonNode *
ferry_remote_get_health (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->health;
}

/* Seconds since the run started, as the service's monitor counts them
 * (a start after a stop starts again); < 0 before any start. */
double
ferry_remote_get_elapsed_seconds (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), -1);
  return self->elapsed;
}

/**
 * ferry_remote_get_plan:
 *
 * Returns: (transfer none) (nullable): the service's plan, once read
 */
FerryPlan *
ferry_remote_get_plan (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), NULL);
  return self->plan;
}

/* The HTTP status of the last answer; 0 when none came. */
guint
ferry_remote_get_http_status (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->http_status;
}

/* What was wrong with the certificate the last request refused; 0 when
 * none was refused. */
GTlsCertificateFlags
ferry_remote_get_tls_errors (FerryRemote *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE (self), 0);
  return self->tls_errors;
}

/* --- FerryFigureSource --------------------------------------------------- */

static FerryState
remote_get_state (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->state;
}

static gboolean
remote_is_pausing (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->pausing;
}

static const char *
remote_get_phase (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->phase;
}

static double
remote_get_fraction (FerryFigureSource *source)
{
  return ferry_remote_get_fraction (FERRY_REMOTE (source));
}

static void
remote_get_figures (FerryFigureSource *source,
                    FerryFigures      *figures)
{
  FerryRemote *self = FERRY_REMOTE (source);

  figures->migration_id = self->migration_id;
  figures->rows_done = self->rows_done;
  figures->rows_total = self->rows_total;
  figures->bytes_done = self->bytes_done;
  figures->bytes_total = self->bytes_total;
  figures->chunks_done = self->chunks_done;
  figures->chunks_total = self->chunks_total;
  figures->n_running = self->n_running;
  figures->max_parallel = self->max_parallel;
  figures->rows_per_second = self->rows_per_second;
  figures->bytes_per_second = self->bytes_per_second;
  figures->eta_seconds = self->eta_seconds;
  figures->elapsed_seconds = ferry_remote_get_elapsed_seconds (self);
  figures->average_bytes_per_second = ferry_average_rate (self->bytes_done, self->bytes_resumed, self->elapsed);
  for (guint c = 0; c < FERRY_ERROR_CLASS_LAST; c++)
    figures->errors[c] = self->errors[c];
}

static FerryTableList *
remote_get_tables (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->tables;
}

static GArray *
remote_get_samples (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->samples;
}

static FerryPlan *
remote_get_plan (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->plan;
}

static const char *
remote_get_last_error (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->last_error;
}

static gboolean
remote_get_can_control (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->can_control;
}

static gboolean
remote_get_resuming (FerryFigureSource *source)
{
  return FERRY_REMOTE (source)->resuming;
}

static JsonNode *
remote_dup_validation (FerryFigureSource *source)
{
  FerryRemote *self = FERRY_REMOTE (source);

  return self->validation != NULL ? json_node_copy (self->validation) : NULL;
}

static guint
remote_get_failed_chunk (FerryFigureSource *source,
                         FerryTable        *table)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (FERRY_REMOTE (source)->failed_chunks,
                                                ferry_table_get_display_name (table)));
}

static void
remote_control_async (FerryFigureSource   *source,
                      FerryControl         control,
                      gboolean             force,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  static const char * const actions[] = { "start", "pause", "resume", "stop" };
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (control < G_N_ELEMENTS (actions));

  if (control == FERRY_CONTROL_START && force)
    {
      body = json_object_new ();
      json_object_set_boolean_member (body, "force", TRUE);
    }
  ferry_remote_action_async (FERRY_REMOTE (source), actions[control], body, cancellable, callback, user_data);
}

static gboolean
remote_control_finish (FerryFigureSource  *source,
                       GAsyncResult       *result,
                       GError            **error)
{
  return ferry_remote_action_finish (FERRY_REMOTE (source), result, error);
}

static void
remote_resolve_async (FerryFigureSource   *source,
                      FerryTable          *table,
                      FerryResolution      resolution,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  ferry_remote_resolve_async (FERRY_REMOTE (source), ferry_table_get_display_name (table), resolution,
                              cancellable, callback, user_data);
}

static gboolean
remote_resolve_finish (FerryFigureSource  *source,
                       GAsyncResult       *result,
                       GError            **error)
{
  return ferry_remote_resolve_finish (FERRY_REMOTE (source), result, error);
}

static void
remote_report_async (FerryFigureSource   *source,
                     FerryReportKind      kind,
                     FerryReportFormat    format,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autofree char *path = g_strdup_printf ("reports/%s?format=%s", ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind),
                                           ferry_enum_to_nick (FERRY_TYPE_REPORT_FORMAT, format));

  ferry_remote_get_async (FERRY_REMOTE (source), path, cancellable, callback, user_data);
}

static GBytes *
remote_report_finish (FerryFigureSource  *source,
                      GAsyncResult       *result,
                      GError            **error)
{
  return ferry_remote_get_bytes_finish (FERRY_REMOTE (source), result, NULL, error);
}

static void
figure_source_iface_init (FerryFigureSourceInterface *iface)
{
  iface->get_state = remote_get_state;
  iface->is_pausing = remote_is_pausing;
  iface->get_phase = remote_get_phase;
  iface->get_fraction = remote_get_fraction;
  iface->get_figures = remote_get_figures;
  iface->get_tables = remote_get_tables;
  iface->get_samples = remote_get_samples;
  iface->get_plan = remote_get_plan;
  iface->get_last_error = remote_get_last_error;
  iface->get_can_control = remote_get_can_control;
  iface->get_resuming = remote_get_resuming;
  iface->dup_validation = remote_dup_validation;
  iface->get_failed_chunk = remote_get_failed_chunk;
  iface->control_async = remote_control_async;
  iface->control_finish = remote_control_finish;
  iface->resolve_async = remote_resolve_async;
  iface->resolve_finish = remote_resolve_finish;
  iface->report_async = remote_report_async;
  iface->report_finish = remote_report_finish;
}
