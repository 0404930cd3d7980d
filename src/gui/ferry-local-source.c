/* ferry-local-source.c — a migration that runs in this process
 *
 * FerryFigureSource over a FerryCoordinator: its properties and signals
 * (and its monitor's samples) passed on as they come, its figures read
 * from the coordinator, the monitor and the error handler, its controls
 * called directly. The core knows nothing of the app, so the
 * coordinator cannot implement the interface itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-local-source"

#include "config.h"

#include "ferry-local-source.h"
#include "ferry-monitor.h"

struct _FerryLocalSource
{
  GObject           parent_instance;

  FerryCoordinator *coordinator;
  FerryPlan        *plan;         /* the coordinator's, as last seen */
};

enum {
  PROP_0,
  PROP_COORDINATOR,
  PROP_STATE,
  PROP_PAUSING,
  PROP_PHASE,
  PROP_FRACTION,
  PROP_PLAN,
  PROP_CAN_CONTROL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void figure_source_iface_init (FerryFigureSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryLocalSource, ferry_local_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FERRY_TYPE_FIGURE_SOURCE, figure_source_iface_init))

/* --- the coordinator's signals, passed on ---------------------------- */

static void
check_plan (FerryLocalSource *self)
{
  FerryPlan *plan = ferry_coordinator_get_plan (self->coordinator);

  if (g_set_object (&self->plan, plan))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

static void
on_state_changed (FerryLocalSource *self,
                  FerryState        old_state,
                  FerryState        new_state)
{
  /* The plan is made while the coordinator initializes. */
  check_plan (self);
  ferry_figure_source_emit_state_changed (FERRY_FIGURE_SOURCE (self), old_state, new_state);
}

static void
on_notify (FerryLocalSource *self,
           GParamSpec       *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  check_plan (self);
  if (g_str_equal (name, "state"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  else if (g_str_equal (name, "pausing"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);
  else if (g_str_equal (name, "phase"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  else if (g_str_equal (name, "fraction"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
on_table_failed (FerryLocalSource *self,
                 FerryTable       *table,
                 GError           *error,
                 FerryErrorClass   error_class)
{
  ferry_figure_source_emit_table_failed (FERRY_FIGURE_SOURCE (self), table, error, error_class);
}

static void
on_escalated (FerryLocalSource *self,
              GError           *error)
{
  ferry_figure_source_emit_escalated (FERRY_FIGURE_SOURCE (self), error);
}

static void
on_event (FerryLocalSource *self,
          const char       *action,
          const char       *detail)
{
  ferry_figure_source_emit_event (FERRY_FIGURE_SOURCE (self), action, detail);
}

static void
on_sampled (FerryLocalSource *self)
{
  ferry_figure_source_emit_sampled (FERRY_FIGURE_SOURCE (self));
}

/* --- FerryFigureSource ----------------------------------------------- */

static FerryState
local_get_state (FerryFigureSource *source)
{
  return ferry_coordinator_get_state (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static gboolean
local_is_pausing (FerryFigureSource *source)
{
  return ferry_coordinator_is_pausing (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static const char *
local_get_phase (FerryFigureSource *source)
{
  return ferry_coordinator_get_phase (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static double
local_get_fraction (FerryFigureSource *source)
{
  return ferry_coordinator_get_fraction (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static void
local_get_figures (FerryFigureSource *source,
                   FerryFigures      *figures)
{
  FerryCoordinator *c = FERRY_LOCAL_SOURCE (source)->coordinator;
  FerryMonitor *monitor = ferry_coordinator_get_monitor (c);
  FerryErrorHandler *errors = ferry_coordinator_get_error_handler (c);
  GArray *samples = ferry_monitor_get_samples (monitor);

  figures->migration_id = ferry_coordinator_get_migration_id (c);
  figures->rows_done = ferry_coordinator_get_rows_done (c);
  figures->rows_total = ferry_coordinator_get_rows_total (c);
  figures->bytes_done = ferry_coordinator_get_bytes_done (c);
  figures->bytes_total = ferry_coordinator_get_bytes_total (c);
  figures->chunks_done = ferry_coordinator_get_chunks_done (c);
  figures->chunks_total = ferry_coordinator_get_chunks_total (c);
  figures->n_running = ferry_coordinator_get_n_running (c);
  figures->max_parallel = ferry_config_get_max_parallel (ferry_coordinator_get_config (c));
  figures->rows_per_second = ferry_monitor_get_rows_per_second (monitor);
  figures->bytes_per_second = ferry_monitor_get_bytes_per_second (monitor);
  figures->average_bytes_per_second = ferry_monitor_get_average_bytes_per_second (monitor);
  figures->eta_seconds = ferry_monitor_get_eta_seconds (monitor);
  if (samples != NULL && samples->len > 0)
    figures->elapsed_seconds = g_array_index (samples, FerrySample, samples->len - 1).elapsed;
  for (guint k = 0; errors != NULL && k < FERRY_ERROR_CLASS_LAST; k++)
    figures->errors[k] = ferry_error_handler_get_count (errors, k);
}

static FerryTableList *
local_get_tables (FerryFigureSource *source)
{
  return ferry_coordinator_get_tables (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static GArray *
local_get_samples (FerryFigureSource *source)
{
  return ferry_monitor_get_samples (ferry_coordinator_get_monitor (FERRY_LOCAL_SOURCE (source)->coordinator));
}

static FerryPlan *
local_get_plan (FerryFigureSource *source)
{
  return FERRY_LOCAL_SOURCE (source)->plan;
}

static const char *
local_get_last_error (FerryFigureSource *source)
{
  GError *error = ferry_coordinator_get_last_error (FERRY_LOCAL_SOURCE (source)->coordinator);

  return error != NULL ? error->message : NULL;
}

static gboolean
local_get_can_control (FerryFigureSource *source)
{
  return TRUE;
}

static gboolean
local_get_resuming (FerryFigureSource *source)
{
  return ferry_coordinator_get_resuming (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static JsonNode *
local_dup_validation (FerryFigureSource *source)
{
  return ferry_coordinator_get_validation (FERRY_LOCAL_SOURCE (source)->coordinator);
}

static guint
local_get_failed_chunk (FerryFigureSource *source,
                        FerryTable        *table)
{
  g_autoptr(JsonNode) status = ferry_coordinator_status (FERRY_LOCAL_SOURCE (source)->coordinator);
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (status) ? json_node_get_object (status) : NULL;
  JsonArray *failed = root != NULL && json_object_has_member (root, "failed_tables")
                        ? json_object_get_array_member (root, "failed_tables") : NULL;

  for (guint i = 0; failed != NULL && i < json_array_get_length (failed); i++)
    {
      JsonObject *f = json_array_get_object_element (failed, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (f, "table", ""),
                     ferry_table_get_display_name (table)) == 0)
        return json_object_get_int_member_with_default (f, "chunk", 0);
    }
  return 0;
}

/* The coordinator's controls return at once: the task only carries the
 * answer back on the main context, as a remote one would. */
static void
local_control_async (FerryFigureSource   *source,
                     FerryControl         control,
                     gboolean             force,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  FerryCoordinator *c = FERRY_LOCAL_SOURCE (source)->coordinator;
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  g_task_set_source_tag (task, local_control_async);
  switch (control)
    {
    case FERRY_CONTROL_START:
      ok = ferry_coordinator_start (c, &error);
      break;
    case FERRY_CONTROL_PAUSE:
      ok = ferry_coordinator_pause (c, &error);
      break;
    case FERRY_CONTROL_RESUME:
      ok = ferry_coordinator_resume (c, &error);
      break;
    case FERRY_CONTROL_STOP:
      ok = ferry_coordinator_stop (c, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
local_task_finish (FerryFigureSource  *source,
                   GAsyncResult       *result,
                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
local_resolve_async (FerryFigureSource   *source,
                     FerryTable          *table,
                     FerryResolution      resolution,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  FerryCoordinator *c = FERRY_LOCAL_SOURCE (source)->coordinator;
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, local_resolve_async);
  if (ferry_coordinator_handle_error (c, table, resolution, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
rendered (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes = ferry_report_render_finish (FERRY_REPORT (object), result, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

static void
local_report_async (FerryFigureSource   *source,
                    FerryReportKind      kind,
                    FerryReportFormat    format,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(FerryReport) report = ferry_report_new_from_coordinator (FERRY_LOCAL_SOURCE (source)->coordinator);
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_report_async);
  ferry_report_render_async (report, kind, format, cancellable, rendered, task);
}

static GBytes *
local_report_finish (FerryFigureSource  *source,
                     GAsyncResult       *result,
                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
figure_source_iface_init (FerryFigureSourceInterface *iface)
{
  iface->get_state = local_get_state;
  iface->is_pausing = local_is_pausing;
  iface->get_phase = local_get_phase;
  iface->get_fraction = local_get_fraction;
  iface->get_figures = local_get_figures;
  iface->get_tables = local_get_tables;
  iface->get_samples = local_get_samples;
  iface->get_plan = local_get_plan;
  iface->get_last_error = local_get_last_error;
  iface->get_can_control = local_get_can_control;
  iface->get_resuming = local_get_resuming;
  iface->dup_validation = local_dup_validation;
  iface->get_failed_chunk = local_get_failed_chunk;
  iface->control_async = local_control_async;
  iface->control_finish = local_task_finish;
  iface->resolve_async = local_resolve_async;
  iface->resolve_finish = local_task_finish;
  iface->report_async = local_report_async;
  iface->report_finish = local_report_finish;
}

/* --- GObject ------------------------------------------------------------ */

static void
ferry_local_source_constructed (GObject *object)
{
  FerryLocalSource *self = FERRY_LOCAL_SOURCE (object);
  FerryCoordinator *c = self->coordinator;

  G_OBJECT_CLASS (ferry_local_source_parent_class)->constructed (object);

  g_assert (FERRY_IS_COORDINATOR (c));
  g_set_object (&self->plan, ferry_coordinator_get_plan (c));
  g_signal_connect_object (c, "state-changed", G_CALLBACK (on_state_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (c, "notify", G_CALLBACK (on_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (c, "table-failed", G_CALLBACK (on_table_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (c, "escalated", G_CALLBACK (on_escalated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (c, "event", G_CALLBACK (on_event), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ferry_coordinator_get_monitor (c), "sampled", G_CALLBACK (on_sampled), self,
                           G_CONNECT_SWAPPED);
}

static void
ferry_local_source_dispose (GObject *object)
{
  FerryLocalSource *self = FERRY_LOCAL_SOURCE (object);

  g_clear_object (&self->plan);
  g_clear_object (&self->coordinator);

  G_OBJECT_CLASS (ferry_local_source_parent_class)->dispose (object);
}

static void
ferry_local_source_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FerryLocalSource *self = FERRY_LOCAL_SOURCE (object);
  FerryFigureSource *source = FERRY_FIGURE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_COORDINATOR:
      g_value_set_object (value, self->coordinator);
      break;
    case PROP_STATE:
      g_value_set_enum (value, local_get_state (source));
      break;
    case PROP_PAUSING:
      g_value_set_boolean (value, local_is_pausing (source));
      break;
    case PROP_PHASE:
      g_value_set_string (value, local_get_phase (source));
      break;
    case PROP_FRACTION:
      g_value_set_double (value, local_get_fraction (source));
      break;
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    case PROP_CAN_CONTROL:
      g_value_set_boolean (value, TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_local_source_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FerryLocalSource *self = FERRY_LOCAL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_COORDINATOR:
      self->coordinator = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_local_source_class_init (FerryLocalSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ferry_local_source_constructed;
  object_class->dispose = ferry_local_source_dispose;
  object_class->get_property = ferry_local_source_get_property;
  object_class->set_property = ferry_local_source_set_property;

  properties[PROP_COORDINATOR] =
    g_param_spec_object ("coordinator", NULL, NULL, FERRY_TYPE_COORDINATOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_COORDINATOR, properties[PROP_COORDINATOR]);

  G_STATIC_ASSERT (PROP_CAN_CONTROL == PROP_STATE + 5);
  ferry_figure_source_install_properties (object_class, PROP_STATE, properties);
}

static void
ferry_local_source_init (FerryLocalSource *self)
{
}

FerryLocalSource *
ferry_local_source_new (FerryCoordinator *coordinator)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (coordinator), NULL);
  return g_object_new (FERRY_TYPE_LOCAL_SOURCE, "coordinator", coordinator, NULL);
}

FerryCoordinator *
ferry_local_source_get_coordinator (FerryLocalSource *self)
{
  g_return_val_if_fail (FERRY_IS_LOCAL_SOURCE (self), NULL);
  return self->coordinator;
}
