/* ferry-coordinator.c — the Process Coordinator
 *
 * The coordinator owns the state machine and the schedule. It lives on
 * the main context and never touches a connection there: work runs on
 * two kinds of threads —
 *
 *  - workers (a GThreadPool of max_parallel threads), each job holding
 *    one Slot (a source and a target connection) for one chunk, one
 *    deferred DDL statement or one validation;
 *  - the control thread (a pool of one, so its jobs run in order) for
 *    the journal, the exported snapshot and the monitor's probes.
 *
 * Jobs are GTasks: their results come back to the main context, where
 * the schedule is updated and the next jobs are started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-coordinator"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "ferry-coordinator-private.h"
#include "ferry-enum-types.h"

G_DEFINE_FINAL_TYPE (FerryCoordinator, ferry_coordinator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_STATE,
  PROP_PHASE,
  PROP_FRACTION,
  PROP_ROWS_DONE,
  PROP_BYTES_DONE,
  PROP_N_RUNNING,
  PROP_PAUSING,
  PROP_MIGRATION_ID,
  N_PROPS
};

enum {
  STATE_CHANGED,
  TABLE_FAILED,
  ESCALATED,
  EVENT,
  CHUNK_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule (FerryCoordinator *self);
static void maybe_finish_phase (FerryCoordinator *self);

/* Transitions */

/**
 * ferry_coordinator_can_transition:
 *
 * The specification's state diagram:
 *
 *   INITIALIZING → READY | ERROR
 *   READY        → RUNNING | INITIALIZING
 *   RUNNING      → PAUSED | COMPLETED | ERROR | STOPPED
 *   PAUSED       → RUNNING | STOPPED | ERROR
 *   ERROR        → RUNNING | STOPPED | INITIALIZING
 *   STOPPED      → RUNNING | INITIALIZING
 *   COMPLETED    → INITIALIZING
 */
gboolean
ferry_coordinator_can_transition (FerryState from,
                                  FerryState to)
{
  switch (from)
    {
    case FERRY_STATE_INITIALIZING:
      return to == FERRY_STATE_READY || to == FERRY_STATE_ERROR;
    case FERRY_STATE_READY:
      return to == FERRY_STATE_RUNNING || to == FERRY_STATE_INITIALIZING;
    case FERRY_STATE_RUNNING:
      return to == FERRY_STATE_PAUSED || to == FERRY_STATE_COMPLETED ||
             to == FERRY_STATE_ERROR || to == FERRY_STATE_STOPPED;
    case FERRY_STATE_PAUSED:
      return to == FERRY_STATE_RUNNING || to == FERRY_STATE_STOPPED || to == FERRY_STATE_ERROR;
    case FERRY_STATE_ERROR:
      return to == FERRY_STATE_RUNNING || to == FERRY_STATE_STOPPED ||
             to == FERRY_STATE_INITIALIZING;
    case FERRY_STATE_STOPPED:
      return to == FERRY_STATE_RUNNING || to == FERRY_STATE_INITIALIZING;
    case FERRY_STATE_COMPLETED:
      return to == FERRY_STATE_INITIALIZING;
    default:
      return FALSE;
    }
}

const char *
ferry_state_to_string (FerryState state)
{
  switch (state)
    {
    case FERRY_STATE_INITIALIZING: return _("Initializing");
    case FERRY_STATE_READY:        return _("Ready");
    case FERRY_STATE_RUNNING:      return _("Running");
    case FERRY_STATE_PAUSED:       return _("Paused");
    case FERRY_STATE_COMPLETED:    return _("Completed");
    case FERRY_STATE_ERROR:        return _("Error");
    case FERRY_STATE_STOPPED:      return _("Stopped");
    default:                       return _("Unknown");
    }
}

static gboolean
check_state (FerryCoordinator  *self,
             FerryState         to,
             const char        *action,
             GError           **error)
{
  if (ferry_coordinator_can_transition (self->state, to))
    return TRUE;

  g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
               /* Translators: "Cannot pause the migration: it is Ready" */
               _("Cannot %s the migration: it is %s"),
               action, ferry_state_to_string (self->state));
  return FALSE;
}

static void
journal_state_thread (FerryCoordinator *self,
                      GTask            *task)
{
  EventData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ferry_coordinator_ensure_control (self, &error) ||
      !ferry_journal_set_state (self->journal, data->migration_id, data->action, &error))
    g_message ("Could not record the state “%s” in the journal: %s", data->action, error->message);
  g_task_return_boolean (task, TRUE);
}

static void
set_state (FerryCoordinator *self,
           FerryState        state)
{
  FerryState old = self->state;

  if (old == state)
    return;

  if (!ferry_coordinator_can_transition (old, state))
    {
      g_critical ("Illegal transition %s → %s", ferry_state_to_string (old),
                  ferry_state_to_string (state));
      return;
    }

  self->state = state;
  g_debug ("State %s → %s", ferry_state_to_string (old), ferry_state_to_string (state));

  if (self->journal != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s → %s",
                                                 ferry_enum_to_nick (FERRY_TYPE_STATE, old),
                                                 ferry_enum_to_nick (FERRY_TYPE_STATE, state));
      ferry_coordinator_record_event (self, "state", detail);
    }

  /* The journal's record follows a run that pauses, fails or goes on,
   * so that ferry-cli status (elsewhere) tells the truth. The start and
   * the end of a run write it in their own jobs. */
  if (self->journal != NULL && self->migration_id > 0 &&
      (state == FERRY_STATE_PAUSED ||
       (state == FERRY_STATE_ERROR && (old == FERRY_STATE_RUNNING || old == FERRY_STATE_PAUSED)) ||
       (state == FERRY_STATE_RUNNING && (old == FERRY_STATE_PAUSED || old == FERRY_STATE_ERROR))))
    {
      EventData *data = g_new0 (EventData, 1);

      data->action = g_strdup (ferry_enum_to_nick (FERRY_TYPE_STATE, state));
      data->migration_id = self->migration_id;
      ferry_coordinator_control_async (self, journal_state_thread, data,
                                       (GDestroyNotify)event_data_free, NULL, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[STATE_CHANGED], 0, old, state);
}

static void
set_phase (FerryCoordinator *self,
           const char       *phase)
{
  if (g_strcmp0 (self->phase, phase) == 0)
    return;

  g_free (self->phase);
  self->phase = g_strdup (phase);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
  ferry_coordinator_record_event (self, "phase", phase);
}

static void
set_last_error (FerryCoordinator *self,
                const GError     *error)
{
  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);
}

/* Work */

void
work_free (Work *work)
{
  if (work == NULL)
    return;
  g_free (work->key_column);
  g_free (work->predicate);
  g_free (work->part);
  g_free (work->source_checksum);
  g_free (work->target_checksum);
  g_clear_pointer (&work->ddl, ferry_journal_ddl_free);
  g_clear_pointer (&work->wait_tables, g_ptr_array_unref);
  g_clear_pointer (&work->after, g_ptr_array_unref);
  g_clear_error (&work->error);
  g_free (work);
}

/* Whether a DDL item is one of the indexes and keys of its table that
 * its foreign keys wait for (TableRun.n_ddl_pending). */
static gboolean
ddl_builds_index (Work *work)
{
  const char *kind = work->ddl->kind;

  if (work->ddl->section == NULL)
    return !g_str_equal (kind, "foreign-key");
  return !work->ddl->at_end &&
         (g_str_equal (kind, "index") || g_str_equal (kind, "constraint") || g_str_equal (kind, "index-attach"));
}

static void
table_run_free (TableRun *run)
{
  g_clear_error (&run->error);
  g_free (run);
}

static void
slot_free (Slot *slot)
{
  g_clear_object (&slot->source);
  g_clear_object (&slot->target);
  g_free (slot);
}

void
prepare_result_free (PrepareResult *result)
{
  g_clear_pointer (&result->chunks, g_ptr_array_unref);
  g_clear_pointer (&result->ddl, g_ptr_array_unref);
  g_free (result);
}

static TableRun *
get_run (FerryCoordinator *self,
         FerryTable       *table)
{
  return g_hash_table_lookup (self->runs, table);
}

static HeapRun *
get_heap_run (FerryCoordinator *self,
              FerryTable       *heap)
{
  HeapRun *run = g_hash_table_lookup (self->heap_runs, heap);

  if (run == NULL)
    {
      run = g_new0 (HeapRun, 1);
      g_hash_table_insert (self->heap_runs, heap, run);
    }
  return run;
}

/* Whether the data of @table is all there: a unit's every chunk, or, for
 * a partition that is a heap of its own, its chunks. */
static gboolean
data_complete (FerryCoordinator *self,
               FerryTable       *table,
               FerryTable       *unit)
{
  TableRun *run;

  if (table != unit)
    {
      HeapRun *heap = g_hash_table_lookup (self->heap_runs, table);

      if (heap != NULL && heap->n_chunks > 0)
        return heap->n_done == heap->n_chunks;
    }
  run = get_run (self, unit);
  return run == NULL || run->complete || run->n_chunks == 0;
}

/* GObject */

static void
clear_run (FerryCoordinator *self)
{
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  g_clear_pointer (&self->work, g_ptr_array_unref);
  g_clear_pointer (&self->validation, g_ptr_array_unref);
  g_hash_table_remove_all (self->runs);
  g_hash_table_remove_all (self->heap_runs);
  g_hash_table_remove_all (self->ddl_locks);
  g_hash_table_remove_all (self->completed);
  self->n_chunks_total = self->n_chunks_done = 0;
  self->rows_done = self->bytes_done = 0;
  self->rows_resumed = self->bytes_resumed = 0;
  self->finishing = self->validating = FALSE;
}

static void
ferry_coordinator_dispose (GObject *object)
{
  FerryCoordinator *self = (FerryCoordinator *)object;

  g_cancellable_cancel (self->cancellable);

  /* Wait for the threads: their jobs hold references to us. */
  if (self->pool != NULL)
    {
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }
  if (self->control != NULL)
    {
      g_thread_pool_free (self->control, FALSE, TRUE);
      self->control = NULL;
    }

  if (self->monitor != NULL)
    ferry_monitor_stop (self->monitor);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->request_poll_id, g_source_remove);
  clear_run (self);

  g_clear_object (&self->monitor);
  g_clear_object (&self->journal);
  g_clear_object (&self->snapshot);
  g_clear_object (&self->control_source);
  g_clear_object (&self->control_target);
  g_clear_object (&self->validator);
  g_clear_object (&self->tables);
  g_clear_object (&self->errors);
  g_clear_object (&self->config);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->idle_slots, g_ptr_array_unref);

  G_OBJECT_CLASS (ferry_coordinator_parent_class)->dispose (object);
}

static void
ferry_coordinator_finalize (GObject *object)
{
  FerryCoordinator *self = (FerryCoordinator *)object;

  g_clear_pointer (&self->phase, g_free);
  g_clear_pointer (&self->snapshot_id, g_free);
  g_mutex_clear (&self->snapshot_lock);
  g_clear_pointer (&self->source_id, g_free);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->heap_runs, g_hash_table_unref);
  g_clear_pointer (&self->ddl_locks, g_hash_table_unref);
  g_clear_pointer (&self->completed, g_hash_table_unref);
  g_clear_pointer (&self->early_events, g_ptr_array_unref);
  g_clear_error (&self->last_error);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_coordinator_parent_class)->finalize (object);
}

