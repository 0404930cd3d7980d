/* ferry-figure-source.c — a migration as the pages see it
 *
 * The dashboard, the throughput chart, the plan page's graph, the
 * header bar's state and controls, the error dialog and the reports
 * read a migration through this interface, so that they show a local
 * run (FerryLocalSource, around a FerryCoordinator) and one that runs
 * in `ferry-cli serve` (FerryRemote) alike and never ask which it is.
 *
 * Properties notify on the main context: "state", "pausing", "phase",
 * "fraction", "plan" and "can-control". Signals: "sampled" (the
 * figures moved: read them with ferry_figure_source_get_figures()),
 * "state-changed", "table-failed", "escalated" and "event", with the
 * arguments of FerryCoordinator's signals of the same names.
 *
 * GTK-free: the service's test drives FerryRemote through it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-figure-source"

#include "config.h"

#include "ferry-enum-types.h"
#include "ferry-figure-source.h"

G_DEFINE_INTERFACE (FerryFigureSource, ferry_figure_source, G_TYPE_OBJECT)

enum {
  SAMPLED,
  STATE_CHANGED,
  TABLE_FAILED,
  ESCALATED,
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ferry_figure_source_default_init (FerryFigureSourceInterface *iface)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  g_object_interface_install_property (iface, g_param_spec_enum ("state", NULL, NULL, FERRY_TYPE_STATE,
                                                                 FERRY_STATE_INITIALIZING, ro));
  g_object_interface_install_property (iface, g_param_spec_boolean ("pausing", NULL, NULL, FALSE, ro));
  g_object_interface_install_property (iface, g_param_spec_string ("phase", NULL, NULL, NULL, ro));
  g_object_interface_install_property (iface, g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro));
  g_object_interface_install_property (iface, g_param_spec_object ("plan", NULL, NULL, FERRY_TYPE_PLAN, ro));
  g_object_interface_install_property (iface, g_param_spec_boolean ("can-control", NULL, NULL, FALSE, ro));

  /**
   * FerryFigureSource::sampled:
   *
   * New figures (and a new sample for the chart); at most a few times a
   * second.
   */
  signals[SAMPLED] =
    g_signal_new ("sampled", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * FerryFigureSource::state-changed:
   * @old_state: the state before
   * @new_state: the state now
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, FERRY_TYPE_STATE, FERRY_TYPE_STATE);
  /**
   * FerryFigureSource::table-failed:
   * @table: the table (one of ferry_figure_source_get_tables())
   * @error: why; ferry_error_get_sqlstate() and friends tell more
   * @error_class: a #FerryErrorClass
   */
  signals[TABLE_FAILED] =
    g_signal_new ("table-failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, FERRY_TYPE_TABLE, G_TYPE_ERROR, FERRY_TYPE_ERROR_CLASS);
  /**
   * FerryFigureSource::escalated:
   * @error: the critical error
   */
  signals[ESCALATED] =
    g_signal_new ("escalated", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * FerryFigureSource::event:
   * @action: what the audit trail records
   * @detail: (nullable): more, in words
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

#define IFACE(self) FERRY_FIGURE_SOURCE_GET_IFACE (self)

FerryState
ferry_figure_source_get_state (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), FERRY_STATE_INITIALIZING);
  return IFACE (self)->get_state (self);
}

gboolean
ferry_figure_source_is_pausing (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), FALSE);
  return IFACE (self)->is_pausing (self);
}

const char *
ferry_figure_source_get_phase (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->get_phase (self);
}

double
ferry_figure_source_get_fraction (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), 0);
  return IFACE (self)->get_fraction (self);
}

/**
 * ferry_figure_source_get_figures:
 * @figures: (out caller-allocates): filled in
 */
void
ferry_figure_source_get_figures (FerryFigureSource *self,
                                 FerryFigures      *figures)
{
  g_return_if_fail (FERRY_IS_FIGURE_SOURCE (self));
  g_return_if_fail (figures != NULL);

  *figures = (FerryFigures) { .eta_seconds = -1, .elapsed_seconds = -1 };
  IFACE (self)->get_figures (self, figures);
}

/**
 * ferry_figure_source_get_tables:
 *
 * Returns: (transfer none): every table, kept up to date; the same
 *   objects as the plan's where the plan has them
 */
FerryTableList *
ferry_figure_source_get_tables (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->get_tables (self);
}

/**
 * ferry_figure_source_get_samples:
 *
 * Returns: (transfer none) (element-type FerrySample) (nullable): the
 *   throughput over time
 */
GArray *
ferry_figure_source_get_samples (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->get_samples (self);
}

/**
 * ferry_figure_source_get_plan:
 *
 * Returns: (transfer none) (nullable): the plan, once there is one
 */
FerryPlan *
ferry_figure_source_get_plan (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->get_plan (self);
}

/**
 * ferry_figure_source_get_last_error:
 *
 * Returns: (nullable): what stopped the migration last, in words
 */
const char *
ferry_figure_source_get_last_error (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->get_last_error (self);
}

/* FALSE when this side may only watch (a read-only token). */
gboolean
ferry_figure_source_get_can_control (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), FALSE);
  return IFACE (self)->get_can_control (self);
}

