/* ferry-service.c — one migration coordinator behind a REST and WebSocket API
 *
 * FerryService owns a SoupServer and serves the coordinator it is given
 * under /api/v1/ (data/openapi.yaml documents every endpoint):
 *
 *  - every request carries a bearer token (Authorization: Bearer …, or
 *    ?access_token=… on GET requests, for WebSocket clients that cannot
 *    set headers); without a valid one it is refused with 401 and
 *    WWW-Authenticate, and the refusal is logged with the client's address
 *    and the path — never the token;
 *  - read-only tokens may GET; control tokens may also POST the actions;
 *    a read-only token on an action gets 403;
 *  - every action is recorded in the journal's audit trail as done by
 *    "api:TOKEN-NAME" from the client's address.
 *
 * The endpoints live in ferry-service-api.c, the event stream in
 * ferry-service-stream.c. Everything runs on the main context, as the
 * coordinator does; what may block (the journal, reports, readiness
 * checks) runs in worker threads, the request paused meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-service"

#include "config.h"

#include "ferry-service-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ferry-error.h"

#define LISTEN_BACKLOG 1024

G_DEFINE_FINAL_TYPE (FerryService, ferry_service, G_TYPE_OBJECT)

static void
ferry_service_dispose (GObject *object)
{
  FerryService *self = FERRY_SERVICE (object);

  ferry_service_stream_dispose (self);
  ferry_service_api_dispose (self);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_object (&self->webhooks);
  g_clear_object (&self->tokens);
  g_clear_object (&self->journal);
  g_clear_object (&self->journal_connection);
  g_clear_object (&self->config);
  g_clear_object (&self->coordinator);

  G_OBJECT_CLASS (ferry_service_parent_class)->dispose (object);
}

static void
ferry_service_finalize (GObject *object)
{
  FerryService *self = FERRY_SERVICE (object);

  g_mutex_clear (&self->journal_lock);

  G_OBJECT_CLASS (ferry_service_parent_class)->finalize (object);
}

static void
ferry_service_class_init (FerryServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_service_dispose;
  object_class->finalize = ferry_service_finalize;
}

static void
ferry_service_init (FerryService *self)
{
  g_mutex_init (&self->journal_lock);
  self->readiness_waiters = g_ptr_array_new ();
  self->max_backlog = FERRY_SERVICE_DEFAULT_MAX_BACKLOG;
  self->max_behind_seconds = FERRY_SERVICE_DEFAULT_MAX_BEHIND_SECONDS;
}

/* --- responses --------------------------------------------------------- */

void
ferry_service_respond_json (SoupServerMessage *msg,
                            guint              status,
                            JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char *text;
  gsize length;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text, length);
}

void
ferry_service_respond_object (SoupServerMessage *msg,
                              guint              status,
                              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  ferry_service_respond_json (msg, status, node);
}

void
ferry_service_respond_error (SoupServerMessage *msg,
                             guint              status,
                             const char        *code,
                             const char        *message)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_int_member (error, "status", status);
  json_object_set_object_member (root, "error", error);
  ferry_service_respond_object (msg, status, root);
}

/* FERRY_ERROR_STATE: an action the state does not allow → 409; a name
 * that does not exist → 404; a server that cannot be reached → 503;
 * the rest → 500. */
void
ferry_service_respond_gerror (SoupServerMessage *msg,
                              const GError      *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  const char *code = "internal";

  if (error->domain == FERRY_ERROR)
    switch (error->code)
      {
      case FERRY_ERROR_STATE:
        status = SOUP_STATUS_CONFLICT;
        code = "illegal-state";
        break;
      case FERRY_ERROR_NOT_FOUND:
        status = SOUP_STATUS_NOT_FOUND;
        code = "not-found";
        break;
      case FERRY_ERROR_CONNECTION:
        status = SOUP_STATUS_SERVICE_UNAVAILABLE;
        code = "unreachable";
        break;
      case FERRY_ERROR_CONFIG:
        status = SOUP_STATUS_BAD_REQUEST;
        code = "bad-request";
        break;
      default:
        break;
      }

  ferry_service_respond_error (msg, status, code, error->message);
}

