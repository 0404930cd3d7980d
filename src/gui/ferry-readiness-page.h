/* ferry-readiness-page.h — the click-through readiness checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ferry-validator.h"

G_BEGIN_DECLS

#define FERRY_TYPE_READINESS_PAGE (ferry_readiness_page_get_type ())

G_DECLARE_FINAL_TYPE (FerryReadinessPage, ferry_readiness_page, FERRY, READINESS_PAGE, AdwBin)

void            ferry_readiness_page_set_validator (FerryReadinessPage *self,
                                                    FerryValidator     *validator);
FerryValidator *ferry_readiness_page_get_validator (FerryReadinessPage *self);
void            ferry_readiness_page_set_busy      (FerryReadinessPage *self,
                                                    gboolean            busy,
                                                    const char         *message);
void            ferry_readiness_page_show_error    (FerryReadinessPage *self,
                                                    const GError       *error);
void            ferry_readiness_page_refresh       (FerryReadinessPage *self);

G_END_DECLS
