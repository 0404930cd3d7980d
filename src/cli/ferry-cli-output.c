/* ferry-cli-output.c — options, configuration and output shared by the commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "ferry-cli-private.h"
#include "ferry-error.h"

void
ferry_cli_options_clear (FerryCliOptions *options)
{
  g_clear_pointer (&options->config_path, g_free);
  g_clear_pointer (&options->source, g_free);
  g_clear_pointer (&options->target, g_free);
}

GOptionGroup *
ferry_cli_common_group (FerryCliOptions *options)
{
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config_path,
      N_("Read the configuration from FILE (YAML)"), N_("FILE") },
    { "source", 's', 0, G_OPTION_ARG_STRING, &options->source,
      N_("Source database: a libpq URI or “key=value” string (overrides the file)"), N_("CONNINFO") },
    { "target", 't', 0, G_OPTION_ARG_STRING, &options->target,
      N_("Target database (overrides the file)"), N_("CONNINFO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print JSON instead of text"), NULL },
    { "no-color", 0, 0, G_OPTION_ARG_NONE, &options->no_color,
      N_("Do not use colours in the output"), NULL },
    { NULL }
  };
  GOptionGroup *group;

  group = g_option_group_new ("common", _("Common options"), _("Show the common options"), NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/**
 * ferry_cli_load_config:
 *
 * The configuration file if one was given (defaults otherwise), with
 * --source and --target applied on top, validated as a whole.
 */
FerryConfig *
ferry_cli_load_config (FerryCliOptions  *options,
                       GError          **error)
{
  g_autoptr(FerryConfig) config = NULL;

  if (options->config_path != NULL)
    config = ferry_config_new_from_file (options->config_path, error);
  else
    config = ferry_config_new ();

  if (config == NULL)
    return NULL;

  if (options->source != NULL)
    {
      if (!ferry_conninfo_validate (options->source, error))
        {
          g_prefix_error (error, _("--source: "));
          return NULL;
        }
      if (ferry_conninfo_has_password (options->source))
        g_printerr ("%s\n", _("Warning: --source contains a password, which other users can see in the process list. Use ~/.pgpass or PGPASSWORD instead."));
      ferry_config_set_source (config, options->source);
    }

  if (options->target != NULL)
    {
      if (!ferry_conninfo_validate (options->target, error))
        {
          g_prefix_error (error, _("--target: "));
          return NULL;
        }
      if (ferry_conninfo_has_password (options->target))
        g_printerr ("%s\n", _("Warning: --target contains a password, which other users can see in the process list. Use ~/.pgpass or PGPASSWORD instead."));
      ferry_config_set_target (config, options->target);
    }

  if (!ferry_config_validate (config, error))
    return NULL;

  return g_steal_pointer (&config);
}

int
ferry_cli_exit_for_error (const GError *error)
{
  if (error->domain == G_OPTION_ERROR)
    return FERRY_EXIT_USAGE;
  if (error->domain != FERRY_ERROR)
    return FERRY_EXIT_FAILED;

  switch (error->code)
    {
    case FERRY_ERROR_CONFIG:
    case FERRY_ERROR_IO:
      return FERRY_EXIT_USAGE;
    case FERRY_ERROR_CONNECTION:
    case FERRY_ERROR_QUERY:
    case FERRY_ERROR_TIMEOUT:
    case FERRY_ERROR_CATALOG:
      return FERRY_EXIT_CONNECTION;
    default:
      return FERRY_EXIT_FAILED;
    }
}

void
ferry_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

/**
 * ferry_cli_print_error:
 *
 * On stderr: the message, then the server's detail and hint when there
 * are any. With --json, a JSON object on stdout as well, so that scripts
 * reading stdout always get JSON.
 */