static void
ferry_coordinator_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PHASE:
      g_value_set_string (value, self->phase);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ferry_coordinator_get_fraction (self));
      break;
    case PROP_ROWS_DONE:
      g_value_set_uint64 (value, self->rows_done);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_PAUSING:
      g_value_set_boolean (value, ferry_coordinator_is_pausing (self));
      break;
    case PROP_MIGRATION_ID:
      g_value_set_int64 (value, self->migration_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_coordinator_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_coordinator_class_init (FerryCoordinatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ferry_coordinator_dispose;
  object_class->finalize = ferry_coordinator_finalize;
  object_class->get_property = ferry_coordinator_get_property;
  object_class->set_property = ferry_coordinator_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, FERRY_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FERRY_TYPE_STATE, FERRY_STATE_INITIALIZING, ro);
  properties[PROP_PHASE] = g_param_spec_string ("phase", NULL, NULL, NULL, ro);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_ROWS_DONE] = g_param_spec_uint64 ("rows-done", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_DONE] = g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_PAUSING] = g_param_spec_boolean ("pausing", NULL, NULL, FALSE, ro);
  properties[PROP_MIGRATION_ID] = g_param_spec_int64 ("migration-id", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryCoordinator::state-changed:
   * @old_state: the state before
   * @new_state: the state now
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, FERRY_TYPE_STATE, FERRY_TYPE_STATE);

  /**
   * FerryCoordinator::table-failed:
   * @table: the table
   * @error: why; ferry_error_get_sqlstate() and friends tell more
   * @error_class: a #FerryErrorClass
   *
   * A table failed and waits for the user: ferry_coordinator_handle_error().
   */
  signals[TABLE_FAILED] =
    g_signal_new ("table-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, FERRY_TYPE_TABLE, G_TYPE_ERROR,
                  FERRY_TYPE_ERROR_CLASS);

  /**
   * FerryCoordinator::escalated:
   * @error: the critical error
   *
   * Nothing new starts until the user resumes or stops the migration.
   */
  signals[ESCALATED] =
    g_signal_new ("escalated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * FerryCoordinator::event:
   * @action: what happened ("state", "phase", "chunk", "retry", …)
   * @detail: (nullable): more, in words
   *
   * Everything recorded in the journal's audit trail, as it happens.
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  signals[CHUNK_FINISHED] =
    g_signal_new ("chunk-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4, FERRY_TYPE_TABLE, G_TYPE_UINT,
                  G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
control_thread (gpointer data,
                gpointer user_data)
{
  GTask *task = data;
  FerryCoordinator *self = g_task_get_source_object (task);
  ControlFunc func = g_object_get_data (G_OBJECT (task), "ferry-control-func");

  func (self, task);
  g_object_unref (task);
}

static void work_thread (gpointer data, gpointer user_data);

static void
ferry_coordinator_init (FerryCoordinator *self)
{
  self->state = FERRY_STATE_INITIALIZING;
  self->tables = ferry_table_list_new ();
  self->runs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)table_run_free);
  self->heap_runs = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->ddl_locks = g_hash_table_new (NULL, NULL);
  self->completed = g_hash_table_new (NULL, NULL);
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify)slot_free);
  self->idle_slots = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->snapshot_lock);
  self->control = g_thread_pool_new (control_thread, NULL, 1, FALSE, NULL);
}

/**
 * ferry_coordinator_new:
 * @config: the configuration; the coordinator keeps a reference and
 *   reads it when the migration starts
 */
FerryCoordinator *
ferry_coordinator_new (FerryConfig *config)
{
  FerryCoordinator *self;

  g_return_val_if_fail (FERRY_IS_CONFIG (config), NULL);

  self = g_object_new (FERRY_TYPE_COORDINATOR, "config", config, NULL);
  self->errors = ferry_error_handler_new (ferry_config_get_retry_attempts (config));
  self->monitor = ferry_monitor_new (self);
  return self;
}

/* The control queue */

/**
 * ferry_coordinator_control_async:
 *
 * Runs @func on the control thread, after every control job queued
 * before it; @callback gets the GTask's result on the main context.
 */
void
ferry_coordinator_control_async (FerryCoordinator    *self,
                                 ControlFunc          func,
                                 gpointer             data,
                                 GDestroyNotify       data_free,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, func);
  g_task_set_task_data (task, data, data_free);
  g_object_set_data (G_OBJECT (task), "ferry-control-func", func);
  g_thread_pool_push (self->control, task, NULL);
}

/**
 * ferry_coordinator_ensure_control:
 *
 * On the control thread: (re)opens the control connections when they
 * were lost, e.g. because a server restarted.
 */
gboolean
ferry_coordinator_ensure_control (FerryCoordinator  *self,
                                  GError           **error)
{
  guint connect_timeout = ferry_config_get_connect_timeout (self->config);
  guint query_timeout = ferry_config_get_query_timeout (self->config);

  if (self->control_source != NULL && !ferry_connection_is_open (self->control_source) &&
      !ferry_connection_open (self->control_source, connect_timeout, query_timeout, NULL, error))
    return FALSE;

  if (self->control_target != NULL && !ferry_connection_is_open (self->control_target) &&
      !ferry_connection_open (self->control_target, connect_timeout, query_timeout, NULL, error))
    return FALSE;

  return TRUE;
}

void
event_data_free (EventData *data)
{
  g_free (data->action);
  g_free (data->detail);
  g_free (data->actor);
  g_free (data->host);
  g_free (data);
}

static void
record_event_thread (FerryCoordinator *self,
                     GTask            *task)
{
  EventData *data = g_task_get_task_data (task);

  /* The target may be restarting (the very event may be about it): the
   * connection is reopened and the event written once the server is
   * back, for a few seconds. */
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(GError) error = NULL;

      if (ferry_coordinator_ensure_control (self, &error) &&
          ferry_journal_add_event_as (self->journal, data->migration_id, data->actor,
                                      data->host, data->action, data->detail, &error))
        break;

      if (attempt >= 5 || (ferry_connection_is_open (self->control_target) &&
                           !g_error_matches (error, FERRY_ERROR, FERRY_ERROR_CONNECTION)))
        {
          /* Not a programming error: the run goes on, and ::event told
           * the user anyway. */
          g_message ("Could not record “%s” in the journal: %s", data->action, error->message);
          break;
        }
      g_usleep ((G_USEC_PER_SEC / 4) << attempt);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * ferry_coordinator_record_event:
 *
 * Emits ::event and writes the event to the journal's audit trail (in
 * order, on the control thread) once the journal exists.
 */
void
ferry_coordinator_record_event (FerryCoordinator *self,
                                const char       *action,
                                const char       *detail)
{
  ferry_coordinator_record_event_as (self, NULL, NULL, action, detail);
}

/**
 * ferry_coordinator_record_event_as:
 * @actor: (nullable): who asked (the service: its token's name)
 * @host: (nullable): from where (the service: the client's address)
 *
 * ferry_coordinator_record_event() on behalf of someone other than the
 * operating-system user of this process, e.g. a client of the REST
 * service: the audit trail names them.
 */
void
ferry_coordinator_record_event_as (FerryCoordinator *self,
                                   const char       *actor,
                                   const char       *host,
                                   const char       *action,
                                   const char       *detail)
{
  EventData *data;

  g_return_if_fail (FERRY_IS_COORDINATOR (self));
  g_return_if_fail (action != NULL);

  g_signal_emit (self, signals[EVENT], 0, action, detail);

  if (self->journal == NULL)
    return;

  data = g_new0 (EventData, 1);
  data->action = g_strdup (action);
  data->detail = g_strdup (detail);
  data->migration_id = self->migration_id;
  data->actor = g_strdup (actor);
  data->host = g_strdup (host);

  /* A new migration has no journal record until the prepare job creates
   * it: what happens before (the start itself) waits, and the prepare
   * job writes it right after the record. */
  if (self->migration_id <= 0)
    {
      if (self->early_events == NULL)
        self->early_events = g_ptr_array_new_with_free_func ((GDestroyNotify)event_data_free);
      g_ptr_array_add (self->early_events, data);
      return;
    }

  ferry_coordinator_control_async (self, record_event_thread, data,
                                   (GDestroyNotify)event_data_free, NULL, NULL);
}

/* initialize */

static void
initialize_thread (FerryCoordinator *self,
                   GTask            *task)
{
  g_autoptr(GError) error = NULL;
  FerryValidator *validator = g_task_get_task_data (task);
  FerryConnection *target;
  g_autoptr(FerryJournal) journal = NULL;
  gint64 unfinished = 0;
  const char *sid;

  if (!ferry_validator_prepare (validator, self->cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  target = ferry_validator_get_target (validator);
  if (target == NULL || !ferry_connection_is_open (target))
    {
      FerryCheck *check = ferry_validator_lookup_check (validator, "target-reachable");
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_CONNECTION,
                               _("The target cannot be reached: %s"),
                               check && ferry_check_get_summary (check)
                                 ? ferry_check_get_summary (check) : _("no connection"));
      return;
    }

  /* The control thread's own connections: the validator's are used by
   * its readiness checks on another thread, and a libpq connection
   * serves one thread at a time. */
  {
    guint connect_timeout = ferry_config_get_connect_timeout (self->config);
    guint query_timeout = ferry_config_get_query_timeout (self->config);
    g_autoptr(FerryConnection) source = ferry_connection_new (ferry_config_get_source (self->config), _("source"));
    g_autoptr(FerryConnection) control_target = ferry_connection_new (ferry_config_get_target (self->config), _("target"));

    if (!ferry_connection_open (control_target, connect_timeout, query_timeout, self->cancellable, &error) ||
        !ferry_connection_open (source, connect_timeout, query_timeout, self->cancellable, &error))
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    g_set_object (&self->control_source, source);
    g_set_object (&self->control_target, control_target);
    target = control_target;
  }

  /* The source's identity, for finding an unfinished migration of the
   * same source to resume: the database, where the server listens and
   * when it started would not do (a restart changes it), so use the
   * system identifier when we may read it, else the database's oid and
   * name with the server address. */
  {
    g_autofree char *id = ferry_connection_query_value (
      self->control_source,
      "SELECT coalesce((SELECT system_identifier::text FROM pg_catalog.pg_control_system()"
      "                 WHERE pg_catalog.has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')),"
      "                coalesce(pg_catalog.inet_server_addr()::text, 'local') || ':' ||"
      "                pg_catalog.current_setting('port'))"
      " || '/' || d.oid || '/' || d.datname"
      " FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()",
      &error);

    if (id == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    g_free (self->source_id);
    self->source_id = g_steal_pointer (&id);
  }
  sid = self->source_id;

  journal = ferry_journal_new (target, ferry_config_get_journal_schema (self->config));
  if (ferry_journal_exists (journal, NULL))
    {
      unfinished = ferry_journal_find_unfinished (journal, sid, &error);
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_set_object (&self->journal, journal);
  self->migration_id = unfinished;
  self->resuming = unfinished > 0;
  g_task_return_boolean (task, TRUE);
}

static void
initialize_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_last_error (self, error);
      set_state (self, FERRY_STATE_ERROR);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  {
    FerryPlan *plan = ferry_validator_get_plan (self->validator);
    GPtrArray *order = ferry_analyzer_get_order (ferry_plan_get_analyzer (plan));
    ferry_table_list_splice (self->tables, order);
  }

  if (self->resuming)
    {
      g_autofree char *detail = g_strdup_printf (_("found unfinished migration %" PRId64),
                                                 self->migration_id);
      g_signal_emit (self, signals[EVENT], 0, "resumable", detail);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIGRATION_ID]);
    }

  set_last_error (self, NULL);
  set_state (self, FERRY_STATE_READY);
  g_task_return_boolean (outer, TRUE);
}

/**
 * ferry_coordinator_initialize_async:
 *
 * Loads what the migration needs — connections, both catalogs, the
 * analysis and the plan — and looks in the target's journal for an
 * unfinished migration of the same source, which start() then resumes.
 */
void
ferry_coordinator_initialize_async (FerryCoordinator    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *outer;

  g_return_if_fail (FERRY_IS_COORDINATOR (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ferry_coordinator_initialize_async);

  if (self->state != FERRY_STATE_INITIALIZING)
    {
      g_autoptr(GError) error = NULL;

      if (!check_state (self, FERRY_STATE_INITIALIZING, _("initialize"), &error) ||
          self->n_running > 0)
        {
          if (error == NULL)
            g_set_error_literal (&error, FERRY_ERROR, FERRY_ERROR_STATE,
                                 _("Cannot initialize the migration while chunks are running"));
          g_task_return_error (outer, g_steal_pointer (&error));
          g_object_unref (outer);
          return;
        }
      set_state (self, FERRY_STATE_INITIALIZING);
    }

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->request_poll_id, g_source_remove);
  clear_run (self);
  g_clear_pointer (&self->early_events, g_ptr_array_unref);
  g_clear_object (&self->validator);
  self->validator = ferry_validator_new (self->config);
  self->migration_id = 0;
  self->resuming = FALSE;

  ferry_coordinator_control_async (self, initialize_thread, g_object_ref (self->validator),
                                   g_object_unref, initialize_done, outer);
}

gboolean
ferry_coordinator_initialize_finish (FerryCoordinator  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} SyncData;

static void
sync_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncData *data = user_data;

  data->result = g_object_ref (result);
  g_main_loop_quit (data->loop);
}

/**
 * ferry_coordinator_initialize:
 *
 * initialize_async() for programs without a main loop of their own
 * (the CLI, tests): runs the thread-default main context until done.
 */
gboolean
ferry_coordinator_initialize (FerryCoordinator  *self,
                              GCancellable      *cancellable,
                              GError           **error)
{
  SyncData data = { 0 };
  gboolean ret;

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);

  data.loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE);
  ferry_coordinator_initialize_async (self, cancellable, sync_done, &data);
  g_main_loop_run (data.loop);
  ret = ferry_coordinator_initialize_finish (self, data.result, error);
  g_main_loop_unref (data.loop);
  g_object_unref (data.result);

  return ret;
}

