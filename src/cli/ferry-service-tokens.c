/* ferry-service-tokens.c — the bearer tokens of ferry-cli serve
 *
 * The token file is JSON, readable by its owner only:
 *
 *   { "format_version": 1,
 *     "tokens": [ { "name": "control", "kind": "control", "token": "…" },
 *                 { "name": "read-only", "kind": "read-only", "token": "…" } ],
 *     "webhook_secret": "…" }
 *
 * More tokens may be added by hand, each with its own name: the name is
 * what the audit trail records for the actions taken with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ferry-service"

#include "config.h"

#include "ferry-service-tokens.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ferry-error.h"

#define DIGEST_LEN 32

typedef struct {
  char           *name;
  FerryTokenKind  kind;
  char           *token;
  guint8          digest[DIGEST_LEN];
} Token;

struct _FerryServiceTokens
{
  GObject    parent_instance;

  GPtrArray *tokens;          /* Token* */
  char      *path;
  char      *webhook_secret;
};

G_DEFINE_FINAL_TYPE (FerryServiceTokens, ferry_service_tokens, G_TYPE_OBJECT)

static void
token_free (Token *token)
{
  g_free (token->name);
  if (token->token != NULL)
    {
      explicit_bzero (token->token, strlen (token->token));
      g_free (token->token);
    }
  g_free (token);
}

static void
ferry_service_tokens_finalize (GObject *object)
{
  FerryServiceTokens *self = FERRY_SERVICE_TOKENS (object);

  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  if (self->webhook_secret != NULL)
    explicit_bzero (self->webhook_secret, strlen (self->webhook_secret));
  g_clear_pointer (&self->webhook_secret, g_free);

  G_OBJECT_CLASS (ferry_service_tokens_parent_class)->finalize (object);
}

static void
ferry_service_tokens_class_init (FerryServiceTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ferry_service_tokens_finalize;
}

static void
ferry_service_tokens_init (FerryServiceTokens *self)
{
  self->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)token_free);
}

FerryServiceTokens *
ferry_service_tokens_new (void)
{
  return g_object_new (FERRY_TYPE_SERVICE_TOKENS, NULL);
}

const char *
ferry_token_kind_to_string (FerryTokenKind kind)
{
  return kind == FERRY_TOKEN_KIND_CONTROL ? "control" : "read-only";
}

static void
digest (const char *text,
        guint8      out[DIGEST_LEN])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = DIGEST_LEN;

  g_checksum_update (checksum, (const guchar *)text, strlen (text));
  g_checksum_get_digest (checksum, out, &len);
  g_assert (len == DIGEST_LEN);
}

char *
ferry_service_tokens_generate (void)
{
  guint8 bytes[32];
  gsize got = 0;
  GString *out;

  while (got < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + got, sizeof bytes - got, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("getrandom: %s", g_strerror (errno));
      got += n;
    }

  out = g_string_sized_new (2 * sizeof bytes + 1);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (out, "%02x", bytes[i]);
  explicit_bzero (bytes, sizeof bytes);
  return g_string_free (out, FALSE);
}

gboolean
ferry_service_tokens_add (FerryServiceTokens  *self,
                          const char          *name,
                          FerryTokenKind       kind,
                          const char          *token,
                          GError             **error)
{
  Token *t;

  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, FERRY_ERROR, FERRY_ERROR_CONFIG, _("A token needs a name"));
      return FALSE;
    }
  if (strlen (token) < FERRY_SERVICE_TOKEN_MIN_LENGTH)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("The token “%s” is too short: at least %d characters"),
                   name, FERRY_SERVICE_TOKEN_MIN_LENGTH);
      return FALSE;
    }
  for (const char *p = token; *p; p++)
    if (!g_ascii_isgraph (*p))
      {
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                     _("The token “%s” may only contain printable ASCII characters"), name);
        return FALSE;
      }
  for (guint i = 0; i < self->tokens->len; i++)
    if (g_str_equal (((Token *)g_ptr_array_index (self->tokens, i))->name, name))
      {
        g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG, _("Two tokens are named “%s”"), name);
        return FALSE;
      }

  t = g_new0 (Token, 1);
  t->name = g_strdup (name);
  t->kind = kind;
  t->token = g_strdup (token);
  digest (token, t->digest);
  g_ptr_array_add (self->tokens, t);
  return TRUE;
}

