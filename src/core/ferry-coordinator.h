/* ferry-coordinator.h — the Process Coordinator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-error-handler.h"
#include "ferry-journal.h"
#include "ferry-table-list.h"
#include "ferry-validator.h"

G_BEGIN_DECLS

typedef struct _FerryMonitor FerryMonitor;

#define FERRY_TYPE_COORDINATOR (ferry_coordinator_get_type ())

G_DECLARE_FINAL_TYPE (FerryCoordinator, ferry_coordinator, FERRY, COORDINATOR, GObject)

FerryCoordinator *ferry_coordinator_new              (FerryConfig        *config);

/* initialize: load the catalogs, analyse, plan, open the journal; finds
 * an unfinished migration of the same source to resume. INITIALIZING →
 * READY (or ERROR). */
void              ferry_coordinator_initialize_async (FerryCoordinator   *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean          ferry_coordinator_initialize_finish(FerryCoordinator   *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
gboolean          ferry_coordinator_initialize       (FerryCoordinator   *self,
                                                      GCancellable       *cancellable,
                                                      GError            **error);

/* validate_readiness: every readiness check (see FerryValidator). */
void              ferry_coordinator_validate_readiness_async
                                                     (FerryCoordinator   *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean          ferry_coordinator_validate_readiness_finish
                                                     (FerryCoordinator   *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/* The run. Each returns FALSE with FERRY_ERROR_STATE when the current
 * state does not allow it. */
gboolean          ferry_coordinator_start            (FerryCoordinator   *self,
                                                      GError            **error);
gboolean          ferry_coordinator_pause            (FerryCoordinator   *self,
                                                      GError            **error);
gboolean          ferry_coordinator_resume           (FerryCoordinator   *self,
                                                      GError            **error);
gboolean          ferry_coordinator_stop             (FerryCoordinator   *self,
                                                      GError            **error);
gboolean          ferry_coordinator_handle_error     (FerryCoordinator   *self,
                                                      FerryTable         *table,
                                                      FerryResolution     resolution,
                                                      GError            **error);

FerryState        ferry_coordinator_get_state        (FerryCoordinator   *self);
gboolean          ferry_coordinator_is_pausing       (FerryCoordinator   *self);
gboolean          ferry_coordinator_can_transition   (FerryState          from,
                                                      FerryState          to);
const char       *ferry_state_to_string              (FerryState          state);

FerryConfig      *ferry_coordinator_get_config       (FerryCoordinator   *self);
FerryValidator   *ferry_coordinator_get_validator    (FerryCoordinator   *self);
FerryPlan        *ferry_coordinator_get_plan         (FerryCoordinator   *self);
FerryTableList   *ferry_coordinator_get_tables       (FerryCoordinator   *self);
FerryJournal     *ferry_coordinator_get_journal      (FerryCoordinator   *self);
FerryErrorHandler*ferry_coordinator_get_error_handler(FerryCoordinator   *self);
FerryMonitor     *ferry_coordinator_get_monitor      (FerryCoordinator   *self);
gint64            ferry_coordinator_get_migration_id (FerryCoordinator   *self);
gboolean          ferry_coordinator_get_resuming     (FerryCoordinator   *self);
const char       *ferry_coordinator_get_phase        (FerryCoordinator   *self);
GError           *ferry_coordinator_get_last_error   (FerryCoordinator   *self);

/* Progress, read on the main thread. */
guint64           ferry_coordinator_get_rows_done    (FerryCoordinator   *self);
guint64           ferry_coordinator_get_bytes_done   (FerryCoordinator   *self);
guint64           ferry_coordinator_get_rows_resumed (FerryCoordinator   *self);
guint64           ferry_coordinator_get_bytes_resumed (FerryCoordinator  *self);
double            ferry_coordinator_get_average_bytes_per_second (FerryCoordinator *self,
                                                                  double            elapsed);
guint64           ferry_coordinator_get_bytes_total  (FerryCoordinator   *self);
gint64            ferry_coordinator_get_rows_total   (FerryCoordinator   *self);
double            ferry_coordinator_get_fraction     (FerryCoordinator   *self);
guint             ferry_coordinator_get_n_running    (FerryCoordinator   *self);
guint             ferry_coordinator_get_chunks_done  (FerryCoordinator   *self);
guint             ferry_coordinator_get_chunks_total (FerryCoordinator   *self);

/* status and health, as the specification's API returns them. */
JsonNode         *ferry_coordinator_status           (FerryCoordinator   *self);
JsonNode         *ferry_coordinator_health           (FerryCoordinator   *self);

/* The validation after the load: one entry per table, as JSON. */
JsonNode         *ferry_coordinator_get_validation   (FerryCoordinator   *self);

/* The audit trail: emits ::event and records @action in the journal on
 * behalf of @actor at @host (NULL for this process's user and host). */
void              ferry_coordinator_record_event_as  (FerryCoordinator   *self,
                                                      const char         *actor,
                                                      const char         *host,
                                                      const char         *action,
                                                      const char         *detail);

/* Runs the main context until the migration reaches a state in which
 * nothing moves without the user: COMPLETED, ERROR, STOPPED or PAUSED. */
FerryState        ferry_coordinator_run_until_idle   (FerryCoordinator   *self);

G_END_DECLS
