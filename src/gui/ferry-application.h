/* ferry-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FERRY_TYPE_APPLICATION (ferry_application_get_type ())

G_DECLARE_FINAL_TYPE (FerryApplication, ferry_application, FERRY, APPLICATION, AdwApplication)

FerryApplication *ferry_application_new          (void);
GSettings        *ferry_application_get_settings (FerryApplication *self);
void              ferry_application_notify       (FerryApplication *self,
                                                  const char       *id,
                                                  const char       *title,
                                                  const char       *body,
                                                  gboolean          urgent);

GSettings        *ferry_settings_new             (void);
void              ferry_gui_init                 (void);

G_END_DECLS
