/* ferry-cli.c — the headless face of Ferry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "ferry-cli-private.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *description;
} Command;

static void
print_usage (const Command *commands)
{
  g_print ("%s\n\n", _("Usage: ferry-cli COMMAND [OPTION…]"));
  g_print ("%s\n\n", _("Moves the data of a PostgreSQL database to another server, table by table."));
  g_print ("%s\n", _("Commands:"));
  for (const Command *c = commands; c->name != NULL; c++)
    g_print ("  %-10s %s\n", c->name, _(c->description));
  g_print ("\n%s\n", _("Run “ferry-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  static const Command commands[] = {
    { "check",   ferry_cli_check,   N_("Check that a migration is ready to run") },
    { "plan",    ferry_cli_plan,    N_("Show the migration plan: order, batches, chunks") },
    { "run",     ferry_cli_run,     N_("Run (or resume) the migration, with a progress bar") },
    { "status",  ferry_cli_status,  N_("Show the state of a migration from the target's journal") },
    { "pause",   ferry_cli_pause,   N_("Pause the running migration") },
    { "resume",  ferry_cli_resume,  N_("Resume a paused migration") },
    { "stop",    ferry_cli_stop,    N_("Stop the running migration (resumable)") },
    { "resolve", ferry_cli_resolve, N_("Resolve a failed table: retry, skip, truncate-retry or abort") },
    { "report",  ferry_cli_report,  N_("Write a readiness, progress, performance or completion report") },
    { "serve",   ferry_cli_serve,   N_("Serve the migration over REST and WebSocket, with webhooks") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("ferry-cli");

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (commands);
      return argc < 2 ? FERRY_EXIT_USAGE : FERRY_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("ferry-cli %s\n", PACKAGE_VERSION);
      return FERRY_EXIT_OK;
    }

  for (const Command *c = commands; c->name != NULL; c++)
    if (g_str_equal (argv[1], c->name))
      {
        g_autofree char *prgname = g_strconcat ("ferry-cli ", c->name, NULL);

        /* "Usage: ferry-cli plan [OPTION…]" in the command's --help */
        g_set_prgname (prgname);
        return c->run (argc - 1, argv + 1);
      }

  g_printerr (_("ferry-cli: unknown command “%s”\n"), argv[1]);
  g_printerr ("%s\n", _("Run “ferry-cli --help” to see the commands."));
  return FERRY_EXIT_USAGE;
}