/* --- requests answered later -------------------------------------------- */

static void
pending_finished (SoupServerMessage *msg,
                  Pending           *pending)
{
  pending->finished = TRUE;
}

Pending *
ferry_service_pending_new (FerryRequest *request,
                           const char   *what)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->service = g_object_ref (request->service);
  pending->msg = g_object_ref (request->msg);
  pending->actor = g_strdup (request->actor);
  pending->client = g_strdup (request->client);
  pending->what = g_strdup (what);
  pending->finished_id = g_signal_connect (pending->msg, "finished", G_CALLBACK (pending_finished), pending);
  soup_server_message_pause (pending->msg);
  return pending;
}

void
ferry_service_pending_free (Pending *pending)
{
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_object (&pending->msg);
  g_clear_object (&pending->service);
  g_free (pending->actor);
  g_free (pending->client);
  g_free (pending->what);
  g_free (pending);
}

void
ferry_service_pending_done (Pending *pending)
{
  if (!pending->finished)
    soup_server_message_unpause (pending->msg);
  ferry_service_pending_free (pending);
}

/* --- authentication ---------------------------------------------------- */

static const char *
bearer_token (SoupServerMessage *msg,
              GHashTable        *query,
              gboolean           allow_query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");

  if (authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Bearer", 6) != 0 ||
          (authorization[6] != ' ' && authorization[6] != '\t'))
        return NULL;
      authorization += 6;
      while (*authorization == ' ' || *authorization == '\t')
        authorization++;
      return authorization;
    }

  /* A query parameter only where a header cannot be set: GET requests
   * (the WebSocket handshake of a browser, a report's link). Actions
   * need the header, which a page from elsewhere cannot send. */
  if (allow_query && query != NULL)
    return g_hash_table_lookup (query, "access_token");
  return NULL;
}

static void
refuse (FerryService      *self,
        SoupServerMessage *msg,
        const char        *method,
        const char        *path,
        const char        *client,
        gboolean           presented)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  self->n_refused++;
  /* The log names who and what, never the token. */
  g_message ("Refused %s %s from %s: %s", method, path, client ? client : "?",
             presented ? "invalid token" : "no token");
  soup_message_headers_replace (headers, "WWW-Authenticate",
                                presented ? "Bearer realm=\"ferry\", error=\"invalid_token\""
                                          : "Bearer realm=\"ferry\"");
  ferry_service_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                               presented ? _("The token is not valid")
                                         : _("A bearer token is required (Authorization: Bearer TOKEN)"));
}

