/* test-service.c — ferry-cli serve's API against a real migration
 *
 * One throwaway cluster holds the source (the sample at scale 1, two bulk
 * tables so that 1 MB chunks make a run last a few seconds, and
 * public.svc_dup) and, per case, a fresh target made from a template with
 * the source's schema. In the main case the target's svc_dup already has
 * one of the source's rows, so the readiness checks fail (start is refused
 * with 409 until forced) and the table fails with 23505 (DATA) until it is
 * resolved with truncate-retry through the API.
 *
 * The service (FerryService, in this process) is driven with a real HTTP
 * client (SoupSession, asynchronous, the main context iterated while it
 * waits): every endpoint, the token checks (no token, wrong token, a
 * read-only token on an action), the WebSocket stream (state, progress,
 * tables, failure, escalation and completion messages; a filtered client;
 * a client that never reads and is closed while the others go on; the
 * status's and the messages' additions for the app: elapsed time,
 * max_parallel, resuming, the validation, the failed chunk, the hello's
 * samples and tables), FerryRemote's mirror against the coordinator's own
 * figures, a migration stopped and resumed by a new service, TLS
 * with a self-signed certificate from openssl, and webhooks: a receiver
 * that checks every payload and its HMAC signature, one that fails with
 * 500 before it recovers (the sender retries and delivers), and a port
 * nobody listens on (its failures show in /health). Then `ferry-cli run`
 * and `ferry-cli serve` as programs, with webhooks.
 *
 * Everything is on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ferry-enum-types.h"
#include "ferry-remote.h"
#include "ferry-service.h"
#include "ferry-service-tokens.h"
#include "ferry-test-migrate.h"
#include "ferry-test-service.h"
#include "ferry-webhooks.h"

#define CONTROL_TOKEN   "control-token-0123456789abcdef"
#define READ_TOKEN      "read-only-token-0123456789abcdef"
#define WEBHOOK_SECRET  "webhook-secret-for-the-test"
#define DUP_TABLE       "public.svc_dup"

static FerryTestCluster *cluster;
static char *source;
static char *tmpdir;
static SoupSession *session;

/* ------------------------------------------------------------------ */
/* Waiting                                                             */
/* ------------------------------------------------------------------ */

typedef gboolean (*Predicate) (gpointer data);

static void
iterate_until (Predicate   predicate,
               gpointer    data,
               guint       seconds,
               const char *what)
{
  ferry_test_wait_for (predicate, data, seconds, what);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

/* ------------------------------------------------------------------ */
/* An HTTP client                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
  gboolean  done;
  guint     status;
  GBytes   *body;
  GError   *error;
  SoupMessageHeaders *headers;
  JsonNode *json;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
reply_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Reply *reply = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->done = TRUE;
}

static gboolean
reply_is_done (gpointer data)
{
  return ((Reply *)data)->done;
}

/* @url: absolute, or a path below the service's base URL */
static Reply *
http_full (const char      *base,
           const char      *method,
           const char      *path,
           const char      *token,
           const char      *body,
           GTlsCertificate *trusted)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path) : g_strconcat (base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (trusted != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (ferry_test_service_accept_certificate), trusted);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, reply_done, reply);
  iterate_until (reply_is_done, reply, 60, url);

  if (reply->error == NULL && reply->body != NULL &&
      g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL) ?: "", "application/json"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gsize length;
      const char *data = g_bytes_get_data (reply->body, &length);

      json_parser_load_from_data (parser, data, length, &error);
      g_assert_no_error (error);
      reply->json = json_node_copy (json_parser_get_root (parser));
    }
  return reply;
}

static char *base_url;

/* A request with this Authorization header as it is */
static Reply *
http_authorization (const char *path,
                    const char *authorization)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  Reply *reply = g_new0 (Reply, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, reply_done, reply);
  iterate_until (reply_is_done, reply, 60, url);
  if (reply->body != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body), NULL))
        reply->json = json_node_copy (json_parser_get_root (parser));
    }
  return reply;
}

static Reply *
http (const char *method,
      const char *path,
      const char *token,
      const char *body)
{
  return http_full (base_url, method, path, token, body, NULL);
}

static JsonObject *
obj (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static const char *
error_code (Reply *reply)
{
  return json_object_get_string_member (json_object_get_object_member (obj (reply), "error"), "code");
}

/* GET with the read-only token, expecting 200 */
static Reply *
get_ok (const char *path)
{
  Reply *reply = http ("GET", path, READ_TOKEN, NULL);

  g_assert_no_error (reply->error);
  if (reply->status != 200)
    g_error ("GET %s: %u %.*s", path, reply->status, (int)g_bytes_get_size (reply->body),
             (const char *)g_bytes_get_data (reply->body, NULL));
  return reply;
}

static char *
escape_path (const char *name)
{
  return g_uri_escape_string (name, NULL, FALSE);
}

/* ------------------------------------------------------------------ */
/* A WebSocket client                                                  */
/* ------------------------------------------------------------------ */

typedef struct {
  SoupWebsocketConnection *connection;
  GError                  *error;
  gboolean                 connected;
  gboolean                 closed;
  GPtrArray               *messages;   /* JsonObject* */
  guint64                  last_seq;
  gboolean                 seq_ordered;
  guint                    seq_gaps;
} WsClient;

static void
ws_client_free (WsClient *ws)
{
  if (ws->connection != NULL && soup_websocket_connection_get_state (ws->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  if (ws->connection != NULL)
    g_signal_handlers_disconnect_by_data (ws->connection, ws);
  g_clear_object (&ws->connection);
  g_clear_error (&ws->error);
  g_ptr_array_unref (ws->messages);
  g_free (ws);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsClient, ws_client_free)

static void
ws_message (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            WsClient                *ws)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  JsonObject *o;
  guint64 seq;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (o, "type"));
  g_assert_true (json_object_has_member (o, "at"));
  seq = json_object_get_int_member (o, "seq");
  /* hello carries the number of the last broadcast; every broadcast
   * after it the next number */
  if (ws->messages->len > 0 && seq <= ws->last_seq)
    ws->seq_ordered = FALSE;
  if (ws->messages->len > 0 && seq > ws->last_seq + 1)
    ws->seq_gaps++;
  ws->last_seq = seq;
  g_ptr_array_add (ws->messages, json_object_ref (o));
}

static void
ws_closed (SoupWebsocketConnection *connection,
           WsClient                *ws)
{
  ws->closed = TRUE;
}

static void
ws_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  WsClient *ws = user_data;

  ws->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &ws->error);
  if (ws->connection != NULL)
    {
      soup_websocket_connection_set_max_incoming_payload_size (ws->connection, 4 * 1024 * 1024);
      g_signal_connect (ws->connection, "message", G_CALLBACK (ws_message), ws);
      g_signal_connect (ws->connection, "closed", G_CALLBACK (ws_closed), ws);
    }
  ws->connected = TRUE;
}

static gboolean
ws_is_connected (gpointer data)
{
  return ((WsClient *)data)->connected;
}

/* @token_in_query: ?access_token= instead of the header */
static WsClient *
ws_connect (const char *base,
            const char *query,
            const char *token,
            gboolean    token_in_query)
{
  WsClient *ws = g_new0 (WsClient, 1);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GString) q = g_string_new (NULL);

  ws->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  ws->seq_ordered = TRUE;

  if (query != NULL)
    g_string_append (q, query);
  if (token != NULL && token_in_query)
    g_string_append_printf (q, "%saccess_token=%s", q->len ? "&" : "", token);
  url = g_strdup_printf ("%sevents/stream%s%s", base, q->len ? "?" : "", q->str);
  msg = soup_message_new ("GET", url);
  if (token != NULL && !token_in_query)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, ws_connected, ws);
  iterate_until (ws_is_connected, ws, 30, "the WebSocket handshake");
  return ws;
}

static guint
ws_count (WsClient   *ws,
          const char *type)
{
  guint n = 0;

  for (guint i = 0; i < ws->messages->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (ws->messages, i), "type"), type))
      n++;
  return n;
}

