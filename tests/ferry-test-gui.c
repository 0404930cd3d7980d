/* ferry-test-gui.c — what the GUI tests share: waiting, looking, screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-test"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ferry-test-gui.h"

void
ferry_test_spin_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

void
ferry_test_spin_until (gboolean  (*done) (gpointer data),
                       gpointer    data,
                       guint       timeout_seconds,
                       const char *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u s waiting for %s", timeout_seconds, what);
    }
}

GtkWidget *
ferry_test_find_widget (GtkWidget     *widget,
                        gboolean     (*match) (GtkWidget     *widget,
                                               gconstpointer  data),
                        gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ferry_test_find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
ferry_test_widget_is_named (GtkWidget     *widget,
                            gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

GtkWindow *
ferry_test_get_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static char *
screenshot_dir (void)
{
  const char *dir = g_getenv ("FERRY_SCREENSHOT_DIR");
  char *path;

  if (dir != NULL)
    path = g_strdup (dir);
  else
    path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                             "screenshots", NULL);
  g_mkdir_with_parents (path, 0755);
  return path;
}

void
ferry_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  GskRenderNode *node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  ferry_test_spin_for (400);

  /* A toplevel paints nothing as a paintable: take its content. */
  if (ADW_IS_APPLICATION_WINDOW (widget))
    widget = adw_application_window_get_content (ADW_APPLICATION_WINDOW (widget));
  else if (ADW_IS_WINDOW (widget))
    widget = adw_window_get_content (ADW_WINDOW (widget));

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);

  /* A widget paints nothing until its surface has drawn a frame: give a
   * slow machine time for it. */
  paintable = gtk_widget_paintable_new (widget);
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        ferry_test_spin_for (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  gsk_render_node_unref (node);
}
