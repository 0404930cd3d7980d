/* ferry-webhooks.c — notifications to the URLs of notifications.webhooks
 *
 * Every state change, escalation and failed table of a migration becomes
 * one JSON payload POSTed to each URL of notifications.webhooks:
 *
 *   { "format_version": 1, "event": "completed", "delivery": "<uuid>",
 *     "sent_at": "…", "host": "…", "migration_id": 7, "state": "completed",
 *     "previous_state": "running", "source": "…", "target": "…",
 *     "summary": { … }, "text": "Ferry: migration 7 completed …" }
 *
 * "text" is what Slack's incoming webhooks (and Mattermost, Rocket.Chat,
 * Teams' Slack-compatible endpoints) show. When there is a secret, the
 * header X-Ferry-Signature carries "sha256=" and the HMAC-SHA256 of the
 * exact body under the secret, so that the receiver can check that the
 * payload comes from Ferry and was not changed.
 *
 * Deliveries to one URL go out in order, one at a time, through an
 * asynchronous SoupSession on the main context: nothing here waits on
 * the network, so the migration never does. A delivery that fails (no
 * connection, a timeout, 5xx, 408 or 429) is tried again after 1 s, 2 s,
 * 4 s … up to max_attempts; other 4xx answers are not retried. What
 * happened is kept per URL for /api/v1/health.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-webhooks"

#include "config.h"

#include <inttypes.h>

#include "ferry-webhooks.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-monitor.h"
#include "ferry-table-list.h"

#define REQUEST_TIMEOUT_SECONDS 10

typedef struct {
  char   *event;
  char   *id;
  GBytes *body;
  char   *signature;
  guint   attempts;
} Delivery;

typedef struct {
  FerryWebhooks *self;          /* unowned: self owns the targets */
  char          *url;
  char          *display_url;
  GQueue         queue;         /* Delivery*, waiting */
  Delivery      *current;       /* in flight or waiting for its retry */
  guint          retry_id;
  gboolean       in_flight;

  guint          delivered;
  guint          failed;
  guint          dropped;
  guint          last_attempts;
  guint          last_status;   /* 0: none or no HTTP answer */
  char          *last_error;
  gint64         last_attempt_at;
  gint64         last_success_at;
  gboolean       last_ok;
} Target;

struct _FerryWebhooks
{
  GObject           parent_instance;

  GPtrArray        *targets;    /* Target* */
  char             *secret;
  SoupSession      *session;
  GCancellable     *cancellable;

  guint             max_attempts;
  guint             initial_delay_ms;
  guint             max_delay_ms;

  FerryCoordinator *coordinator;
  gulong            state_handler;
  gulong            escalated_handler;
  gulong            failed_handler;
};

G_DEFINE_FINAL_TYPE (FerryWebhooks, ferry_webhooks, G_TYPE_OBJECT)

static void target_next (Target *target);

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->event);
  g_free (delivery->id);
  g_bytes_unref (delivery->body);
  g_free (delivery->signature);
  g_free (delivery);
}

static void
target_free (Target *target)
{
  g_clear_handle_id (&target->retry_id, g_source_remove);
  g_queue_clear_full (&target->queue, (GDestroyNotify)delivery_free);
  g_clear_pointer (&target->current, delivery_free);
  g_free (target->url);
  g_free (target->display_url);
  g_free (target->last_error);
  g_free (target);
}

static void
ferry_webhooks_dispose (GObject *object)
{
  FerryWebhooks *self = FERRY_WEBHOOKS (object);

  ferry_webhooks_detach (self);
  ferry_webhooks_close (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ferry_webhooks_parent_class)->dispose (object);
}

static void
ferry_webhooks_finalize (GObject *object)
{
  FerryWebhooks *self = FERRY_WEBHOOKS (object);

  g_clear_pointer (&self->targets, g_ptr_array_unref);
  if (self->secret != NULL)
    explicit_bzero (self->secret, strlen (self->secret));
  g_clear_pointer (&self->secret, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_webhooks_parent_class)->finalize (object);
}

static void
ferry_webhooks_class_init (FerryWebhooksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_webhooks_dispose;
  object_class->finalize = ferry_webhooks_finalize;
}

