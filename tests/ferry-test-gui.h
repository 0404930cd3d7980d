/* ferry-test-gui.h — what the GUI tests share: waiting, looking, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Waiting: the main context is iterated all the while, with a short
 * sleep after every iteration, so that the widgets, the app's workers'
 * results and its HTTP client go on. ferry_test_spin_until() fails the
 * test with @what when @done has not said yes within @timeout_seconds.
 */
void        ferry_test_spin_for           (guint          milliseconds);
void        ferry_test_spin_until         (gboolean     (*done) (gpointer data),
                                           gpointer       data,
                                           guint          timeout_seconds,
                                           const char    *what);

/*
 * Looking: the first widget under @widget (itself included) that @match
 * accepts, depth first; the first visible toplevel of @type.
 */
GtkWidget  *ferry_test_find_widget        (GtkWidget     *widget,
                                           gboolean     (*match) (GtkWidget     *widget,
                                                                  gconstpointer  data),
                                           gconstpointer  data);
gboolean    ferry_test_widget_is_named    (GtkWidget     *widget,
                                           gconstpointer  name);
GtkWindow  *ferry_test_get_toplevel       (GType          type);

/*
 * A screenshot: @widget (for a window, its content) as it is on screen,
 * into NAME.png in FERRY_SCREENSHOT_DIR (default: the build directory's
 * tests/screenshots).
 */
void        ferry_test_screenshot         (GtkWidget     *widget,
                                           const char    *name);

G_END_DECLS