/* A state message with this "to" */
static gboolean
ws_saw_state (WsClient   *ws,
              const char *to)
{
  for (guint i = 0; i < ws->messages->len; i++)
    {
      JsonObject *m = g_ptr_array_index (ws->messages, i);

      if (g_str_equal (json_object_get_string_member (m, "type"), "state") &&
          g_str_equal (json_object_get_string_member (m, "to"), to))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  WsClient   *ws;
  const char *state;
} StateWait;

static gboolean
state_seen (gpointer data)
{
  StateWait *w = data;
  return ws_saw_state (w->ws, w->state);
}

static void
ws_wait_state (WsClient   *ws,
               const char *state,
               guint       seconds)
{
  StateWait w = { ws, state };
  g_autofree char *what = g_strdup_printf ("a state message to “%s”", state);

  iterate_until (state_seen, &w, seconds, what);
}

/* ------------------------------------------------------------------ */
/* Webhook receivers                                                   */
/* ------------------------------------------------------------------ */

typedef struct {
  SoupServer *server;
  char       *url;
  guint       fail_first;   /* answer 500 to the first N requests */
  guint       requests;
  GPtrArray  *payloads;     /* JsonObject*, accepted deliveries */
  GPtrArray  *deliveries;   /* char*, X-Ferry-Delivery of accepted ones */
  guint       bad_signatures;
  const char *secret;
} Receiver;

static void
receiver_free (Receiver *r)
{
  soup_server_disconnect (r->server);
  g_clear_object (&r->server);
  g_free (r->url);
  g_ptr_array_unref (r->payloads);
  g_ptr_array_unref (r->deliveries);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receiver, receiver_free)

static void
receiver_callback (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Receiver *r = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *signature = soup_message_headers_get_one (headers, "X-Ferry-Signature");
  const char *event = soup_message_headers_get_one (headers, "X-Ferry-Event");
  const char *delivery = soup_message_headers_get_one (headers, "X-Ferry-Delivery");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  JsonObject *payload;

  r->requests++;
  g_assert_cmpstr (soup_server_message_get_method (msg), ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_nonnull (event);
  g_assert_nonnull (delivery);

  /* The signature: HMAC-SHA256 of the exact body, computed here with
   * GLib's GHmac independently of ferry_webhooks_sign(). */
  if (r->secret != NULL)
    {
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)r->secret, strlen (r->secret));

      g_hmac_update (hmac, (const guchar *)data, length);
      expected = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
      if (g_strcmp0 (signature, expected) != 0)
        r->bad_signatures++;
    }
  else
    g_assert_null (signature);

  if (r->requests <= r->fail_first)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  payload = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (payload, "format_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (payload, "event"), ==, event);
  g_assert_cmpstr (json_object_get_string_member (payload, "delivery"), ==, delivery);
  g_assert_true (strlen (json_object_get_string_member (payload, "text")) > 10);
  g_assert_true (json_object_has_member (payload, "sent_at"));

  g_ptr_array_add (r->payloads, json_object_ref (payload));
  g_ptr_array_add (r->deliveries, g_strdup (delivery));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

static Receiver *
receiver_new (guint       fail_first,
              const char *secret)
{
  Receiver *r = g_new0 (Receiver, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  r->fail_first = fail_first;
  r->secret = secret;
  r->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  r->deliveries = g_ptr_array_new_with_free_func (g_free);
  r->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (r->server, "/hook", receiver_callback, r, NULL);
  soup_server_listen (r->server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (r->server);
  r->url = g_strdup_printf ("http://127.0.0.1:%d/hook/secret-path-part", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return r;
}

static guint
receiver_count (Receiver   *r,
                const char *event)
{
  guint n = 0;

  for (guint i = 0; i < r->payloads->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (r->payloads, i), "event"), event))
      n++;
  return n;
}

static JsonObject *
receiver_last (Receiver   *r,
               const char *event)
{
  for (guint i = r->payloads->len; i > 0; i--)
    {
      JsonObject *p = g_ptr_array_index (r->payloads, i - 1);
      if (g_str_equal (json_object_get_string_member (p, "event"), event))
        return p;
    }
  return NULL;
}

/* A port nobody listens on: bound, then closed. */
static char *
dead_url (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u/nobody", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* ------------------------------------------------------------------ */
/* Fixtures                                                            */
/* ------------------------------------------------------------------ */

static FerryServiceTokens *
test_tokens (void)
{
  FerryServiceTokens *tokens = ferry_service_tokens_new ();
  g_autoptr(GError) error = NULL;

  ferry_service_tokens_add (tokens, "control", FERRY_TOKEN_KIND_CONTROL, CONTROL_TOKEN, &error);
  g_assert_no_error (error);
  ferry_service_tokens_add (tokens, "read-only", FERRY_TOKEN_KIND_READ_ONLY, READ_TOKEN, &error);
  g_assert_no_error (error);
  return tokens;
}

static char *
new_target (const char *name)
{
  return ferry_test_new_database (cluster, name, "target_template");
}

static FerryConfig *
test_config (const char          *target,
             const char * const *webhooks)
{
  FerryConfig *config = ferry_test_config_new (source, target);

  ferry_config_set_notifications_enabled (config, webhooks != NULL);
  ferry_config_set_webhooks (config, webhooks);
  return config;
}

/* ------------------------------------------------------------------ */
/* Unit tests                                                          */
/* ------------------------------------------------------------------ */

static void
test_tokens_unit (void)
{
  g_autoptr(FerryServiceTokens) tokens = test_tokens ();
  g_autoptr(FerryServiceTokens) loaded = NULL;
  g_autoptr(FerryServiceTokens) created = NULL;
  g_autoptr(FerryServiceTokens) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "tokens", "sub", "service-tokens.json", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *generated = ferry_service_tokens_generate ();
  g_autofree char *generated2 = ferry_service_tokens_generate ();
  const char *name = NULL;
  FerryTokenKind kind = FERRY_TOKEN_KIND_CONTROL;
  gboolean was_created = FALSE;
  GStatBuf st;

  /* 32 random bytes in hex, different each time */
  g_assert_cmpuint (strlen (generated), ==, 64);
  g_assert_cmpstr (generated, !=, generated2);

  g_assert_true (ferry_service_tokens_check (tokens, CONTROL_TOKEN, &name, &kind));
  g_assert_cmpstr (name, ==, "control");
  g_assert_cmpint (kind, ==, FERRY_TOKEN_KIND_CONTROL);
  g_assert_true (ferry_service_tokens_check (tokens, READ_TOKEN, &name, &kind));
  g_assert_cmpstr (name, ==, "read-only");
  g_assert_cmpint (kind, ==, FERRY_TOKEN_KIND_READ_ONLY);
  g_assert_false (ferry_service_tokens_check (tokens, "control-token-0123456789abcdeX", NULL, NULL));
  g_assert_false (ferry_service_tokens_check (tokens, "control-token-0123456789abcde", NULL, NULL));
  g_assert_false (ferry_service_tokens_check (tokens, "", NULL, NULL));
  g_assert_false (ferry_service_tokens_check (tokens, NULL, NULL, NULL));

  /* refused: short, duplicate name */
  g_assert_false (ferry_service_tokens_add (tokens, "short", FERRY_TOKEN_KIND_CONTROL, "abc", &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_false (ferry_service_tokens_add (tokens, "control", FERRY_TOKEN_KIND_CONTROL, generated, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_clear_error (&error);

  /* created on first use: 0600 in a 0700 directory, two tokens, a secret */
  created = ferry_service_tokens_load_or_create (path, &was_created, &error);
  g_assert_no_error (error);
  g_assert_true (was_created);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpuint (ferry_service_tokens_get_n_tokens (created), ==, 2);
  g_assert_nonnull (ferry_service_tokens_get_webhook_secret (created));
  g_assert_true (ferry_service_tokens_check (created, ferry_service_tokens_get_token (created, "control"), &name, &kind));
  g_assert_cmpint (kind, ==, FERRY_TOKEN_KIND_CONTROL);
  g_assert_true (ferry_service_tokens_check (created, ferry_service_tokens_get_token (created, "read-only"), &name, &kind));
  g_assert_cmpint (kind, ==, FERRY_TOKEN_KIND_READ_ONLY);

  /* loaded the second time, the same tokens */
  again = ferry_service_tokens_load_or_create (path, &was_created, &error);
  g_assert_no_error (error);
  g_assert_false (was_created);
  g_assert_cmpstr (ferry_service_tokens_get_token (again, "control"), ==,
                   ferry_service_tokens_get_token (created, "control"));

  /* a file others can read is refused */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  loaded = ferry_service_tokens_load (path, &error);
  g_assert_null (loaded);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);

  /* a file that is not a token file */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_file_set_contents (path, "{\"tokens\": [{\"name\": \"x\", \"kind\": \"admin\", \"token\": \"0123456789abcdef0\"}]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  loaded = ferry_service_tokens_load (path, &error);
  g_assert_null (loaded);
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG);
}

static void
test_listen_parse (void)
{
  struct { const char *text; const char *address; guint port; } good[] = {
    { "127.0.0.1:9000", "127.0.0.1", 9000 },
    { "127.0.0.1", "127.0.0.1", FERRY_SERVICE_DEFAULT_PORT },
    { ":9001", "127.0.0.1", 9001 },
    { "9002", "127.0.0.1", 9002 },
    { "[::1]:9003", "::1", 9003 },
    { "[::1]", "::1", FERRY_SERVICE_DEFAULT_PORT },
    { "::1", "::1", FERRY_SERVICE_DEFAULT_PORT },
    { "0.0.0.0:0", "0.0.0.0", 0 },
    { "localhost:9004", "127.0.0.1", 9004 },
  };
  const char *bad[] = { "example.com:80", "127.0.0.1:99999", "127.0.0.1:x", "[::1", "[::1]x", "" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *address = NULL;
      g_autoptr(GError) error = NULL;
      guint port = 1;

      g_assert_true (ferry_service_parse_listen (good[i].text, &address, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (address, ==, good[i].address);
      g_assert_cmpuint (port, ==, good[i].port);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ferry_service_parse_listen (bad[i], NULL, NULL, &error));
      g_assert_nonnull (error);
    }

  g_assert_true (ferry_service_address_is_loopback ("127.0.0.1"));
  g_assert_true (ferry_service_address_is_loopback ("::1"));
  g_assert_true (ferry_service_address_is_loopback (NULL));
  g_assert_false (ferry_service_address_is_loopback ("0.0.0.0"));
  g_assert_false (ferry_service_address_is_loopback ("192.168.1.1"));
}

static void
test_webhook_signature (void)
{
  /* RFC 4231 style check with a well-known vector */
  static const char fox[] = "The quick brown fox jumps over the lazy dog";
  g_autofree char *signature = ferry_webhooks_sign ("key", fox, strlen (fox));
  g_autofree char *masked = ferry_webhooks_mask_url ("https://hooks.slack.com/services/T000/B000/XXXX");
  g_autofree char *masked_port = ferry_webhooks_mask_url ("http://127.0.0.1:8080/");
  g_autofree char *masked_query = ferry_webhooks_mask_url ("http://[::1]:8080?token=x");

  g_assert_cmpstr (signature, ==, "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  g_assert_cmpstr (masked, ==, "https://hooks.slack.com/…");
  g_assert_cmpstr (masked_port, ==, "http://127.0.0.1:8080/");
  g_assert_cmpstr (masked_query, ==, "http://[::1]:8080/…");
}

/* Every path the API serves is in data/openapi.yaml, and vice versa. */
static void
test_openapi_in_sync (void)
{
  static const char *paths[] = {
    "/:", "/openapi.yaml:", "/status:", "/plan:", "/readiness:", "/health:", "/tables:",
    "/tables/{name}:", "/tables/{name}/resolve:", "/errors:", "/reports/{kind}:", "/events:",
    "/events/stream:", "/actions/start:", "/actions/pause:", "/actions/resume:", "/actions/stop:",
  };
  g_autofree char *path = g_build_filename (g_getenv ("FERRY_SOURCE_ROOT"), "data", "openapi.yaml", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint documented = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "openapi: 3."));
  g_assert_nonnull (strstr (text, "version: 1."));

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "  /"))
      {
        gboolean known = FALSE;

        for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
          known |= g_str_equal (lines[i] + 2, paths[p]);
        if (!known)
          g_error ("data/openapi.yaml documents %s, which the service does not serve", lines[i]);
        documented++;
      }
  g_assert_cmpuint (documented, ==, G_N_ELEMENTS (paths));

  /* the schemas every response and message uses */
  for (guint i = 0; i < 8; i++)
    {
      static const char *schemas[] = { "    Status:", "    Progress:", "    Table:", "    Health:",
                                       "    StreamMessage:", "    WebhookPayload:", "    Error:", "    Event:" };
      g_assert_nonnull (strstr (text, schemas[i]));
    }
}

/* ------------------------------------------------------------------ */
/* The service against a real migration                                */
/* ------------------------------------------------------------------ */

static void
assert_unauthorized (Reply      *reply,
                     gboolean    presented)
{
  const char *challenge;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (error_code (reply), ==, "unauthorized");
  challenge = soup_message_headers_get_one (reply->headers, "WWW-Authenticate");
  g_assert_nonnull (challenge);
  g_assert_true (g_str_has_prefix (challenge, "Bearer realm=\"ferry\""));
  g_assert_true ((strstr (challenge, "invalid_token") != NULL) == presented);
}

static gboolean
webhooks_flushed (gpointer data)
{
  return ferry_webhooks_get_n_pending (data) == 0;
}

static gboolean
chunks_running (gpointer data)
{
  return ferry_coordinator_get_n_running (data) > 0 &&
         g_strcmp0 (ferry_coordinator_get_phase (data), "data") == 0;
}

static gboolean
slow_client_gone (gpointer data)
{
  return ferry_service_get_n_stream_clients (data) == 1;
}

static void
test_service_run (void)
{
  g_autofree char *target = new_target ("svc_main");
  g_autofree char *dead = dead_url ();
  g_autoptr(Receiver) good = receiver_new (0, WEBHOOK_SECRET);
  g_autoptr(Receiver) flaky = receiver_new (3, WEBHOOK_SECRET);
  const char *urls[] = { good->url, flaky->url, dead, NULL };
  g_autoptr(FerryConfig) config = test_config (target, urls);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(FerryServiceTokens) tokens = test_tokens ();
  g_autoptr(FerryWebhooks) webhooks = NULL;
  g_autoptr(FerryService) service = NULL;
  g_autoptr(WsClient) ws = NULL;
  g_autoptr(WsClient) filtered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dup_path = escape_path (DUP_TABLE);
  g_autofree char *umlaut = escape_path ("\"Reporting Ümlaut\".\"Sales\"");
  g_autofree char *resolve_path = NULL;
  gint64 failed_chunk;
  guint n_validated = 0;
  JsonObject *o;

  ferry_test_sql_at (target, "INSERT INTO public.svc_dup VALUES (7, 'already there')");

  coordinator = ferry_test_coordinator_new_ready (config);
  webhooks = ferry_webhooks_new_for_config (config, WEBHOOK_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ferry_webhooks_get_n_urls (webhooks), ==, 3);
  g_assert_true (ferry_webhooks_is_signed (webhooks));
  ferry_webhooks_set_retry_policy (webhooks, 5, 50, 400);
  ferry_webhooks_attach (webhooks, coordinator);

  service = ferry_service_new (coordinator, tokens);
  ferry_service_set_webhooks (service, webhooks);
  ferry_service_listen (service, "127.0.0.1", 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&base_url, g_free);
  base_url = ferry_service_dup_url (service);
  g_assert_true (g_str_has_prefix (base_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (base_url, "/api/v1/"));
  g_assert_false (ferry_service_is_https (service));

  /* --- refusals ----------------------------------------------------- */
  {
    g_autoptr(Reply) none = http ("GET", "status", NULL, NULL);
    g_autoptr(Reply) wrong = http ("GET", "status", "not-the-token-at-all-0000", NULL);
    g_autoptr(Reply) wrong_post = http ("POST", "actions/start", "not-the-token-at-all-0000", NULL);
    g_autoptr(Reply) ro_post = http ("POST", "actions/pause", READ_TOKEN, NULL);
    g_autoptr(Reply) ro_start = http ("POST", "actions/start", READ_TOKEN, "{\"force\": true}");
    g_autoptr(Reply) basic = NULL;
    g_autoptr(Reply) query_get = NULL;
    g_autoptr(Reply) query_post = NULL;
    g_autoptr(Reply) ws_none = NULL;
    g_autofree char *url = NULL;

    assert_unauthorized (none, FALSE);
    assert_unauthorized (wrong, TRUE);
    assert_unauthorized (wrong_post, TRUE);
    g_assert_cmpuint (ro_post->status, ==, 403);
    g_assert_cmpstr (error_code (ro_post), ==, "forbidden");
    g_assert_cmpuint (ro_start->status, ==, 403);
    g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_READY);

    /* ?access_token= works for GET, never for actions */
    url = g_strdup_printf ("%sstatus?access_token=%s", base_url, READ_TOKEN);
    query_get = http ("GET", url, NULL, NULL);
    g_assert_cmpuint (query_get->status, ==, 200);
    g_clear_pointer (&url, g_free);
    url = g_strdup_printf ("%sactions/pause?access_token=%s", base_url, CONTROL_TOKEN);
    query_post = http ("POST", url, NULL, NULL);
    assert_unauthorized (query_post, FALSE);

    /* Another scheme than Bearer is no token */
    basic = http_authorization ("health", "Basic Y29udHJvbDpjb250cm9s");
    assert_unauthorized (basic, FALSE);

    /* The stream refuses a handshake without a token */
    ws_none = http ("GET", "events/stream", NULL, NULL);
    assert_unauthorized (ws_none, FALSE);
    {
      g_autoptr(WsClient) refused = ws_connect (base_url, NULL, "wrong-token-wrong-token", TRUE);
      g_assert_null (refused->connection);
      g_assert_nonnull (refused->error);
    }
  }

  /* --- reads before the start ---------------------------------------- */
  {
    g_autoptr(Reply) index = get_ok ("");
    g_autoptr(Reply) status = get_ok ("status");
    g_autoptr(Reply) plan = get_ok ("plan");
    g_autoptr(Reply) tables = get_ok ("tables?limit=5&offset=2");
    g_autoptr(Reply) all = get_ok ("tables?limit=1000");
    g_autoptr(Reply) pending = get_ok ("tables?status=pending,running&limit=0");
    g_autoptr(Reply) bad_status = http ("GET", "tables?status=bogus", READ_TOKEN, NULL);
    g_autoptr(Reply) bad_limit = http ("GET", "tables?limit=5000", READ_TOKEN, NULL);
    g_autoptr(Reply) bad_offset = http ("GET", "tables?offset=-1", READ_TOKEN, NULL);
    g_autoptr(Reply) errors = get_ok ("errors");
    g_autoptr(Reply) events = get_ok ("events");
    g_autoptr(Reply) health = get_ok ("health");
    g_autoptr(Reply) openapi = get_ok ("openapi.yaml");
    g_autoptr(Reply) completion_report = http ("GET", "reports/completion", READ_TOKEN, NULL);
    g_autoptr(Reply) readiness_report = http ("GET", "reports/readiness", READ_TOKEN, NULL);
    g_autoptr(Reply) no_report = http ("GET", "reports/nonsense", READ_TOKEN, NULL);
    g_autoptr(Reply) bad_format = http ("GET", "reports/readiness?format=pdf", READ_TOKEN, NULL);
    g_autoptr(Reply) no_endpoint = http ("GET", "nothing-here", READ_TOKEN, NULL);
    g_autoptr(Reply) outside = NULL;
    g_autoptr(Reply) wrong_method = http ("POST", "status", CONTROL_TOKEN, NULL);
    g_autoptr(Reply) get_action = http ("GET", "actions/pause", CONTROL_TOKEN, NULL);
    g_autoptr(Reply) no_action = http ("POST", "actions/explode", CONTROL_TOKEN, NULL);
    g_autoptr(Reply) bad_body = http ("POST", "actions/pause", CONTROL_TOKEN, "{not json");
    g_autoptr(Reply) array_body = http ("POST", "actions/pause", CONTROL_TOKEN, "[1, 2]");
    g_autoptr(Reply) pause_ready = http ("POST", "actions/pause", CONTROL_TOKEN, NULL);
    g_autoptr(Reply) one = NULL;
    g_autoptr(Reply) umlaut_table = NULL;
    g_autoptr(Reply) missing_table = http ("GET", "tables/public.nope", READ_TOKEN, NULL);
    g_autofree char *one_path = g_strconcat ("tables/", dup_path, NULL);
    g_autofree char *umlaut_path = g_strconcat ("tables/", umlaut, NULL);
    guint n_tables;

    {
      g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/etc/passwd", ferry_service_get_port (service));
      outside = http ("GET", root, READ_TOKEN, NULL);
    }

    o = obj (index);
    g_assert_cmpint (json_object_get_int_member (o, "api_version"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "token"), "kind"), ==, "read-only");
    g_assert_cmpstr (json_object_get_string_member (obj (status), "state"), ==, "ready");
    /* what the service adds: no run yet, the workers it may run, no
     * migration of the journal to resume, no validation */
    g_assert_true (json_object_get_null_member (obj (status), "elapsed_seconds"));
    g_assert_cmpint (json_object_get_int_member (obj (status), "max_parallel"), ==, 2);
    g_assert_false (json_object_get_boolean_member (obj (status), "resuming"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (status), "validation")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (obj (plan), "format_version"), ==, 1);
    g_assert_true (json_object_has_member (obj (plan), "batches"));

    n_tables = g_list_model_get_n_items (G_LIST_MODEL (ferry_coordinator_get_tables (coordinator)));
    o = obj (tables);
    g_assert_cmpint (json_object_get_int_member (o, "total"), ==, n_tables);
    g_assert_cmpint (json_object_get_int_member (o, "offset"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (o, "limit"), ==, 5);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tables")), ==, 5);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (o, "tables"), 0), "name"), ==,
                     ferry_table_get_display_name (ferry_table_list_get_table (ferry_coordinator_get_tables (coordinator), 2)));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (all), "tables")), ==, n_tables);
    g_assert_cmpint (json_object_get_int_member (obj (pending), "total"), ==, n_tables);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (pending), "tables")), ==, 0);
    g_assert_cmpuint (bad_status->status, ==, 400);
    g_assert_cmpuint (bad_limit->status, ==, 400);
    g_assert_cmpuint (bad_offset->status, ==, 400);

    one = get_ok (one_path);
    g_assert_cmpstr (json_object_get_string_member (obj (one), "name"), ==, DUP_TABLE);
    g_assert_cmpstr (json_object_get_string_member (obj (one), "status"), ==, "pending");
    umlaut_table = get_ok (umlaut_path);
    g_assert_cmpstr (json_object_get_string_member (obj (umlaut_table), "schema"), ==, "Reporting Ümlaut");
    g_assert_cmpuint (missing_table->status, ==, 404);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (errors), "failed_tables")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (obj (events), "total"), ==, 0);
    o = obj (health);
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (o, "webhooks"), "signed"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (o, "webhooks"), "endpoints")), ==, 3);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "service"), "refused"), >=, 8);
    g_assert_true (g_str_has_prefix (g_bytes_get_data (openapi->body, NULL), "# The API of `ferry-cli serve`"));

    g_assert_cmpuint (completion_report->status, ==, 409);
    g_assert_cmpstr (error_code (completion_report), ==, "illegal-state");
    g_assert_cmpuint (readiness_report->status, ==, 409);
    g_assert_cmpuint (no_report->status, ==, 404);
    g_assert_cmpuint (bad_format->status, ==, 400);
    g_assert_cmpuint (no_endpoint->status, ==, 404);
    g_assert_cmpuint (outside->status, ==, 404);
    g_assert_cmpuint (wrong_method->status, ==, 405);
    g_assert_cmpstr (soup_message_headers_get_one (wrong_method->headers, "Allow"), ==, "GET, HEAD");
    g_assert_cmpuint (get_action->status, ==, 405);
    g_assert_cmpstr (soup_message_headers_get_one (get_action->headers, "Allow"), ==, "POST");
    g_assert_cmpuint (no_action->status, ==, 404);
    g_assert_cmpuint (bad_body->status, ==, 400);
    g_assert_cmpuint (array_body->status, ==, 400);
    g_assert_cmpuint (pause_ready->status, ==, 409);
    g_assert_cmpstr (error_code (pause_ready), ==, "illegal-state");
  }

  /* readiness: runs the checks (twice at once: both wait for one run);
   * the non-empty svc_dup on the target fails one. */
  {
    g_autoptr(Reply) r1 = NULL;
    g_autoptr(Reply) report = NULL;
    g_autoptr(Reply) csv = NULL;
    gboolean found = FALSE;
    JsonArray *checks;

    r1 = get_ok ("readiness?refresh=true");
    g_assert_false (json_object_get_boolean_member (obj (r1), "ready"));
    checks = json_object_get_array_member (obj (r1), "checks");
    for (guint i = 0; i < json_array_get_length (checks); i++)
      {
        JsonObject *check = json_array_get_object_element (checks, i);
        if (g_str_equal (json_object_get_string_member (check, "id"), "target-tables-empty"))
          {
            found = TRUE;
            g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "fail");
          }
      }
    g_assert_true (found);

    report = get_ok ("reports/readiness?format=json");
    g_assert_cmpstr (json_object_get_string_member (obj (report), "kind"), ==, "readiness");
    csv = get_ok ("reports/readiness?format=csv");
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (csv->headers, NULL), "text/csv"));
  }

  /* --- the stream ------------------------------------------------------ */
  ws = ws_connect (base_url, NULL, READ_TOKEN, FALSE);
  g_assert_no_error (ws->error);
  filtered = ws_connect (base_url, "types=state,table-failed&include=samples,tables", READ_TOKEN, TRUE);
  g_assert_no_error (filtered->error);
  iterate_for (200);
  g_assert_cmpuint (ws->messages->len, >=, 1);
  o = g_ptr_array_index (ws->messages, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "hello");
  g_assert_cmpint (json_object_get_int_member (o, "api_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "status"), "state"), ==, "ready");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "status"), "max_parallel"), ==, 2);
  g_assert_false (json_object_has_member (o, "samples"));
  g_assert_false (json_object_has_member (o, "tables"));
  g_assert_cmpuint (ferry_service_get_n_stream_clients (service), ==, 2);
  /* ?include=samples,tables: the hello has them too (none before the start) */
  g_assert_cmpuint (filtered->messages->len, >=, 1);
  o = g_ptr_array_index (filtered->messages, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "hello");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "samples")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tables")), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (ferry_coordinator_get_tables (coordinator))));

  /* --- start: refused until forced, then pause and resume ------------ */
  {
    g_autoptr(Reply) refused = http ("POST", "actions/start", CONTROL_TOKEN, NULL);
    g_autoptr(Reply) started = NULL;
    g_autoptr(Reply) paused = NULL;
    g_autoptr(Reply) again = NULL;
    g_autoptr(Reply) resumed = NULL;
    g_autoptr(Reply) start_twice = NULL;
    JsonArray *failed;

    g_assert_cmpuint (refused->status, ==, 409);
    g_assert_cmpstr (error_code (refused), ==, "not-ready");
    failed = json_object_get_array_member (json_object_get_object_member (obj (refused), "error"), "failed_checks");
    g_assert_cmpuint (json_array_get_length (failed), >=, 1);
    g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_READY);

    started = http ("POST", "actions/start", CONTROL_TOKEN, "{\"force\": true}");
    g_assert_cmpuint (started->status, ==, 202);
    g_assert_cmpstr (json_object_get_string_member (obj (started), "state"), ==, "running");
    start_twice = http ("POST", "actions/start", CONTROL_TOKEN, "{\"force\": true}");
    g_assert_cmpuint (start_twice->status, ==, 409);

    /* Pause once chunks run (the data phase), so that it has something
     * to wait for. */
    iterate_until (chunks_running, coordinator, 120, "chunks to run");
    paused = http ("POST", "actions/pause", CONTROL_TOKEN, NULL);
    g_assert_cmpuint (paused->status, ==, 200);
    /* pausing (chunks run to their end), or paused at once (none ran yet) */
    g_assert_true (json_object_get_boolean_member (obj (paused), "pausing") ||
                   g_str_equal (json_object_get_string_member (obj (paused), "state"), "paused"));
    again = http ("POST", "actions/pause", CONTROL_TOKEN, NULL);
    g_assert_cmpuint (again->status, ==, 409);
    ws_wait_state (ws, "paused", 60);
    g_assert_cmpint (ferry_coordinator_get_state (coordinator), ==, FERRY_STATE_PAUSED);

    resumed = http ("POST", "actions/resume", CONTROL_TOKEN, NULL);
    if (resumed->status != 200)
      g_error ("resume: %u %s", resumed->status, (const char *)g_bytes_get_data (resumed->body, NULL));
    g_assert_cmpstr (json_object_get_string_member (obj (resumed), "state"), ==, "running");
  }

  /* svc_dup fails with 23505; the rest completes; then ERROR, which waits */
  resolve_path = g_strconcat ("tables/", dup_path, "/resolve", NULL);
  ws_wait_state (ws, "error", 300);
  failed_chunk = 0;
  {
    g_autoptr(Reply) errors = get_ok ("errors");
    g_autoptr(Reply) failed = get_ok ("tables?status=failed");
    g_autoptr(Reply) status = get_ok ("status");
    g_autoptr(Reply) bad_action = http ("POST", resolve_path, CONTROL_TOKEN, "{\"action\": \"explode\"}");
    g_autoptr(Reply) no_action = http ("POST", resolve_path, CONTROL_TOKEN, "{\"action\": 3}");
    g_autoptr(Reply) ro = http ("POST", resolve_path, READ_TOKEN, "{\"action\": \"skip\"}");
    g_autoptr(Reply) unknown = http ("POST", "tables/public.nope/resolve", CONTROL_TOKEN, "{\"action\": \"retry\"}");
    g_autoptr(Reply) not_failed = http ("POST", "tables/core.currencies/resolve", CONTROL_TOKEN, "{\"action\": \"retry\"}");
    JsonArray *list = json_object_get_array_member (obj (errors), "failed_tables");
    JsonObject *f;

    g_assert_cmpstr (json_object_get_string_member (obj (errors), "state"), ==, "error");
    if (json_array_get_length (list) != 1)
      g_error ("errors: %s\nstatus: %s", (const char *)g_bytes_get_data (errors->body, NULL),
               (const char *)g_bytes_get_data (status->body, NULL));
    f = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (f, "table"), ==, DUP_TABLE);
    g_assert_cmpstr (json_object_get_string_member (f, "class"), ==, "data");
    g_assert_cmpstr (json_object_get_string_member (f, "sqlstate"), ==, "23505");
    g_assert_nonnull (json_object_get_string_member (f, "detail"));
    failed_chunk = json_object_get_int_member (f, "chunk");
    g_assert_cmpint (failed_chunk, >=, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj (errors), "counts"), "data"), >=, 1);
    g_assert_cmpint (json_object_get_int_member (obj (failed), "total"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (obj (status), "state"), ==, "error");

    g_assert_cmpuint (bad_action->status, ==, 400);
    g_assert_cmpuint (no_action->status, ==, 400);
    g_assert_cmpuint (ro->status, ==, 403);
    g_assert_cmpuint (unknown->status, ==, 404);
    g_assert_cmpuint (not_failed->status, ==, 409);
    g_assert_cmpstr (error_code (not_failed), ==, "illegal-state");
  }

  /* the resolution through the API; then completion */
  {
    g_autoptr(Reply) resolved = http ("POST", resolve_path, CONTROL_TOKEN, "{\"action\": \"truncate-retry\"}");

    g_assert_cmpuint (resolved->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (obj (resolved), "resolution"), ==, "truncate-retry");
  }
  ws_wait_state (ws, "completed", 300);
  g_assert_cmpint (ferry_coordinator_run_until_idle (coordinator), ==, FERRY_STATE_COMPLETED);
  ferry_test_assert_same (source, target, NULL);

  /* --- what the stream said --------------------------------------------- */
  iterate_for (300);
  {
    g_autoptr(JsonNode) validation = ferry_coordinator_get_validation (coordinator);
    g_autoptr(Reply) status = get_ok ("status");
    GArray *samples = ferry_monitor_get_samples (ferry_coordinator_get_monitor (coordinator));

    n_validated = json_array_get_length (json_node_get_array (validation));
    g_assert_cmpuint (n_validated, >, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (status), "validation")), ==, n_validated);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj (status), "elapsed_seconds"),
                                    g_array_index (samples, FerrySample, samples->len - 1).elapsed, 1e-6);
  }
  g_assert_true (ws->seq_ordered);
  g_assert_cmpuint (ws->seq_gaps, ==, 0);
  g_assert_cmpuint (ws_count (ws, "hello"), ==, 1);
  g_assert_true (ws_saw_state (ws, "running"));
  g_assert_true (ws_saw_state (ws, "paused"));
  g_assert_true (ws_saw_state (ws, "error"));
  g_assert_true (ws_saw_state (ws, "completed"));
  g_assert_cmpuint (ws_count (ws, "progress"), >=, 2);
  g_assert_cmpuint (ws_count (ws, "tables"), >=, 1);
  g_assert_cmpuint (ws_count (ws, "table-failed"), ==, 1);
  g_assert_cmpuint (ws_count (ws, "escalated"), >=, 1);
  g_assert_cmpuint (ws_count (ws, "event"), >=, 1);
  g_assert_cmpuint (ws_count (ws, "pausing"), >=, 1);
  {
    gboolean saw_failed = FALSE, saw_completed = FALSE, saw_request = FALSE;
    JsonObject *last_progress = NULL;

    for (guint i = 0; i < ws->messages->len; i++)
      {
        JsonObject *m = g_ptr_array_index (ws->messages, i);
        const char *type = json_object_get_string_member (m, "type");

        if (g_str_equal (type, "tables"))
          {
            JsonArray *t = json_object_get_array_member (m, "tables");
            for (guint j = 0; j < json_array_get_length (t); j++)
              {
                JsonObject *table = json_array_get_object_element (t, j);
                if (g_str_equal (json_object_get_string_member (table, "name"), DUP_TABLE))
                  {
                    saw_failed |= g_str_equal (json_object_get_string_member (table, "status"), "failed");
                    saw_completed |= g_str_equal (json_object_get_string_member (table, "status"), "completed");
                  }
              }
          }
        else if (g_str_equal (type, "table-failed"))
          {
            JsonObject *e = json_object_get_object_member (m, "error");
            g_assert_cmpstr (json_object_get_string_member (m, "table"), ==, DUP_TABLE);
            g_assert_cmpstr (json_object_get_string_member (e, "sqlstate"), ==, "23505");
            g_assert_cmpstr (json_object_get_string_member (e, "class"), ==, "data");
            /* the chunk it failed in, as /errors says */
            g_assert_cmpint (json_object_get_int_member (m, "chunk"), ==, failed_chunk);
          }
        else if (g_str_equal (type, "state"))
          {
            const char *to = json_object_get_string_member (m, "to");
            gboolean ends = g_str_equal (to, "completed") || g_str_equal (to, "stopped") || g_str_equal (to, "error");

            /* the validation where the report shows the run */
            g_assert_true (json_object_has_member (m, "validation") == ends);
            if (g_str_equal (to, "completed"))
              g_assert_cmpuint (json_array_get_length (json_object_get_array_member (m, "validation")), ==,
                                n_validated);
            g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (m, "progress"), "max_parallel"), ==, 2);
          }
        else if (g_str_equal (type, "event"))
          saw_request |= g_str_equal (json_object_get_string_member (m, "action"), "request");
        else if (g_str_equal (type, "progress"))
          last_progress = m;
      }
    g_assert_true (saw_failed);
    g_assert_true (saw_completed);
    g_assert_true (saw_request);
    g_assert_nonnull (last_progress);
    g_assert_true (json_object_has_member (last_progress, "bytes_per_second"));
    g_assert_cmpint (json_object_get_int_member (last_progress, "max_parallel"), ==, 2);
    g_assert_false (json_object_get_boolean_member (last_progress, "resuming"));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (last_progress, "tables"), "total"), >, 100);
  }

  /* the filtered client: hello, then only what it asked for */
  for (guint i = 0; i < filtered->messages->len; i++)
    {
      const char *type = json_object_get_string_member (g_ptr_array_index (filtered->messages, i), "type");
      g_assert_true (g_str_equal (type, "hello") || g_str_equal (type, "state") || g_str_equal (type, "table-failed"));
    }
  g_assert_true (ws_saw_state (filtered, "completed"));
  g_assert_cmpuint (ws_count (filtered, "table-failed"), ==, 1);

  /* --- the audit trail: every action with its token's name and address - */
  {
    g_autoptr(Reply) events = get_ok ("events");
    g_autoptr(Reply) page = get_ok ("events?offset=1&limit=2");
    JsonArray *list = json_object_get_array_member (obj (events), "events");
    gboolean start = FALSE, pause = FALSE, resume = FALSE, resolve = FALSE, refused_ro = FALSE, refused = FALSE;

    g_assert_cmpint (json_object_get_int_member (obj (events), "migration_id"), ==,
                     ferry_coordinator_get_migration_id (coordinator));
    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *e = json_array_get_object_element (list, i);
        const char *actor = json_object_get_string_member (e, "actor");
        const char *action = json_object_get_string_member (e, "action");
        const char *detail = json_object_get_string_member_with_default (e, "detail", "");

        if (!g_str_has_prefix (actor, "api:"))
          continue;
        g_assert_cmpstr (json_object_get_string_member (e, "host"), ==, "127.0.0.1");
        if (g_str_equal (actor, "api:control") && g_str_equal (action, "request"))
          {
            start |= g_str_equal (detail, "start (force)");
            pause |= g_str_equal (detail, "pause");
            resume |= g_str_equal (detail, "resume");
            resolve |= g_str_equal (detail, "resolve truncate-retry " DUP_TABLE);
          }
        if (g_str_equal (actor, "api:read-only") && g_str_equal (action, "request-refused"))
          refused_ro = TRUE;
        if (g_str_equal (actor, "api:control") && g_str_equal (action, "request-refused"))
          refused = TRUE;
      }
    g_assert_true (start);
    g_assert_true (pause);
    g_assert_true (resume);
    g_assert_true (resolve);
    g_assert_true (refused_ro);
    g_assert_true (refused);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (page), "events")), ==, 2);
    g_assert_cmpint (json_object_get_int_member (obj (page), "total"), ==, json_array_get_length (list));
  }

  /* --- reports ------------------------------------------------------------ */
  {
    g_autoptr(Reply) html = get_ok ("reports/completion?format=html");
    g_autoptr(Reply) json = get_ok ("reports/completion");
    g_autoptr(Reply) csv = get_ok ("reports/performance?format=csv");
    g_autoptr(Reply) progress = get_ok ("reports/progress?format=json");
    const char *disposition = soup_message_headers_get_one (html->headers, "Content-Disposition");

    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (html->headers, NULL), "text/html"));
    g_assert_nonnull (disposition);
    g_assert_nonnull (strstr (disposition, ".html"));
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (html->body, NULL), g_bytes_get_size (html->body), "<html"));
    g_assert_cmpstr (json_object_get_string_member (obj (json), "kind"), ==, "completion");
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (csv->headers, NULL), "text/csv"));
    g_assert_cmpstr (json_object_get_string_member (obj (progress), "kind"), ==, "progress");
  }

  /* --- webhooks --------------------------------------------------------- */
  iterate_until (webhooks_flushed, webhooks, 60, "the webhooks to be delivered or given up");
  g_assert_cmpuint (good->bad_signatures, ==, 0);
  g_assert_cmpuint (flaky->bad_signatures, ==, 0);
  g_assert_cmpuint (receiver_count (good, "state-changed"), >=, 4);   /* running, paused, running, error, running */
  g_assert_cmpuint (receiver_count (good, "table-failed"), ==, 1);
  g_assert_cmpuint (receiver_count (good, "escalated"), >=, 1);
  g_assert_cmpuint (receiver_count (good, "completed"), ==, 1);
  {
    JsonObject *completed = receiver_last (good, "completed");
    JsonObject *failed = receiver_last (good, "table-failed");
    JsonObject *summary = json_object_get_object_member (completed, "summary");

    g_assert_cmpstr (json_object_get_string_member (completed, "state"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (completed, "previous_state"), ==, "running");
    g_assert_cmpint (json_object_get_int_member (completed, "migration_id"), ==, ferry_coordinator_get_migration_id (coordinator));
    g_assert_cmpint (json_object_get_int_member (summary, "tables_failed"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (summary, "tables_completed"), ==, json_object_get_int_member (summary, "tables_total"));
    g_assert_cmpint (json_object_get_int_member (summary, "rows_done"), >, 0);
    g_assert_nonnull (strstr (json_object_get_string_member (completed, "text"), "completed"));
    g_assert_nonnull (strstr (json_object_get_string_member (completed, "source"), "dbname=source"));
    g_assert_cmpstr (json_object_get_string_member (failed, "table"), ==, DUP_TABLE);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (failed, "error"), "sqlstate"), ==, "23505");
  }

  /* the flaky receiver failed three times, then got everything, in order */
  g_assert_cmpuint (flaky->requests, ==, flaky->payloads->len + 3);
  g_assert_cmpuint (flaky->payloads->len, ==, good->payloads->len);
  for (guint i = 0; i < good->payloads->len; i++)
    g_assert_cmpstr (g_ptr_array_index (flaky->deliveries, i), ==, g_ptr_array_index (good->deliveries, i));

  {
    g_autoptr(Reply) health = get_ok ("health");
    JsonArray *endpoints = json_object_get_array_member (json_object_get_object_member (obj (health), "webhooks"), "endpoints");
    JsonObject *e0 = json_array_get_object_element (endpoints, 0);
    JsonObject *e1 = json_array_get_object_element (endpoints, 1);
    JsonObject *e2 = json_array_get_object_element (endpoints, 2);

    /* the URLs' paths are hidden */
    g_assert_null (strstr (json_object_get_string_member (e0, "url"), "secret-path-part"));
    g_assert_true (json_object_get_boolean_member (e0, "ok"));
    g_assert_cmpint (json_object_get_int_member (e0, "delivered"), ==, good->payloads->len);
    g_assert_cmpint (json_object_get_int_member (e0, "failed"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (e0, "last_status"), ==, 200);
    g_assert_true (json_object_get_boolean_member (e1, "ok"));
    g_assert_cmpint (json_object_get_int_member (e1, "delivered"), ==, flaky->payloads->len);
    g_assert_cmpint (json_object_get_int_member (e1, "failed"), ==, 0);
    g_assert_false (json_object_get_boolean_member (e2, "ok"));
    g_assert_cmpint (json_object_get_int_member (e2, "delivered"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (e2, "failed"), ==, good->payloads->len);
    g_assert_cmpint (json_object_get_int_member (e2, "attempts"), ==, 5);
    g_assert_true (json_object_get_null_member (e2, "last_status"));
    g_assert_nonnull (json_object_get_string_member (e2, "last_error"));
    g_assert_true (json_object_get_null_member (e2, "last_success_at"));
  }

  /* --- a client that never reads is closed; the others go on ---------- */
  {
    g_autoptr(GSocket) slow = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, ferry_service_get_port (service));
    g_autofree char *handshake = g_strdup_printf ("GET /api/v1/events/stream?access_token=%s HTTP/1.1\r\n"
                                                  "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                  "Sec-WebSocket-Version: 13\r\n\r\n", READ_TOKEN);
    g_autofree char *blob = g_strnfill (32 * 1024, 'x');
    guint before = ws->messages->len;
    gint64 longest = 0;

    g_assert_no_error (error);
    g_socket_set_option (slow, SOL_SOCKET, SO_RCVBUF, 4096, NULL);
    g_socket_connect (slow, address, NULL, &error);
    g_assert_no_error (error);
    g_socket_send (slow, handshake, strlen (handshake), NULL, &error);
    g_assert_no_error (error);
    iterate_for (300);
    g_assert_cmpuint (ferry_service_get_n_stream_clients (service), ==, 3);
    ws_client_free (g_steal_pointer (&filtered));
    iterate_for (300);
    g_assert_cmpuint (ferry_service_get_n_stream_clients (service), ==, 2);

    ferry_service_set_stream_limits (service, 256 * 1024, 5);
    for (guint i = 0; i < 200; i++)
      {
        JsonObject *m = json_object_new ();
        gint64 t0 = g_get_monotonic_time ();

        json_object_set_string_member (m, "type", "test");
        json_object_set_int_member (m, "n", i);
        json_object_set_string_member (m, "blob", blob);
        ferry_service_broadcast (service, m);
        json_object_unref (m);
        longest = MAX (longest, g_get_monotonic_time () - t0);
        iterate_for (5);
      }
    /* Broadcasting never waits for a client: a write that blocked on
     * the slow client, which never reads, would never return. How long
     * the longest took is a figure, not a pass mark (a loaded machine
     * makes it anything). */
    g_test_message ("longest broadcast: %.1f ms", longest / 1000.0);
    iterate_until (slow_client_gone, service, 30, "the slow client to be closed");
    iterate_for (500);
    /* The reading client got every one of them. */
    g_assert_cmpuint (ws_count (ws, "test"), ==, 200);
    g_assert_cmpuint (ws->messages->len - before, >=, 200);
    g_assert_false (ws->closed);
  }

  ferry_service_shutdown (service);
  iterate_for (200);
  ferry_webhooks_detach (webhooks);
}

/* ------------------------------------------------------------------ */
/* TLS                                                                 */
/* ------------------------------------------------------------------ */

static void
test_tls (void)
{
  g_autofree char *cert = g_build_filename (tmpdir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (tmpdir, "key.pem", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-keyout", key, "-out", cert, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *target = new_target ("svc_tls");
  g_autoptr(FerryConfig) config = test_config (target, NULL);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(FerryServiceTokens) tokens = test_tokens ();
  g_autoptr(FerryService) service = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *url = NULL;
  g_autofree char *plain = NULL;
  int status = -1;

  if (!g_find_program_in_path ("openssl"))
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }
  g_assert_no_error (error);

  coordinator = ferry_test_coordinator_new_ready (config);
  service = ferry_service_new (coordinator, tokens);
  ferry_service_listen (service, "127.0.0.1", 0, certificate, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_service_is_https (service));
  url = ferry_service_dup_url (service);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));

  {
    /* first (before a trusted connection is kept alive for reuse): a
     * self-signed certificate is not trusted by default */
    g_autoptr(Reply) untrusted = http_full (url, "GET", "status", READ_TOKEN, NULL, NULL);
    /* trusted: the certificate is the one we made */
    g_autoptr(Reply) ok = http_full (url, "GET", "status", READ_TOKEN, NULL, certificate);
    g_autoptr(Reply) refused = http_full (url, "GET", "status", NULL, NULL, certificate);
    g_autoptr(Reply) plain_http = NULL;

    g_assert_no_error (ok->error);
    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (obj (ok), "state"), ==, "ready");
    assert_unauthorized (refused, FALSE);
    g_assert_nonnull (untrusted->error);

    /* plain HTTP to the HTTPS port gets nothing useful */
    plain = g_strdup_printf ("http://127.0.0.1:%u/api/v1/", ferry_service_get_port (service));
    plain_http = http_full (plain, "GET", "status", READ_TOKEN, NULL, NULL);
    g_assert_true (plain_http->error != NULL || plain_http->status != 200);
  }

  /* the stream over TLS */
  {
    g_autoptr(WsClient) ws = NULL;

    {
      WsClient *client = g_new0 (WsClient, 1);
      g_autofree char *wss = g_strdup_printf ("%sevents/stream?access_token=%s", url, READ_TOKEN);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", wss);

      client->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
      client->seq_ordered = TRUE;
      g_signal_connect (msg, "accept-certificate", G_CALLBACK (ferry_test_service_accept_certificate), certificate);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, ws_connected, client);
      iterate_until (ws_is_connected, client, 30, "the WebSocket handshake over TLS");
      ws = client;
    }
    g_assert_no_error (ws->error);
    iterate_for (300);
    g_assert_cmpuint (ws_count (ws, "hello"), ==, 1);
  }

  ferry_service_shutdown (service);
  iterate_for (100);
}

