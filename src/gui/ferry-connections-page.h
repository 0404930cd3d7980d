/* ferry-connections-page.h — source and target, and saved profiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECTIONS_PAGE (ferry_connections_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryConnectionsPage, ferry_connections_page, FERRY, CONNECTIONS_PAGE, AdwBin)

char     *ferry_connections_page_get_source   (FerryConnectionsPage *self);
char     *ferry_connections_page_get_target   (FerryConnectionsPage *self);
void      ferry_connections_page_set_conninfo (FerryConnectionsPage *self,
                                               const char           *source,
                                               const char           *target);
void      ferry_connections_page_apply_passwords
                                              (FerryConnectionsPage *self);
gboolean  ferry_connections_page_is_valid     (FerryConnectionsPage *self);

G_END_DECLS
