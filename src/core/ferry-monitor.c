/* ferry-monitor.c — Monitoring & Reporting: the live figures of a run
 *
 * Samples the coordinator's own counters at least once a second (cheap,
 * on the main thread) into a time series the dashboard charts, smooths
 * rows/s and bytes/s, estimates the time left, and every
 * interval_seconds probes both servers on the coordinator's control
 * thread: reachability, latency, connections, replay lag, and the
 * COPYs in flight from pg_stat_progress_copy on the target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-monitor"

#include "config.h"

#include "ferry-coordinator-private.h"
#include "ferry-enum-types.h"
#include "ferry-monitor.h"

/* Keep about two hours at one sample a second, then thin out. */
#define MAX_SAMPLES 7200
/* Smoothing of the rates: about the last ten seconds matter. */
#define RATE_ALPHA 0.2

struct _FerryMonitor
{
  GObject           parent_instance;

  FerryCoordinator *coordinator;   /* weak: the coordinator owns us */
  GArray           *samples;       /* FerrySample */
  guint             sample_id;
  guint             probe_id;
  gint64            started_at;
  double            rows_per_second;
  guint64           resumed_rows;     /* of the coordinator, at the last sample */
  guint64           resumed_bytes;
  double            bytes_per_second;
  JsonNode         *health;
  gboolean          probing;
};

G_DEFINE_FINAL_TYPE (FerryMonitor, ferry_monitor, G_TYPE_OBJECT)

enum {
  SAMPLED,
  HEALTH_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
ferry_monitor_dispose (GObject *object)
{
  FerryMonitor *self = (FerryMonitor *)object;

  ferry_monitor_stop (self);

  G_OBJECT_CLASS (ferry_monitor_parent_class)->dispose (object);
}

static void
ferry_monitor_finalize (GObject *object)
{
  FerryMonitor *self = (FerryMonitor *)object;

  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->health, json_node_unref);

  G_OBJECT_CLASS (ferry_monitor_parent_class)->finalize (object);
}

