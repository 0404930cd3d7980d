/* ferry-test-service.h — what the tests of `ferry-cli serve` share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ferry-test-cluster.h"

G_BEGIN_DECLS

/*
 * Everything is on 127.0.0.1: no proxy in the way, neither the
 * environment's (for this process and the programs it starts) nor the
 * session's; a request times out after 60 s.
 */
void         ferry_test_service_loopback_only    (void);
SoupSession *ferry_test_service_session_new      (void);

/* For a message's "accept-certificate": @trusted, and only it. */
gboolean     ferry_test_service_accept_certificate (SoupMessage          *msg,
                                                    GTlsCertificate      *certificate,
                                                    GTlsCertificateFlags  errors,
                                                    gpointer              trusted);

/*
 * The source the service migrates, in database "source" of @cluster: the
 * sample at scale 1, the bulk tables at @bulk_megabytes each (so that
 * 1 MB chunks make a run last a few seconds) and @dup_table (an integer
 * key, 50 rows); "target_template" gets its schema, for the targets.
 * Returns the source's connection string.
 */
char        *ferry_test_service_source_new       (FerryTestCluster     *cluster,
                                                  guint                 bulk_megabytes,
                                                  const char           *dup_table);

/* rm -rf @dir */
void         ferry_test_remove_dir               (const char           *dir);

/*
 * `ferry-cli serve --json` as a program, its output in @log. Spawned, it
 * listens on 127.0.0.1:@port (0: any free port) and says so in the
 * first JSON line of its output: that line is @listening, and gives @url
 * (the API's base, ending in /api/v1/), @root and @port, kept for a
 * later spawn on the same port. With a certificate and its key, it
 * serves https, and @certificate is the one the tests trust.
 */
typedef struct {
  char            *target;        /* the database it migrates to */
  char            *config;        /* the configuration file */
  char            *log;
  char            *token_file;
  char            *tls_cert;
  char            *tls_key;
  GTlsCertificate *certificate;
  GSubprocess     *process;
  JsonObject      *listening;
  char            *url;           /* http://127.0.0.1:PORT/api/v1/ */
  char            *root;          /* http://127.0.0.1:PORT */
  guint            port;
} FerryTestService;

FerryTestService *ferry_test_service_new         (const char           *target,
                                                  const char           *config,
                                                  const char           *log,
                                                  const char           *token_file);
void         ferry_test_service_set_tls          (FerryTestService     *service,
                                                  const char           *tls_cert,
                                                  const char           *tls_key);
void         ferry_test_service_spawn            (FerryTestService     *service,
                                                  guint                 port);
gboolean     ferry_test_service_terminate        (FerryTestService     *service);
void         ferry_test_service_free             (FerryTestService     *service);

/* GET @path (below @url) with @token, straight from the service; asserts
 * a 200 with a JSON object, and returns the object. */
JsonObject  *ferry_test_service_get              (FerryTestService     *service,
                                                  SoupSession          *session,
                                                  const char           *token,
                                                  const char           *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTestService, ferry_test_service_free)

G_END_DECLS