/* validate_readiness */

static void
readiness_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  FerryCoordinator *self = g_task_get_source_object (task);

  self->readiness_running--;
  if (!ferry_validator_run_finish (FERRY_VALIDATOR (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ferry_coordinator_validate_readiness_async (FerryCoordinator    *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_COORDINATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_coordinator_validate_readiness_async);

  if (self->validator == NULL || self->state == FERRY_STATE_RUNNING)
    {
      g_task_return_new_error (task, FERRY_ERROR, FERRY_ERROR_STATE,
                               self->validator == NULL
                                 ? _("Initialize the migration before checking readiness")
                                 : _("Readiness cannot be checked while the migration runs"));
      g_object_unref (task);
      return;
    }

  self->readiness_running++;
  ferry_validator_run_async (self->validator, cancellable, readiness_done, task);
}

gboolean
ferry_coordinator_validate_readiness_finish (FerryCoordinator  *self,
                                             GAsyncResult      *result,
                                             GError           **error)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Progress */

static void
update_progress (FerryCoordinator *self)
{
  guint64 rows = 0;
  guint64 bytes = 0;
  GHashTableIter iter;
  TableRun *run;

  if (self->work == NULL)
    return;

  /* Committed chunks, plus what running chunks have streamed so far. */
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&run))
    {
      guint64 table_rows = run->rows_committed;
      guint64 table_bytes = run->bytes_committed;

      if (run->n_running > 0)
        for (guint i = 0; i < self->work->len; i++)
          {
            Work *work = g_ptr_array_index (self->work, i);

            if (work->table == run->table && work->kind == WORK_CHUNK && work->state == WORK_RUNNING)
              {
                table_rows += __atomic_load_n (&work->live.rows, __ATOMIC_RELAXED);
                table_bytes += __atomic_load_n (&work->live.bytes, __ATOMIC_RELAXED);
              }
          }

      ferry_table_set_progress (run->table, table_rows, table_bytes);
      rows += table_rows;
      bytes += table_bytes;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (rows != self->rows_done)
    {
      self->rows_done = rows;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROWS_DONE]);
    }
  if (bytes != self->bytes_done)
    {
      self->bytes_done = bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
tick (gpointer user_data)
{
  FerryCoordinator *self = user_data;

  update_progress (self);
  return G_SOURCE_CONTINUE;
}

/* Slots */

/* How many jobs run at once: max_parallel, unless connection_pool_size
 * has no room for them. On the source Ferry holds a connection per
 * worker, the control thread's and the one that keeps the exported
 * snapshot open; on the target, one per worker and the control
 * thread's. */
static guint
worker_limit (FerryCoordinator *self)
{
  guint max_parallel = ferry_config_get_max_parallel (self->config);
  guint pool = ferry_config_get_connection_pool_size (self->config);

  return CLAMP (pool > 2 ? pool - 2 : 1, 1, max_parallel);
}

static Slot *
acquire_slot (FerryCoordinator *self)
{
  Slot *slot;

  if (self->idle_slots->len > 0)
    return g_ptr_array_steal_index_fast (self->idle_slots, self->idle_slots->len - 1);

  g_assert (self->slots->len < worker_limit (self));

  slot = g_new0 (Slot, 1);
  slot->id = self->slots->len + 1;
  slot->source = ferry_connection_new (ferry_config_get_source (self->config), _("source"));
  slot->target = ferry_connection_new (ferry_config_get_target (self->config), _("target"));
  g_ptr_array_add (self->slots, slot);
  return slot;
}

static void
release_slot (FerryCoordinator *self,
              Slot             *slot)
{
  g_ptr_array_add (self->idle_slots, slot);
}

/* Scheduling */

static gboolean
table_is_settled (FerryCoordinator *self,
                  FerryTable       *table)
{
  FerryTableStatus status = ferry_table_get_status (table);
  return status == FERRY_TABLE_STATUS_FAILED || status == FERRY_TABLE_STATUS_SKIPPED;
}

static gboolean
parents_complete (FerryCoordinator *self,
                  FerryTable       *table)
{
  FerryAnalyzer *analyzer = ferry_validator_get_analyzer (self->validator);
  return ferry_analyzer_is_ready (analyzer, table, self->completed);
}

/* Whether a chunk must wait for its table's parents: with the keep
 * strategy the target's foreign keys check every row, so parents load
 * first. With rebuild they are gone during the load, and with
 * schema: copy they do not exist yet (post-data adds them after the
 * data): everything may load at once. A chunk that hit a missing parent
 * row (23503) waits in any case. */
static gboolean
needs_parents (FerryCoordinator *self,
               Work             *work)
{
  return work->wait_parents ||
         (ferry_config_get_constraints (self->config) == FERRY_CONSTRAINT_STRATEGY_KEEP &&
          ferry_config_get_schema_mode (self->config) == FERRY_SCHEMA_MODE_EXISTING);
}

/* Whether a job may start now. */
static gboolean
work_is_runnable (FerryCoordinator *self,
                  Work             *work,
                  gint64            now)
{
  TableRun *run = get_run (self, work->table);

  if (work->state != WORK_PENDING || work->not_before > now)
    return FALSE;

  switch (work->kind)
    {
    case WORK_CHUNK:
      if (table_is_settled (self, work->table))
        return FALSE;
      if (needs_parents (self, work))
        return parents_complete (self, work->table);
      return TRUE;

    case WORK_DDL:
      /* Kept for the end: once every chunk and every other item is done. */
      if (work->ddl->at_end && !self->main_work_done)
        return FALSE;
      /* Not beside another DDL job on the same table: it would wait for
       * its lock, holding a worker that can do something else. */
      for (guint i = 0; i < G_N_ELEMENTS (work->locks); i++)
        if (work->locks[i] != NULL && g_hash_table_contains (self->ddl_locks, work->locks[i]))
          return FALSE;
      if (work->wait_tables != NULL)
        {
          /* A post-data item: the data of every table it needs (pairs of
           * the table and its unit). */
          for (guint i = 0; i + 1 < work->wait_tables->len; i += 2)
            if (!data_complete (self, g_ptr_array_index (work->wait_tables, i),
                                g_ptr_array_index (work->wait_tables, i + 1)))
              return FALSE;
        }
      else if (run != NULL && !run->complete)
        return FALSE;
      if (work->after != NULL)
        for (guint i = 0; i < work->after->len; i++)
          if (((Work *)g_ptr_array_index (work->after, i))->state != WORK_DONE)
            return FALSE;
      if (work->ref_table != NULL)
        {
          TableRun *ref = get_run (self, work->ref_table);
          if (ref != NULL && !ref->complete && work->wait_tables == NULL)
            return FALSE;
          /* A foreign key needs the referenced key's index back first,
           * and waits for the index builds on both tables rather than
           * for their locks. */
          if (g_str_equal (work->ddl->kind, "foreign-key") &&
              ((ref != NULL && ref->n_ddl_pending > 0) ||
               (run != NULL && run->n_ddl_pending > 0)))
            return FALSE;
        }
      return TRUE;

    case WORK_VALIDATE:
      return self->validating;

    default:
      return FALSE;
    }
}

static void work_done (GObject *object, GAsyncResult *result, gpointer user_data);

static void
dispatch (FerryCoordinator *self,
          Work             *work)
{
  GTask *task;
  TableRun *run = get_run (self, work->table);

  work->state = WORK_RUNNING;
  work->slot = acquire_slot (self);
  if (work->kind == WORK_DDL)
    for (guint i = 0; i < G_N_ELEMENTS (work->locks); i++)
      if (work->locks[i] != NULL)
        g_hash_table_insert (self->ddl_locks, work->locks[i],
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->ddl_locks,
                                                                                      work->locks[i])) + 1));
  work->live.rows = 0;
  work->live.bytes = 0;
  if (work->kind == WORK_CHUNK)
    {
      work->attempts++;
      if (run != NULL)
        {
          run->n_running++;
          if (run->started_at == 0)
            run->started_at = g_get_real_time ();
        }
      ferry_table_set_status (work->table, FERRY_TABLE_STATUS_RUNNING);
      ferry_table_set_attempts (work->table, MAX (ferry_table_get_attempts (work->table),
                                                  work->prior_attempts + work->attempts));
    }

  self->n_running++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);

  task = g_task_new (self, self->cancellable, work_done, NULL);
  g_task_set_source_tag (task, dispatch);
  g_task_set_task_data (task, work, NULL);
  g_thread_pool_push (self->pool, task, NULL);
}

static gboolean
wakeup (gpointer user_data)
{
  FerryCoordinator *self = user_data;

  self->wakeup_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (FerryCoordinator *self)
{
  guint max_parallel = worker_limit (self);
  gint64 now = g_get_monotonic_time ();
  gint64 next_wakeup = G_MAXINT64;

  if (self->work == NULL)
    return;

  if (self->renewing_snapshot)
    ;  /* snapshot_done() schedules */
  else if (now < self->hold_until)
    next_wakeup = self->hold_until;
  else if (self->state == FERRY_STATE_RUNNING && !self->pause_requested && !self->stop_requested)
    {
      self->main_work_done = TRUE;
      for (guint i = 0; i < self->work->len && self->main_work_done; i++)
        {
          Work *work = g_ptr_array_index (self->work, i);

          if (work->state != WORK_DONE && work->state != WORK_SKIPPED &&
              (work->kind == WORK_CHUNK || (work->kind == WORK_DDL && !work->ddl->at_end)))
            self->main_work_done = FALSE;
        }

      /* Deferred DDL first: an index, a key or a foreign key whose
       * tables are loaded runs before the next chunk, so that the run
       * does not end with all of them still to build. */
      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < self->work->len && self->n_running < max_parallel; i++)
          {
            Work *work = g_ptr_array_index (self->work, i);

            if ((work->kind == WORK_DDL) != (pass == 0))
              continue;
            if (work_is_runnable (self, work, now))
              dispatch (self, work);
            else if (work->state == WORK_PENDING && work->not_before > now)
              next_wakeup = MIN (next_wakeup, work->not_before);
          }
    }

  /* Backoff: come back when the earliest retry is due. */
  if (next_wakeup != G_MAXINT64 && (self->wakeup_id == 0 || next_wakeup < self->wakeup_at))
    {
      g_clear_handle_id (&self->wakeup_id, g_source_remove);
      self->wakeup_at = next_wakeup;
      self->wakeup_id = g_timeout_add (MAX (10, (next_wakeup - now) / 1000) + 1, wakeup, self);
    }

  if (self->n_running == 0)
    maybe_finish_phase (self);
}

/* What the run does when nothing is running. */
static void start_finish (FerryCoordinator *self);
static void start_release (FerryCoordinator *self, FerryState state);

static void
maybe_finish_phase (FerryCoordinator *self)
{
  gboolean pending = FALSE;
  gboolean blocked_by_failure = FALSE;
  gboolean waiting_backoff = FALSE;
  gint64 now = g_get_monotonic_time ();

  if (self->stop_requested)
    {
      start_release (self, FERRY_STATE_STOPPED);
      return;
    }

  if (self->pause_requested)
    {
      /* During the preparation there is nothing to pause yet: PAUSED
       * comes when the work exists and nothing of it runs. */
      if (self->state == FERRY_STATE_RUNNING && self->work != NULL)
        {
          set_state (self, FERRY_STATE_PAUSED);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);
        }
      return;
    }

  if (self->state != FERRY_STATE_RUNNING || self->finishing || now < self->hold_until ||
      self->renewing_snapshot)
    return;

  for (guint i = 0; i < self->work->len; i++)
    {
      Work *work = g_ptr_array_index (self->work, i);

      if (work->state == WORK_PENDING)
        {
          pending = TRUE;
          if (work->not_before > now)
            waiting_backoff = TRUE;
          else if (table_is_settled (self, work->table) ||
                   (work->kind == WORK_CHUNK && needs_parents (self, work) &&
                    !parents_complete (self, work->table)) ||
                   work->kind == WORK_DDL)
            blocked_by_failure = TRUE;
        }
      else if (work->state == WORK_FAILED)
        blocked_by_failure = TRUE;
    }

  if (waiting_backoff)
    return;

  if (pending || blocked_by_failure)
    {
      GError *error = NULL;
      guint failed = ferry_table_list_count_status (self->tables, FERRY_TABLE_STATUS_FAILED);

      /* Everything that can move has moved: the rest waits for the
       * user to resolve the failed tables. */
      if (failed > 0)
        g_set_error (&error, FERRY_ERROR, FERRY_ERROR_FAILED,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "%u table failed and waits for a resolution (retry, skip, truncate and retry, or abort)",
                                  "%u tables failed and wait for a resolution (retry, skip, truncate and retry, or abort)",
                                  failed),
                     failed);
      else
        g_set_error_literal (&error, FERRY_ERROR, FERRY_ERROR_FAILED,
                             _("Some work cannot start because what it waits for did not complete"));
      set_last_error (self, error);
      set_state (self, FERRY_STATE_ERROR);
      g_signal_emit (self, signals[ESCALATED], 0, error);
      g_error_free (error);
      return;
    }

  if (!self->finishing)
    start_finish (self);
}