guint
ferry_service_tokens_get_n_tokens (FerryServiceTokens *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), 0);
  return self->tokens->len;
}

const char *
ferry_service_tokens_get_token (FerryServiceTokens *self,
                                const char         *name)
{
  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), NULL);

  for (guint i = 0; i < self->tokens->len; i++)
    {
      Token *t = g_ptr_array_index (self->tokens, i);
      if (g_str_equal (t->name, name))
        return t->token;
    }
  return NULL;
}

/**
 * ferry_service_tokens_check:
 * @presented: what the client sent
 * @name: (out) (optional): the matching token's name
 * @kind: (out) (optional): what it may do
 *
 * Both sides are hashed first, so the comparison runs over digests of a
 * fixed length whatever the token's length; every token is compared, and
 * each comparison looks at every byte.
 */
gboolean
ferry_service_tokens_check (FerryServiceTokens  *self,
                            const char          *presented,
                            const char         **name,
                            FerryTokenKind      *kind)
{
  guint8 given[DIGEST_LEN];
  Token *found = NULL;

  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), FALSE);

  if (presented == NULL || *presented == '\0')
    return FALSE;

  digest (presented, given);
  for (guint i = 0; i < self->tokens->len; i++)
    {
      Token *t = g_ptr_array_index (self->tokens, i);
      volatile guint8 diff = 0;

      for (guint b = 0; b < DIGEST_LEN; b++)
        diff |= given[b] ^ t->digest[b];
      if (diff == 0)
        found = t;
    }
  explicit_bzero (given, sizeof given);

  if (found == NULL)
    return FALSE;
  if (name != NULL)
    *name = found->name;
  if (kind != NULL)
    *kind = found->kind;
  return TRUE;
}

const char *
ferry_service_tokens_get_webhook_secret (FerryServiceTokens *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), NULL);
  return self->webhook_secret;
}

void
ferry_service_tokens_set_webhook_secret (FerryServiceTokens *self,
                                         const char         *secret)
{
  g_return_if_fail (FERRY_IS_SERVICE_TOKENS (self));

  if (self->webhook_secret != NULL)
    explicit_bzero (self->webhook_secret, strlen (self->webhook_secret));
  g_free (self->webhook_secret);
  self->webhook_secret = g_strdup (secret);
}

const char *
ferry_service_tokens_get_path (FerryServiceTokens *self)
{
  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), NULL);
  return self->path;
}

char *
ferry_service_tokens_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "ferry", "service-tokens.json", NULL);
}

/* The file holds secrets: only its owner may read or write it. */
static gboolean
check_private (const char  *path,
               GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot read the token file %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (st.st_uid != getuid ())
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("The token file %s belongs to another user: refusing to use it"), path);
      return FALSE;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("The token file %s can be read by other users (mode %04o): "
                     "refusing to use it. Run “chmod 600 %s”."),
                   path, (unsigned)(st.st_mode & 07777), path);
      return FALSE;
    }
  return TRUE;
}