static void
ferry_webhooks_init (FerryWebhooks *self)
{
  self->targets = g_ptr_array_new_with_free_func ((GDestroyNotify)target_free);
  self->cancellable = g_cancellable_new ();
  self->max_attempts = FERRY_WEBHOOKS_DEFAULT_MAX_ATTEMPTS;
  self->initial_delay_ms = FERRY_WEBHOOKS_DEFAULT_INITIAL_DELAY_MS;
  self->max_delay_ms = FERRY_WEBHOOKS_DEFAULT_MAX_DELAY_MS;
}

char *
ferry_webhooks_mask_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *port = NULL;
  const char *path;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("(invalid URL)");

  path = g_uri_get_path (uri);
  if (g_uri_get_port (uri) > 0)
    port = g_strdup_printf (":%d", g_uri_get_port (uri));
  return g_strdup_printf ("%s://%s%s%s%s%s", g_uri_get_scheme (uri),
                          strchr (g_uri_get_host (uri), ':') ? "[" : "", g_uri_get_host (uri),
                          strchr (g_uri_get_host (uri), ':') ? "]" : "", port ? port : "",
                          (path != NULL && *path != '\0' && !g_str_equal (path, "/")) || g_uri_get_query (uri)
                            ? "/…" : "/");
}

FerryWebhooks *
ferry_webhooks_new (const char * const *urls,
                    const char         *secret)
{
  FerryWebhooks *self = g_object_new (FERRY_TYPE_WEBHOOKS, NULL);
  g_autofree char *agent = g_strdup_printf ("Ferry/%s", PACKAGE_VERSION);

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      Target *target = g_new0 (Target, 1);

      target->self = self;
      target->url = g_strdup (urls[i]);
      target->display_url = ferry_webhooks_mask_url (urls[i]);
      target->last_ok = TRUE;
      g_queue_init (&target->queue);
      g_ptr_array_add (self->targets, target);
    }

  self->secret = secret != NULL && *secret != '\0' ? g_strdup (secret) : NULL;
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                                 "idle-timeout", 60,
                                                 "user-agent", agent,
                                                 NULL);
  return self;
}

/**
 * ferry_webhooks_secret_from_environment:
 *
 * Secrets stay out of the configuration file (which is copied into the
 * journal and shown in reports): FERRY_WEBHOOK_SECRET holds the secret,
 * or FERRY_WEBHOOK_SECRET_FILE names a file whose first line is the
 * secret (a systemd credential, a mounted Kubernetes secret …).
 *
 * Returns: (nullable): the secret, %NULL when neither is set.
 */
char *
ferry_webhooks_secret_from_environment (GError **error)
{
  const char *value = g_getenv ("FERRY_WEBHOOK_SECRET");
  const char *file = g_getenv ("FERRY_WEBHOOK_SECRET_FILE");
  g_autofree char *contents = NULL;
  char *newline;

  if (value != NULL && *value != '\0')
    return g_strdup (value);
  if (file == NULL || *file == '\0')
    return NULL;

  if (!g_file_get_contents (file, &contents, NULL, error))
    {
      g_prefix_error (error, "FERRY_WEBHOOK_SECRET_FILE: ");
      return NULL;
    }
  newline = strpbrk (contents, "\r\n");
  if (newline != NULL)
    *newline = '\0';
  if (*contents == '\0')
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("FERRY_WEBHOOK_SECRET_FILE: %s is empty"), file);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