/* The SQLSTATE of a server error; NULL for anything else (the accessors
 * are for the FERRY_ERROR domain only). */
static const char *
error_sqlstate (const GError *error)
{
  return error != NULL && error->domain == FERRY_ERROR ? ferry_error_get_sqlstate (error) : NULL;
}

static const char *
error_detail (const GError *error)
{
  return error != NULL && error->domain == FERRY_ERROR ? ferry_error_get_detail (error) : NULL;
}

static const char *
error_hint (const GError *error)
{
  return error != NULL && error->domain == FERRY_ERROR ? ferry_error_get_hint (error) : NULL;
}

/* Table completion */

static void
add_completed (FerryCoordinator *self,
               TableRun         *run)
{
  run->complete = TRUE;
  run->finished_at = g_get_real_time ();
  g_hash_table_add (self->completed, run->table);
  ferry_table_set_status (run->table, FERRY_TABLE_STATUS_COMPLETED);
  ferry_table_set_last_error (run->table, NULL);
  ferry_coordinator_record_event (self, "table-completed", ferry_table_get_display_name (run->table));
}

static void
fail_table (FerryCoordinator *self,
            Work             *work,
            const GError     *error,
            FerryErrorClass   error_class)
{
  TableRun *run = get_run (self, work->table);
  const char *sqlstate = error_sqlstate (error);
  g_autofree char *detail = NULL;

  work->state = WORK_FAILED;

  /* Chunks of a table run side by side and fail together: the table
   * fails once, with the first reason; the others wait with it for the
   * same resolution. */
  if (ferry_table_get_status (work->table) == FERRY_TABLE_STATUS_FAILED)
    return;

  if (run != NULL)
    {
      g_clear_error (&run->error);
      run->error = g_error_copy (error);
      run->error_class = error_class;
      run->failed_work = work;
    }

  ferry_table_set_status (work->table, FERRY_TABLE_STATUS_FAILED);
  ferry_table_set_last_error (work->table, error->message);

  detail = g_strdup_printf ("%s #%u [%s%s%s]: %s", ferry_table_get_display_name (work->table),
                            work->number,
                            ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, error_class),
                            sqlstate ? " " : "", sqlstate ? sqlstate : "",
                            error->message);
  ferry_coordinator_record_event (self, "table-failed", detail);
  g_signal_emit (self, signals[TABLE_FAILED], 0, work->table, error, error_class);
}

static void
escalate (FerryCoordinator *self,
          Work             *work,
          const GError     *error)
{
  g_autofree char *detail = g_strdup_printf ("%s: %s",
                                             work ? ferry_table_get_display_name (work->table) : "",
                                             error->message);

  if (work != NULL)
    {
      work->state = WORK_PENDING;
      g_clear_error (&work->error);
      work->error = g_error_copy (error);
    }

  set_last_error (self, error);
  ferry_coordinator_record_event (self, "escalated", detail);
  if (self->state == FERRY_STATE_RUNNING || self->state == FERRY_STATE_PAUSED)
    set_state (self, FERRY_STATE_ERROR);
  g_signal_emit (self, signals[ESCALATED], 0, error);
}

static void
split_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  Work *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) halves = g_task_propagate_pointer (G_TASK (result), &error);
  TableRun *run = get_run (self, work->table);
  guint index;

  if (halves == NULL)
    {
      fail_table (self, work, error, FERRY_ERROR_CLASS_PERFORMANCE);
      schedule (self);
      return;
    }

  work->state = WORK_SKIPPED;
  g_ptr_array_find (self->work, work, &index);
  for (guint i = 0; i < halves->len; i++)
    g_ptr_array_insert (self->work, index + 1 + i, g_ptr_array_index (halves, i));
  g_ptr_array_set_free_func (halves, NULL);
  if (run != NULL)
    run->n_chunks += halves->len - 1;
  get_heap_run (self, work->heap)->n_chunks += halves->len - 1;
  self->n_chunks_total += halves->len - 1;

  {
    g_autofree char *detail = g_strdup_printf (_("%s #%u split in %u after a timeout"),
                                               ferry_table_get_display_name (work->table),
                                               work->number, halves->len);
    ferry_coordinator_record_event (self, "split", detail);
  }
  schedule (self);
}

/* A server or the way to it failed, not this job: the connection was
 * lost or refused, or the server is shutting down or starting. */
static gboolean
is_outage (const GError *error)
{
  const char *sqlstate;

  if (error->domain != FERRY_ERROR)
    return FALSE;
  sqlstate = ferry_error_get_sqlstate (error);
  if (sqlstate == NULL)
    return error->code == FERRY_ERROR_CONNECTION;
  return g_str_has_prefix (sqlstate, "08") || g_str_equal (sqlstate, "57P01") ||
         g_str_equal (sqlstate, "57P02") || g_str_equal (sqlstate, "57P03");
}

/*
 * A job failed because a server went away. Every job running at that
 * moment fails with it, and every job started during the outage would
 * too, each spending its retries: a restart of the target that takes a
 * few seconds would fail whole tables. Instead the outage holds the
 * schedule — nothing starts for the backoff delay, which grows with each
 * outage that follows without a success in between — and the job is not
 * charged an attempt. Failures while a hold is on are the same outage.
 * Once retry_attempts holds in a row have not brought the server back,
 * the run escalates: the user resumes when the server is back.
 *
 * Returns: %TRUE if the job waits for the end of the hold, %FALSE if the
 *   outage lasts too long (the caller escalates).
 */
static gboolean
hold_for_outage (FerryCoordinator *self,
                 Work             *work,
                 const GError     *error)
{
  gint64 now = g_get_monotonic_time ();

  /* The snapshot is being renewed: that is what this job lacked, and
   * nothing starts before it is done. */
  if (self->renewing_snapshot)
    {
      work->state = WORK_PENDING;
      work->not_before = 0;
      if (work->kind == WORK_CHUNK)
        work->attempts = MAX (work->attempts, 1) - 1;
      return TRUE;
    }

  if (now >= self->hold_until)
    {
      guint delay;
      g_autofree char *detail = NULL;

      self->outage_failures++;
      if (self->outage_failures > ferry_error_handler_get_retry_attempts (self->errors))
        return FALSE;

      delay = ferry_error_handler_backoff_ms (self->errors, self->outage_failures);
      self->hold_until = now + (gint64)delay * 1000;
      detail = g_strdup_printf (_("%s: a server is unreachable (%s); nothing starts for %.1f s (retry %u of %u)"),
                                ferry_table_get_display_name (work->table), error->message, delay / 1000.0,
                                self->outage_failures, ferry_error_handler_get_retry_attempts (self->errors));
      ferry_coordinator_record_event (self, "retry", detail);
    }

  work->state = WORK_PENDING;
  work->not_before = self->hold_until;
  if (work->kind == WORK_CHUNK)
    work->attempts = MAX (work->attempts, 1) - 1;
  return TRUE;
}

static void
chunk_failed (FerryCoordinator *self,
              Work             *work,
              GError           *error)
{
  FerryErrorClass error_class = ferry_error_handler_classify (error);
  gboolean parents_done = parents_complete (self, work->table);
  gboolean can_split = work->chunk_kind != FERRY_CHUNK_KIND_WHOLE || ferry_table_get_pages (work->heap) > 1;
  FerryErrorAction action;
  g_autofree char *detail = NULL;

  ferry_error_handler_record (self->errors, error_class);
  g_clear_error (&work->error);
  work->error = g_error_copy (error);

  action = ferry_error_handler_decide (self->errors, error_class, work->attempts,
                                       parents_done, can_split);

  detail = g_strdup_printf ("%s #%u attempt %u [%s]: %s", ferry_table_get_display_name (work->table),
                            work->number, work->attempts,
                            ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, error_class), error->message);
  ferry_coordinator_record_event (self, "chunk-error", detail);
  {
    ChunkErrorData *data = g_new0 (ChunkErrorData, 1);

    data->chunk_id = work->chunk_id;
    data->attempts = work->prior_attempts + work->attempts;
    data->message = g_strdup (error->message);
    ferry_coordinator_control_async (self, ferry_job_chunk_error, data,
                                     (GDestroyNotify)ferry_chunk_error_data_free, NULL, NULL);
  }

  if (error_class == FERRY_ERROR_CLASS_TEMPORARY && is_outage (error))
    {
      if (!hold_for_outage (self, work, error))
        escalate (self, work, error);
      return;
    }

  switch (action)
    {
    case FERRY_ERROR_ACTION_RETRY:
      {
        guint delay = ferry_error_handler_backoff_ms (self->errors, work->attempts);
        g_autofree char *retry = g_strdup_printf (_("%s #%u: retry %u of %u in %.1f s"),
                                                  ferry_table_get_display_name (work->table),
                                                  work->number, work->attempts,
                                                  ferry_error_handler_get_retry_attempts (self->errors),
                                                  delay / 1000.0);
        work->state = WORK_PENDING;
        work->not_before = g_get_monotonic_time () + (gint64)delay * 1000;
        ferry_coordinator_record_event (self, "retry", retry);
      }
      break;

    case FERRY_ERROR_ACTION_WAIT_PARENTS:
      work->state = WORK_PENDING;
      work->wait_parents = TRUE;
      work->attempts = MAX (work->attempts, 1) - 1;
      break;

    case FERRY_ERROR_ACTION_SPLIT:
      /* Splitting rewrites the journal's chunk list: on the control
       * thread. Until it is done the chunk is pending but not due. */
      work->state = WORK_PENDING;
      work->not_before = G_MAXINT64;
      ferry_coordinator_control_async (self, ferry_job_split, work, NULL, split_done, NULL);
      break;

    case FERRY_ERROR_ACTION_FAIL_TABLE:
      fail_table (self, work, error, error_class);
      break;

    case FERRY_ERROR_ACTION_ESCALATE:
    default:
      escalate (self, work, error);
      break;
    }
}

static void
snapshot_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  g_autoptr(GError) error = NULL;

  self->renewing_snapshot = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Still unreachable: the jobs go on failing as an outage, and the
       * next one to find the snapshot gone tries again. */
      ferry_coordinator_record_event (self, "snapshot-error", error->message);
      schedule (self);
      return;
    }

  ferry_coordinator_record_event (self, "snapshot-renewed",
                                  _("The source’s snapshot was lost; chunks copied from now on read the "
                                    "source as it is now"));
  schedule (self);
}

/* The snapshot the run started with is gone (the source restarted): a
 * new one, on the control thread. */
static void
renew_snapshot (FerryCoordinator *self)
{
  self->renewing_snapshot = TRUE;
  ferry_coordinator_control_async (self, ferry_job_snapshot, NULL, NULL, snapshot_done, NULL);
}

