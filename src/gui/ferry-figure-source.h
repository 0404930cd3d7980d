/* ferry-figure-source.h — a migration as the pages see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ferry-plan.h"
#include "ferry-report.h"
#include "ferry-table-list.h"
#include "ferry-types.h"

G_BEGIN_DECLS

/* The figures of the moment, read all at once on every sample. */
typedef struct {
  gint64   migration_id;              /* 0 until the journal has it */
  guint64  rows_done;
  gint64   rows_total;
  guint64  bytes_done;
  guint64  bytes_total;
  guint    chunks_done;
  guint    chunks_total;
  guint    n_running;                 /* chunks in flight */
  guint    max_parallel;              /* 0: not known */
  double   rows_per_second;
  double   bytes_per_second;
  double   average_bytes_per_second;
  double   eta_seconds;               /* < 0: not known */
  double   elapsed_seconds;           /* < 0: not started */
  guint    errors[FERRY_ERROR_CLASS_LAST];
} FerryFigures;

/* What the header bar's controls ask for. */
typedef enum {
  FERRY_CONTROL_START,
  FERRY_CONTROL_PAUSE,
  FERRY_CONTROL_RESUME,
  FERRY_CONTROL_STOP,
} FerryControl;

#define FERRY_TYPE_FIGURE_SOURCE (ferry_figure_source_get_type ())

G_DECLARE_INTERFACE (FerryFigureSource, ferry_figure_source, FERRY, FIGURE_SOURCE, GObject)

struct _FerryFigureSourceInterface
{
  GTypeInterface parent_iface;

  FerryState      (*get_state)       (FerryFigureSource  *self);
  gboolean        (*is_pausing)      (FerryFigureSource  *self);
  const char     *(*get_phase)       (FerryFigureSource  *self);
  double          (*get_fraction)    (FerryFigureSource  *self);
  void            (*get_figures)     (FerryFigureSource  *self,
                                      FerryFigures       *figures);
  FerryTableList *(*get_tables)      (FerryFigureSource  *self);
  GArray         *(*get_samples)     (FerryFigureSource  *self);
  FerryPlan      *(*get_plan)        (FerryFigureSource  *self);
  const char     *(*get_last_error)  (FerryFigureSource  *self);
  gboolean        (*get_can_control) (FerryFigureSource  *self);
  gboolean        (*get_resuming)    (FerryFigureSource  *self);
  JsonNode       *(*dup_validation)  (FerryFigureSource  *self);
  guint           (*get_failed_chunk)(FerryFigureSource  *self,
                                      FerryTable         *table);

  void            (*control_async)   (FerryFigureSource  *self,
                                      FerryControl        control,
                                      gboolean            force,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
  gboolean        (*control_finish)  (FerryFigureSource  *self,
                                      GAsyncResult       *result,
                                      GError            **error);
  void            (*resolve_async)   (FerryFigureSource  *self,
                                      FerryTable         *table,
                                      FerryResolution     resolution,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
  gboolean        (*resolve_finish)  (FerryFigureSource  *self,
                                      GAsyncResult       *result,
                                      GError            **error);
  void            (*report_async)    (FerryFigureSource  *self,
                                      FerryReportKind     kind,
                                      FerryReportFormat   format,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
  GBytes         *(*report_finish)   (FerryFigureSource  *self,
                                      GAsyncResult       *result,
                                      GError            **error);
};

FerryState      ferry_figure_source_get_state       (FerryFigureSource  *self);
gboolean        ferry_figure_source_is_pausing      (FerryFigureSource  *self);
const char     *ferry_figure_source_get_phase       (FerryFigureSource  *self);
double          ferry_figure_source_get_fraction    (FerryFigureSource  *self);
void            ferry_figure_source_get_figures     (FerryFigureSource  *self,
                                                     FerryFigures       *figures);
FerryTableList *ferry_figure_source_get_tables      (FerryFigureSource  *self);
GArray         *ferry_figure_source_get_samples     (FerryFigureSource  *self);
FerryPlan      *ferry_figure_source_get_plan        (FerryFigureSource  *self);
const char     *ferry_figure_source_get_last_error  (FerryFigureSource  *self);
gboolean        ferry_figure_source_get_can_control (FerryFigureSource  *self);
gboolean        ferry_figure_source_get_resuming    (FerryFigureSource  *self);
JsonNode       *ferry_figure_source_dup_validation  (FerryFigureSource  *self);
guint           ferry_figure_source_get_failed_chunk(FerryFigureSource  *self,
                                                     FerryTable         *table);

void            ferry_figure_source_control_async   (FerryFigureSource  *self,
                                                     FerryControl        control,
                                                     gboolean            force,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean        ferry_figure_source_control_finish  (FerryFigureSource  *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void            ferry_figure_source_resolve_async   (FerryFigureSource  *self,
                                                     FerryTable         *table,
                                                     FerryResolution     resolution,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean        ferry_figure_source_resolve_finish  (FerryFigureSource  *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void            ferry_figure_source_report_async    (FerryFigureSource  *self,
                                                     FerryReportKind     kind,
                                                     FerryReportFormat   format,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
GBytes         *ferry_figure_source_report_finish   (FerryFigureSource  *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
char           *ferry_figure_source_suggest_report_filename
                                                    (FerryFigureSource  *self,
                                                     FerryReportKind     kind,
                                                     FerryReportFormat   format);

/* For implementations: overrides the interface's properties "state",
 * "pausing", "phase", "fraction", "plan" and "can-control" as
 * @first_prop and the five after it, in that order, and stores their
 * specs in @pspecs[@first_prop …] for g_object_notify_by_pspec(). */
void            ferry_figure_source_install_properties (GObjectClass     *object_class,
                                                        guint             first_prop,
                                                        GParamSpec      **pspecs);

/* For implementations: the signals, emitted on the main context. */
void            ferry_figure_source_emit_sampled      (FerryFigureSource *self);
void            ferry_figure_source_emit_state_changed(FerryFigureSource *self,
                                                       FerryState         old_state,
                                                       FerryState         new_state);
void            ferry_figure_source_emit_table_failed (FerryFigureSource *self,
                                                       FerryTable        *table,
                                                       const GError      *error,
                                                       FerryErrorClass    error_class);
void            ferry_figure_source_emit_escalated    (FerryFigureSource *self,
                                                       const GError      *error);
void            ferry_figure_source_emit_event        (FerryFigureSource *self,
                                                       const char        *action,
                                                       const char        *detail);

G_END_DECLS
