/* ferry-service-api.c — the REST endpoints of ferry-cli serve
 *
 * Reads:    GET  /api/v1/  status  plan  readiness  health  tables
 *                tables/{name}  errors  reports/{kind}  events  openapi.yaml
 * Actions:  POST /api/v1/actions/{start,pause,resume,stop}
 *                /api/v1/tables/{name}/resolve
 *
 * data/openapi.yaml is the reference; keep it in step with this file
 * (tests/test-service.c checks that every path here is documented).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-service"

#include "config.h"

#include "ferry-service-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ferry-enum-types.h"
#include "ferry-error.h"
#include "ferry-monitor.h"
#include "ferry-plan.h"
#include "ferry-report.h"
#include "ferry-service-resources.h"

#define MAX_BODY        (64 * 1024)
#define DEFAULT_LIMIT   100
#define MAX_LIMIT       1000

static void readiness_run (FerryService *self);

/* --- helpers ----------------------------------------------------------- */

static void
method_not_allowed (FerryRequest *request,
                    const char   *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Allow", allow);
  ferry_service_respond_error (request->msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                               g_str_equal (allow, "POST") ? _("This is an action: use POST")
                                                           : _("This resource can only be read: use GET"));
}

static gboolean
require_get (FerryRequest *request)
{
  if (g_str_equal (request->method, SOUP_METHOD_GET) || g_str_equal (request->method, SOUP_METHOD_HEAD))
    return TRUE;
  method_not_allowed (request, "GET, HEAD");
  return FALSE;
}

static gboolean
require_post (FerryRequest *request)
{
  if (g_str_equal (request->method, SOUP_METHOD_POST))
    return TRUE;
  method_not_allowed (request, "POST");
  return FALSE;
}

static void
bad_request (FerryRequest *request,
             const char   *message)
{
  ferry_service_respond_error (request->msg, SOUP_STATUS_BAD_REQUEST, "bad-request", message);
}

static const char *
query_get (FerryRequest *request,
           const char   *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

static gboolean
query_uint (FerryRequest *request,
            const char   *name,
            guint         fallback,
            guint         max,
            guint        *value)
{
  const char *text = query_get (request, name);
  guint64 parsed;

  if (text == NULL || *text == '\0')
    {
      *value = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &parsed, NULL))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a whole number from 0 to %u"), name, max);
      bad_request (request, message);
      return FALSE;
    }
  *value = (guint)parsed;
  return TRUE;
}

static gboolean
query_bool (FerryRequest *request,
            const char   *name)
{
  const char *text = query_get (request, name);

  return text != NULL && (g_str_equal (text, "true") || g_str_equal (text, "1") || g_str_equal (text, "yes"));
}