static void
work_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  Work *work = g_task_get_task_data (G_TASK (result));
  TableRun *run = get_run (self, work->table);
  g_autoptr(GError) error = NULL;
  g_autofree WorkResult *res = NULL;

  res = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL && g_atomic_int_get (&self->snapshot_lost) && !self->renewing_snapshot)
    renew_snapshot (self);

  self->n_running--;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RUNNING]);
  if (work->kind == WORK_DDL)
    for (guint i = 0; i < G_N_ELEMENTS (work->locks); i++)
      if (work->locks[i] != NULL)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->ddl_locks, work->locks[i]));

          if (n > 1)
            g_hash_table_insert (self->ddl_locks, work->locks[i], GUINT_TO_POINTER (n - 1));
          else
            g_hash_table_remove (self->ddl_locks, work->locks[i]);
        }
  if (error != NULL && work->slot != NULL &&
      ferry_error_handler_classify (error) == FERRY_ERROR_CLASS_TEMPORARY)
    work->slot->broken = TRUE;
  release_slot (self, g_steal_pointer (&work->slot));

  if (work->kind == WORK_CHUNK && run != NULL)
    run->n_running--;

  if (error != NULL && self->stop_requested)
    {
      /* Cancelled by stop(): the chunk rolled back and stays pending. */
      work->state = WORK_PENDING;
      work->attempts = MAX (work->attempts, 1) - 1;
    }
  else if (error != NULL)
    {
      switch (work->kind)
        {
        case WORK_CHUNK:
          chunk_failed (self, work, error);
          break;
        case WORK_DDL:
          {
            g_autofree char *detail = g_strdup_printf ("%s %s: %s", work->ddl->kind,
                                                       work->ddl->object_name, error->message);
            FerryErrorClass error_class = ferry_error_handler_classify (error);

            ferry_error_handler_record (self->errors, error_class);
            work->attempts++;
            ferry_coordinator_record_event (self, "ddl-error", detail);
            if (error_class == FERRY_ERROR_CLASS_TEMPORARY && is_outage (error))
              {
                if (!hold_for_outage (self, work, error))
                  escalate (self, work, error);
              }
            else if (error_class == FERRY_ERROR_CLASS_TEMPORARY &&
                     work->attempts <= ferry_error_handler_get_retry_attempts (self->errors))
              {
                work->state = WORK_PENDING;
                work->not_before = g_get_monotonic_time () +
                                   (gint64)ferry_error_handler_backoff_ms (self->errors, work->attempts) * 1000;
              }
            else
              fail_table (self, work, error, error_class);
          }
          break;
        case WORK_VALIDATE:
          {
            FerryErrorClass error_class = ferry_error_handler_classify (error);
            ferry_error_handler_record (self->errors, error_class);
            work->attempts++;
            if (error_class == FERRY_ERROR_CLASS_TEMPORARY && is_outage (error))
              {
                if (!hold_for_outage (self, work, error))
                  escalate (self, work, error);
              }
            else if (error_class == FERRY_ERROR_CLASS_TEMPORARY &&
                     work->attempts <= ferry_error_handler_get_retry_attempts (self->errors))
              {
                work->state = WORK_PENDING;
                work->not_before = g_get_monotonic_time () +
                                   (gint64)ferry_error_handler_backoff_ms (self->errors, work->attempts) * 1000;
              }
            else
              fail_table (self, work, error, error_class);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  else
    {
      work->state = WORK_DONE;
      g_clear_error (&work->error);
      self->outage_failures = 0;

      switch (work->kind)
        {
        case WORK_CHUNK:
          work->rows = res->rows;
          work->bytes = res->bytes;
          self->n_chunks_done++;
          get_heap_run (self, work->heap)->n_done++;
          if (run != NULL)
            {
              run->n_done++;
              run->rows_committed += res->rows;
              run->bytes_committed += res->bytes;
              if (run->n_done == run->n_chunks && !run->complete)
                add_completed (self, run);
            }
          g_signal_emit (self, signals[CHUNK_FINISHED], 0, work->table, work->number, res->rows, res->bytes);
          break;

        case WORK_DDL:
          if (run != NULL && ddl_builds_index (work) && run->n_ddl_pending > 0)
            run->n_ddl_pending--;
          {
            g_autofree char *detail = g_strdup_printf ("%s %s", work->ddl->kind, work->ddl->object_name);
            ferry_coordinator_record_event (self, "restored", detail);
          }
          break;

        case WORK_VALIDATE:
          g_ptr_array_add (self->validation, work);
          if (!work->matches)
            {
              g_autofree char *detail =
                g_strdup_printf (_("%s (%s): source %" PRId64 " rows %s, target %" PRId64 " rows %s"),
                                 ferry_table_get_display_name (work->table), work->part,
                                 work->source_rows, work->source_checksum ? work->source_checksum : "",
                                 work->target_rows, work->target_checksum ? work->target_checksum : "");
              ferry_table_set_last_error (work->table, detail);
              ferry_coordinator_record_event (self, "validation-mismatch", detail);
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* A table none of whose chunks runs any more is not "running": after
   * a stop, or while a chunk waits for its retry or for its parents. */
  if (work->kind == WORK_CHUNK && run != NULL && run->n_running == 0 &&
      ferry_table_get_status (work->table) == FERRY_TABLE_STATUS_RUNNING)
    ferry_table_set_status (work->table, FERRY_TABLE_STATUS_PENDING);

  update_progress (self);
  schedule (self);
}

static void
work_thread (gpointer data,
             gpointer user_data)
{
  GTask *task = data;
  FerryCoordinator *self = g_task_get_source_object (task);
  Work *work = g_task_get_task_data (task);

  ferry_job_run_work (self, work, task);
  g_object_unref (task);
}

/* start */

static Work *
work_from_chunk (FerryCoordinator  *self,
                 FerryJournalChunk *chunk,
                 GError           **error)
{
  FerryCatalog *catalog = ferry_validator_get_source_catalog (self->validator);
  FerryTable *table = ferry_catalog_lookup (catalog, chunk->table_schema, chunk->table_name);
  FerryTable *heap = ferry_catalog_lookup (catalog, chunk->heap_schema, chunk->heap_name);
  Work *work;

  if (table == NULL || heap == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   _("The journal’s chunk %" PRId64 " is for %s.%s, which the source no longer has"),
                   chunk->chunk_id, chunk->heap_schema, chunk->heap_name);
      return NULL;
    }

  work = g_new0 (Work, 1);
  work->kind = WORK_CHUNK;
  work->table = table;
  work->heap = heap;
  work->chunk_id = chunk->chunk_id;
  work->number = chunk->number;
  work->chunk_kind = chunk->kind;
  work->key_column = g_strdup (chunk->key_column);
  work->has_lo = chunk->has_lo;
  work->lo = chunk->lo;
  work->has_hi = chunk->has_hi;
  work->hi = chunk->hi;
  work->predicate = g_strdup (chunk->predicate);
  work->est_bytes = chunk->est_bytes;
  work->attempts = 0;
  work->prior_attempts = chunk->attempts;
  work->state = chunk->skipped ? WORK_SKIPPED : chunk->done ? WORK_DONE : WORK_PENDING;
  work->rows = chunk->rows;
  work->bytes = chunk->bytes;
  return work;
}

/* The list holds @order's tables, in that order (and maybe more after). */
static gboolean
table_list_holds (FerryTableList *list,
                  GPtrArray      *order)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (list)) < order->len)
    return FALSE;
  for (guint i = 0; i < order->len; i++)
    if (ferry_table_list_get_table (list, i) != g_ptr_array_index (order, i))
      return FALSE;
  return TRUE;
}

typedef struct {
  Work    *work;
  guint    position;
  guint64  unit_bytes;
  guint    unit_position;   /* the first of its unit's: says which unit */
} SortKey;

static int
compare_size_desc (gconstpointer a,
                   gconstpointer b)
{
  const SortKey *ka = a;
  const SortKey *kb = b;

  if (ka->unit_bytes != kb->unit_bytes)
    return ka->unit_bytes > kb->unit_bytes ? -1 : 1;
  if (ka->unit_position != kb->unit_position)
    return ka->unit_position < kb->unit_position ? -1 : 1;
  if (ka->work->est_bytes != kb->work->est_bytes)
    return ka->work->est_bytes > kb->work->est_bytes ? -1 : 1;
  return ka->position < kb->position ? -1 : ka->position > kb->position;
}

/* A deferred DDL item of the journal as work: what it waits for and
 * what it locks. Takes @ddl. */
static Work *
work_from_ddl (FerryCoordinator *self,
               FerryJournalDdl  *ddl)
{
  FerryCatalog *catalog = ferry_validator_get_source_catalog (self->validator);
  FerryAnalyzer *analyzer = ferry_validator_get_analyzer (self->validator);
  GPtrArray *order = ferry_analyzer_get_order (analyzer);
  FerryTable *table = ddl->table_schema && ddl->table_name
                      ? ferry_catalog_lookup (catalog, ddl->table_schema, ddl->table_name) : NULL;
  Work *work = g_new0 (Work, 1);

  work->kind = WORK_DDL;
  work->state = WORK_PENDING;
  work->table = table ? ferry_analyzer_get_unit (analyzer, table) : NULL;
  work->ddl = ddl;
  work->locks[0] = table;

  if (work->table == NULL)
    {
      /* The table went away or is not part of this migration:
       * restore at the end, with nothing to wait for. */
      work->table = g_ptr_array_index (order, 0);
    }

  if (work->ddl->ref_schema != NULL)
    {
      FerryTable *ref = ferry_catalog_lookup (catalog, work->ddl->ref_schema, work->ddl->ref_name);
      work->ref_table = ref ? ferry_analyzer_get_unit (analyzer, ref) : NULL;
      work->locks[1] = ref != table ? ref : NULL;
    }

  /* A post-data item waits for the data of the tables it needs (all of
   * them: none at all means none); a partition's, for its own chunks
   * only. */
  if (work->ddl->section != NULL)
    {
      work->wait_tables = g_ptr_array_new ();
      for (guint k = 0; work->ddl->wait_tables != NULL && work->ddl->wait_tables[k] != NULL &&
                        work->ddl->wait_tables[k + 1] != NULL; k += 2)
        {
          FerryTable *wait = ferry_catalog_lookup (catalog, work->ddl->wait_tables[k],
                                                   work->ddl->wait_tables[k + 1]);
          FerryTable *unit = wait ? ferry_analyzer_get_unit (analyzer, wait) : NULL;

          if (unit != NULL)
            {
              g_ptr_array_add (work->wait_tables, wait);
              g_ptr_array_add (work->wait_tables, unit);
            }
        }
    }

  if (ddl_builds_index (work))
    {
      TableRun *run = get_run (self, work->table);
      if (run != NULL)
        run->n_ddl_pending++;
    }
  return work;
}

static gboolean
build_work (FerryCoordinator  *self,
            PrepareResult     *prepared,
            GError           **error)
{
  GPtrArray *order = ferry_analyzer_get_order (ferry_validator_get_analyzer (self->validator));

  clear_run (self);
  self->work = g_ptr_array_new_with_free_func ((GDestroyNotify)work_free);
  self->validation = g_ptr_array_new ();

  /* A second run of the readiness checks reads both catalogs again, into
   * new FerryTable objects: the list must show the tables this run
   * updates, not those of initialize(). */
  if (!table_list_holds (self->tables, order))
    ferry_table_list_splice (self->tables, order);

  for (guint i = 0; i < order->len; i++)
    {
      TableRun *run = g_new0 (TableRun, 1);

      run->table = g_ptr_array_index (order, i);
      g_hash_table_insert (self->runs, run->table, run);
      ferry_table_set_status (run->table, FERRY_TABLE_STATUS_PENDING);
      ferry_table_set_attempts (run->table, 0);
      ferry_table_set_last_error (run->table, NULL);
      ferry_table_set_progress (run->table, 0, 0);
    }

  for (guint i = 0; i < prepared->chunks->len; i++)
    {
      Work *work = work_from_chunk (self, g_ptr_array_index (prepared->chunks, i), error);
      TableRun *run;

      if (work == NULL)
        return FALSE;

      run = get_run (self, work->table);
      if (run == NULL)
        {
          /* Planned then, excluded now: the journal's plan wins. */
          run = g_new0 (TableRun, 1);
          run->table = work->table;
          g_hash_table_insert (self->runs, run->table, run);
          ferry_table_list_append (self->tables, run->table);
        }

      g_ptr_array_add (self->work, work);
      run->n_chunks++;
      get_heap_run (self, work->heap)->n_chunks++;
      self->n_chunks_total++;
      /* What earlier runs went through shows, on resume too. */
      if (work->prior_attempts > ferry_table_get_attempts (work->table))
        ferry_table_set_attempts (work->table, work->prior_attempts);
      if (work->state == WORK_DONE || work->state == WORK_SKIPPED)
        {
          get_heap_run (self, work->heap)->n_done++;
          run->n_done++;
          self->n_chunks_done++;
          run->rows_committed += work->rows;
          run->bytes_committed += work->bytes;
          self->rows_resumed += work->rows;
          self->bytes_resumed += work->bytes;
        }
      if (work->state == WORK_SKIPPED)
        ferry_table_set_status (work->table, FERRY_TABLE_STATUS_SKIPPED);
    }

  /* Tables whose every chunk is already there. */
  {
    GHashTableIter iter;
    TableRun *run;

    g_hash_table_iter_init (&iter, self->runs);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&run))
      if (run->n_chunks > 0 && run->n_done == run->n_chunks)
        {
          run->complete = TRUE;
          g_hash_table_add (self->completed, run->table);
          if (ferry_table_get_status (run->table) != FERRY_TABLE_STATUS_SKIPPED)
            ferry_table_set_status (run->table, FERRY_TABLE_STATUS_COMPLETED);
        }
      else if (run->n_chunks == 0)
        {
          /* Not in the journal's plan. */
          ferry_table_set_status (run->table, FERRY_TABLE_STATUS_EXCLUDED);
        }
  }

  /* Largest tables first, each largest chunk first, so that the run
   * does not end on one long table while the other workers idle, and
   * the tables whose indexes and keys take longest to build are loaded
   * first, their chunks together: their deferred DDL then runs while
   * the smaller tables load. Stable: equal sizes keep the plan's order
   * (parents before children). The keep strategy's order is enforced
   * when a chunk is picked, not by its place here. */
  {
    g_autoptr(GArray) keyed = g_array_sized_new (FALSE, FALSE, sizeof (SortKey), self->work->len);
    g_autoptr(GHashTable) units = g_hash_table_new_full (NULL, NULL, NULL, g_free);

    for (guint i = 0; i < self->work->len; i++)
      {
        Work *work = g_ptr_array_index (self->work, i);
        SortKey *unit = g_hash_table_lookup (units, work->table);

        if (unit == NULL)
          {
            unit = g_new0 (SortKey, 1);
            unit->unit_position = i;
            g_hash_table_insert (units, work->table, unit);
          }
        if (work->state == WORK_PENDING)
          unit->unit_bytes += work->est_bytes;
      }
    for (guint i = 0; i < self->work->len; i++)
      {
        Work *work = g_ptr_array_index (self->work, i);
        SortKey *unit = g_hash_table_lookup (units, work->table);
        SortKey key = { work, i, unit->unit_bytes, unit->unit_position };
        g_array_append_val (keyed, key);
      }
    g_array_sort (keyed, compare_size_desc);
    for (guint i = 0; i < keyed->len; i++)
      self->work->pdata[i] = g_array_index (keyed, SortKey, i).work;
  }

  /* Deferred DDL waits for its tables. */
  {
    g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
    g_autoptr(GPtrArray) ddl_work = g_ptr_array_new ();

    for (guint i = 0; i < prepared->ddl->len; i++)
      {
        Work *work = work_from_ddl (self, g_steal_pointer ((FerryJournalDdl **)&prepared->ddl->pdata[i]));

        g_hash_table_insert (by_id, &work->ddl->ddl_id, work);
        g_ptr_array_add (ddl_work, work);
        g_ptr_array_add (self->work, work);
      }

    /* What each waits for, among the items not done yet. */
    for (guint i = 0; i < ddl_work->len; i++)
      {
        Work *work = g_ptr_array_index (ddl_work, i);

        for (guint k = 0; work->ddl->after != NULL && k < work->ddl->after->len; k++)
          {
            Work *other = g_hash_table_lookup (by_id, &g_array_index (work->ddl->after, gint64, k));

            if (other == NULL || other == work)
              continue;
            if (work->after == NULL)
              work->after = g_ptr_array_new ();
            g_ptr_array_add (work->after, other);
          }
      }
  }

  update_progress (self);
  return TRUE;
}

