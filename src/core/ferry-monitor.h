/* ferry-monitor.h — Monitoring: throughput, ETA, health of both servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ferry-types.h"

G_BEGIN_DECLS

typedef struct _FerryCoordinator FerryCoordinator;

/* One point of the time series the dashboard charts. */
typedef struct {
  gint64  time;             /* g_get_real_time(), µs */
  double  elapsed;          /* seconds since the run started */
  guint64 rows_done;
  guint64 bytes_done;
  double  rows_per_second;
  double  bytes_per_second;
  guint   running;          /* chunks in flight */
  guint   errors;           /* all errors so far */
} FerrySample;

#define FERRY_TYPE_MONITOR (ferry_monitor_get_type ())

G_DECLARE_FINAL_TYPE (FerryMonitor, ferry_monitor, FERRY, MONITOR, GObject)

FerryMonitor *ferry_monitor_new                   (FerryCoordinator *coordinator);
void          ferry_monitor_start                 (FerryMonitor     *self);
void          ferry_monitor_stop                  (FerryMonitor     *self);
void          ferry_monitor_sample                (FerryMonitor     *self);
GArray       *ferry_monitor_get_samples           (FerryMonitor     *self);
double        ferry_monitor_get_rows_per_second   (FerryMonitor     *self);
double        ferry_monitor_get_bytes_per_second  (FerryMonitor     *self);
double        ferry_monitor_get_average_bytes_per_second
                                                  (FerryMonitor     *self);
double        ferry_monitor_get_eta_seconds       (FerryMonitor     *self);
JsonNode     *ferry_monitor_get_health            (FerryMonitor     *self);
JsonNode     *ferry_monitor_get_copy_progress     (FerryMonitor     *self);
JsonNode     *ferry_monitor_samples_to_json       (FerryMonitor     *self);

G_END_DECLS
