/* ferry-remote.h — a migration that runs in `ferry-cli serve`, seen from here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ferry-figure-source.h"
#include "ferry-monitor.h"
#include "ferry-plan.h"
#include "ferry-table-list.h"
#include "ferry-types.h"

G_BEGIN_DECLS

#define FERRY_TYPE_REMOTE (ferry_remote_get_type ())

G_DECLARE_FINAL_TYPE (FerryRemote, ferry_remote, FERRY, REMOTE, GObject)

/* @url: the service, "http://host:8431" or its API, ".../api/v1/" */
FerryRemote    *ferry_remote_new                (const char          *url,
                                                 const char          *token);
const char     *ferry_remote_get_url            (FerryRemote         *self);
char           *ferry_remote_dup_service_url    (FerryRemote         *self);
/* Trust exactly this certificate (a self-signed one, say) for https. */
void            ferry_remote_set_trusted_certificate
                                                (FerryRemote         *self,
                                                 GTlsCertificate     *certificate);
/* Why the last request failed, for a clear message: the HTTP status of
 * its answer (0: none came), the flaws of a certificate refused. */
guint           ferry_remote_get_http_status    (FerryRemote         *self);
GTlsCertificateFlags
                ferry_remote_get_tls_errors     (FerryRemote         *self);

/* Checks the token, reads the status and every table, then follows the
 * event stream; reconnects by itself (1 s, 2 s … 30 s apart) when the
 * stream drops, until ferry_remote_disconnect(). */
void            ferry_remote_connect_async      (FerryRemote         *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        ferry_remote_connect_finish     (FerryRemote         *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void            ferry_remote_disconnect         (FerryRemote         *self);
gboolean        ferry_remote_get_connected      (FerryRemote         *self);
/* The token is a control token: actions are allowed. */
gboolean        ferry_remote_get_can_control    (FerryRemote         *self);
const char     *ferry_remote_get_token_name     (FerryRemote         *self);

/* The migration, as the last message said; the same names as
 * FerryCoordinator's. FerryRemote is a FerryFigureSource: its
 * "state-changed", "sampled", "event", "table-failed" and "escalated"
 * signals and its "state", "pausing", "phase", "fraction", "plan" and
 * "can-control" properties are the interface's. */
FerryState      ferry_remote_get_state          (FerryRemote         *self);
gboolean        ferry_remote_is_pausing         (FerryRemote         *self);
const char     *ferry_remote_get_phase          (FerryRemote         *self);
gint64          ferry_remote_get_migration_id   (FerryRemote         *self);
double          ferry_remote_get_fraction       (FerryRemote         *self);
guint64         ferry_remote_get_rows_done      (FerryRemote         *self);
gint64          ferry_remote_get_rows_total     (FerryRemote         *self);
guint64         ferry_remote_get_bytes_done     (FerryRemote         *self);
guint64         ferry_remote_get_bytes_total    (FerryRemote         *self);
guint           ferry_remote_get_chunks_done    (FerryRemote         *self);
guint           ferry_remote_get_chunks_total   (FerryRemote         *self);
guint           ferry_remote_get_n_running      (FerryRemote         *self);
double          ferry_remote_get_rows_per_second (FerryRemote        *self);
double          ferry_remote_get_bytes_per_second (FerryRemote       *self);
double          ferry_remote_get_eta_seconds    (FerryRemote         *self);
const char     *ferry_remote_get_last_error     (FerryRemote         *self);
/* Since the run started, as the service's monitor counts; < 0 before. */
double          ferry_remote_get_elapsed_seconds(FerryRemote         *self);
/* The service's plan (GET plan), rebuilt; its tables are those of
 * ferry_remote_get_tables() */
FerryPlan      *ferry_remote_get_plan           (FerryRemote         *self);
/* The tables, kept up to date: a GListModel of FerryTable for the
 * dashboard's column view, as ferry_coordinator_get_tables(). */
FerryTableList *ferry_remote_get_tables         (FerryRemote         *self);
/* FerrySample for the throughput chart: the service's samples of the run
 * so far (on every connect), then one per progress message. */
GArray         *ferry_remote_get_samples        (FerryRemote         *self);
/* The last probe of both servers (the stream's health message). */
JsonNode       *ferry_remote_get_health         (FerryRemote         *self);

/* POST actions/start (with @body, may be NULL), pause, resume or stop. */
void            ferry_remote_action_async       (FerryRemote         *self,
                                                 const char          *action,
                                                 JsonObject          *body,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        ferry_remote_action_finish      (FerryRemote         *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void            ferry_remote_resolve_async      (FerryRemote         *self,
                                                 const char          *table,
                                                 FerryResolution      resolution,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        ferry_remote_resolve_finish     (FerryRemote         *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* GET a path below /api/v1/ ("plan", "readiness", "errors", "events",
 * "reports/completion?format=html" …): JSON, or the raw body. */
void            ferry_remote_get_async          (FerryRemote         *self,
                                                 const char          *path,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonNode       *ferry_remote_get_finish         (FerryRemote         *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
GBytes         *ferry_remote_get_bytes_finish   (FerryRemote         *self,
                                                 GAsyncResult        *result,
                                                 char               **content_type,
                                                 GError             **error);

G_END_DECLS