/* The body of an action: nothing, or a JSON object. */
static JsonObject *
parse_body (FerryRequest *request)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length == 0)
    return json_object_new ();
  if (length > MAX_BODY)
    {
      ferry_service_respond_error (request->msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                                   _("The request body is too large"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The body is not valid JSON: %s"), error->message);
      bad_request (request, message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      bad_request (request, _("The body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
body_bool (JsonObject *body,
           const char *name,
           gboolean    fallback)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static const char *
body_string (JsonObject *body,
             const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static FerryTable *
find_table (FerryService *self,
            const char   *name)
{
  FerryTableList *tables = ferry_coordinator_get_tables (self->coordinator);
  FerryValidator *validator;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);
      if (g_str_equal (ferry_table_get_display_name (table), name))
        return table;
    }

  /* "schema.name" without quotes, as people type it */
  validator = ferry_coordinator_get_validator (self->coordinator);
  if (validator != NULL && ferry_validator_get_source_catalog (validator) != NULL)
    return ferry_catalog_find (ferry_validator_get_source_catalog (validator), name);
  return NULL;
}

static void
table_not_found (FerryRequest *request,
                 const char   *name)
{
  g_autofree char *message = g_strdup_printf (_("There is no table “%s” in this migration"), name);
  ferry_service_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not-found", message);
}

/* --- reads ------------------------------------------------------------- */

static void
get_index (FerryRequest *request)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *token = json_object_new ();
  FerryCoordinator *c = request->service->coordinator;

  json_object_set_string_member (root, "name", "Ferry");
  json_object_set_string_member (root, "version", PACKAGE_VERSION);
  json_object_set_int_member (root, "api_version", FERRY_SERVICE_API_VERSION);
  json_object_set_int_member (root, "migration_id", ferry_coordinator_get_migration_id (c));
  json_object_set_string_member (root, "state", ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
  json_object_set_string_member (token, "name", request->token_name);
  json_object_set_string_member (token, "kind", ferry_token_kind_to_string (request->kind));
  json_object_set_object_member (root, "token", token);
  ferry_service_respond_object (request->msg, SOUP_STATUS_OK, root);
}

static void
get_openapi (FerryRequest *request)
{
  g_autoptr(GBytes) bytes = g_resource_lookup_data (ferry_service_get_resource (),
                                                    "/io/github/ferrydb/Ferry/service/openapi.yaml",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  gsize length;
  const char *data;

  if (bytes == NULL)
    {
      ferry_service_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                   _("The OpenAPI description is not built in"));
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/yaml", SOUP_MEMORY_COPY, data, length);
}

static void
get_status (FerryRequest *request)
{
  g_autoptr(JsonNode) status = ferry_service_status_node (request->service);

  ferry_service_respond_json (request->msg, SOUP_STATUS_OK, status);
}

static void
get_plan (FerryRequest *request)
{
  FerryPlan *plan = ferry_coordinator_get_plan (request->service->coordinator);
  g_autoptr(JsonNode) node = NULL;

  if (plan == NULL)
    {
      ferry_service_respond_error (request->msg, SOUP_STATUS_CONFLICT, "illegal-state",
                                   _("There is no plan yet: the migration is still initializing"));
      return;
    }
  node = ferry_plan_to_json (plan);
  ferry_service_respond_json (request->msg, SOUP_STATUS_OK, node);
}

static JsonObject *
service_health (FerryService *self)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "version", PACKAGE_VERSION);
  json_object_set_double_member (o, "uptime_seconds",
                                 (g_get_monotonic_time () - self->started_at) / (double)G_USEC_PER_SEC);
  json_object_set_int_member (o, "requests", self->n_requests);
  json_object_set_int_member (o, "refused", self->n_refused);
  json_object_set_int_member (o, "stream_clients", ferry_service_get_n_stream_clients (self));
  json_object_set_boolean_member (o, "https", self->https);
  return o;
}

static void
get_health (FerryRequest *request)
{
  FerryService *self = request->service;
  g_autoptr(JsonObject) root = json_object_new ();
  JsonNode *migration = ferry_coordinator_health (self->coordinator);

  json_object_set_string_member (root, "state",
                                 ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (self->coordinator)));
  json_object_set_member (root, "migration", migration);
  if (self->webhooks != NULL)
    json_object_set_member (root, "webhooks", ferry_webhooks_get_health (self->webhooks));
  else
    {
      JsonObject *none = json_object_new ();
      json_object_set_boolean_member (none, "signed", FALSE);
      json_object_set_array_member (none, "endpoints", json_array_new ());
      json_object_set_object_member (root, "webhooks", none);
    }
  json_object_set_object_member (root, "service", service_health (self));
  ferry_service_respond_object (request->msg, SOUP_STATUS_OK, root);
}

static void
get_tables (FerryRequest *request)
{
  FerryTableList *tables = ferry_coordinator_get_tables (request->service->coordinator);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *array = json_array_new ();
  gboolean wanted[FERRY_TABLE_STATUS_LAST];
  const char *status = query_get (request, "status");
  guint offset, limit, matching = 0;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (tables));

  if (!query_uint (request, "offset", 0, G_MAXINT, &offset) ||
      !query_uint (request, "limit", DEFAULT_LIMIT, MAX_LIMIT, &limit))
    {
      json_array_unref (array);
      return;
    }

  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    wanted[s] = status == NULL || *status == '\0';
  if (status != NULL && *status != '\0')
    {
      g_auto(GStrv) names = g_strsplit (status, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          int value;

          if (!ferry_enum_from_nick (FERRY_TYPE_TABLE_STATUS, g_strstrip (names[i]), &value))
            {
              g_autofree char *message =
                g_strdup_printf (_("Unknown table status “%s” (pending, waiting, running, completed, "
                                   "failed, skipped or excluded)"), names[i]);
              json_array_unref (array);
              bad_request (request, message);
              return;
            }
          wanted[value] = TRUE;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      FerryTable *table = ferry_table_list_get_table (tables, i);

      if (!wanted[ferry_table_get_status (table)])
        continue;
      if (matching >= offset && matching - offset < limit)
        json_array_add_object_element (array, ferry_service_table_object (table));
      matching++;
    }

  json_object_set_int_member (root, "total", matching);
  json_object_set_int_member (root, "offset", offset);
  json_object_set_int_member (root, "limit", limit);
  json_object_set_array_member (root, "tables", array);
  ferry_service_respond_object (request->msg, SOUP_STATUS_OK, root);
}

static void
get_table (FerryRequest *request,
           const char   *name)
{
  FerryTable *table = find_table (request->service, name);
  g_autoptr(JsonObject) object = NULL;

  if (table == NULL)
    {
      table_not_found (request, name);
      return;
    }
  object = ferry_service_table_object (table);
  ferry_service_respond_object (request->msg, SOUP_STATUS_OK, object);
}

static void
get_errors (FerryRequest *request)
{
  g_autoptr(JsonNode) status = ferry_coordinator_status (request->service->coordinator);
  JsonObject *s = json_node_get_object (status);
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_string_member (root, "state", json_object_get_string_member (s, "state"));
  json_object_set_member (root, "last_error", json_node_copy (json_object_get_member (s, "last_error")));
  json_object_set_member (root, "counts", json_node_copy (json_object_get_member (s, "errors")));
  json_object_set_member (root, "failed_tables", json_node_copy (json_object_get_member (s, "failed_tables")));
  ferry_service_respond_object (request->msg, SOUP_STATUS_OK, root);
}

/* readiness: the checks' last results, or a run of them (the first
 * time, or with ?refresh=true); requests that arrive meanwhile wait for
 * the same run. */

static gboolean
readiness_known (FerryService *self)
{
  FerryValidator *validator = ferry_coordinator_get_validator (self->coordinator);

  return validator != NULL &&
         ferry_validator_count (validator, FERRY_CHECK_STATUS_PASS) +
         ferry_validator_count (validator, FERRY_CHECK_STATUS_WARNING) +
         ferry_validator_count (validator, FERRY_CHECK_STATUS_FAIL) > 0;
}

static JsonNode *
readiness_json (FerryService *self)
{
  FerryValidator *validator = ferry_coordinator_get_validator (self->coordinator);
  JsonNode *node = ferry_validator_to_json (validator);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      if (!json_object_has_member (o, "ready"))
        json_object_set_boolean_member (o, "ready", ferry_validator_is_ready (validator));
    }
  return node;
}

static JsonArray *
failed_checks (FerryService *self)
{
  FerryValidator *validator = ferry_coordinator_get_validator (self->coordinator);
  GListModel *checks = ferry_validator_get_checks (validator);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(FerryCheck) check = g_list_model_get_item (checks, i);

      if (ferry_check_get_status (check) != FERRY_CHECK_STATUS_FAIL)
        continue;
      {
        JsonObject *o = json_object_new ();
        json_object_set_string_member (o, "id", ferry_check_get_id (check));
        json_object_set_string_member (o, "title", ferry_check_get_title (check));
        json_object_set_string_member (o, "summary", ferry_check_get_summary (check));
        json_array_add_object_element (array, o);
      }
    }
  return array;
}

static void
respond_action (SoupServerMessage *msg,
                FerryService      *self,
                const char        *action,
                guint              status)
{
  g_autoptr(JsonObject) root = json_object_new ();
  FerryCoordinator *c = self->coordinator;

  json_object_set_string_member (root, "action", action);
  json_object_set_boolean_member (root, "accepted", TRUE);
  json_object_set_int_member (root, "migration_id", ferry_coordinator_get_migration_id (c));
  json_object_set_string_member (root, "state", ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
  json_object_set_boolean_member (root, "pausing", ferry_coordinator_is_pausing (c));
  ferry_service_respond_object (msg, status, root);
}

/* After the checks: a waiting start goes ahead, or is refused. */
static void
start_after_checks (Pending *pending)
{
  FerryService *self = pending->service;
  FerryCoordinator *c = self->coordinator;
  FerryValidator *validator = ferry_coordinator_get_validator (c);
  g_autoptr(GError) error = NULL;

  if (!ferry_validator_is_ready (validator) && !pending->force && !ferry_coordinator_get_resuming (c))
    {
      g_autoptr(JsonObject) root = json_object_new ();
      JsonObject *e = json_object_new ();

      json_object_set_string_member (e, "code", "not-ready");
      json_object_set_string_member (e, "message",
                                     _("Readiness checks failed: fix them, or start with {\"force\": true}"));
      json_object_set_int_member (e, "status", SOUP_STATUS_CONFLICT);
      json_object_set_array_member (e, "failed_checks", failed_checks (self));
      json_object_set_object_member (root, "error", e);
      ferry_coordinator_record_event_as (c, pending->actor, pending->client, "request-refused",
                                         "start: readiness checks failed");
      ferry_service_respond_object (pending->msg, SOUP_STATUS_CONFLICT, root);
      return;
    }

  if (!ferry_coordinator_start (c, &error))
    {
      ferry_coordinator_record_event_as (c, pending->actor, pending->client, "request-refused", error->message);
      ferry_service_respond_gerror (pending->msg, error);
      return;
    }
  respond_action (pending->msg, self, "start", SOUP_STATUS_ACCEPTED);
}

static void
readiness_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FerryService) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiters = NULL;
  gboolean ok;

  ok = ferry_coordinator_validate_readiness_finish (FERRY_COORDINATOR (object), result, &error);
  self->readiness_running = FALSE;
  waiters = g_steal_pointer (&self->readiness_waiters);
  self->readiness_waiters = g_ptr_array_new ();

  for (guint i = 0; i < waiters->len; i++)
    {
      Pending *pending = g_ptr_array_index (waiters, i);

      if (pending->finished)
        ;
      else if (!ok)
        ferry_service_respond_gerror (pending->msg, error);
      else if (g_str_equal (pending->what, "start"))
        start_after_checks (pending);
      else
        {
          g_autoptr(JsonNode) node = readiness_json (self);
          ferry_service_respond_json (pending->msg, SOUP_STATUS_OK, node);
        }
      ferry_service_pending_done (pending);
    }
}