/* ------------------------------------------------------------------ */
/* The app's side: FerryRemote (src/gui/ferry-remote.c)                */
/* ------------------------------------------------------------------ */

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
  JsonNode *node;
  GBytes   *bytes;
  char     *content_type;
} Async;

static void
async_clear (Async *a)
{
  g_clear_error (&a->error);
  g_clear_pointer (&a->node, json_node_unref);
  g_clear_pointer (&a->bytes, g_bytes_unref);
  g_clear_pointer (&a->content_type, g_free);
  a->done = a->ok = FALSE;
}

static gboolean
async_done (gpointer data)
{
  return ((Async *)data)->done;
}

static void
remote_connected (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Async *a = user_data;

  a->ok = ferry_remote_connect_finish (FERRY_REMOTE (object), result, &a->error);
  a->done = TRUE;
}

static void
remote_acted (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Async *a = user_data;

  a->ok = ferry_remote_action_finish (FERRY_REMOTE (object), result, &a->error);
  a->done = TRUE;
}

static void
remote_resolved (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Async *a = user_data;

  a->ok = ferry_remote_resolve_finish (FERRY_REMOTE (object), result, &a->error);
  a->done = TRUE;
}

static void
remote_got_json (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Async *a = user_data;

  a->node = ferry_remote_get_finish (FERRY_REMOTE (object), result, &a->error);
  a->ok = a->node != NULL;
  a->done = TRUE;
}