static void
prepare_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  g_autoptr(GError) error = NULL;
  PrepareResult *prepared;

  prepared = g_task_propagate_pointer (G_TASK (result), &error);

  if (prepared == NULL || !build_work (self, prepared, &error))
    {
      g_clear_pointer (&prepared, prepare_result_free);
      escalate (self, NULL, error);
      return;
    }
  prepare_result_free (prepared);

  /* Events of the prepare phase (a pause, say) that came before the
   * journal had the migration. */
  if (self->early_events != NULL)
    {
      g_autoptr(GPtrArray) early = g_steal_pointer (&self->early_events);

      while (early->len > 0)
        {
          EventData *data = g_ptr_array_steal_index (early, 0);

          data->migration_id = self->migration_id;
          ferry_coordinator_control_async (self, record_event_thread, data,
                                           (GDestroyNotify)event_data_free, NULL, NULL);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIGRATION_ID]);
  set_phase (self, "data");
  schedule (self);
}

static gboolean
poll_requests (gpointer user_data);

/**
 * ferry_coordinator_start:
 *
 * READY (or STOPPED) → RUNNING. A new migration is recorded in the
 * journal with its plan; an unfinished one found by initialize() is
 * resumed: only the chunks the journal does not have are copied, and
 * the constraints it dropped are restored at the end.
 */
gboolean
ferry_coordinator_start (FerryCoordinator  *self,
                         GError           **error)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);

  if (!check_state (self, FERRY_STATE_RUNNING, _("start"), error))
    return FALSE;
  if (self->state != FERRY_STATE_READY && self->state != FERRY_STATE_STOPPED)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
                   _("Cannot start the migration: it is %s (use resume)"),
                   ferry_state_to_string (self->state));
      return FALSE;
    }
  if (self->n_running > 0)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("Cannot start the migration: chunks of the previous run are still stopping"));
      return FALSE;
    }

  if (self->pool == NULL)
    {
      self->pool = g_thread_pool_new (work_thread, NULL, worker_limit (self), FALSE, error);
      if (self->pool == NULL)
        return FALSE;
    }

  /* The readiness checks are done: their connections would count
   * against connection_pool_size for the whole run. The validator opens
   * them again if it is asked to check once more. */
  if (self->readiness_running == 0 && self->validator != NULL)
    {
      if (ferry_validator_get_source (self->validator) != NULL)
        ferry_connection_close (ferry_validator_get_source (self->validator));
      if (ferry_validator_get_target (self->validator) != NULL)
        ferry_connection_close (ferry_validator_get_target (self->validator));
    }

  self->pause_requested = FALSE;
  self->stop_requested = FALSE;
  g_atomic_int_set (&self->stop_from_journal, 0);
  self->abort_requested = FALSE;
  self->hold_until = 0;
  self->outage_failures = 0;
  self->started_at = g_get_real_time ();
  set_last_error (self, NULL);
  set_state (self, FERRY_STATE_RUNNING);
  set_phase (self, "prepare");
  if (worker_limit (self) < ferry_config_get_max_parallel (self->config))
    {
      g_autofree char *detail =
        g_strdup_printf (_("connection_pool_size %u leaves room for %u workers, not max_parallel %u: "
                           "on the source Ferry also holds the control connection and the snapshot’s"),
                         ferry_config_get_connection_pool_size (self->config), worker_limit (self),
                         ferry_config_get_max_parallel (self->config));
      ferry_coordinator_record_event (self, "pool-limit", detail);
    }

  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (250, tick, self);
  if (self->request_poll_id == 0)
    self->request_poll_id = g_timeout_add_seconds (1, poll_requests, self);
  ferry_monitor_start (self->monitor);

  /* The start's own events go to the journal with the new migration. */
  if (self->early_events == NULL)
    self->early_events = g_ptr_array_new_with_free_func ((GDestroyNotify)event_data_free);
  ferry_coordinator_control_async (self, ferry_job_prepare, g_steal_pointer (&self->early_events),
                                   (GDestroyNotify)g_ptr_array_unref, prepare_done, NULL);
  return TRUE;
}

/* The end of the run */

static void
finish_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->finishing = FALSE;
      /* Stopped between two pieces of the large objects: what was
       * committed is in the journal; a later run goes on from there.
       * A stop asked through the journal was taken by the job itself,
       * which holds the control thread that polls for requests. */
      if (self->stop_requested)
        start_release (self, FERRY_STATE_STOPPED);
      else if (g_atomic_int_get (&self->stop_from_journal))
        ferry_coordinator_stop (self, NULL);
      else
        escalate (self, NULL, error);
      return;
    }

  /* After sequences and post-data: the validation, if configured. */
  if (ferry_config_get_validation (self->config) != FERRY_VALIDATION_MODE_NONE && !self->validating)
    {
      FerryPlan *plan = ferry_validator_get_plan (self->validator);
      gboolean checksums = ferry_config_get_validation (self->config) == FERRY_VALIDATION_MODE_CHECKSUMS;
      GHashTableIter iter;
      TableRun *run;
      g_autoptr(GPtrArray) units = g_ptr_array_new ();

      self->validating = TRUE;
      self->finishing = FALSE;
      set_phase (self, "validation");

      g_hash_table_iter_init (&iter, self->runs);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&run))
        if (run->n_chunks > 0 && ferry_table_get_status (run->table) == FERRY_TABLE_STATUS_COMPLETED)
          g_ptr_array_add (units, run->table);

      for (guint u = 0; u < units->len; u++)
        {
          FerryTable *unit = g_ptr_array_index (units, u);
          GPtrArray *heaps = ferry_table_get_kind (unit) == FERRY_TABLE_KIND_PARTITIONED
                             ? ferry_table_get_partitions (unit) : NULL;
          guint n_heaps = heaps ? heaps->len : 1;

          for (guint h = 0; h < n_heaps; h++)
            {
              FerryTable *heap = heaps ? g_ptr_array_index (heaps, h) : unit;
              gboolean by_chunk = FALSE;

              /* Checksums per key-range chunk where the plan has them: a
               * mismatch then points at a range of keys. */
              if (checksums)
                for (guint w = 0; w < self->work->len; w++)
                  {
                    Work *chunk = g_ptr_array_index (self->work, w);

                    if (chunk->kind == WORK_CHUNK && chunk->heap == heap &&
                        chunk->state == WORK_DONE && chunk->chunk_kind == FERRY_CHUNK_KIND_KEY_RANGE)
                      {
                        Work *v = g_new0 (Work, 1);
                        v->kind = WORK_VALIDATE;
                        v->state = WORK_PENDING;
                        v->table = unit;
                        v->heap = heap;
                        v->number = chunk->number;
                        v->chunk_kind = chunk->chunk_kind;
                        v->predicate = g_strdup (chunk->predicate);
                        v->part = g_strdup_printf ("chunk %u", chunk->number);
                        g_ptr_array_add (self->work, v);
                        by_chunk = TRUE;
                      }
                  }

              if (!by_chunk)
                {
                  Work *v = g_new0 (Work, 1);
                  v->kind = WORK_VALIDATE;
                  v->state = WORK_PENDING;
                  v->table = unit;
                  v->heap = heap;
                  v->predicate = g_strdup ("true");
                  v->part = heap == unit ? g_strdup ("table")
                                         : g_strdup_printf ("partition %s", ferry_table_get_display_name (heap));
                  g_ptr_array_add (self->work, v);
                }
            }
        }

      (void)plan;
      schedule (self);
      return;
    }

  start_release (self, FERRY_STATE_COMPLETED);
}

static void
start_finish (FerryCoordinator *self)
{
  if (self->validating)
    {
      /* Validation done. */
      start_release (self, FERRY_STATE_COMPLETED);
      return;
    }

  self->finishing = TRUE;
  set_phase (self, "sequences");
  ferry_coordinator_control_async (self, ferry_job_finish, NULL, NULL, finish_done, NULL);
}

static guint
count_mismatches (FerryCoordinator *self)
{
  guint n = 0;

  if (self->validation != NULL)
    for (guint i = 0; i < self->validation->len; i++)
      {
        Work *v = g_ptr_array_index (self->validation, i);
        if (!v->matches)
          n++;
      }
  return n;
}

static void
release_data_free (ReleaseData *data)
{
  g_free (data->journal_state);
  g_free (data);
}

static void
release_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  ReleaseData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  FerryState state = data->state;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not close the run cleanly: %s", error->message);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->request_poll_id, g_source_remove);
  update_progress (self);
  ferry_monitor_sample (self->monitor);
  ferry_monitor_stop (self->monitor);

  self->finishing = FALSE;
  self->stop_requested = FALSE;
  g_atomic_int_set (&self->stop_from_journal, 0);
  self->pause_requested = FALSE;

  if (state == FERRY_STATE_COMPLETED && count_mismatches (self) > 0)
    {
      g_autoptr(GError) mismatch = NULL;
      guint n = count_mismatches (self);

      g_set_error (&mismatch, FERRY_ERROR, FERRY_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The validation found %u difference between the source and the target",
                                "The validation found %u differences between the source and the target", n),
                   n);
      set_last_error (self, mismatch);
      set_state (self, FERRY_STATE_ERROR);
      g_signal_emit (self, signals[ESCALATED], 0, mismatch);
      return;
    }

  if (state == FERRY_STATE_COMPLETED)
    set_phase (self, "done");
  set_state (self, state);
}

static void
start_release (FerryCoordinator *self,
               FerryState        state)
{
  ReleaseData *data;

  if (self->finishing && state != FERRY_STATE_COMPLETED)
    return;
  self->finishing = TRUE;

  data = g_new0 (ReleaseData, 1);
  data->state = state;
  if (state == FERRY_STATE_COMPLETED)
    data->journal_state = g_strdup (count_mismatches (self) > 0 ? "error" : "completed");
  else if (self->abort_requested)
    data->journal_state = g_strdup ("aborted");
  else
    data->journal_state = g_strdup (ferry_enum_to_nick (FERRY_TYPE_STATE, state));

  ferry_coordinator_control_async (self, self->abort_requested ? ferry_job_abort_restore : ferry_job_release,
                                   data, (GDestroyNotify)release_data_free, release_done, NULL);
}

/* pause, resume, stop */