/* TRUE when a start resumes an unfinished migration from the journal. */
gboolean
ferry_figure_source_get_resuming (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), FALSE);
  return IFACE (self)->get_resuming != NULL && IFACE (self)->get_resuming (self);
}

/**
 * ferry_figure_source_dup_validation:
 *
 * Returns: (transfer full) (nullable): the validation after the load,
 *   as ferry_coordinator_get_validation(); %NULL when not known here
 */
JsonNode *
ferry_figure_source_dup_validation (FerryFigureSource *self)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->dup_validation != NULL ? IFACE (self)->dup_validation (self) : NULL;
}

/* The chunk a failed table failed in; 0 when not known. */
guint
ferry_figure_source_get_failed_chunk (FerryFigureSource *self,
                                      FerryTable        *table)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), 0);
  g_return_val_if_fail (FERRY_IS_TABLE (table), 0);
  return IFACE (self)->get_failed_chunk != NULL ? IFACE (self)->get_failed_chunk (self, table) : 0;
}

/**
 * ferry_figure_source_control_async:
 * @force: for %FERRY_CONTROL_START: start although readiness checks failed
 *
 * Start, pause, resume or stop. Completes once the migration accepted
 * (or refused) it; the state follows through ::state-changed.
 */
void
ferry_figure_source_control_async (FerryFigureSource   *self,
                                   FerryControl         control,
                                   gboolean             force,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_FIGURE_SOURCE (self));
  IFACE (self)->control_async (self, control, force, cancellable, callback, user_data);
}

gboolean
ferry_figure_source_control_finish (FerryFigureSource  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), FALSE);
  return IFACE (self)->control_finish (self, result, error);
}

void
ferry_figure_source_resolve_async (FerryFigureSource   *self,
                                   FerryTable          *table,
                                   FerryResolution      resolution,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_FIGURE_SOURCE (self));
  g_return_if_fail (FERRY_IS_TABLE (table));
  IFACE (self)->resolve_async (self, table, resolution, cancellable, callback, user_data);
}

gboolean
ferry_figure_source_resolve_finish (FerryFigureSource  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), FALSE);
  return IFACE (self)->resolve_finish (self, result, error);
}

void
ferry_figure_source_report_async (FerryFigureSource   *self,
                                  FerryReportKind      kind,
                                  FerryReportFormat    format,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (FERRY_IS_FIGURE_SOURCE (self));
  IFACE (self)->report_async (self, kind, format, cancellable, callback, user_data);
}

/**
 * ferry_figure_source_report_finish:
 *
 * Returns: (transfer full): the rendered report
 */
GBytes *
ferry_figure_source_report_finish (FerryFigureSource  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);
  return IFACE (self)->report_finish (self, result, error);
}

/* "ferry-completion-12-20240601-143000.html", as ferry_report_suggest_filename(). */
char *
ferry_figure_source_suggest_report_filename (FerryFigureSource *self,
                                             FerryReportKind    kind,
                                             FerryReportFormat  format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  FerryFigures figures;

  g_return_val_if_fail (FERRY_IS_FIGURE_SOURCE (self), NULL);

  ferry_figure_source_get_figures (self, &figures);
  if (figures.migration_id > 0)
    return g_strdup_printf ("ferry-%s-%" G_GINT64_FORMAT "-%s.%s", ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind),
                            figures.migration_id, stamp, ferry_report_format_get_extension (format));
  return g_strdup_printf ("ferry-%s-%s.%s", ferry_enum_to_nick (FERRY_TYPE_REPORT_KIND, kind), stamp,
                          ferry_report_format_get_extension (format));
}

void
ferry_figure_source_install_properties (GObjectClass  *object_class,
                                        guint          first_prop,
                                        GParamSpec   **pspecs)
{
  static const char * const names[] = { "state", "pausing", "phase", "fraction", "plan", "can-control" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_object_class_override_property (object_class, first_prop + i, names[i]);
      pspecs[first_prop + i] = g_object_class_find_property (object_class, names[i]);
    }
}

void
ferry_figure_source_emit_sampled (FerryFigureSource *self)
{
  g_signal_emit (self, signals[SAMPLED], 0);
}

void
ferry_figure_source_emit_state_changed (FerryFigureSource *self,
                                        FerryState         old_state,
                                        FerryState         new_state)
{
  g_signal_emit (self, signals[STATE_CHANGED], 0, old_state, new_state);
}

void
ferry_figure_source_emit_table_failed (FerryFigureSource *self,
                                       FerryTable        *table,
                                       const GError      *error,
                                       FerryErrorClass    error_class)
{
  g_signal_emit (self, signals[TABLE_FAILED], 0, table, error, error_class);
}

void
ferry_figure_source_emit_escalated (FerryFigureSource *self,
                                    const GError      *error)
{
  g_signal_emit (self, signals[ESCALATED], 0, error);
}

void
ferry_figure_source_emit_event (FerryFigureSource *self,
                                const char        *action,
                                const char        *detail)
{
  g_signal_emit (self, signals[EVENT], 0, action, detail);
}