static void
remote_got_bytes (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Async *a = user_data;

  a->bytes = ferry_remote_get_bytes_finish (FERRY_REMOTE (object), result, &a->content_type, &a->error);
  a->ok = a->bytes != NULL;
  a->done = TRUE;
}

static gboolean
remote_connect (FerryRemote *remote,
                GError     **error)
{
  Async a = { 0 };

  ferry_remote_connect_async (remote, NULL, remote_connected, &a);
  iterate_until (async_done, &a, 60, "FerryRemote to connect");
  if (a.error != NULL)
    g_propagate_error (error, g_steal_pointer (&a.error));
  return a.ok;
}

typedef struct {
  guint state_changes;
  guint samples;
  guint samples_at_disconnect;
  guint disconnects;
  guint events;
} RemoteSeen;

static void
remote_state_changed (FerryRemote *remote,
                      FerryState   old_state,
                      FerryState   new_state,
                      RemoteSeen  *seen)
{
  g_assert_cmpint (old_state, !=, new_state);
  g_assert_cmpint (new_state, ==, ferry_remote_get_state (remote));
  seen->state_changes++;
}

static void
remote_sampled (FerryRemote *remote,
                RemoteSeen  *seen)
{
  seen->samples++;
}

static void
remote_disconnected (FerryRemote  *remote,
                     const GError *error,
                     RemoteSeen   *seen)
{
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_CONNECTION);
  seen->disconnects++;
  seen->samples_at_disconnect = seen->samples;
}

