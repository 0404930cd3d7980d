/* ferry-error-dialog.h — resolving a failed table or an escalation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-figure-source.h"

G_BEGIN_DECLS

#define FERRY_TYPE_ERROR_DIALOG (ferry_error_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FerryErrorDialog, ferry_error_dialog, FERRY, ERROR_DIALOG, AdwWindow)

FerryErrorDialog *ferry_error_dialog_new_for_table      (GtkWindow         *parent,
                                                         FerryFigureSource *source,
                                                         FerryTable        *table,
                                                         const GError      *error,
                                                         FerryErrorClass    error_class);
FerryErrorDialog *ferry_error_dialog_new_for_escalation (GtkWindow         *parent,
                                                         FerryFigureSource *source,
                                                         const GError      *error);
FerryTable       *ferry_error_dialog_get_table          (FerryErrorDialog *self);
gboolean          ferry_error_dialog_apply              (FerryErrorDialog *self,
                                                         FerryResolution   resolution,
                                                         GError          **error);

G_END_DECLS