void
ferry_cli_print_error (FerryCliOptions *options,
                       const GError    *error)
{
  const char *sqlstate = ferry_error_get_sqlstate (error);
  const char *detail = ferry_error_get_detail (error);
  const char *hint = ferry_error_get_hint (error);

  g_printerr ("%s%s%s %s\n",
              ferry_cli_style (options, "error"), _("Error:"),
              ferry_cli_style (options, "reset"), error->message);
  if (detail != NULL)
    g_printerr ("  %s %s\n", _("Detail:"), detail);
  if (hint != NULL)
    g_printerr ("  %s %s\n", _("Hint:"), hint);

  if (options->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);
      json_builder_set_member_name (builder, "sqlstate");
      json_builder_add_string_value (builder, sqlstate);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
      json_builder_set_member_name (builder, "hint");
      json_builder_add_string_value (builder, hint);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      ferry_cli_print_json (root);
    }
}

gboolean
ferry_cli_use_color (FerryCliOptions *options)
{
  static int tty = -1;

  if (options->no_color || options->json || g_getenv ("NO_COLOR") != NULL)
    return FALSE;
  if (tty < 0)
    tty = isatty (STDOUT_FILENO) && isatty (STDERR_FILENO);
  return tty;
}

const char *
ferry_cli_style (FerryCliOptions *options,
                 const char      *style)
{
  static const struct { const char *name; const char *sgr; } styles[] = {
    { "reset",   "\033[0m" },
    { "bold",    "\033[1m" },
    { "dim",     "\033[2m" },
    { "pass",    "\033[32m" },
    { "warning", "\033[33m" },
    { "fail",    "\033[1;31m" },
    { "error",   "\033[1;31m" },
    { "heading", "\033[1;4m" },
  };

  if (!ferry_cli_use_color (options))
    return "";

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_str_equal (styles[i].name, style))
      return styles[i].sgr;

  return "";
}

guint
ferry_cli_terminal_width (void)
{
  struct winsize ws;
  const char *columns = g_getenv ("COLUMNS");

  if (columns != NULL && g_ascii_strtoull (columns, NULL, 10) >= 40)
    return g_ascii_strtoull (columns, NULL, 10);
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
    return ws.ws_col;
  return 100;
}

/**
 * ferry_cli_print_wrapped:
 *
 * Prints @text word-wrapped at @width columns (counted in characters,
 * not bytes), every line indented by @indent spaces. Newlines in @text
 * start new paragraphs.
 */
void
ferry_cli_print_wrapped (const char *text,
                         guint       indent,
                         guint       width)
{
  g_auto(GStrv) paragraphs = NULL;
  guint avail = width > indent + 20 ? width - indent : 20;

  if (text == NULL)
    return;

  paragraphs = g_strsplit (text, "\n", -1);
  for (guint p = 0; paragraphs[p] != NULL; p++)
    {
      g_auto(GStrv) words = g_strsplit (paragraphs[p], " ", -1);
      guint col = 0;

      g_print ("%*s", indent, "");
      for (guint w = 0; words[w] != NULL; w++)
        {
          guint len = g_utf8_strlen (words[w], -1);

          if (*words[w] == '\0')
            continue;
          if (col > 0 && col + 1 + len > avail)
            {
              g_print ("\n%*s", indent, "");
              col = 0;
            }
          else if (col > 0)
            {
              g_print (" ");
              col++;
            }
          g_print ("%s", words[w]);
          col += len;
        }
      g_print ("\n");
    }
}

/**
 * ferry_cli_pad:
 * @width: columns; negative pads on the left (right-aligns)
 *
 * @text padded with spaces to @width characters — not bytes, so that
 * names like "Ünïcødé Tàble" line up. Longer text is left as it is.
 */
char *
ferry_cli_pad (const char *text,
               int         width)
{
  glong len = g_utf8_strlen (text, -1);
  guint pad = (guint)ABS (width) > len ? ABS (width) - len : 0;
  GString *str = g_string_new (NULL);

  if (width < 0)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (str, ' ');
  g_string_append (str, text);
  if (width > 0)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (str, ' ');

  return g_string_free (str, FALSE);
}