static void
remote_event (FerryRemote *remote,
              const char  *action,
              const char  *detail,
              RemoteSeen  *seen)
{
  seen->events++;
}

/* The mirror sampled after it reconnected: the hello came. */
static gboolean
remote_hello_seen (gpointer data)
{
  RemoteSeen *seen = data;

  return seen->samples > seen->samples_at_disconnect;
}

static gboolean
remote_completed (gpointer data)
{
  return ferry_remote_get_state (data) == FERRY_STATE_COMPLETED;
}

static gboolean
remote_is_connected (gpointer data)
{
  return ferry_remote_get_connected (data);
}

static gboolean
remote_is_disconnected (gpointer data)
{
  return !ferry_remote_get_connected (data);
}

static void
test_remote (void)
{
  g_autofree char *target = new_target ("svc_remote");
  g_autoptr(FerryConfig) config = test_config (target, NULL);
  g_autoptr(FerryCoordinator) coordinator = ferry_test_coordinator_new_ready (config);
  g_autoptr(FerryServiceTokens) tokens = test_tokens ();
  g_autoptr(FerryService) service = ferry_service_new (coordinator, tokens);
  g_autoptr(FerryRemote) wrong = NULL;
  g_autoptr(FerryRemote) reader = NULL;
  g_autoptr(FerryRemote) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *root = NULL;
  FerryTableList *local, *mirror;
  RemoteSeen seen = { 0 };
  Async a = { 0 };
  gint64 started_at;
  double wall;
  guint port;

  ferry_service_listen (service, "127.0.0.1", 0, NULL, &error);
  g_assert_no_error (error);
  url = ferry_service_dup_url (service);
  port = ferry_service_get_port (service);
  root = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* A wrong token: refused, and no retrying */
  wrong = ferry_remote_new (url, "wrong-token-wrong-token");
  g_assert_false (remote_connect (wrong, &error));
  g_assert_error (error, FERRY_ERROR, FERRY_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "401"));
  g_clear_error (&error);
  g_assert_false (ferry_remote_get_connected (wrong));

  /* A read-only token (and the service's root URL): it reads, it may not act */
  reader = ferry_remote_new (root, READ_TOKEN);
  g_assert_cmpstr (ferry_remote_get_url (reader), ==, url);
  g_assert_true (remote_connect (reader, &error));
  g_assert_no_error (error);
  g_assert_false (ferry_remote_get_can_control (reader));
  g_assert_cmpstr (ferry_remote_get_token_name (reader), ==, "read-only");
  ferry_remote_action_async (reader, "pause", NULL, NULL, remote_acted, &a);
  iterate_until (async_done, &a, 30, "the refused pause");
  g_assert_false (a.ok);
  g_assert_nonnull (strstr (a.error->message, "403"));
  async_clear (&a);

  /* A control token: the mirror follows the run */
  remote = ferry_remote_new (url, CONTROL_TOKEN);
  g_signal_connect (remote, "state-changed", G_CALLBACK (remote_state_changed), &seen);
  g_signal_connect (remote, "sampled", G_CALLBACK (remote_sampled), &seen);
  g_signal_connect (remote, "disconnected", G_CALLBACK (remote_disconnected), &seen);
  g_signal_connect (remote, "event", G_CALLBACK (remote_event), &seen);
  g_assert_true (remote_connect (remote, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_remote_get_connected (remote));
  g_assert_true (ferry_remote_get_can_control (remote));
  g_assert_cmpint (ferry_remote_get_state (remote), ==, FERRY_STATE_READY);

  local = ferry_coordinator_get_tables (coordinator);
  mirror = ferry_remote_get_tables (remote);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror)), ==, g_list_model_get_n_items (G_LIST_MODEL (local)));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (local)); i++)
    {
      FerryTable *l = ferry_table_list_get_table (local, i);
      FerryTable *m = ferry_table_list_get_table (mirror, i);

      g_assert_cmpstr (ferry_table_get_display_name (m), ==, ferry_table_get_display_name (l));
      g_assert_cmpuint (ferry_table_get_size_bytes (m), ==, ferry_table_get_size_bytes (l));
      g_assert_cmpint (ferry_table_get_level (m), ==, ferry_table_get_level (l));
    }

  /* Before the start: no run yet, the workers it may run, nothing to
   * resume, no validation known to be missing. */
  {
    FerryFigures figures;

    ferry_figure_source_get_figures (FERRY_FIGURE_SOURCE (remote), &figures);
    g_assert_cmpfloat (figures.elapsed_seconds, <, 0);
    g_assert_cmpuint (figures.max_parallel, ==, 2);
    g_assert_false (ferry_figure_source_get_resuming (FERRY_FIGURE_SOURCE (remote)));
  }

  /* start, through the mirror */
  started_at = g_get_monotonic_time ();
  {
    g_autoptr(JsonObject) body = json_object_new ();

    json_object_set_boolean_member (body, "check", FALSE);
    ferry_remote_action_async (remote, "start", body, NULL, remote_acted, &a);
    iterate_until (async_done, &a, 30, "the start");
    g_assert_no_error (a.error);
    g_assert_true (a.ok);
    async_clear (&a);
  }
  iterate_until (remote_completed, remote, 300, "the mirror to see the migration complete");
  wall = (g_get_monotonic_time () - started_at) / (double)G_USEC_PER_SEC;
  iterate_for (300);

  g_assert_cmpuint (seen.state_changes, >=, 2);
  g_assert_cmpuint (seen.samples, >=, 1);
  /* one sample a progress message; the hello's "sampled" brought none */
  g_assert_cmpuint (ferry_remote_get_samples (remote)->len + 1, ==, seen.samples);
  g_assert_cmpuint (seen.events, >=, 1);
  g_assert_cmpuint (ferry_remote_get_rows_done (remote), ==, ferry_coordinator_get_rows_done (coordinator));
  g_assert_cmpuint (ferry_remote_get_bytes_done (remote), ==, ferry_coordinator_get_bytes_done (coordinator));
  g_assert_cmpfloat (ferry_remote_get_fraction (remote), ==, 1.0);
  g_assert_cmpint (ferry_remote_get_migration_id (remote), ==, ferry_coordinator_get_migration_id (coordinator));
  g_assert_cmpint (ferry_remote_get_state (reader), ==, FERRY_STATE_COMPLETED);
  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    g_assert_cmpuint (ferry_table_list_count_status (mirror, s), ==, ferry_table_list_count_status (local, s));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (local)); i++)
    {
      FerryTable *l = ferry_table_list_get_table (local, i);
      FerryTable *m = ferry_table_list_get_table (mirror, i);

      g_assert_cmpuint (ferry_table_get_rows_done (m), ==, ferry_table_get_rows_done (l));
      /* the attempts the dashboard shows: at least one for a table copied */
      g_assert_cmpuint (ferry_table_get_attempts (m), ==, ferry_table_get_attempts (l));
      if (ferry_table_get_status (m) == FERRY_TABLE_STATUS_COMPLETED)
        g_assert_cmpuint (ferry_table_get_attempts (m), >=, 1);
    }

  /* The figures a local window shows: the monitor's, and its time series. */
  {
    FerryMonitor *monitor = ferry_coordinator_get_monitor (coordinator);
    GArray *samples = ferry_monitor_get_samples (monitor);
    GArray *mirrored = ferry_remote_get_samples (remote);
    double elapsed = g_array_index (samples, FerrySample, samples->len - 1).elapsed;
    g_autoptr(JsonNode) validation = ferry_coordinator_get_validation (coordinator);
    g_autoptr(JsonNode) mirrored_validation = ferry_figure_source_dup_validation (FERRY_FIGURE_SOURCE (remote));
    FerryFigures figures;

    ferry_figure_source_get_figures (FERRY_FIGURE_SOURCE (remote), &figures);
    g_test_message ("elapsed: the service's %.2f s, the mirror's %.2f s, %.2f s by the wall; %u samples, %u mirrored",
                    elapsed, figures.elapsed_seconds, wall, samples->len, mirrored->len);
    g_assert_cmpfloat_with_epsilon (figures.elapsed_seconds, elapsed, 1e-6);
    g_assert_cmpfloat (fabs (figures.elapsed_seconds - wall), <, 2.0);
    g_assert_cmpfloat_with_epsilon (figures.rows_per_second, ferry_monitor_get_rows_per_second (monitor), 1e-6);
    g_assert_cmpfloat_with_epsilon (figures.bytes_per_second, ferry_monitor_get_bytes_per_second (monitor), 1e-6);
    g_assert_cmpuint (figures.max_parallel, ==, 2);
    g_assert_cmpuint (figures.n_running, ==, 0);
    /* every sample of the monitor came as a progress message */
    g_assert_cmpuint (mirrored->len, ==, samples->len);
    g_assert_cmpfloat_with_epsilon (g_array_index (mirrored, FerrySample, mirrored->len - 1).elapsed, elapsed, 1e-6);
    /* the validation, for the Report page */
    g_assert_nonnull (mirrored_validation);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (mirrored_validation)), ==,
                      json_array_get_length (json_node_get_array (validation)));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (validation)), >, 0);
  }

  /* errors come back as FerryError codes */
  ferry_remote_resolve_async (remote, "core.currencies", FERRY_RESOLUTION_RETRY, NULL, remote_resolved, &a);
  iterate_until (async_done, &a, 30, "the refused resolution");
  g_assert_error (a.error, FERRY_ERROR, FERRY_ERROR_STATE);
  async_clear (&a);
  ferry_remote_resolve_async (remote, "public.nope", FERRY_RESOLUTION_RETRY, NULL, remote_resolved, &a);
  iterate_until (async_done, &a, 30, "the refused resolution");
  g_assert_error (a.error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND);
  async_clear (&a);
  ferry_remote_action_async (remote, "pause", NULL, NULL, remote_acted, &a);
  iterate_until (async_done, &a, 30, "the refused pause");
  g_assert_error (a.error, FERRY_ERROR, FERRY_ERROR_STATE);
  async_clear (&a);

  /* reads for the other pages */
  ferry_remote_get_async (remote, "plan", NULL, remote_got_json, &a);
  iterate_until (async_done, &a, 30, "the plan");
  g_assert_no_error (a.error);
  g_assert_true (json_object_has_member (json_node_get_object (a.node), "batches"));
  async_clear (&a);
  ferry_remote_get_async (remote, "reports/completion?format=html", NULL, remote_got_bytes, &a);
  iterate_until (async_done, &a, 60, "the report");
  g_assert_no_error (a.error);
  g_assert_true (g_str_has_prefix (a.content_type, "text/html"));
  g_assert_cmpuint (g_bytes_get_size (a.bytes), >, 1000);
  async_clear (&a);

  /* The service goes away and comes back on the same port: the mirror
   * notices, and reconnects by itself. */
  ferry_service_shutdown (service);
  g_clear_object (&service);
  iterate_until (remote_is_disconnected, remote, 30, "the mirror to notice");
  g_assert_cmpuint (seen.disconnects, ==, 1);
  service = ferry_service_new (coordinator, tokens);
  ferry_service_listen (service, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  iterate_until (remote_is_connected, remote, 60, "the mirror to reconnect");
  iterate_until (remote_hello_seen, &seen, 30, "the stream's hello");
  g_assert_cmpint (ferry_remote_get_state (remote), ==, FERRY_STATE_COMPLETED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror)), ==, g_list_model_get_n_items (G_LIST_MODEL (local)));
  /* The hello brought the run's samples again: the chart of a window
   * that attaches after the run is the run's. */
  {
    GArray *samples = ferry_monitor_get_samples (ferry_coordinator_get_monitor (coordinator));

    g_assert_cmpuint (ferry_remote_get_samples (remote)->len, ==, samples->len);
    g_assert_cmpfloat_with_epsilon (ferry_remote_get_elapsed_seconds (remote),
                                    g_array_index (samples, FerrySample, samples->len - 1).elapsed, 1e-6);
  }

  ferry_remote_disconnect (remote);
  ferry_remote_disconnect (reader);
  g_assert_false (ferry_remote_get_connected (remote));
  ferry_service_shutdown (service);
  iterate_for (200);
}

