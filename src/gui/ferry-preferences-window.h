/* ferry-preferences-window.h — every configuration key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-config.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PREFERENCES_WINDOW (ferry_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window, FERRY, PREFERENCES_WINDOW, AdwPreferencesWindow)

FerryPreferencesWindow *ferry_preferences_window_new        (GtkWindow   *parent,
                                                             FerryConfig *config);
FerryConfig            *ferry_preferences_window_get_config (FerryPreferencesWindow *self);
GtkWidget              *ferry_preferences_window_get_row    (FerryPreferencesWindow *self,
                                                             const char             *property);

G_END_DECLS