static void
readiness_run (FerryService *self)
{
  if (self->readiness_running)
    return;
  self->readiness_running = TRUE;
  ferry_coordinator_validate_readiness_async (self->coordinator, NULL, readiness_done, g_object_ref (self));
}

static void
get_readiness (FerryRequest *request)
{
  FerryService *self = request->service;
  /* The checks read both catalogs again: only before the run, while
   * nothing holds on to the tables they replace. */
  gboolean can_run = ferry_coordinator_get_state (self->coordinator) == FERRY_STATE_READY;

  if (ferry_coordinator_get_validator (self->coordinator) == NULL)
    {
      ferry_service_respond_error (request->msg, SOUP_STATUS_CONFLICT, "illegal-state",
                                   _("The migration is still initializing"));
      return;
    }

  /* Once the migration started, the last results. */
  if (!self->readiness_running && readiness_known (self) && (!query_bool (request, "refresh") || !can_run))
    {
      g_autoptr(JsonNode) node = readiness_json (self);
      ferry_service_respond_json (request->msg, SOUP_STATUS_OK, node);
      return;
    }
  if (!self->readiness_running && !can_run)
    {
      ferry_service_respond_error (request->msg, SOUP_STATUS_CONFLICT, "illegal-state",
                                   _("The readiness checks run before the migration starts"));
      return;
    }

  g_ptr_array_add (self->readiness_waiters, ferry_service_pending_new (request, "readiness"));
  readiness_run (self);
}

