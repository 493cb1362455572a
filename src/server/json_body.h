/*
 * server/json_body.h - strict reading of a JSON request body, shared by the
 * routes that take one (api_text.c, api_pathways.c): the checks and the
 * problems are those docs/api.md lists for text routes.
 */
#ifndef SH_SERVER_JSON_BODY_H
#define SH_SERVER_JSON_BODY_H

#include <jansson.h>

#include "server/request.h"

/* Parses the body as a JSON object into *out; replies 400/415 and returns SH_EINVAL otherwise. */
int sh_json_body(sh_request *req, json_t **out);
/* Replies 400 naming the first member of o not in allowed (space-separated); where prefixes the name ("items[2]."). */
int sh_json_check_members(sh_request *req, const json_t *o, const char *allowed, const char *where);

#endif