/* A migration stopped halfway, then served by a new coordinator: the
 * journal holds it unfinished, so /status and the mirror say that a
 * start resumes it (the app's button reads “Resume Migration”). */

static gboolean
coordinator_stopped (gpointer data)
{
  return ferry_coordinator_get_state (data) == FERRY_STATE_STOPPED;
}

static gboolean
table_completed (gpointer data)
{
  return ferry_table_list_count_status (ferry_coordinator_get_tables (data), FERRY_TABLE_STATUS_COMPLETED) > 0;
}

static void
test_resuming (void)
{
  g_autofree char *target = new_target ("svc_resuming");
  g_autoptr(FerryConfig) config = test_config (target, NULL);
  g_autoptr(FerryCoordinator) coordinator = NULL;
  g_autoptr(FerryServiceTokens) tokens = test_tokens ();
  g_autoptr(FerryService) service = NULL;
  g_autoptr(FerryRemote) remote = NULL;
  g_autoptr(GError) error = NULL;
  Async a = { 0 };

  /* Halfway, then stopped. */
  {
    g_autoptr(FerryCoordinator) first = ferry_test_coordinator_new_ready (config);

    ferry_coordinator_start (first, &error);
    g_assert_no_error (error);
    iterate_until (table_completed, first, 120, "a table to complete");
    ferry_coordinator_stop (first, &error);
    g_assert_no_error (error);
    iterate_until (coordinator_stopped, first, 120, "the first run to stop");
  }

  coordinator = ferry_test_coordinator_new_ready (config);
  g_assert_true (ferry_coordinator_get_resuming (coordinator));
  service = ferry_service_new (coordinator, tokens);
  ferry_service_listen (service, "127.0.0.1", 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&base_url, g_free);
  base_url = ferry_service_dup_url (service);

  {
    g_autoptr(Reply) status = get_ok ("status");

    g_assert_true (json_object_get_boolean_member (obj (status), "resuming"));
    g_assert_cmpint (json_object_get_int_member (obj (status), "migration_id"), >, 0);
    g_assert_cmpint (json_object_get_int_member (obj (status), "max_parallel"), ==, 2);
  }

  remote = ferry_remote_new (base_url, CONTROL_TOKEN);
  g_assert_true (remote_connect (remote, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_figure_source_get_resuming (FERRY_FIGURE_SOURCE (remote)));

  /* A start resumes it (without the checks: its rows are on the target). */
  ferry_remote_action_async (remote, "start", NULL, NULL, remote_acted, &a);
  iterate_until (async_done, &a, 60, "the start");
  g_assert_no_error (a.error);
  async_clear (&a);
  iterate_until (remote_completed, remote, 300, "the resumed migration to complete");
  ferry_test_assert_same (source, target, NULL);

  /* The mirror's attempts are the coordinator's. (A table the first run
   * copied has none in the resumed run, for the coordinator itself.) */
  iterate_for (300);
  {
    FerryTableList *tables = ferry_coordinator_get_tables (coordinator);
    FerryTableList *mirror = ferry_remote_get_tables (remote);
    guint none = 0;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror)), ==, g_list_model_get_n_items (G_LIST_MODEL (tables)));
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (tables)); i++)
      {
        FerryTable *t = ferry_table_list_get_table (tables, i);

        g_assert_cmpuint (ferry_table_get_attempts (ferry_table_list_get_table (mirror, i)), ==, ferry_table_get_attempts (t));
        if (ferry_table_get_status (t) == FERRY_TABLE_STATUS_COMPLETED && ferry_table_get_attempts (t) == 0)
          none++;
      }
    g_test_message ("resumed: %u completed table(s) without an attempt in the coordinator", none);
  }

  ferry_remote_disconnect (remote);
  ferry_service_shutdown (service);
  iterate_for (200);
}