gboolean
ferry_coordinator_pause (FerryCoordinator  *self,
                         GError           **error)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);

  if (self->state != FERRY_STATE_RUNNING || self->pause_requested)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
                   self->pause_requested ? _("The migration is already pausing")
                                         : _("Cannot pause the migration: it is %s"),
                   ferry_state_to_string (self->state));
      return FALSE;
    }
  if (self->finishing)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("Cannot pause the migration while it restores sequences and indexes"));
      return FALSE;
    }

  self->pause_requested = TRUE;
  ferry_coordinator_record_event (self, "pause", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);

  /* Running chunks finish; PAUSED when the last one is done. */
  if (self->n_running == 0)
    maybe_finish_phase (self);

  return TRUE;
}

gboolean
ferry_coordinator_resume (FerryCoordinator  *self,
                          GError           **error)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);

  if (self->state == FERRY_STATE_RUNNING && self->pause_requested)
    {
      /* Not paused yet: just keep going. */
      self->pause_requested = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);
      ferry_coordinator_record_event (self, "resume", NULL);
      schedule (self);
      return TRUE;
    }

  if (self->state != FERRY_STATE_PAUSED && self->state != FERRY_STATE_ERROR)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
                   _("Cannot resume the migration: it is %s"), ferry_state_to_string (self->state));
      return FALSE;
    }
  if (self->work == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("Cannot resume: the migration never started; start it instead"));
      return FALSE;
    }

  self->pause_requested = FALSE;
  set_last_error (self, NULL);
  ferry_coordinator_record_event (self, "resume", NULL);
  set_state (self, FERRY_STATE_RUNNING);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSING]);

  /* Escalated chunks try again now. */
  self->hold_until = 0;
  self->outage_failures = 0;
  for (guint i = 0; i < self->work->len; i++)
    {
      Work *work = g_ptr_array_index (self->work, i);
      if (work->state == WORK_PENDING)
        work->not_before = 0;
    }

  if (self->finishing && self->n_running == 0)
    {
      /* The escalation came from the final phase: run it again. */
      self->finishing = FALSE;
    }

  schedule (self);
  return TRUE;
}

/**
 * ferry_coordinator_stop:
 *
 * Cancels the running COPYs (they roll back: nothing half-copied is
 * left), and STOPPED when they have ended. A later start() resumes from
 * the journal.
 */
gboolean
ferry_coordinator_stop (FerryCoordinator  *self,
                        GError           **error)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);

  if (!check_state (self, FERRY_STATE_STOPPED, _("stop"), error))
    return FALSE;
  if (self->stop_requested)
    return TRUE;

  self->stop_requested = TRUE;
  ferry_coordinator_record_event (self, self->abort_requested ? "abort" : "stop", NULL);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      if (g_ptr_array_find (self->idle_slots, slot, NULL))
        continue;
      ferry_connection_cancel (slot->source);
      ferry_connection_cancel (slot->target);
    }

  if (self->n_running == 0 && !self->finishing)
    start_release (self, FERRY_STATE_STOPPED);

  return TRUE;
}

/* handle_error */

static void
truncate_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  ResolveData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  TableRun *run = get_run (self, data->table);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      ferry_table_set_last_error (data->table, error->message);
      g_signal_emit (self, signals[TABLE_FAILED], 0, data->table, error, FERRY_ERROR_CLASS_CRITICAL);
      return;
    }

  /* Every chunk of the table again. */
  if (run != NULL)
    {
      g_hash_table_remove (self->completed, data->table);
      run->complete = FALSE;
      run->n_done = 0;
      run->rows_committed = run->bytes_committed = 0;
    }
  for (guint i = 0; i < self->work->len; i++)
    {
      Work *work = g_ptr_array_index (self->work, i);

      /* Its deferred DDL that failed is tried again after the load. */
      if (work->table == data->table && work->kind == WORK_DDL && work->state == WORK_FAILED)
        {
          work->state = WORK_PENDING;
          work->attempts = 0;
          work->not_before = 0;
        }
      if (work->table != data->table || work->kind != WORK_CHUNK || work->state == WORK_SKIPPED)
        continue;
      if (work->state == WORK_DONE)
        {
          self->n_chunks_done--;
          get_heap_run (self, work->heap)->n_done--;
        }
      work->state = WORK_PENDING;
      work->attempts = 0;
      work->not_before = 0;
      work->rows = work->bytes = 0;
    }
  /* The triggers the truncate disabled come back once it is loaded. */
  if (data->triggers != NULL)
    g_ptr_array_add (self->work, work_from_ddl (self, g_steal_pointer (&data->triggers)));

  ferry_table_set_status (data->table, FERRY_TABLE_STATUS_PENDING);
  ferry_table_set_progress (data->table, 0, 0);
  update_progress (self);

  if (self->state == FERRY_STATE_ERROR &&
      ferry_table_list_count_status (self->tables, FERRY_TABLE_STATUS_FAILED) == 0)
    {
      set_last_error (self, NULL);
      set_state (self, FERRY_STATE_RUNNING);
    }
  schedule (self);
}

/* Skipping a table whose index, key or constraint could not be put
 * back leaves that item out, and what waits for it (a foreign key on
 * the key), each said in the audit trail; the journal keeps them as not
 * restored, so the report lists them and a later run tries again. Its
 * other items still run. */
static void
skip_failed_ddl (FerryCoordinator *self,
                 FerryTable       *table)
{
  gboolean changed;

  for (guint i = 0; i < self->work->len; i++)
    {
      Work *work = g_ptr_array_index (self->work, i);

      if (work->kind == WORK_DDL && work->table == table && work->state == WORK_FAILED)
        {
          g_autofree char *detail = g_strdup_printf ("%s %s", work->ddl->kind, work->ddl->object_name);

          work->state = WORK_SKIPPED;
          ferry_coordinator_record_event (self, "ddl-skipped", detail);
        }
    }

  do
    {
      changed = FALSE;
      for (guint i = 0; i < self->work->len; i++)
        {
          Work *work = g_ptr_array_index (self->work, i);

          if (work->kind != WORK_DDL || work->after == NULL ||
              (work->state != WORK_PENDING && work->state != WORK_FAILED))
            continue;
          for (guint k = 0; k < work->after->len; k++)
            if (((Work *)g_ptr_array_index (work->after, k))->state == WORK_SKIPPED)
              {
                g_autofree char *detail = g_strdup_printf ("%s %s", work->ddl->kind, work->ddl->object_name);

                work->state = WORK_SKIPPED;
                ferry_coordinator_record_event (self, "ddl-skipped", detail);
                changed = TRUE;
                break;
              }
        }
    }
  while (changed);
}

/**
 * ferry_coordinator_handle_error:
 * @table: a table that failed
 * @resolution: what to do
 *
 * Applies the user's resolution: RETRY the table's failed chunks; SKIP
 * the table (its chunks are marked skipped in the journal; what was
 * already copied stays); TRUNCATE_RETRY: empty the target table and the
 * journal's record of it in one transaction, then copy it all again;
 * ABORT the migration (dropped constraints and indexes are put back,
 * nothing copied is removed). Recorded in the audit trail.
 */
gboolean
ferry_coordinator_handle_error (FerryCoordinator  *self,
                                FerryTable        *table,
                                FerryResolution    resolution,
                                GError           **error)
{
  TableRun *run;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);
  g_return_val_if_fail (FERRY_IS_TABLE (table), FALSE);

  if (self->work == NULL)
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_STATE,
                           _("There is no running migration to resolve an error in"));
      return FALSE;
    }

  run = get_run (self, table);
  if (run == NULL)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND,
                   _("%s is not part of this migration"), ferry_table_get_display_name (table));
      return FALSE;
    }

  if (resolution != FERRY_RESOLUTION_ABORT &&
      ferry_table_get_status (table) != FERRY_TABLE_STATUS_FAILED)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
                   _("%s has not failed (it is %s)"), ferry_table_get_display_name (table),
                   ferry_table_status_to_string (ferry_table_get_status (table)));
      return FALSE;
    }

  if (resolution == FERRY_RESOLUTION_TRUNCATE_RETRY && run->n_running > 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_STATE,
                   _("Chunks of %s are still running; try again when they have finished"),
                   ferry_table_get_display_name (table));
      return FALSE;
    }

  detail = g_strdup_printf ("%s: %s", ferry_table_get_display_name (table),
                            ferry_enum_to_nick (FERRY_TYPE_RESOLUTION, resolution));
  ferry_coordinator_record_event (self, "resolve", detail);

  switch (resolution)
    {
    case FERRY_RESOLUTION_RETRY:
      for (guint i = 0; i < self->work->len; i++)
        {
          Work *work = g_ptr_array_index (self->work, i);
          if (work->table == table && work->state == WORK_FAILED)
            {
              work->state = WORK_PENDING;
              work->attempts = 0;
              work->not_before = 0;
            }
        }
      g_clear_error (&run->error);
      ferry_table_set_status (table, FERRY_TABLE_STATUS_PENDING);
      ferry_table_set_last_error (table, NULL);
      if (self->state == FERRY_STATE_ERROR &&
          ferry_table_list_count_status (self->tables, FERRY_TABLE_STATUS_FAILED) == 0)
        {
          set_last_error (self, NULL);
          set_state (self, FERRY_STATE_RUNNING);
        }
      schedule (self);
      return TRUE;

    case FERRY_RESOLUTION_SKIP:
      {
        ResolveData *data = g_new0 (ResolveData, 1);

        for (guint i = 0; i < self->work->len; i++)
          {
            Work *work = g_ptr_array_index (self->work, i);
            if (work->table == table && work->kind == WORK_CHUNK &&
                (work->state == WORK_FAILED || work->state == WORK_PENDING))
              {
                work->state = WORK_SKIPPED;
                run->n_done++;
                get_heap_run (self, work->heap)->n_done++;
                self->n_chunks_done++;
              }
          }
        skip_failed_ddl (self, table);
        ferry_table_set_status (table, FERRY_TABLE_STATUS_SKIPPED);
        /* Children may go on: what they reference is the user's call. */
        run->complete = TRUE;
        g_hash_table_add (self->completed, table);

        data->table = table;
        data->resolution = resolution;
        ferry_coordinator_control_async (self, ferry_job_skip, data, (GDestroyNotify)ferry_resolve_data_free,
                                         NULL, NULL);

        if (self->state == FERRY_STATE_ERROR &&
            ferry_table_list_count_status (self->tables, FERRY_TABLE_STATUS_FAILED) == 0)
          {
            set_last_error (self, NULL);
            set_state (self, FERRY_STATE_RUNNING);
          }
        schedule (self);
        return TRUE;
      }

    case FERRY_RESOLUTION_TRUNCATE_RETRY:
      {
        ResolveData *data = g_new0 (ResolveData, 1);

        data->table = table;
        data->resolution = resolution;
        ferry_table_set_last_error (table, _("Truncating the target table…"));
        ferry_coordinator_control_async (self, ferry_job_truncate, data, (GDestroyNotify)ferry_resolve_data_free,
                                         truncate_done, NULL);
        return TRUE;
      }

    case FERRY_RESOLUTION_ABORT:
      self->abort_requested = TRUE;
      if (self->state == FERRY_STATE_STOPPED)
        {
          start_release (self, FERRY_STATE_STOPPED);
          return TRUE;
        }
      return ferry_coordinator_stop (self, error);

    default:
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_FAILED, _("Unknown resolution"));
      return FALSE;
    }
}

/* Requests through the journal (ferry-cli pause/resume/stop) */

static void
take_request_thread (FerryCoordinator *self,
                     GTask            *task)
{
  g_autoptr(GError) error = NULL;
  char *request = NULL;

  if (self->journal != NULL && self->migration_id > 0 &&
      ferry_coordinator_ensure_control (self, &error))
    request = ferry_journal_take_request (self->journal, self->migration_id, &error);

  if (error != NULL)
    g_debug ("Polling the journal: %s", error->message);

  g_task_return_pointer (task, request, g_free);
}

static void
take_request_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FerryCoordinator *self = FERRY_COORDINATOR (object);
  g_autofree char *request = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (request == NULL)
    return;

  ferry_coordinator_record_event (self, "request", request);

  if (g_str_equal (request, "pause"))
    ok = ferry_coordinator_pause (self, &error);
  else if (g_str_equal (request, "resume"))
    ok = ferry_coordinator_resume (self, &error);
  else if (g_str_equal (request, "stop"))
    ok = ferry_coordinator_stop (self, &error);
  else if (g_str_has_prefix (request, "resolve "))
    {
      /* "resolve RESOLUTION TABLE", from ferry-cli resolve */
      g_auto(GStrv) parts = g_strsplit (request, " ", 3);
      FerryCatalog *catalog = self->validator ? ferry_validator_get_source_catalog (self->validator) : NULL;
      FerryTable *table = catalog && parts[1] && parts[2] ? ferry_catalog_find (catalog, parts[2]) : NULL;
      int resolution;

      if (table == NULL || !ferry_enum_from_nick (FERRY_TYPE_RESOLUTION, parts[1], &resolution))
        {
          ok = FALSE;
          g_set_error (&error, FERRY_ERROR, FERRY_ERROR_NOT_FOUND, _("Cannot apply “%s”"), request);
        }
      else
        ok = ferry_coordinator_handle_error (self, table, resolution, &error);
    }

  if (!ok)
    ferry_coordinator_record_event (self, "request-refused", error->message);
}