FerryWebhooks *
ferry_webhooks_new_for_config (FerryConfig  *config,
                               const char   *fallback_secret,
                               GError      **error)
{
  g_autofree char *secret = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const *urls = NULL;

  g_return_val_if_fail (FERRY_IS_CONFIG (config), NULL);

  if (ferry_config_get_notifications_enabled (config))
    urls = ferry_config_get_webhooks (config);

  secret = ferry_webhooks_secret_from_environment (&local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return ferry_webhooks_new (urls, secret != NULL ? secret : fallback_secret);
}

guint
ferry_webhooks_get_n_urls (FerryWebhooks *self)
{
  g_return_val_if_fail (FERRY_IS_WEBHOOKS (self), 0);
  return self->targets->len;
}

gboolean
ferry_webhooks_is_signed (FerryWebhooks *self)
{
  g_return_val_if_fail (FERRY_IS_WEBHOOKS (self), FALSE);
  return self->secret != NULL;
}

void
ferry_webhooks_set_retry_policy (FerryWebhooks *self,
                                 guint          max_attempts,
                                 guint          initial_delay_ms,
                                 guint          max_delay_ms)
{
  g_return_if_fail (FERRY_IS_WEBHOOKS (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->initial_delay_ms = MAX (initial_delay_ms, 1);
  self->max_delay_ms = MAX (max_delay_ms, self->initial_delay_ms);
}

char *
ferry_webhooks_sign (const char *secret,
                     const void *body,
                     gsize       length)
{
  g_autofree char *hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *)secret,
                                                  strlen (secret), body, length);
  return g_strconcat ("sha256=", hex, NULL);
}

/* --- delivery ---------------------------------------------------------- */

static gboolean
retryable (guint status)
{
  return status == 0 || status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429 || status >= 500;
}

static void
set_last_error (Target     *target,
                const char *message)
{
  g_free (target->last_error);
  target->last_error = g_strdup (message);
}

static gboolean
retry_due (gpointer user_data)
{
  Target *target = user_data;

  target->retry_id = 0;
  target_next (target);
  return G_SOURCE_REMOVE;
}

static void
send_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Target *target = user_data;
  FerryWebhooks *self = target->self;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  Delivery *delivery = target->current;
  guint status = error == NULL && msg != NULL ? soup_message_get_status (msg) : 0;

  target->in_flight = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* ferry_webhooks_close(): what was sent since goes out now. */
      target_next (target);
      g_object_unref (self);
      return;
    }

  if (delivery == NULL)
    {
      /* Closed while the answer was on its way. */
      target_next (target);
      g_object_unref (self);
      return;
    }

  target->last_status = status;
  target->last_attempts = delivery->attempts;

  if (error == NULL && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_debug ("Webhook %s delivered to %s (attempt %u)", delivery->event, target->display_url,
               delivery->attempts);
      target->delivered++;
      target->last_ok = TRUE;
      target->last_success_at = g_get_real_time ();
      set_last_error (target, NULL);
      g_clear_pointer (&target->current, delivery_free);
      target_next (target);
      g_object_unref (self);
      return;
    }

  target->last_ok = FALSE;
  if (error != NULL)
    set_last_error (target, error->message);
  else
    {
      g_autofree char *message = g_strdup_printf ("HTTP %u %s", status,
                                                  msg && soup_message_get_reason_phrase (msg)
                                                    ? soup_message_get_reason_phrase (msg) : "");
      set_last_error (target, g_strstrip (message));
    }

  if (retryable (status) && delivery->attempts < self->max_attempts)
    {
      guint64 delay = (guint64)self->initial_delay_ms << MIN (delivery->attempts - 1, 20);

      delay = MIN (delay, self->max_delay_ms);
      g_debug ("Webhook %s to %s failed (%s): again in %" G_GUINT64_FORMAT " ms",
               delivery->event, target->display_url, target->last_error, delay);
      target->retry_id = g_timeout_add ((guint)delay, retry_due, target);
    }
  else
    {
      g_message ("Webhook %s to %s failed after %u attempt(s): %s", delivery->event,
                 target->display_url, delivery->attempts, target->last_error);
      target->failed++;
      g_clear_pointer (&target->current, delivery_free);
      target_next (target);
    }

  g_object_unref (self);
}

static void
target_next (Target *target)
{
  FerryWebhooks *self = target->self;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  if (target->in_flight || target->retry_id != 0 || self->session == NULL)
    return;
  if (target->current == NULL)
    target->current = g_queue_pop_head (&target->queue);
  if (target->current == NULL)
    return;

  msg = soup_message_new (SOUP_METHOD_POST, target->url);
  if (msg == NULL)
    {
      set_last_error (target, _("The URL is not valid"));
      target->last_ok = FALSE;
      target->failed++;
      g_clear_pointer (&target->current, delivery_free);
      target_next (target);
      return;
    }

  target->current->attempts++;
  target->last_attempt_at = g_get_real_time ();
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "X-Ferry-Event", target->current->event);
  soup_message_headers_replace (headers, "X-Ferry-Delivery", target->current->id);
  if (target->current->signature != NULL)
    soup_message_headers_replace (headers, "X-Ferry-Signature", target->current->signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", target->current->body);

  target->in_flight = TRUE;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    send_done, target);
  g_object_ref (self);
}

