/* ferry-attach-dialog.h — attaching to a migration that runs in a service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-remote.h"

G_BEGIN_DECLS

#define FERRY_TYPE_ATTACH_DIALOG (ferry_attach_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryAttachDialog, ferry_attach_dialog, FERRY, ATTACH_DIALOG, AdwWindow)

FerryAttachDialog *ferry_attach_dialog_new                  (GtkWindow         *parent);
void               ferry_attach_dialog_set_url              (FerryAttachDialog *self,
                                                             const char        *url);
void               ferry_attach_dialog_set_token            (FerryAttachDialog *self,
                                                             const char        *token);
gboolean           ferry_attach_dialog_set_certificate_file (FerryAttachDialog *self,
                                                             GFile             *file,
                                                             GError           **error);
/* What "Attach" does: connects, then emits ::attached and closes. */
void               ferry_attach_dialog_attach               (FerryAttachDialog *self);
gboolean           ferry_attach_dialog_get_busy             (FerryAttachDialog *self);
/* The error shown, or NULL. */
const char        *ferry_attach_dialog_get_error            (FerryAttachDialog *self);

G_END_DECLS