/* ------------------------------------------------------------------ */
/* The programs: ferry-cli run and ferry-cli serve, with webhooks        */
/* ------------------------------------------------------------------ */

typedef struct {
  gboolean exited;
  int      status;
} Child;

static void
child_exited (GPid     pid,
              int      status,
              gpointer user_data)
{
  Child *child = user_data;

  child->exited = TRUE;
  child->status = status;
  g_spawn_close_pid (pid);
}

static gboolean
child_has_exited (gpointer data)
{
  return ((Child *)data)->exited;
}

static void
test_cli_run_webhooks (void)
{
  g_autofree char *target = new_target ("svc_cli_run");
  g_autoptr(Receiver) receiver = receiver_new (1, WEBHOOK_SECRET);
  const char *urls[] = { receiver->url, NULL };
  g_autoptr(FerryConfig) config = test_config (target, urls);
  g_autofree char *config_path = NULL;
  g_autofree char *cli = ferry_test_cli_path ();
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  Child child = { 0 };
  GPid pid;

  ferry_config_set_validation (config, FERRY_VALIDATION_MODE_COUNTS);
  /* run writes its completion report: here, not in the home directory */
  ferry_config_set_reports_directory (config, tmpdir);
  config_path = ferry_test_config_write (config, tmpdir, "cli-run.yaml");
  env = g_environ_setenv (env, "FERRY_WEBHOOK_SECRET", WEBHOOK_SECRET, TRUE);

  {
    const char *argv[] = { cli, "run", "--config", config_path, "--json", "--force", NULL };

    g_spawn_async (NULL, (char **)argv, env, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                   NULL, NULL, &pid, &error);
    g_assert_no_error (error);
  }
  g_child_watch_add (pid, child_exited, &child);
  iterate_until (child_has_exited, &child, 300, "ferry-cli run");

  /* svc_dup is empty on this target: it completes */
  g_assert_true (g_spawn_check_wait_status (child.status, NULL));
  g_assert_cmpuint (receiver->bad_signatures, ==, 0);
  g_assert_cmpuint (receiver_count (receiver, "state-changed"), >=, 1);
  g_assert_cmpuint (receiver_count (receiver, "completed"), ==, 1);
  /* The first attempt failed with 500: the run retried before leaving. */
  g_assert_cmpuint (receiver->requests, ==, receiver->payloads->len + 1);
}