static gboolean
poll_requests (gpointer user_data)
{
  FerryCoordinator *self = user_data;

  if (self->migration_id > 0)
    ferry_coordinator_control_async (self, take_request_thread, NULL, NULL, take_request_done, NULL);
  return G_SOURCE_CONTINUE;
}

/* Accessors */

FerryState
ferry_coordinator_get_state (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FERRY_STATE_ERROR);
  return self->state;
}

gboolean
ferry_coordinator_is_pausing (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);
  return self->state == FERRY_STATE_RUNNING && self->pause_requested;
}

FerryConfig *
ferry_coordinator_get_config (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->config;
}

FerryValidator *
ferry_coordinator_get_validator (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->validator;
}

FerryPlan *
ferry_coordinator_get_plan (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->validator ? ferry_validator_get_plan (self->validator) : NULL;
}

FerryTableList *
ferry_coordinator_get_tables (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->tables;
}

FerryJournal *
ferry_coordinator_get_journal (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->journal;
}

FerryErrorHandler *
ferry_coordinator_get_error_handler (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->errors;
}

FerryMonitor *
ferry_coordinator_get_monitor (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->monitor;
}

gint64
ferry_coordinator_get_migration_id (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->migration_id;
}

gboolean
ferry_coordinator_get_resuming (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FALSE);
  return self->resuming;
}

const char *
ferry_coordinator_get_phase (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->phase;
}

GError *
ferry_coordinator_get_last_error (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return self->last_error;
}

guint64
ferry_coordinator_get_rows_done (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->rows_done;
}

guint64
ferry_coordinator_get_bytes_done (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->bytes_done;
}

/**
 * ferry_coordinator_get_rows_resumed:
 *
 * Rows that runs before this one had committed: a resumed migration
 * counts them as done, but they were not copied in this run's time.
 */
guint64
ferry_coordinator_get_rows_resumed (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->rows_resumed;
}

guint64
ferry_coordinator_get_bytes_resumed (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->bytes_resumed;
}

/**
 * ferry_coordinator_get_average_bytes_per_second:
 * @elapsed: seconds this run has taken
 *
 * The bytes this run copied (not those resumed from earlier runs) over
 * @elapsed.
 */
double
ferry_coordinator_get_average_bytes_per_second (FerryCoordinator *self,
                                                double            elapsed)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);

  return ferry_average_rate (self->bytes_done, self->bytes_resumed, elapsed);
}

/* The totals: estimates from the plan (bytes are COPY bytes once
 * copied, heap bytes before, which is close enough for a percentage). */
guint64
ferry_coordinator_get_bytes_total (FerryCoordinator *self)
{
  guint64 total = 0;

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);

  if (self->work == NULL)
    return ferry_table_list_get_total_bytes (self->tables);

  for (guint i = 0; i < self->work->len; i++)
    {
      Work *work = g_ptr_array_index (self->work, i);
      if (work->kind == WORK_CHUNK && work->state != WORK_SKIPPED)
        total += work->state == WORK_DONE ? work->bytes : work->est_bytes;
    }
  return MAX (total, self->bytes_done);
}

gint64
ferry_coordinator_get_rows_total (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return MAX (ferry_table_list_get_total_rows (self->tables), (gint64)self->rows_done);
}

double
ferry_coordinator_get_fraction (FerryCoordinator *self)
{
  guint64 total;

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0.0);

  if (self->state == FERRY_STATE_COMPLETED)
    return 1.0;
  total = ferry_coordinator_get_bytes_total (self);
  if (total == 0)
    return self->n_chunks_total > 0 ? (double)self->n_chunks_done / self->n_chunks_total : 0.0;
  return CLAMP ((double)self->bytes_done / (double)total, 0.0, 1.0);
}

guint
ferry_coordinator_get_n_running (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->n_running;
}

guint
ferry_coordinator_get_chunks_done (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->n_chunks_done;
}

guint
ferry_coordinator_get_chunks_total (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), 0);
  return self->n_chunks_total;
}

/**
 * ferry_coordinator_status:
 *
 * The specification's status(): state, progress, totals, tables by
 * status, throughput, ETA, errors by class and the running chunks.
 */
JsonNode *
ferry_coordinator_status (FerryCoordinator *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "migration_id");
  json_builder_add_int_value (b, self->migration_id);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, ferry_enum_to_nick (FERRY_TYPE_STATE, self->state));
  json_builder_set_member_name (b, "pausing");
  json_builder_add_boolean_value (b, ferry_coordinator_is_pausing (self));
  json_builder_set_member_name (b, "phase");
  json_builder_add_string_value (b, self->phase);
  json_builder_set_member_name (b, "percent");
  json_builder_add_double_value (b, 100.0 * ferry_coordinator_get_fraction (self));
  json_builder_set_member_name (b, "rows_done");
  json_builder_add_int_value (b, self->rows_done);
  json_builder_set_member_name (b, "rows_total");
  json_builder_add_int_value (b, ferry_coordinator_get_rows_total (self));
  json_builder_set_member_name (b, "bytes_done");
  json_builder_add_int_value (b, self->bytes_done);
  json_builder_set_member_name (b, "bytes_total");
  json_builder_add_int_value (b, ferry_coordinator_get_bytes_total (self));
  json_builder_set_member_name (b, "rows_resumed");
  json_builder_add_int_value (b, self->rows_resumed);
  json_builder_set_member_name (b, "bytes_resumed");
  json_builder_add_int_value (b, self->bytes_resumed);
  json_builder_set_member_name (b, "chunks_done");
  json_builder_add_int_value (b, self->n_chunks_done);
  json_builder_set_member_name (b, "chunks_total");
  json_builder_add_int_value (b, self->n_chunks_total);
  json_builder_set_member_name (b, "rows_per_second");
  json_builder_add_double_value (b, ferry_monitor_get_rows_per_second (self->monitor));
  json_builder_set_member_name (b, "bytes_per_second");
  json_builder_add_double_value (b, ferry_monitor_get_bytes_per_second (self->monitor));
  json_builder_set_member_name (b, "eta_seconds");
  if (ferry_monitor_get_eta_seconds (self->monitor) >= 0)
    json_builder_add_double_value (b, ferry_monitor_get_eta_seconds (self->monitor));
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "tables");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, g_list_model_get_n_items (G_LIST_MODEL (self->tables)));
  for (guint s = 0; s < FERRY_TABLE_STATUS_LAST; s++)
    {
      json_builder_set_member_name (b, ferry_enum_to_nick (FERRY_TYPE_TABLE_STATUS, s));
      json_builder_add_int_value (b, ferry_table_list_count_status (self->tables, s));
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "errors");
  json_builder_begin_object (b);
  for (guint c = 0; c < FERRY_ERROR_CLASS_LAST; c++)
    {
      json_builder_set_member_name (b, ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, c));
      json_builder_add_int_value (b, ferry_error_handler_get_count (self->errors, c));
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "last_error");
  if (self->last_error != NULL)
    json_builder_add_string_value (b, self->last_error->message);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "running");
  json_builder_begin_array (b);
  if (self->work != NULL)
    for (guint i = 0; i < self->work->len; i++)
      {
        Work *work = g_ptr_array_index (self->work, i);

        if (work->state != WORK_RUNNING)
          continue;
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "kind");
        json_builder_add_string_value (b, work->kind == WORK_CHUNK ? "chunk"
                                         : work->kind == WORK_DDL ? "ddl" : "validate");
        json_builder_set_member_name (b, "table");
        json_builder_add_string_value (b, ferry_table_get_display_name (work->table));
        if (work->kind == WORK_DDL)
          {
            g_autofree char *object = g_strdup_printf ("%s %s", work->ddl->kind,
                                                       work->ddl->object_name ? work->ddl->object_name : "");
            json_builder_set_member_name (b, "object");
            json_builder_add_string_value (b, object);
          }
        json_builder_set_member_name (b, "chunk");
        json_builder_add_int_value (b, work->number);
        json_builder_set_member_name (b, "rows");
        json_builder_add_int_value (b, __atomic_load_n (&work->live.rows, __ATOMIC_RELAXED));
        json_builder_set_member_name (b, "bytes");
        json_builder_add_int_value (b, __atomic_load_n (&work->live.bytes, __ATOMIC_RELAXED));
        json_builder_end_object (b);
      }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "failed_tables");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tables)); i++)
    {
      FerryTable *table = ferry_table_list_get_table (self->tables, i);
      TableRun *run = get_run (self, table);

      if (ferry_table_get_status (table) != FERRY_TABLE_STATUS_FAILED)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "table");
      json_builder_add_string_value (b, ferry_table_get_display_name (table));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, ferry_table_get_last_error (table));
      if (run != NULL && run->error != NULL)
        {
          json_builder_set_member_name (b, "class");
          json_builder_add_string_value (b, ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, run->error_class));
          json_builder_set_member_name (b, "sqlstate");
          json_builder_add_string_value (b, error_sqlstate (run->error));
          json_builder_set_member_name (b, "detail");
          json_builder_add_string_value (b, error_detail (run->error));
          json_builder_set_member_name (b, "hint");
          json_builder_add_string_value (b, error_hint (run->error));
          json_builder_set_member_name (b, "chunk");
          json_builder_add_int_value (b, run->failed_work ? run->failed_work->number : 0);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
ferry_coordinator_health (FerryCoordinator *self)
{
  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);
  return ferry_monitor_get_health (self->monitor);
}

JsonNode *
ferry_coordinator_get_validation (FerryCoordinator *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), NULL);

  json_builder_begin_array (b);
  if (self->validation != NULL)
    for (guint i = 0; i < self->validation->len; i++)
      {
        Work *v = g_ptr_array_index (self->validation, i);

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "table");
        json_builder_add_string_value (b, ferry_table_get_display_name (v->table));
        json_builder_set_member_name (b, "part");
        json_builder_add_string_value (b, v->part);
        json_builder_set_member_name (b, "source_rows");
        json_builder_add_int_value (b, v->source_rows);
        json_builder_set_member_name (b, "target_rows");
        json_builder_add_int_value (b, v->target_rows);
        json_builder_set_member_name (b, "source_checksum");
        json_builder_add_string_value (b, v->source_checksum);
        json_builder_set_member_name (b, "target_checksum");
        json_builder_add_string_value (b, v->target_checksum);
        json_builder_set_member_name (b, "matches");
        json_builder_add_boolean_value (b, v->matches);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static void
on_state_changed_quit (FerryCoordinator *self,
                       FerryState        old_state,
                       FerryState        new_state,
                       GMainLoop        *loop)
{
  if (new_state != FERRY_STATE_RUNNING && new_state != FERRY_STATE_INITIALIZING)
    g_main_loop_quit (loop);
}

static void
flush_thread (FerryCoordinator *self,
              GTask            *task)
{
  g_task_return_boolean (task, TRUE);
}

static void
flush_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *flushed = user_data;

  *flushed = TRUE;
}

/**
 * ferry_coordinator_run_until_idle:
 *
 * Also waits for the control thread to write what is queued for the
 * journal (the last events, the final state): a program may exit as
 * soon as this returns without losing a line of the audit trail.
 */
FerryState
ferry_coordinator_run_until_idle (FerryCoordinator *self)
{
  GMainContext *context;

  g_return_val_if_fail (FERRY_IS_COORDINATOR (self), FERRY_STATE_ERROR);

  context = g_main_context_get_thread_default ();

  for (;;)
    {
      gboolean flushed = FALSE;

      if (self->state == FERRY_STATE_RUNNING)
        {
          g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
          gulong handler = g_signal_connect (self, "state-changed", G_CALLBACK (on_state_changed_quit), loop);

          g_main_loop_run (loop);
          g_signal_handler_disconnect (self, handler);
        }

      ferry_coordinator_control_async (self, flush_thread, NULL, NULL, flush_done, &flushed);
      while (!flushed)
        g_main_context_iteration (context, TRUE);

      /* A request taken meanwhile (a resume) may have set it going again. */
      if (self->state != FERRY_STATE_RUNNING)
        return self->state;
    }
}