/* reports/{kind}?format=json|html|csv */

static void
report_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ferry_report_render_finish (FERRY_REPORT (object), result, &error);

  if (pending->finished)
    ;
  else if (bytes == NULL)
    ferry_service_respond_gerror (pending->msg, error);
  else
    {
      FerryReportFormat format = GPOINTER_TO_INT (g_object_get_data (object, "ferry-format"));
      FerryReportKind kind = GPOINTER_TO_INT (g_object_get_data (object, "ferry-kind"));
      g_autofree char *filename = ferry_report_suggest_filename (FERRY_REPORT (object), kind, format);
      g_autofree char *disposition = g_strdup_printf ("inline; filename=\"%s\"", filename);
      const char *type = ferry_report_format_get_content_type (format);
      g_autofree char *content_type = g_str_has_prefix (type, "text/") ? g_strconcat (type, "; charset=utf-8", NULL)
                                                                      : g_strdup (type);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (pending->msg);

      soup_message_headers_replace (headers, "Content-Disposition", disposition);
      soup_message_headers_replace (headers, "Cache-Control", "no-store");
      soup_server_message_set_status (pending->msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (pending->msg, content_type, SOUP_MEMORY_COPY, data, length);
    }
  ferry_service_pending_done (pending);
}

static void
get_report (FerryRequest *request,
            const char   *kind_name)
{
  const char *format_name = query_get (request, "format");
  g_autoptr(FerryReport) report = NULL;
  int kind, format = FERRY_REPORT_FORMAT_JSON;

  if (!ferry_enum_from_nick (FERRY_TYPE_REPORT_KIND, kind_name, &kind))
    {
      g_autofree char *message = g_strdup_printf (_("There is no report “%s” (readiness, progress, "
                                                    "performance or completion)"), kind_name);
      ferry_service_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not-found", message);
      return;
    }
  if (format_name != NULL && !ferry_enum_from_nick (FERRY_TYPE_REPORT_FORMAT, format_name, &format))
    {
      bad_request (request, _("format must be html, json or csv"));
      return;
    }

  report = ferry_report_new_from_coordinator (request->service->coordinator);
  if (!ferry_report_can_build (report, kind))
    {
      g_autofree char *message = g_strdup_printf (_("The %s report cannot be made yet: %s"), kind_name,
                                                  kind == FERRY_REPORT_KIND_READINESS
                                                    ? _("the readiness checks have not run (GET readiness)")
                                                    : _("the migration has not started"));
      ferry_service_respond_error (request->msg, SOUP_STATUS_CONFLICT, "illegal-state", message);
      return;
    }

  g_object_set_data (G_OBJECT (report), "ferry-format", GINT_TO_POINTER (format));
  g_object_set_data (G_OBJECT (report), "ferry-kind", GINT_TO_POINTER (kind));
  ferry_report_render_async (report, kind, format, NULL, report_done,
                             ferry_service_pending_new (request, "report"));
}

