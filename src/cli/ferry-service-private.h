/* ferry-service-private.h — what the service's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ferry-journal.h"
#include "ferry-service.h"

G_BEGIN_DECLS

#define FERRY_SERVICE_PREFIX "/api/v1"

struct _FerryService
{
  GObject             parent_instance;

  FerryCoordinator   *coordinator;
  FerryConfig        *config;
  FerryServiceTokens *tokens;
  FerryWebhooks      *webhooks;
  SoupServer         *server;
  gint64              started_at;
  gboolean            https;
  guint64             n_requests;
  guint64             n_refused;

  /* readiness checks run by the API; requests waiting for them */
  gboolean            readiness_running;
  GPtrArray          *readiness_waiters;   /* Pending* */

  /* the service's own connection to the journal (events), used by one
   * worker thread at a time */
  GMutex              journal_lock;
  FerryConnection    *journal_connection;
  FerryJournal       *journal;

  /* the event stream (ferry-service-stream.c) */
  GPtrArray          *clients;             /* StreamClient* */
  guint64             seq;
  GHashTable         *dirty_tables;        /* FerryTable* → NULL */
  GPtrArray          *watched_tables;      /* FerryTable*, notify handlers connected */
  guint               flush_id;
  gsize               max_backlog;
  guint               max_behind_seconds;
  GPtrArray          *handlers;            /* HandlerRef* */
};

/* One request as the handlers see it, once authenticated. */
typedef struct {
  FerryService      *service;
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;        /* below /api/v1, e.g. "/status" */
  GHashTable        *query;       /* may be NULL */
  const char        *token_name;
  FerryTokenKind     kind;
  const char        *client;      /* the client's address */
  char              *actor;       /* "api:NAME" */
} FerryRequest;

/* A request answered later (soup_server_message_pause). */
typedef struct {
  FerryService      *service;
  SoupServerMessage *msg;
  char              *actor;
  char              *client;
  gboolean           finished;    /* the client went away */
  gulong             finished_id;
  /* what it waits for */
  char              *what;        /* "readiness", "start" */
  gboolean           force;
} Pending;

Pending  *ferry_service_pending_new        (FerryRequest       *request,
                                            const char         *what);
void      ferry_service_pending_free       (Pending            *pending);
/* Unpauses @pending's message after its response was set, and frees it. */
void      ferry_service_pending_done       (Pending            *pending);

/* Responses */
void      ferry_service_respond_json       (SoupServerMessage  *msg,
                                            guint               status,
                                            JsonNode           *node);
void      ferry_service_respond_object     (SoupServerMessage  *msg,
                                            guint               status,
                                            JsonObject         *object);
void      ferry_service_respond_error      (SoupServerMessage  *msg,
                                            guint               status,
                                            const char         *code,
                                            const char         *message);
void      ferry_service_respond_gerror     (SoupServerMessage  *msg,
                                            const GError       *error);

/* ferry-service-api.c */
void      ferry_service_api_dispatch       (FerryRequest       *request);
void      ferry_service_api_dispose        (FerryService       *self);

/* ferry-service-stream.c */
void      ferry_service_stream_init        (FerryService       *self);
void      ferry_service_stream_dispose     (FerryService       *self);
void      ferry_service_stream_accept      (FerryService       *self,
                                            SoupServerMessage  *msg,
                                            SoupWebsocketConnection *connection);
JsonObject *ferry_service_progress_object  (FerryService       *self);
JsonNode   *ferry_service_status_node      (FerryService       *self);
JsonObject *ferry_service_table_object     (FerryTable         *table);
JsonObject *ferry_service_error_object     (const GError       *error,
                                            int                 error_class);

G_END_DECLS