static gboolean
is_websocket_upgrade (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return soup_message_headers_header_contains (headers, "Upgrade", "websocket");
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FerryService *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *client = soup_server_message_get_remote_host (msg);
  gboolean is_get = g_str_equal (method, SOUP_METHOD_GET) || g_str_equal (method, SOUP_METHOD_HEAD);
  gboolean is_stream = g_str_equal (path, FERRY_SERVICE_PREFIX "/events/stream");
  const char *token;
  const char *name = NULL;
  FerryTokenKind kind = FERRY_TOKEN_KIND_READ_ONLY;
  FerryRequest request = { 0 };
  g_autofree char *actor = NULL;

  self->n_requests++;

  if (!g_str_equal (path, FERRY_SERVICE_PREFIX) && !g_str_has_prefix (path, FERRY_SERVICE_PREFIX "/"))
    {
      ferry_service_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                   _("Ferry's API is under /api/v1/"));
      return;
    }

  token = bearer_token (msg, query, is_get);
  if (!ferry_service_tokens_check (self->tokens, token, &name, &kind))
    {
      refuse (self, msg, method, path, client, token != NULL && *token != '\0');
      return;
    }

  actor = g_strconcat ("api:", name, NULL);
  g_debug ("%s %s from %s (%s)", method, path, client ? client : "?", actor);

  if (!is_get && kind != FERRY_TOKEN_KIND_CONTROL)
    {
      g_autofree char *detail = g_strdup_printf ("%s %s: a read-only token", method, path);

      self->n_refused++;
      g_message ("Refused %s %s from %s: token “%s” is read-only", method, path, client ? client : "?", name);
      /* In the audit trail once the journal has the migration (before,
       * the coordinator would hold them in memory, as many as were sent). */
      if (ferry_coordinator_get_migration_id (self->coordinator) > 0)
        ferry_coordinator_record_event_as (self->coordinator, actor, client, "request-refused", detail);
      ferry_service_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                   _("This token may only read: actions need a control token"));
      return;
    }

  if (is_stream)
    {
      g_object_set_data_full (G_OBJECT (msg), "ferry-actor", g_strdup (actor), g_free);
      if (!is_get || !is_websocket_upgrade (msg))
        ferry_service_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                     _("The event stream is a WebSocket: connect with an Upgrade request"));
      else if (ferry_service_get_n_stream_clients (self) >= FERRY_SERVICE_MAX_STREAM_CLIENTS)
        ferry_service_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "too-many-clients",
                                     _("Too many clients of the event stream"));
      /* else: no status yet, the WebSocket handler takes the handshake */
      return;
    }

  request.service = self;
  request.msg = msg;
  request.method = method;
  request.path = path + strlen (FERRY_SERVICE_PREFIX);
  request.query = query;
  request.token_name = name;
  request.kind = kind;
  request.client = client ? client : "?";
  request.actor = actor;
  ferry_service_api_dispatch (&request);
}

static void
websocket_callback (SoupServer              *server,
                    SoupServerMessage       *msg,
                    const char              *path,
                    SoupWebsocketConnection *connection,
                    gpointer                 user_data)
{
  ferry_service_stream_accept (FERRY_SERVICE (user_data), msg, connection);
}

/* --- the object -------------------------------------------------------- */

FerryService *
ferry_service_new (FerryCoordinator   *coordinator,
                   FerryServiceTokens *tokens)
{
  FerryService *self;
  g_autofree char *header = g_strdup_printf ("Ferry/%s ", PACKAGE_VERSION);

  g_return_val_if_fail (FERRY_IS_COORDINATOR (coordinator), NULL);
  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (tokens), NULL);

  self = g_object_new (FERRY_TYPE_SERVICE, NULL);
  self->coordinator = g_object_ref (coordinator);
  self->config = g_object_ref (ferry_coordinator_get_config (coordinator));
  self->tokens = g_object_ref (tokens);
  self->started_at = g_get_monotonic_time ();

  self->server = soup_server_new ("server-header", header, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  /* The stream's path has both: the handler authenticates the
   * handshake, then the WebSocket handler takes it (soup-server.c runs
   * them in this order, the second only if the first set no status). */
  soup_server_add_handler (self->server, FERRY_SERVICE_PREFIX "/events/stream", server_callback, self, NULL);
  soup_server_add_websocket_handler (self->server, FERRY_SERVICE_PREFIX "/events/stream", NULL, NULL,
                                     websocket_callback, self, NULL);

  ferry_service_stream_init (self);
  return self;
}

FerryCoordinator *
ferry_service_get_coordinator (FerryService *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE (self), NULL);
  return self->coordinator;
}

FerryServiceTokens *
ferry_service_get_tokens (FerryService *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE (self), NULL);
  return self->tokens;
}

void
ferry_service_set_webhooks (FerryService  *self,
                            FerryWebhooks *webhooks)
{
  g_return_if_fail (FERRY_IS_SERVICE (self));
  g_set_object (&self->webhooks, webhooks);
}

FerryWebhooks *
ferry_service_get_webhooks (FerryService *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE (self), NULL);
  return self->webhooks;
}

