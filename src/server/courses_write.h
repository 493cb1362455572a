/*
 * server/courses_write.h - what the catalogue's write routes
 * (api_courses_write.c) and the provider and reviewer pages
 * (pages_provider.c) share: the rule set of `serve --rules`, one write
 * transaction per request on the thread's read-write connection, and the
 * access rule for one course.
 *
 * Who may do what (docs/catalogue.md, "Over HTTP"):
 *   create a course        provider (for its own provider only), administrator
 *   edit, submit           the course's provider, administrator
 *   findings, skills       the course's provider, reviewer, administrator
 *   approve, reject        reviewer, administrator
 * A handler first calls sh_require_role (401 anonymous, 403 other roles),
 * then opens the transaction and checks the course with sh_course_access
 * inside it, so the owner and status it checked are those it writes on.
 */
#ifndef SH_SERVER_COURSES_WRITE_H
#define SH_SERVER_COURSES_WRITE_H

#include "catalogue/catalogue.h"
#include "server/request.h"

/*
 * Loads the quality rules once before the server's threads start (they are
 * only read afterwards).  path NULL: $SKILLHUB_RULES, else
 * rules/quality-rules.json, and a missing default file is not an error (the
 * routes that need rules then answer 503); an explicit path must load.
 */
int  sh_courses_rules_open(const char *path);
void sh_courses_rules_close(void);
/* The rule set, or a 503 problem (returned as SH_ERROR) when none is loaded. */
int  sh_courses_rules(sh_request *req, const sh_rules **out);
/* The rule set, or NULL when none is loaded (pages show the findings only when there are rules). */
const sh_rules *sh_courses_rules_loaded(void);

/* The audit name of the request: the account's login. */
const char *sh_courses_who(const sh_request *req);

/* The thread's read-write connection in BEGIN IMMEDIATE, or a 503 problem. */
int sh_courses_begin(sh_request *req, sh_db **db);
/* COMMIT when rc is SH_OK, else ROLLBACK; returns rc, or the failure of COMMIT. */
int sh_courses_end(sh_db *db, int rc);

enum {
	SH_COURSE_OWNER    = 1 << 0, /* the course's provider (and administrators) */
	SH_COURSE_REVIEWER = 1 << 1  /* reviewers (and administrators) */
};

/*
 * The state of course ref when the request's account may act on it as one
 * of who (SH_COURSE_*; administrators always may); otherwise replies 404 (no
 * such course) or 403 (another provider's course) and returns SH_EINVAL.
 */
int sh_course_access(sh_request *req, sh_db *db, const char *ref, unsigned who, cat_course_state *st);

/* The provider an account writes for: its own for a provider, NULL (any) for others. */
const char *sh_courses_scope(const sh_request *req);

#endif