/* events: the audit trail, read on the service's own connection */

typedef struct {
  gint64 migration_id;
} EventsData;

static void
events_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FerryService *self = source_object;
  EventsData *data = task_data;
  g_autoptr(GError) error = NULL;
  JsonNode *events = NULL;

  g_mutex_lock (&self->journal_lock);

  if (self->journal_connection == NULL || !ferry_connection_is_open (self->journal_connection))
    {
      g_clear_object (&self->journal);
      g_clear_object (&self->journal_connection);
      self->journal_connection = ferry_connection_new (ferry_config_get_target (self->config), _("target"));
      if (!ferry_connection_open (self->journal_connection, ferry_config_get_connect_timeout (self->config),
                                  ferry_config_get_query_timeout (self->config), cancellable, &error))
        {
          g_clear_object (&self->journal_connection);
          goto out;
        }
      self->journal = ferry_journal_new (self->journal_connection, ferry_config_get_journal_schema (self->config));
    }

  if (!ferry_journal_exists (self->journal, &error))
    {
      if (error == NULL)
        events = json_node_init_array (json_node_alloc (), json_array_new ());
      goto out;
    }
  events = ferry_journal_list_events (self->journal, data->migration_id, &error);

out:
  g_mutex_unlock (&self->journal_lock);
  if (events != NULL)
    g_task_return_pointer (task, events, (GDestroyNotify)json_node_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
events_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) events = g_task_propagate_pointer (G_TASK (result), &error);
  EventsData *data = g_task_get_task_data (G_TASK (result));

  if (pending->finished)
    ;
  else if (events == NULL)
    ferry_service_respond_gerror (pending->msg, error);
  else
    {
      g_autoptr(JsonObject) root = json_object_new ();
      JsonArray *all = json_node_get_array (events);
      JsonArray *page = json_array_new ();
      guint offset = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "ferry-offset"));
      guint limit = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "ferry-limit"));
      guint n = json_array_get_length (all);

      for (guint i = offset; i < n && i - offset < limit; i++)
        json_array_add_element (page, json_node_copy (json_array_get_element (all, i)));

      json_object_set_int_member (root, "migration_id", data->migration_id);
      json_object_set_int_member (root, "total", n);
      json_object_set_int_member (root, "offset", offset);
      json_object_set_int_member (root, "limit", limit);
      json_object_set_array_member (root, "events", page);
      ferry_service_respond_object (pending->msg, SOUP_STATUS_OK, root);
    }
  ferry_service_pending_done (pending);
}

