/*
 * server/api_profile.c - the signed-in person's own skill profile in the
 * JSON API (any role; learners are the typical users):
 *
 *   GET    /api/v1/me/profile   export: the JSON profile document
 *   PUT    /api/v1/me/profile   replace it by a JSON profile document
 *   DELETE /api/v1/me/profile   erase it (204); the account stays
 *
 * The document is the one sh_profile_store_export writes and
 * sh_profile_load_json reads (pathways/profile_store.c), so an export can
 * be PUT back, fed to `skillhub gap --profile` or sent as the "profile"
 * member of POST /api/v1/gap unchanged.  Nobody can reach another
 * account's profile: the account is the request's (req->account), never a
 * parameter.  Writes go through the thread's read-write connection; a
 * cookie-authenticated write needs the X-CSRF-Token header (auth_web.h).
 */
#include <stdlib.h>

#include "core/error.h"
#include "server/dbconn.h"
#include "server/handlers.h"
#include "server/json_body.h"
#include "server/pathways_web.h"

/* The account's document as the 200 answer. */
static int reply_export(sh_request *req, sh_db *db)
{
	char *doc;
	int rc = sh_profile_store_export(db, req->account->id, &doc);
	if (rc)
		return rc;
	rc = sh_buf_puts(&req->body, doc);
	free(doc);
	rc = rc ? rc : sh_buf_putc(&req->body, '\n');
	return rc ? rc : sh_reply_ok(req, "application/json");
}

static int put_profile(sh_request *req, sh_db *db)
{
	json_t *doc;
	int rc = sh_json_body(req, &doc);
	if (rc)
		return rc;
	rc = sh_json_check_members(req, doc, "skills occupations target preferences", "");
	json_decref(doc);
	if (rc)
		return rc;
	rc = sh_profile_store_import(db, req->idx, req->account->id, req->content, "body");
	if (rc == SH_EFORMAT || rc == SH_ENOTFOUND || rc == SH_EINVAL)
		return sh_reply_problem(req, 400, "invalid-member", NULL, "%s", sh_errmsg());
	return rc ? rc : reply_export(req, db);
}

int sh_api_my_profile(sh_request *req)
{
	sh_db *db;
	int rc = sh_require_role(req, SH_PROFILE_ROLES);
	if (rc)
		return rc;
	if ((rc = req->method == SH_METHOD_GET ? sh_dbconn_get(&db) : sh_dbconn_rw(&db)))
		return rc;
	if (req->method == SH_METHOD_PUT)
		return put_profile(req, db);
	if (req->method == SH_METHOD_DELETE) {
		if ((rc = sh_profile_store_erase(db, req->account->id)))
			return rc;
		req->status = 204;
		return SH_OK;
	}
	return reply_export(req, db);
}
