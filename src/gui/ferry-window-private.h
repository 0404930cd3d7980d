/* ferry-window-private.h — FerryWindow's insides, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-connections-page.h"
#include "ferry-dashboard-page.h"
#include "ferry-figure-source.h"
#include "ferry-plan-page.h"
#include "ferry-readiness-page.h"
#include "ferry-remote.h"
#include "ferry-report-page.h"
#include "ferry-window.h"

G_BEGIN_DECLS

typedef struct {
  FerryTable      *table;
  GError          *error;
  FerryErrorClass  error_class;
} FailedTable;

struct _FerryWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel             *state_label;
  GtkWidget            *service_box;
  GtkLabel             *service_label;
  GtkButton            *start_button;
  GtkButton            *pause_button;
  GtkButton            *resume_button;
  GtkButton            *stop_button;
  GtkInfoBar           *resume_bar;
  GtkLabel             *resume_label;
  GtkInfoBar           *reconnect_bar;
  GtkLabel             *reconnect_label;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkStack             *connections_stack;
  FerryConnectionsPage *connections_page;
  AdwStatusPage        *attached_status;
  GtkStack             *readiness_stack;
  FerryReadinessPage   *readiness_page;
  AdwStatusPage        *server_readiness_status;
  AdwPreferencesGroup  *server_checks_group;
  GtkLabel             *server_readiness_summary;
  FerryPlanPage        *plan_page;
  FerryDashboardPage   *dashboard_page;
  FerryReportPage      *report_page;

  /* The migration: a local coordinator, or a service attached to; the
   * pages read either through the source. */
  GSettings            *settings;
  FerryConfig          *config;
  FerryCoordinator     *coordinator;
  FerryRemote          *remote;
  FerryFigureSource    *source;
  GCancellable         *cancellable;
  GPtrArray            *server_check_rows;
  JsonNode             *server_readiness;   /* GET readiness, when known */
  char                 *control_tooltips[4];
  GtkFileChooserNative *chooser;
  GtkWindow            *error_dialog;
  GQueue                failed_tables;   /* FailedTable* waiting for the dialog */

  guint                 busy : 1;
  guint                 autostart : 1;
  guint                 settings_bound : 1;
  guint                 in_background : 1;
  guint                 close_after_rest : 1;
  guint                 closing : 1;
};

void failed_table_free                      (FailedTable *failed);
void ferry_window_toast                     (FerryWindow *self,
                                             const char  *message);
void ferry_window_update_actions            (FerryWindow *self);
void ferry_window_set_source                (FerryWindow       *self,
                                             FerryFigureSource *source);
void ferry_window_queue_failed_table        (FerryWindow       *self,
                                             FerryTable        *table,
                                             const GError      *error,
                                             FerryErrorClass    error_class);
void ferry_window_present_escalation        (FerryWindow       *self,
                                             const GError      *error);

/* ferry-window-remote.c */
void ferry_window_remote_init               (FerryWindow *self);
void ferry_window_remote_class_init         (GtkWidgetClass *widget_class);
gboolean ferry_window_remote_checks_failed  (FerryWindow *self);
void ferry_window_remote_reload_readiness   (FerryWindow *self);
void ferry_window_remote_dispose            (FerryWindow *self);

/* ferry-window-report.c */
void ferry_window_write_completion_report   (FerryWindow *self);
void ferry_window_open_report_action        (GtkWidget   *widget,
                                             const char  *action_name,
                                             GVariant    *parameter);
void ferry_window_export_report_action      (GtkWidget   *widget,
                                             const char  *action_name,
                                             GVariant    *parameter);

G_END_DECLS