static void
get_events (FerryRequest *request)
{
  g_autoptr(GTask) task = NULL;
  EventsData *data;
  guint offset, limit;
  const char *migration = query_get (request, "migration");
  gint64 id = ferry_coordinator_get_migration_id (request->service->coordinator);

  if (!query_uint (request, "offset", 0, G_MAXINT, &offset) ||
      !query_uint (request, "limit", MAX_LIMIT, 10 * MAX_LIMIT, &limit))
    return;
  if (migration != NULL && *migration != '\0')
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (migration, 10, 1, G_MAXINT64, &value, NULL))
        {
          bad_request (request, _("migration must be a journal id"));
          return;
        }
      id = (gint64)value;
    }

  if (id <= 0)
    {
      g_autoptr(JsonObject) root = json_object_new ();

      json_object_set_int_member (root, "migration_id", 0);
      json_object_set_int_member (root, "total", 0);
      json_object_set_int_member (root, "offset", offset);
      json_object_set_int_member (root, "limit", limit);
      json_object_set_array_member (root, "events", json_array_new ());
      ferry_service_respond_object (request->msg, SOUP_STATUS_OK, root);
      return;
    }

  data = g_new0 (EventsData, 1);
  data->migration_id = id;
  task = g_task_new (request->service, NULL, events_done, ferry_service_pending_new (request, "events"));
  g_task_set_source_tag (task, get_events);
  g_task_set_task_data (task, data, g_free);
  g_object_set_data (G_OBJECT (task), "ferry-offset", GUINT_TO_POINTER (offset));
  g_object_set_data (G_OBJECT (task), "ferry-limit", GUINT_TO_POINTER (limit));
  g_task_run_in_thread (task, events_thread);
}

