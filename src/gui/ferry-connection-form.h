/* ferry-connection-form.h — one server's connection settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTION_FORM (ferry_connection_form_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectionForm, ferry_connection_form, FERRY, CONNECTION_FORM, AdwPreferencesGroup)

char       *ferry_connection_form_get_conninfo (FerryConnectionForm *self);
void        ferry_connection_form_set_conninfo (FerryConnectionForm *self,
                                                const char          *conninfo);
const char *ferry_connection_form_get_password (FerryConnectionForm *self);
void        ferry_connection_form_set_password (FerryConnectionForm *self,
                                                const char          *password);
gboolean    ferry_connection_form_is_valid     (FerryConnectionForm *self);
void        ferry_connection_form_test         (FerryConnectionForm *self);

G_END_DECLS
