/* ferry-window.h — one migration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-application.h"
#include "ferry-config.h"
#include "ferry-coordinator.h"
#include "ferry-remote.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

FerryWindow      *ferry_window_new             (FerryApplication *application,
                                                FerryConfig      *config);
gboolean          ferry_window_open_config     (FerryWindow      *self,
                                                GFile            *file);
void              ferry_window_set_autostart   (FerryWindow      *self,
                                                gboolean          autostart);
FerryConfig      *ferry_window_get_config      (FerryWindow      *self);
FerryCoordinator *ferry_window_get_coordinator (FerryWindow      *self);
/* Attached mode: the window shows (and controls, with a control token)
 * a migration that runs in `ferry-cli serve`; @remote is connected. */
void              ferry_window_attach          (FerryWindow      *self,
                                                FerryRemote      *remote);
void              ferry_window_detach          (FerryWindow      *self);
FerryRemote      *ferry_window_get_remote      (FerryWindow      *self);
/* An empty window: no local migration, nothing attached. */
gboolean          ferry_window_is_empty        (FerryWindow      *self);
void              ferry_window_show_page       (FerryWindow      *self,
                                                const char       *name);
const char       *ferry_window_get_page        (FerryWindow      *self);
GtkWidget        *ferry_window_get_page_widget (FerryWindow      *self,
                                                const char       *name);

G_END_DECLS