/* --- actions ----------------------------------------------------------- */

static void
post_start (FerryRequest *request,
            JsonObject   *body)
{
  FerryService *self = request->service;
  FerryCoordinator *c = self->coordinator;
  gboolean check = body_bool (body, "check", TRUE);
  gboolean force = body_bool (body, "force", FALSE);
  FerryState state = ferry_coordinator_get_state (c);
  g_autoptr(GError) error = NULL;
  Pending *pending;

  ferry_coordinator_record_event_as (c, request->actor, request->client, "request",
                                     force ? "start (force)" : check ? "start" : "start (no check)");

  if (state != FERRY_STATE_READY && state != FERRY_STATE_STOPPED)
    {
      g_set_error (&error, FERRY_ERROR, FERRY_ERROR_STATE,
                   _("Cannot start the migration: it is %s"), ferry_state_to_string (state));
      ferry_coordinator_record_event_as (c, request->actor, request->client, "request-refused", error->message);
      ferry_service_respond_gerror (request->msg, error);
      return;
    }

  /* No checks to resume (a stopped run, or one found in the journal):
   * the target has its tables filled already, as the checks would say. */
  if (!check || state == FERRY_STATE_STOPPED || ferry_coordinator_get_resuming (c))
    {
      if (!ferry_coordinator_start (c, &error))
        {
          ferry_coordinator_record_event_as (c, request->actor, request->client, "request-refused", error->message);
          ferry_service_respond_gerror (request->msg, error);
          return;
        }
      respond_action (request->msg, self, "start", SOUP_STATUS_ACCEPTED);
      return;
    }

  /* Readiness first, as `ferry-cli run` does. */
  pending = ferry_service_pending_new (request, "start");
  pending->force = force;
  g_ptr_array_add (self->readiness_waiters, pending);
  readiness_run (self);
}

static void
post_control (FerryRequest *request,
              const char   *action)
{
  FerryCoordinator *c = request->service->coordinator;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ferry_coordinator_record_event_as (c, request->actor, request->client, "request", action);

  if (g_str_equal (action, "pause"))
    ok = ferry_coordinator_pause (c, &error);
  else if (g_str_equal (action, "resume"))
    ok = ferry_coordinator_resume (c, &error);
  else
    ok = ferry_coordinator_stop (c, &error);

  if (!ok)
    {
      ferry_coordinator_record_event_as (c, request->actor, request->client, "request-refused", error->message);
      ferry_service_respond_gerror (request->msg, error);
      return;
    }
  respond_action (request->msg, request->service, action, SOUP_STATUS_OK);
}

static void
post_resolve (FerryRequest *request,
              const char   *name,
              JsonObject   *body)
{
  FerryCoordinator *c = request->service->coordinator;
  const char *action = body_string (body, "action");
  FerryTable *table;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  int resolution;

  if (action == NULL || !ferry_enum_from_nick (FERRY_TYPE_RESOLUTION, action, &resolution))
    {
      bad_request (request, _("The body must be {\"action\": \"retry\"}, \"skip\", \"truncate-retry\" or \"abort\""));
      return;
    }
  table = find_table (request->service, name);
  if (table == NULL)
    {
      table_not_found (request, name);
      return;
    }

  detail = g_strdup_printf ("resolve %s %s", action, ferry_table_get_display_name (table));
  ferry_coordinator_record_event_as (c, request->actor, request->client, "request", detail);
  if (!ferry_coordinator_handle_error (c, table, resolution, &error))
    {
      ferry_coordinator_record_event_as (c, request->actor, request->client, "request-refused", error->message);
      ferry_service_respond_gerror (request->msg, error);
      return;
    }

  {
    g_autoptr(JsonObject) root = json_object_new ();

    json_object_set_string_member (root, "action", "resolve");
    json_object_set_string_member (root, "resolution", action);
    json_object_set_boolean_member (root, "accepted", TRUE);
    json_object_set_object_member (root, "table", ferry_service_table_object (table));
    json_object_set_string_member (root, "state", ferry_enum_to_nick (FERRY_TYPE_STATE, ferry_coordinator_get_state (c)));
    ferry_service_respond_object (request->msg, SOUP_STATUS_OK, root);
  }
}

