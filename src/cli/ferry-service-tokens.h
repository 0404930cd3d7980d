/* ferry-service-tokens.h — the bearer tokens of ferry-cli serve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a token may do: read-only tokens GET, control tokens also POST. */
typedef enum {
  FERRY_TOKEN_KIND_READ_ONLY,  /*< nick=read-only >*/
  FERRY_TOKEN_KIND_CONTROL,    /*< nick=control >*/
} FerryTokenKind;

#define FERRY_SERVICE_TOKENS_FORMAT_VERSION 1

/* Tokens shorter than this are refused when a file is loaded. */
#define FERRY_SERVICE_TOKEN_MIN_LENGTH 16

#define FERRY_TYPE_SERVICE_TOKENS (ferry_service_tokens_get_type ())

G_DECLARE_FINAL_TYPE (FerryServiceTokens, ferry_service_tokens, FERRY, SERVICE_TOKENS, GObject)

FerryServiceTokens *ferry_service_tokens_new           (void);

/* Loads @path, or creates it (mode 0600, its directory 0700) with a
 * control token, a read-only token and a webhook secret, all random,
 * when it does not exist. A file that others may read, or one owned by
 * another user, is refused. */
FerryServiceTokens *ferry_service_tokens_load_or_create (const char          *path,
                                                         gboolean            *created,
                                                         GError             **error);
FerryServiceTokens *ferry_service_tokens_load          (const char          *path,
                                                         GError             **error);
gboolean            ferry_service_tokens_save          (FerryServiceTokens  *self,
                                                         const char          *path,
                                                         GError             **error);
const char         *ferry_service_tokens_get_path      (FerryServiceTokens  *self);

/* $XDG_CONFIG_HOME/ferry/service-tokens.json */
char               *ferry_service_tokens_default_path  (void);

/* 32 random bytes from the kernel, as 64 hexadecimal digits. */
char               *ferry_service_tokens_generate      (void);

gboolean            ferry_service_tokens_add           (FerryServiceTokens  *self,
                                                         const char          *name,
                                                         FerryTokenKind       kind,
                                                         const char          *token,
                                                         GError             **error);
guint               ferry_service_tokens_get_n_tokens  (FerryServiceTokens  *self);
const char         *ferry_service_tokens_get_token     (FerryServiceTokens  *self,
                                                         const char          *name);

/* Compares @presented with every token in constant time (the time does
 * not depend on where, or whether, it matches). */
gboolean            ferry_service_tokens_check         (FerryServiceTokens  *self,
                                                         const char          *presented,
                                                         const char         **name,
                                                         FerryTokenKind      *kind);

/* The key of the webhooks' HMAC signatures, when the file has one. */
const char         *ferry_service_tokens_get_webhook_secret (FerryServiceTokens *self);
void                ferry_service_tokens_set_webhook_secret (FerryServiceTokens *self,
                                                             const char         *secret);

const char         *ferry_token_kind_to_string         (FerryTokenKind       kind);

G_END_DECLS
