/*
 * server/auth_web.h - who sends a request: the Bearer token or the session
 * cookie turned into req->account before the handler runs, and the cookie
 * written by the login and logout pages.
 */
#ifndef SH_SERVER_AUTH_WEB_H
#define SH_SERVER_AUTH_WEB_H

#include "server/request.h"

/* The session cookie; the __Host- prefix makes browsers insist on Secure, Path=/ and no Domain. */
#define SH_SESSION_COOKIE "__Host-skillhub"
/* How long a browser session lasts (seconds), from sign-in; there is no sliding renewal. */
enum { SH_SESSION_TTL = 8 * 3600 };

/* What req->account, req->csrf and req->sid point to: lives in the dispatcher for the request. */
typedef struct sh_auth_state {
	sh_account account;
	char       csrf[SH_SECRET_CHARS + 1];
	char       sid[SH_SECRET_CHARS + 1];
} sh_auth_state;

/*
 * Resolves the request's credentials (the raw header values, NULL when
 * absent) into req->account (NULL: anonymous), req->csrf and req->sid:
 *  - "Authorization: Bearer TOKEN": the token's account, or a 401 problem
 *    (with WWW-Authenticate) and SH_EINVAL for any other Authorization;
 *  - else the session cookie: its account and CSRF token.  An unknown or
 *    expired session is anonymous, and the reply clears the cookie.  On API
 *    routes a cookie authenticates a PUT, POST or DELETE only when the
 *    X-CSRF-Token header (csrf_header) carries the session's CSRF token
 *    (checked here: req->csrf is then NULL, as for a token); otherwise the
 *    request is anonymous.
 * A database failure is SH_EDB etc. without a reply (the dispatcher answers 500).
 */
int sh_auth_web_resolve(sh_request *req, sh_auth_state *st, const char *authorization, const char *cookie,
                        const char *csrf_header);

/*
 * Signs account in: ends the request's session if any, starts a new one and
 * puts its cookie in req->set_cookie.  The caller then redirects (req->account
 * stays as it was: the new session counts from the next request).
 */
int sh_auth_web_sign_in(sh_request *req, const sh_account *account);
/* Ends the request's session (if any) and clears the cookie. */
int sh_auth_web_sign_out(sh_request *req);

#endif