static void
ferry_monitor_class_init (FerryMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_monitor_dispose;
  object_class->finalize = ferry_monitor_finalize;

  /**
   * FerryMonitor::sampled:
   *
   * A new point in the time series (at least once a second while the
   * migration runs).
   */
  signals[SAMPLED] =
    g_signal_new ("sampled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * FerryMonitor::health-changed:
   *
   * A new probe of both servers (every interval_seconds).
   */
  signals[HEALTH_CHANGED] =
    g_signal_new ("health-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ferry_monitor_init (FerryMonitor *self)
{
  self->samples = g_array_new (FALSE, TRUE, sizeof (FerrySample));
}

FerryMonitor *
ferry_monitor_new (FerryCoordinator *coordinator)
{
  FerryMonitor *self = g_object_new (FERRY_TYPE_MONITOR, NULL);

  self->coordinator = coordinator;
  return self;
}

/* Halves the resolution of the older half of the series. */
static void
thin_out (FerryMonitor *self)
{
  guint half = self->samples->len / 2;
  guint out = 0;

  for (guint i = 0; i < half; i += 2)
    g_array_index (self->samples, FerrySample, out++) = g_array_index (self->samples, FerrySample, i);
  for (guint i = half; i < self->samples->len; i++)
    g_array_index (self->samples, FerrySample, out++) = g_array_index (self->samples, FerrySample, i);
  g_array_set_size (self->samples, out);
}

void
ferry_monitor_sample (FerryMonitor *self)
{
  FerryCoordinator *c = self->coordinator;
  FerrySample sample = { 0 };
  gint64 now = g_get_real_time ();

  g_return_if_fail (FERRY_IS_MONITOR (self));

  if (self->started_at == 0)
    self->started_at = now;

  sample.time = now;
  sample.elapsed = (now - self->started_at) / (double)G_USEC_PER_SEC;
  sample.rows_done = ferry_coordinator_get_rows_done (c);
  sample.bytes_done = ferry_coordinator_get_bytes_done (c);
  sample.running = ferry_coordinator_get_n_running (c);
  sample.errors = ferry_error_handler_get_total (ferry_coordinator_get_error_handler (c));

  if (self->samples->len > 0)
    {
      const FerrySample *last = &g_array_index (self->samples, FerrySample, self->samples->len - 1);
      double dt = (sample.time - last->time) / (double)G_USEC_PER_SEC;

      if (dt > 0.05)
        {
          /* Rows a resumed run finds already there arrive all at once
           * when it reads the journal: they are not this run's speed. */
          guint64 resumed_rows = ferry_coordinator_get_rows_resumed (c) - self->resumed_rows;
          guint64 resumed_bytes = ferry_coordinator_get_bytes_resumed (c) - self->resumed_bytes;
          guint64 rows_delta = sample.rows_done >= last->rows_done ? sample.rows_done - last->rows_done : 0;
          guint64 bytes_delta = sample.bytes_done >= last->bytes_done ? sample.bytes_done - last->bytes_done : 0;
          double rows = (rows_delta > resumed_rows ? rows_delta - resumed_rows : 0) / dt;
          double bytes = (bytes_delta > resumed_bytes ? bytes_delta - resumed_bytes : 0) / dt;

          self->rows_per_second = RATE_ALPHA * rows + (1 - RATE_ALPHA) * self->rows_per_second;
          self->bytes_per_second = RATE_ALPHA * bytes + (1 - RATE_ALPHA) * self->bytes_per_second;
        }
    }

  self->resumed_rows = ferry_coordinator_get_rows_resumed (c);
  self->resumed_bytes = ferry_coordinator_get_bytes_resumed (c);
  sample.rows_per_second = self->rows_per_second;
  sample.bytes_per_second = self->bytes_per_second;

  if (self->samples->len >= MAX_SAMPLES)
    thin_out (self);
  g_array_append_val (self->samples, sample);

  g_signal_emit (self, signals[SAMPLED], 0);
}

static gboolean
sample_tick (gpointer user_data)
{
  ferry_monitor_sample (user_data);
  return G_SOURCE_CONTINUE;
}

static void
probe_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryMonitor) self = user_data;
  JsonNode *health = g_task_propagate_pointer (G_TASK (result), NULL);

  self->probing = FALSE;
  if (health == NULL)
    return;

  g_clear_pointer (&self->health, json_node_unref);
  self->health = health;
  g_signal_emit (self, signals[HEALTH_CHANGED], 0);
}

static gboolean
probe_tick (gpointer user_data)
{
  FerryMonitor *self = user_data;

  if (!self->probing)
    {
      self->probing = TRUE;
      ferry_coordinator_control_async (self->coordinator, ferry_job_probe, NULL, NULL,
                                       probe_done, g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

void
ferry_monitor_start (FerryMonitor *self)
{
  FerryConfig *config;
  guint interval;

  g_return_if_fail (FERRY_IS_MONITOR (self));

  if (self->sample_id != 0)
    return;

  config = ferry_coordinator_get_config (self->coordinator);
  interval = ferry_config_get_interval_seconds (config);

  self->started_at = g_get_real_time ();
  self->rows_per_second = self->bytes_per_second = 0;
  self->resumed_rows = self->resumed_bytes = 0;
  g_array_set_size (self->samples, 0);
  ferry_monitor_sample (self);

  /* The dashboard wants a point a second whatever the interval says;
   * the servers are probed at the configured interval. */
  self->sample_id = g_timeout_add_seconds (MIN (interval, 1), sample_tick, self);
  self->probe_id = g_timeout_add_seconds (interval, probe_tick, self);
  probe_tick (self);
}

void
ferry_monitor_stop (FerryMonitor *self)
{
  g_return_if_fail (FERRY_IS_MONITOR (self));

  g_clear_handle_id (&self->sample_id, g_source_remove);
  g_clear_handle_id (&self->probe_id, g_source_remove);
}

GArray *
ferry_monitor_get_samples (FerryMonitor *self)
{
  g_return_val_if_fail (FERRY_IS_MONITOR (self), NULL);
  return self->samples;
}

double
ferry_monitor_get_rows_per_second (FerryMonitor *self)
{
  g_return_val_if_fail (FERRY_IS_MONITOR (self), 0);
  return self->rows_per_second;
}

double
ferry_monitor_get_bytes_per_second (FerryMonitor *self)
{
  g_return_val_if_fail (FERRY_IS_MONITOR (self), 0);
  return self->bytes_per_second;
}

double
ferry_monitor_get_average_bytes_per_second (FerryMonitor *self)
{
  const FerrySample *last;

  g_return_val_if_fail (FERRY_IS_MONITOR (self), 0);

  if (self->samples->len < 2)
    return 0;
  last = &g_array_index (self->samples, FerrySample, self->samples->len - 1);
  return ferry_average_rate (last->bytes_done, ferry_coordinator_get_bytes_resumed (self->coordinator),
                             last->elapsed);
}

/**
 * ferry_monitor_get_eta_seconds:
 *
 * Seconds left at the recent rate (blended with the average, so that a
 * pause in the stream does not promise forever), or -1 when unknown.
 */
double
ferry_monitor_get_eta_seconds (FerryMonitor *self)
{
  guint64 total, done;
  double rate;

  g_return_val_if_fail (FERRY_IS_MONITOR (self), -1);

  total = ferry_coordinator_get_bytes_total (self->coordinator);
  done = ferry_coordinator_get_bytes_done (self->coordinator);
  rate = 0.5 * self->bytes_per_second + 0.5 * ferry_monitor_get_average_bytes_per_second (self);

  if (ferry_coordinator_get_state (self->coordinator) == FERRY_STATE_COMPLETED)
    return 0;
  if (rate <= 1.0 || total == 0)
    return -1;
  return done >= total ? 0 : (total - done) / rate;
}

/**
 * ferry_monitor_get_health:
 *
 * The last probe of both servers with the error counts by class.
 */
JsonNode *
ferry_monitor_get_health (FerryMonitor *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  FerryErrorHandler *errors;

  g_return_val_if_fail (FERRY_IS_MONITOR (self), NULL);

  errors = ferry_coordinator_get_error_handler (self->coordinator);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, ferry_enum_to_nick (FERRY_TYPE_STATE,
                                                        ferry_coordinator_get_state (self->coordinator)));
  json_builder_set_member_name (b, "servers");
  if (self->health != NULL)
    json_builder_add_value (b, json_node_copy (self->health));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_object (b);
  for (guint c = 0; c < FERRY_ERROR_CLASS_LAST; c++)
    {
      json_builder_set_member_name (b, ferry_enum_to_nick (FERRY_TYPE_ERROR_CLASS, c));
      json_builder_add_int_value (b, ferry_error_handler_get_count (errors, c));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
ferry_monitor_get_copy_progress (FerryMonitor *self)
{
  JsonObject *target;

  g_return_val_if_fail (FERRY_IS_MONITOR (self), NULL);

  if (self->health == NULL || !JSON_NODE_HOLDS_OBJECT (self->health))
    return NULL;
  target = json_object_get_object_member (json_node_get_object (self->health), "target");
  if (target == NULL || !json_object_has_member (target, "copies"))
    return NULL;
  return json_node_copy (json_object_get_member (target, "copies"));
}

JsonNode *
ferry_monitor_samples_to_json (FerryMonitor *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (FERRY_IS_MONITOR (self), NULL);

  json_builder_begin_array (b);
  for (guint i = 0; i < self->samples->len; i++)
    {
      const FerrySample *s = &g_array_index (self->samples, FerrySample, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "elapsed");
      json_builder_add_double_value (b, s->elapsed);
      json_builder_set_member_name (b, "rows_done");
      json_builder_add_int_value (b, s->rows_done);
      json_builder_set_member_name (b, "bytes_done");
      json_builder_add_int_value (b, s->bytes_done);
      json_builder_set_member_name (b, "rows_per_second");
      json_builder_add_double_value (b, s->rows_per_second);
      json_builder_set_member_name (b, "bytes_per_second");
      json_builder_add_double_value (b, s->bytes_per_second);
      json_builder_set_member_name (b, "running");
      json_builder_add_int_value (b, s->running);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}