gboolean
ferry_service_listen (FerryService     *self,
                      const char       *address,
                      guint             port,
                      GTlsCertificate  *certificate,
                      GError          **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (FERRY_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  if (address == NULL || g_str_equal (address, "localhost"))
    address = FERRY_SERVICE_DEFAULT_ADDRESS;
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("“%s” is not an IP address to listen on"), address);
      return FALSE;
    }

  if (certificate != NULL)
    {
      soup_server_set_tls_certificate (self->server, certificate);
      self->https = TRUE;
    }

  /* Our own socket: soup_server_listen() leaves GSocket's backlog of
   * 10, and a burst of new connections (200 clients polling at once)
   * would be refused while the main loop is busy. */
  socket_address = g_inet_socket_address_new (inet, port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL ||
      !g_socket_bind (socket, socket_address, TRUE, error) ||
      (g_socket_set_listen_backlog (socket, LISTEN_BACKLOG), !g_socket_listen (socket, error)) ||
      !soup_server_listen_socket (self->server, socket, self->https ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_prefix_error (error, _("Cannot listen on %s port %u: "), address, port);
      return FALSE;
    }
  return TRUE;
}

char *
ferry_service_dup_url (FerryService *self)
{
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (FERRY_IS_SERVICE (self), NULL);

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    {
      g_autoptr(GUri) api = g_uri_parse_relative (uris->data, "api/v1/", G_URI_FLAGS_NONE, NULL);
      url = g_uri_to_string (api);
    }
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return url;
}

guint
ferry_service_get_port (FerryService *self)
{
  GSList *uris;
  guint port = 0;

  g_return_val_if_fail (FERRY_IS_SERVICE (self), 0);

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return port;
}

gboolean
ferry_service_is_https (FerryService *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE (self), FALSE);
  return self->https;
}

void
ferry_service_shutdown (FerryService *self)
{
  g_return_if_fail (FERRY_IS_SERVICE (self));

  ferry_service_stream_dispose (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
}

/* --- addresses --------------------------------------------------------- */

static gboolean
parse_port (const char  *text,
            guint       *port,
            GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, 65535, &value, NULL))
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("“%s” is not a port number (0 to 65535)"), text);
      return FALSE;
    }
  *port = (guint)value;
  return TRUE;
}

gboolean
ferry_service_parse_listen (const char  *text,
                            char       **address,
                            guint       *port,
                            GError     **error)
{
  const char *colon;
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  guint p = FERRY_SERVICE_DEFAULT_PORT;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':') ||
          (end[1] == ':' && !parse_port (end + 2, &p, error)))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                         _("“%s”: write an IPv6 address as [ADDRESS]:PORT"), text);
          return FALSE;
        }
      host = g_strndup (text + 1, end - text - 1);
    }
  else if ((colon = strrchr (text, ':')) != NULL && strchr (text, ':') == colon)
    {
      /* ADDRESS:PORT or :PORT */
      if (!parse_port (colon + 1, &p, error))
        return FALSE;
      host = colon == text ? g_strdup (FERRY_SERVICE_DEFAULT_ADDRESS) : g_strndup (text, colon - text);
    }
  else if (strchr (text, ':') == NULL && strchr (text, '.') == NULL && g_ascii_isdigit (text[0]))
    {
      /* PORT */
      if (!parse_port (text, &p, error))
        return FALSE;
      host = g_strdup (FERRY_SERVICE_DEFAULT_ADDRESS);
    }
  else
    host = g_strdup (text);   /* ADDRESS, including a bare IPv6 one */

  if (g_str_equal (host, "localhost"))
    {
      g_free (host);
      host = g_strdup (FERRY_SERVICE_DEFAULT_ADDRESS);
    }

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("“%s” is not an IP address (write e.g. 127.0.0.1:%u, [::1]:%u or 0.0.0.0:%u)"),
                   host, FERRY_SERVICE_DEFAULT_PORT, FERRY_SERVICE_DEFAULT_PORT, FERRY_SERVICE_DEFAULT_PORT);
      return FALSE;
    }

  if (address != NULL)
    *address = g_steal_pointer (&host);
  if (port != NULL)
    *port = p;
  return TRUE;
}

gboolean
ferry_service_address_is_loopback (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;

  if (address == NULL || g_str_equal (address, "localhost"))
    return TRUE;
  inet = g_inet_address_new_from_string (address);
  return inet != NULL && g_inet_address_get_is_loopback (inet);
}