static void
enqueue (FerryWebhooks *self,
         const char    *event,
         JsonNode      *payload)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *signature = NULL;
  const char *id;
  gsize length;

  json_generator_set_root (generator, payload);
  text = json_generator_to_data (generator, &length);
  if (self->secret != NULL)
    signature = ferry_webhooks_sign (self->secret, text, length);
  body = g_bytes_new_take (g_steal_pointer (&text), length);
  id = json_object_get_string_member (json_node_get_object (payload), "delivery");

  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *target = g_ptr_array_index (self->targets, i);
      Delivery *delivery = g_new0 (Delivery, 1);

      delivery->event = g_strdup (event);
      delivery->id = g_strdup (id);
      delivery->body = g_bytes_ref (body);
      delivery->signature = g_strdup (signature);

      if (g_queue_get_length (&target->queue) >= FERRY_WEBHOOKS_MAX_QUEUE)
        {
          delivery_free (g_queue_pop_head (&target->queue));
          target->dropped++;
        }
      g_queue_push_tail (&target->queue, delivery);
      target_next (target);
    }
}

/* --- payloads ---------------------------------------------------------- */

static double
elapsed_seconds (FerryCoordinator *coordinator)
{
  GArray *samples = ferry_monitor_get_samples (ferry_coordinator_get_monitor (coordinator));

  if (samples == NULL || samples->len == 0)
    return 0;
  return g_array_index (samples, FerrySample, samples->len - 1).elapsed;
}

static void
add_summary (JsonObject       *payload,
             FerryCoordinator *c)
{
  FerryTableList *tables = ferry_coordinator_get_tables (c);
  FerryValidator *validator = ferry_coordinator_get_validator (c);
  JsonObject *summary = json_object_new ();
  double elapsed = elapsed_seconds (c);
  guint total = g_list_model_get_n_items (G_LIST_MODEL (tables)) -
                ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_EXCLUDED);

  json_object_set_int_member (payload, "migration_id", ferry_coordinator_get_migration_id (c));
  json_object_set_string_member (payload, "state",
                                 ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
  json_object_set_string_member (payload, "phase", ferry_coordinator_get_phase (c));
  if (validator != NULL && ferry_validator_get_source (validator) != NULL)
    json_object_set_string_member (payload, "source",
                                   ferry_connection_get_display_name (ferry_validator_get_source (validator)));
  if (validator != NULL && ferry_validator_get_target (validator) != NULL)
    json_object_set_string_member (payload, "target",
                                   ferry_connection_get_display_name (ferry_validator_get_target (validator)));

  json_object_set_double_member (summary, "percent", 100.0 * ferry_coordinator_get_fraction (c));
  json_object_set_int_member (summary, "tables_total", total);
  json_object_set_int_member (summary, "tables_completed",
                              ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED));
  json_object_set_int_member (summary, "tables_failed",
                              ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_FAILED));
  json_object_set_int_member (summary, "tables_skipped",
                              ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_SKIPPED));
  json_object_set_int_member (summary, "rows_done", ferry_coordinator_get_rows_done (c));
  json_object_set_int_member (summary, "rows_total", ferry_coordinator_get_rows_total (c));
  json_object_set_int_member (summary, "bytes_done", ferry_coordinator_get_bytes_done (c));
  json_object_set_int_member (summary, "bytes_total", ferry_coordinator_get_bytes_total (c));
  json_object_set_int_member (summary, "chunks_done", ferry_coordinator_get_chunks_done (c));
  json_object_set_int_member (summary, "chunks_total", ferry_coordinator_get_chunks_total (c));
  json_object_set_double_member (summary, "elapsed_seconds", elapsed);
  json_object_set_double_member (summary, "bytes_per_second",
                                 ferry_coordinator_get_average_bytes_per_second (c, elapsed));
  json_object_set_object_member (payload, "summary", summary);
}

static char *
summary_text (FerryCoordinator *c)
{
  FerryTableList *tables = ferry_coordinator_get_tables (c);
  guint total = g_list_model_get_n_items (G_LIST_MODEL (tables)) -
                ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_EXCLUDED);
  guint done = ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_COMPLETED);
  guint failed = ferry_table_list_count_status (tables, FERRY_TABLE_STATUS_FAILED);
  g_autofree char *bytes = ferry_format_bytes (ferry_coordinator_get_bytes_done (c));
  g_autofree char *duration = ferry_format_clock (MAX (elapsed_seconds (c), 0), "00:00");
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, _("%u/%u tables, %" PRIu64 " rows, %s in %s"),
                          done, total, ferry_coordinator_get_rows_done (c), bytes, duration);
  if (failed > 0)
    g_string_append_printf (text, _(", %u failed"), failed);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
