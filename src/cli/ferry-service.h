/* ferry-service.h — one migration coordinator behind a REST and WebSocket API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-coordinator.h"
#include "ferry-service-tokens.h"
#include "ferry-webhooks.h"

G_BEGIN_DECLS

/* The API's version: the prefix /api/v1/ and data/openapi.yaml's
 * info.version major. Fields may be added without raising it; never
 * changed or removed. */
#define FERRY_SERVICE_API_VERSION        1
#define FERRY_SERVICE_DEFAULT_ADDRESS    "127.0.0.1"
#define FERRY_SERVICE_DEFAULT_PORT       8431

/* A WebSocket client that reads slower than the stream is written is
 * closed (code 1008) once this much is waiting for it, or once it has
 * been behind for this long; progress samples are skipped for it
 * meanwhile. */
#define FERRY_SERVICE_DEFAULT_MAX_BACKLOG        (1024 * 1024)
#define FERRY_SERVICE_DEFAULT_MAX_BEHIND_SECONDS 30
#define FERRY_SERVICE_MAX_STREAM_CLIENTS         256

#define FERRY_TYPE_SERVICE (ferry_service_get_type ())

G_DECLARE_FINAL_TYPE (FerryService, ferry_service, FERRY, SERVICE, GObject)

FerryService     *ferry_service_new                (FerryCoordinator   *coordinator,
                                                    FerryServiceTokens *tokens);
FerryCoordinator *ferry_service_get_coordinator    (FerryService       *self);
FerryServiceTokens *
                  ferry_service_get_tokens         (FerryService       *self);

/* The webhooks whose deliveries /api/v1/health shows (the service does
 * not attach them; the caller does). */
void              ferry_service_set_webhooks       (FerryService       *self,
                                                    FerryWebhooks      *webhooks);
FerryWebhooks    *ferry_service_get_webhooks       (FerryService       *self);

/* Listens on @address (an IP address; NULL for 127.0.0.1) and @port (0:
 * any free port), over TLS when @certificate is given. May be called
 * more than once (e.g. for 127.0.0.1 and ::1). */
gboolean          ferry_service_listen             (FerryService       *self,
                                                    const char         *address,
                                                    guint               port,
                                                    GTlsCertificate    *certificate,
                                                    GError            **error);
/* The base URL of the API, e.g. "http://127.0.0.1:8431/api/v1/". */
char             *ferry_service_dup_url            (FerryService       *self);
guint             ferry_service_get_port           (FerryService       *self);
gboolean          ferry_service_is_https           (FerryService       *self);
/* Closes every WebSocket (1001, going away) and stops listening. */
void              ferry_service_shutdown           (FerryService       *self);

/* The event stream */
guint             ferry_service_get_n_stream_clients (FerryService     *self);
void              ferry_service_set_stream_limits  (FerryService       *self,
                                                    gsize               max_backlog,
                                                    guint               max_behind_seconds);
/* Sends @message (an object with at least "type") to every client of
 * the stream that takes that type, adding "seq" and "at". */
void              ferry_service_broadcast          (FerryService       *self,
                                                    JsonObject         *message);

/* "ADDRESS:PORT", "[IPv6]:PORT", "ADDRESS" or ":PORT". */
gboolean          ferry_service_parse_listen       (const char         *text,
                                                    char              **address,
                                                    guint              *port,
                                                    GError            **error);
gboolean          ferry_service_address_is_loopback (const char        *address);

G_END_DECLS