/* --- routing ----------------------------------------------------------- */

void
ferry_service_api_dispatch (FerryRequest *request)
{
  const char *path = request->path;

  if (*path == '\0' || g_str_equal (path, "/"))
    {
      if (require_get (request))
        get_index (request);
    }
  else if (g_str_equal (path, "/openapi.yaml"))
    {
      if (require_get (request))
        get_openapi (request);
    }
  else if (g_str_equal (path, "/status"))
    {
      if (require_get (request))
        get_status (request);
    }
  else if (g_str_equal (path, "/plan"))
    {
      if (require_get (request))
        get_plan (request);
    }
  else if (g_str_equal (path, "/readiness"))
    {
      if (require_get (request))
        get_readiness (request);
    }
  else if (g_str_equal (path, "/health"))
    {
      if (require_get (request))
        get_health (request);
    }
  else if (g_str_equal (path, "/tables"))
    {
      if (require_get (request))
        get_tables (request);
    }
  else if (g_str_equal (path, "/errors"))
    {
      if (require_get (request))
        get_errors (request);
    }
  else if (g_str_equal (path, "/events"))
    {
      if (require_get (request))
        get_events (request);
    }
  else if (g_str_has_prefix (path, "/reports/") && strchr (path + strlen ("/reports/"), '/') == NULL)
    {
      if (require_get (request))
        get_report (request, path + strlen ("/reports/"));
    }
  else if (g_str_has_prefix (path, "/actions/"))
    {
      const char *action = path + strlen ("/actions/");
      g_autoptr(JsonObject) body = NULL;

      if (!g_str_equal (action, "start") && !g_str_equal (action, "pause") &&
          !g_str_equal (action, "resume") && !g_str_equal (action, "stop"))
        ferry_service_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                     _("The actions are start, pause, resume and stop"));
      else if (!require_post (request) || !(body = parse_body (request)))
        ;
      else if (g_str_equal (action, "start"))
        post_start (request, body);
      else
        post_control (request, action);
    }
  else if (g_str_has_prefix (path, "/tables/") && path[strlen ("/tables/")] != '\0')
    {
      const char *name = path + strlen ("/tables/");

      if (g_str_has_suffix (name, "/resolve"))
        {
          g_autofree char *table = g_strndup (name, strlen (name) - strlen ("/resolve"));
          g_autoptr(JsonObject) body = NULL;

          if (require_post (request) && (body = parse_body (request)))
            post_resolve (request, table, body);
        }
      else if (require_get (request))
        get_table (request, name);
    }
  else
    ferry_service_respond_error (request->msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                 _("No such endpoint (see /api/v1/openapi.yaml)"));
}

void
ferry_service_api_dispose (FerryService *self)
{
  if (self->readiness_waiters != NULL)
    {
      for (guint i = 0; i < self->readiness_waiters->len; i++)
        {
          Pending *pending = g_ptr_array_index (self->readiness_waiters, i);

          if (!pending->finished)
            ferry_service_respond_error (pending->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting-down",
                                         _("The service is shutting down"));
          /* Not unpaused: the server goes away with its connections. */
          ferry_service_pending_free (pending);
        }
      g_clear_pointer (&self->readiness_waiters, g_ptr_array_unref);
    }
}
