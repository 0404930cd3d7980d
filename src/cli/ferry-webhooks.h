/* ferry-webhooks.h — notifications to the URLs of notifications.webhooks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-config.h"
#include "ferry-coordinator.h"

G_BEGIN_DECLS

/* The version of the payload (data/openapi.yaml, WebhookPayload). */
#define FERRY_WEBHOOK_FORMAT_VERSION 1

/* Defaults of the retry policy: 6 attempts, 1 s, 2 s, 4 s, 8 s, 16 s apart. */
#define FERRY_WEBHOOKS_DEFAULT_MAX_ATTEMPTS      6
#define FERRY_WEBHOOKS_DEFAULT_INITIAL_DELAY_MS  1000
#define FERRY_WEBHOOKS_DEFAULT_MAX_DELAY_MS      60000
/* Deliveries waiting per URL; beyond it the oldest waiting one is dropped. */
#define FERRY_WEBHOOKS_MAX_QUEUE                 100

#define FERRY_TYPE_WEBHOOKS (ferry_webhooks_get_type ())

G_DECLARE_FINAL_TYPE (FerryWebhooks, ferry_webhooks, FERRY, WEBHOOKS, GObject)

FerryWebhooks *ferry_webhooks_new                (const char * const *urls,
                                                  const char         *secret);

/* The webhooks of @config (none when notifications are disabled), signed
 * with the secret of the environment (FERRY_WEBHOOK_SECRET, or the file
 * named by FERRY_WEBHOOK_SECRET_FILE), else with @fallback_secret. */
FerryWebhooks *ferry_webhooks_new_for_config     (FerryConfig        *config,
                                                  const char         *fallback_secret,
                                                  GError            **error);
char          *ferry_webhooks_secret_from_environment
                                                 (GError            **error);

guint          ferry_webhooks_get_n_urls         (FerryWebhooks      *self);
gboolean       ferry_webhooks_is_signed          (FerryWebhooks      *self);
void           ferry_webhooks_set_retry_policy   (FerryWebhooks      *self,
                                                  guint               max_attempts,
                                                  guint               initial_delay_ms,
                                                  guint               max_delay_ms);

/* Sends a webhook on every state change (event "state-changed", or
 * "completed"), escalation ("escalated") and failed table ("table-failed")
 * of @coordinator. */
void           ferry_webhooks_attach             (FerryWebhooks      *self,
                                                  FerryCoordinator   *coordinator);
void           ferry_webhooks_detach             (FerryWebhooks      *self);

/* Queues one payload for every URL: @event and @text, plus the members
 * of @extra (may be NULL), plus the migration's figures when attached. */
void           ferry_webhooks_send               (FerryWebhooks      *self,
                                                  const char         *event,
                                                  const char         *text,
                                                  JsonObject         *extra);

/* Runs the thread-default main context until every queued delivery has
 * been delivered or given up, or @timeout_ms passed. Returns TRUE when
 * nothing is left. */
gboolean       ferry_webhooks_flush              (FerryWebhooks      *self,
                                                  guint               timeout_ms);
guint          ferry_webhooks_get_n_pending      (FerryWebhooks      *self);
/* Cancels what is in flight and drops what waits. */
void           ferry_webhooks_close              (FerryWebhooks      *self);

/* { "signed": bool, "endpoints": [ { "url", "delivered", "failed",
 *   "dropped", "pending", "attempts", "last_status", "last_error",
 *   "last_attempt_at", "last_success_at", "ok" } ] } — URLs are shown up
 * to their host only: their paths often carry a secret. */
JsonNode      *ferry_webhooks_get_health         (FerryWebhooks      *self);

/* "sha256=" and the hexadecimal HMAC-SHA256 of @body under @secret: the
 * X-Ferry-Signature header. */
char          *ferry_webhooks_sign               (const char         *secret,
                                                  const void         *body,
                                                  gsize               length);
char          *ferry_webhooks_mask_url           (const char         *url);

G_END_DECLS