FerryServiceTokens *
ferry_service_tokens_load (const char  *path,
                           GError     **error)
{
  g_autoptr(FerryServiceTokens) self = ferry_service_tokens_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *tokens;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_private (path, error))
    return NULL;

  if (!json_parser_load_from_mapped_file (parser, path, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_int_member_with_default (root, "format_version", 1) != FERRY_SERVICE_TOKENS_FORMAT_VERSION)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                   _("%s: unknown format_version (this Ferry reads version %d)"),
                   path, FERRY_SERVICE_TOKENS_FORMAT_VERSION);
      return NULL;
    }
  if (!json_object_has_member (root, "tokens") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "tokens")))
    goto invalid;

  tokens = json_object_get_array_member (root, "tokens");
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonNode *node = json_array_get_element (tokens, i);
      JsonObject *t;
      const char *name, *kind, *token;
      FerryTokenKind k;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      t = json_node_get_object (node);
      name = json_object_get_string_member_with_default (t, "name", NULL);
      kind = json_object_get_string_member_with_default (t, "kind", NULL);
      token = json_object_get_string_member_with_default (t, "token", NULL);
      if (name == NULL || kind == NULL || token == NULL)
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                       _("%s: token %u needs a name, a kind and a token"), path, i + 1);
          return NULL;
        }
      if (g_str_equal (kind, "control"))
        k = FERRY_TOKEN_KIND_CONTROL;
      else if (g_str_equal (kind, "read-only"))
        k = FERRY_TOKEN_KIND_READ_ONLY;
      else
        {
          g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
                       _("%s: token “%s”: kind must be “control” or “read-only”, not “%s”"),
                       path, name, kind);
          return NULL;
        }
      if (!ferry_service_tokens_add (self, name, k, token, error))
        {
          g_prefix_error (error, "%s: ", path);
          return NULL;
        }
    }

  if (self->tokens->len == 0)
    {
      g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG, _("%s holds no token"), path);
      return NULL;
    }

  ferry_service_tokens_set_webhook_secret (self, json_object_get_string_member_with_default (root, "webhook_secret", NULL));
  self->path = g_strdup (path);
  return g_steal_pointer (&self);

invalid:
  g_set_error (error, FERRY_ERROR, FERRY_ERROR_CONFIG,
               _("%s is not a Ferry token file: a JSON object with a “tokens” array is expected"), path);
  return NULL;
}

gboolean
ferry_service_tokens_save (FerryServiceTokens  *self,
                           const char          *path,
                           GError             **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  gsize length;
  gboolean ok;

  g_return_val_if_fail (FERRY_IS_SERVICE_TOKENS (self), FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, FERRY_SERVICE_TOKENS_FORMAT_VERSION);
  json_builder_set_member_name (b, "tokens");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->tokens->len; i++)
    {
      Token *t = g_ptr_array_index (self->tokens, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, t->name);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, ferry_token_kind_to_string (t->kind));
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, t->token);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (self->webhook_secret != NULL)
    {
      json_builder_set_member_name (b, "webhook_secret");
      json_builder_add_string_value (b, self->webhook_secret);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  /* Written to a temporary file created 0600, then renamed: there is no
   * moment at which the tokens are readable by others. */
  ok = g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  explicit_bzero (text, length);
  if (ok)
    {
      g_free (self->path);
      self->path = g_strdup (path);
    }
  return ok;
}

FerryServiceTokens *
ferry_service_tokens_load_or_create (const char  *path,
                                     gboolean    *created,
                                     GError     **error)
{
  g_autoptr(FerryServiceTokens) self = NULL;
  g_autofree char *control = NULL;
  g_autofree char *read_only = NULL;
  g_autofree char *secret = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (created != NULL)
    *created = FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return ferry_service_tokens_load (path, error);

  self = ferry_service_tokens_new ();
  control = ferry_service_tokens_generate ();
  read_only = ferry_service_tokens_generate ();
  secret = ferry_service_tokens_generate ();
  if (!ferry_service_tokens_add (self, "control", FERRY_TOKEN_KIND_CONTROL, control, error) ||
      !ferry_service_tokens_add (self, "read-only", FERRY_TOKEN_KIND_READ_ONLY, read_only, error))
    return NULL;
  ferry_service_tokens_set_webhook_secret (self, secret);
  explicit_bzero (control, strlen (control));
  explicit_bzero (read_only, strlen (read_only));
  explicit_bzero (secret, strlen (secret));

  if (!ferry_service_tokens_save (self, path, error))
    return NULL;

  if (created != NULL)
    *created = TRUE;
  return g_steal_pointer (&self);
}