static void
test_cli_serve (void)
{
  g_autofree char *target = new_target ("svc_cli_serve");
  g_autoptr(Receiver) receiver = receiver_new (0, NULL);
  const char *urls[] = { receiver->url, NULL };
  g_autoptr(FerryConfig) config = test_config (target, urls);
  g_autofree char *config_path = ferry_test_config_write (config, tmpdir, "cli-serve.yaml");
  g_autofree char *token_file = g_build_filename (tmpdir, "cli", "tokens.json", NULL);
  g_autofree char *log = g_build_filename (tmpdir, "cli-serve.log", NULL);
  g_autoptr(FerryTestService) service = ferry_test_service_new (target, config_path, log, token_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryServiceTokens) tokens = NULL;
  GStatBuf st;
  const char *control;

  /* Its first line says where it listens (FERRY_WEBHOOK_SECRET and
   * FERRY_WEBHOOK_SECRET_FILE are not set: see main()). */
  ferry_test_service_spawn (service, 0);
  g_assert_true (json_object_get_boolean_member (service->listening, "token_file_created"));
  g_assert_true (json_object_get_boolean_member (service->listening, "webhooks_signed"));  /* the token file's secret */
  g_clear_pointer (&base_url, g_free);
  base_url = g_strdup (service->url);
  g_assert_true (g_str_has_prefix (base_url, "http://127.0.0.1:"));

  /* The token file it made: 0600, a control and a read-only token. */
  g_assert_cmpint (g_stat (token_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  tokens = ferry_service_tokens_load (token_file, &error);
  g_assert_no_error (error);
  control = ferry_service_tokens_get_token (tokens, "control");
  receiver->secret = ferry_service_tokens_get_webhook_secret (tokens);

  {
    g_autoptr(Reply) refused = http ("GET", "status", NULL, NULL);
    g_autoptr(Reply) ro = http ("POST", "actions/start", ferry_service_tokens_get_token (tokens, "read-only"), NULL);
    g_autoptr(Reply) started = http ("POST", "actions/start", control, "{\"check\": false}");

    g_assert_cmpuint (refused->status, ==, 401);
    g_assert_cmpuint (ro->status, ==, 403);
    g_assert_cmpuint (started->status, ==, 202);
  }

  /* wait for completion through the API */
  for (guint i = 0; i < 600; i++)
    {
      g_autoptr(Reply) status = http ("GET", "status", control, NULL);

      g_assert_cmpuint (status->status, ==, 200);
      if (g_str_equal (json_object_get_string_member (obj (status), "state"), "completed"))
        break;
      iterate_for (250);
    }
  {
    g_autoptr(Reply) status = http ("GET", "status", control, NULL);
    g_assert_cmpstr (json_object_get_string_member (obj (status), "state"), ==, "completed");
  }

  /* SIGTERM: it leaves cleanly, after the last webhooks */
  g_assert_true (ferry_test_service_terminate (service));
  g_assert_cmpuint (receiver->bad_signatures, ==, 0);
  g_assert_cmpuint (receiver_count (receiver, "completed"), ==, 1);
  ferry_test_assert_same (source, target, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Loopback only, and nothing in the way. */
  ferry_test_service_loopback_only ();
  g_unsetenv ("FERRY_WEBHOOK_SECRET");
  g_unsetenv ("FERRY_WEBHOOK_SECRET_FILE");

  tmpdir = g_dir_make_tmp ("ferry-service-XXXXXX", &error);
  g_assert_no_error (error);
  session = ferry_test_service_session_new ();

  g_test_add_func ("/service/tokens", test_tokens_unit);
  g_test_add_func ("/service/listen", test_listen_parse);
  g_test_add_func ("/service/webhook-signature", test_webhook_signature);
  g_test_add_func ("/service/openapi", test_openapi_in_sync);

  if (ferry_test_skip_unless_postgres ())
    return g_test_run ();

  cluster = ferry_test_cluster_start (&error);
  g_assert_no_error (error);
  source = ferry_test_service_source_new (cluster, 3, DUP_TABLE);

  g_test_add_func ("/service/run", test_service_run);
  g_test_add_func ("/service/tls", test_tls);
  g_test_add_func ("/service/remote", test_remote);
  g_test_add_func ("/service/resuming", test_resuming);
  g_test_add_func ("/service/cli-run-webhooks", test_cli_run_webhooks);
  g_test_add_func ("/service/cli-serve", test_cli_serve);

  ret = g_test_run ();

  g_clear_object (&session);
  g_clear_pointer (&base_url, g_free);
  g_clear_pointer (&source, g_free);
  g_clear_pointer (&cluster, ferry_test_cluster_free);
  ferry_test_remove_dir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  return ret;
}