ferry_webhooks_send (FerryWebhooks *self,
                     const char    *event,
                     const char    *text,
                     JsonObject    *extra)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *id = g_uuid_string_random ();
  JsonObject *payload;

  g_return_if_fail (FERRY_IS_WEBHOOKS (self));
  g_return_if_fail (event != NULL);

  if (self->targets->len == 0)
    return;

  payload = json_object_new ();
  json_object_set_int_member (payload, "format_version", FERRY_WEBHOOK_FORMAT_VERSION);
  json_object_set_string_member (payload, "event", event);
  json_object_set_string_member (payload, "delivery", id);
  json_object_set_string_member (payload, "sent_at", at);
  json_object_set_string_member (payload, "host", g_get_host_name ());
  if (self->coordinator != NULL)
    add_summary (payload, self->coordinator);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (payload, name, json_node_copy (value));
    }
  json_object_set_string_member (payload, "text", text != NULL ? text : event);

  node = json_node_init_object (json_node_alloc (), payload);
  json_object_unref (payload);
  enqueue (self, event, node);
}

static JsonObject *
error_object (const GError    *error,
              gboolean         has_class,
              FerryErrorClass  error_class)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "message", error->message);
  if (has_class)
    json_object_set_string_member (o, "class", ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, error_class));
  if (ferry_error_get_sqlstate (error) != NULL)
    json_object_set_string_member (o, "sqlstate", ferry_error_get_sqlstate (error));
  if (ferry_error_get_detail (error) != NULL)
    json_object_set_string_member (o, "detail", ferry_error_get_detail (error));
  if (ferry_error_get_hint (error) != NULL)
    json_object_set_string_member (o, "hint", ferry_error_get_hint (error));
  return o;
}

static void
on_state_changed (FerryCoordinator *c,
                  FerryState        old_state,
                  FerryState        new_state,
                  FerryWebhooks    *self)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *summary = summary_text (c);
  g_autofree char *text = NULL;
  gint64 id = ferry_coordinator_get_migration_id (c);
  GError *last_error = ferry_coordinator_get_last_error (c);
  const char *event = new_state == FERRY_STATE_COMPLETED ? "completed" : "state-changed";

  json_object_set_string_member (extra, "previous_state", ferry_enum_to_nick (FERRY_TYPE_STATE, old_state));
  if (last_error != NULL && new_state != FERRY_STATE_COMPLETED)
    json_object_set_object_member (extra, "error", error_object (last_error, FALSE, 0));

  if (new_state == FERRY_STATE_COMPLETED)
    text = g_strdup_printf (_("Ferry: migration %" PRId64 " completed — %s."), id, summary);
  else if (new_state == FERRY_STATE_ERROR && last_error != NULL)
    text = g_strdup_printf (_("Ferry: migration %" PRId64 " is in error and waits for you: %s (%s)."),
                            id, last_error->message, summary);
  else
    text = g_strdup_printf (_("Ferry: migration %" PRId64 " is now %s (was %s) — %s."), id,
                            ferry_state_to_string (new_state), ferry_state_to_string (old_state), summary);

  ferry_webhooks_send (self, event, text, extra);
}

static void
on_escalated (FerryCoordinator *c,
              GError           *error,
              FerryWebhooks    *self)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *text = NULL;

  json_object_set_object_member (extra, "error", error_object (error, TRUE, FERRY_ERROR_CLASS_CRITICAL));
  text = g_strdup_printf (_("Ferry: migration %" PRId64 " needs attention — nothing new starts "
                            "until someone resumes or stops it: %s"),
                          ferry_coordinator_get_migration_id (c), error->message);
  ferry_webhooks_send (self, "escalated", text, extra);
}

static void
on_table_failed (FerryCoordinator *c,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class,
                 FerryWebhooks    *self)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autofree char *text = NULL;
  const char *sqlstate = ferry_error_get_sqlstate (error);

  json_object_set_string_member (extra, "table", ferry_table_get_display_name (table));
  json_object_set_object_member (extra, "error", error_object (error, TRUE, error_class));
  text = g_strdup_printf (_("Ferry: table %s of migration %" PRId64 " failed (%s%s%s): %s. "
                            "The other tables go on; resolve it with retry, skip, truncate-retry or abort."),
                          ferry_table_get_display_name (table), ferry_coordinator_get_migration_id (c),
                          ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, error_class),
                          sqlstate ? " " : "", sqlstate ? sqlstate : "", error->message);
  ferry_webhooks_send (self, "table-failed", text, extra);
}

