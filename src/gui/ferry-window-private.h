/* ferry-window-private.h — FerryWindow's insides, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ferry-connections-page.h"
#include "ferry-dashboard-page.h"
#include "ferry-plan-page.h"
#include "ferry-readiness-page.h"
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
  GtkButton            *start_button;
  GtkButton            *pause_button;
  GtkButton            *resume_button;
  GtkButton            *stop_button;
  GtkInfoBar           *resume_bar;
  GtkLabel             *resume_label;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  FerryConnectionsPage *connections_page;
  FerryReadinessPage   *readiness_page;
  FerryPlanPage        *plan_page;
  FerryDashboardPage   *dashboard_page;
  FerryReportPage      *report_page;

  /* The migration */
  GSettings            *settings;
  FerryConfig          *config;
  FerryCoordinator     *coordinator;
  GCancellable         *cancellable;
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

/* ferry-window-report.c */
void ferry_window_write_completion_report   (FerryWindow *self);
void ferry_window_open_report_action        (GtkWidget   *widget,
                                             const char  *action_name,
                                             GVariant    *parameter);
void ferry_window_export_report_action      (GtkWidget   *widget,
                                             const char  *action_name,
                                             GVariant    *parameter);

G_END_DECLS