void
ferry_webhooks_attach (FerryWebhooks    *self,
                       FerryCoordinator *coordinator)
{
  g_return_if_fail (FERRY_IS_WEBHOOKS (self));
  g_return_if_fail (FERRY_IS_COORDINATOR (coordinator));

  ferry_webhooks_detach (self);
  self->coordinator = g_object_ref (coordinator);
  self->state_handler = g_signal_connect (coordinator, "state-changed", G_CALLBACK (on_state_changed), self);
  self->escalated_handler = g_signal_connect (coordinator, "escalated", G_CALLBACK (on_escalated), self);
  self->failed_handler = g_signal_connect (coordinator, "table-failed", G_CALLBACK (on_table_failed), self);
}

void
ferry_webhooks_detach (FerryWebhooks *self)
{
  g_return_if_fail (FERRY_IS_WEBHOOKS (self));

  if (self->coordinator == NULL)
    return;
  g_clear_signal_handler (&self->state_handler, self->coordinator);
  g_clear_signal_handler (&self->escalated_handler, self->coordinator);
  g_clear_signal_handler (&self->failed_handler, self->coordinator);
  g_clear_object (&self->coordinator);
}

guint
ferry_webhooks_get_n_pending (FerryWebhooks *self)
{
  guint n = 0;

  g_return_val_if_fail (FERRY_IS_WEBHOOKS (self), 0);

  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *target = g_ptr_array_index (self->targets, i);
      n += g_queue_get_length (&target->queue) + (target->current != NULL ? 1 : 0);
    }
  return n;
}

gboolean
ferry_webhooks_flush (FerryWebhooks *self,
                      guint          timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  GMainContext *context = g_main_context_ref_thread_default ();

  g_return_val_if_fail (FERRY_IS_WEBHOOKS (self), TRUE);

  g_object_ref (self);
  while (ferry_webhooks_get_n_pending (self) > 0 && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (context, FALSE))
      g_usleep (5000);
  g_main_context_unref (context);
  g_object_unref (self);

  return ferry_webhooks_get_n_pending (self) == 0;
}

void
ferry_webhooks_close (FerryWebhooks *self)
{
  g_return_if_fail (FERRY_IS_WEBHOOKS (self));

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; self->targets != NULL && i < self->targets->len; i++)
    {
      Target *target = g_ptr_array_index (self->targets, i);

      g_clear_handle_id (&target->retry_id, g_source_remove);
      target->dropped += g_queue_get_length (&target->queue) + (target->current != NULL ? 1 : 0);
      g_queue_clear_full (&target->queue, (GDestroyNotify)delivery_free);
      g_clear_pointer (&target->current, delivery_free);
    }
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       usec)
{
  json_builder_set_member_name (b, name);
  if (usec > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format_iso8601 (dt);
      json_builder_add_string_value (b, text);
    }
  else
    json_builder_add_null_value (b);
}

JsonNode *
ferry_webhooks_get_health (FerryWebhooks *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (FERRY_IS_WEBHOOKS (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "signed");
  json_builder_add_boolean_value (b, self->secret != NULL);
  json_builder_set_member_name (b, "endpoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->targets->len; i++)
    {
      Target *target = g_ptr_array_index (self->targets, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, target->display_url);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, target->last_ok);
      json_builder_set_member_name (b, "delivered");
      json_builder_add_int_value (b, target->delivered);
      json_builder_set_member_name (b, "failed");
      json_builder_add_int_value (b, target->failed);
      json_builder_set_member_name (b, "dropped");
      json_builder_add_int_value (b, target->dropped);
      json_builder_set_member_name (b, "pending");
      json_builder_add_int_value (b, g_queue_get_length (&target->queue) + (target->current != NULL ? 1 : 0));
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, target->current != NULL ? target->current->attempts : target->last_attempts);
      json_builder_set_member_name (b, "last_status");
      if (target->last_status != 0)
        json_builder_add_int_value (b, target->last_status);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "last_error");
      if (target->last_error != NULL)
        json_builder_add_string_value (b, target->last_error);
      else
        json_builder_add_null_value (b);
      add_time (b, "last_attempt_at", target->last_attempt_at);
      add_time (b, "last_success_at", target->last_success_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
