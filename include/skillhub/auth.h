/*
 * skillhub/auth.h - accounts, roles, API tokens and browser sessions.
 *
 * Who may write what (issue 6, docs/accounts.md):
 *   administrator  everything, incl. accounts
 *   provider       its own provider record and its own courses (draft, edit, submit)
 *   reviewer       approves or rejects submitted courses, decides skill mappings
 *   analyst        reads the intelligence (ads, demand, supply) and runs workforce plans
 *   learner        its own skill profile (pathways), nothing in the catalogue
 *
 * Passwords are hashed with Argon2id (libargon2) in the PHC string format
 * ("$argon2id$v=19$m=...,t=...,p=...$salt$hash") so that parameters can be
 * raised later without invalidating stored hashes.  API tokens and session
 * ids are 256-bit random values (libsodium randombytes) shown once; only
 * their SHA-256 is stored, so a stolen database does not log anybody in.
 * Every session carries its own CSRF token, which forms echo back.
 *
 * Failures to authenticate (unknown login, wrong password, unknown, revoked
 * or expired token or session) all return SH_EAUTH with the same message, so
 * that an attacker cannot tell which part was wrong.
 */
#ifndef SKILLHUB_AUTH_H
#define SKILLHUB_AUTH_H

#include <stdint.h>

#include "skillhub/common.h"
#include "skillhub/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum sh_role {
	SH_ROLE_ADMIN = 1,
	SH_ROLE_PROVIDER,
	SH_ROLE_REVIEWER,
	SH_ROLE_ANALYST,
	SH_ROLE_LEARNER
} sh_role;

/* Role bit for a mask of allowed roles: SH_ROLE_BIT(SH_ROLE_ADMIN) | SH_ROLE_BIT(SH_ROLE_REVIEWER). */
#define SH_ROLE_BIT(r) (1u << (unsigned)(r))

/* "administrator", "provider", ...; and back (0 when unknown). */
const char *sh_role_name(sh_role r);
sh_role     sh_role_from_name(const char *name);

enum { SH_LOGIN_MAX = 64, SH_PROVIDER_REF_MAX = 64, SH_SECRET_CHARS = 43 /* base64url of 32 bytes */ };

typedef struct sh_account {
	int64_t id;
	char    login[SH_LOGIN_MAX + 1];              /* unique; letters, digits, . _ - @ */
	sh_role role;
	char    provider[SH_PROVIDER_REF_MAX + 1];    /* public id of the provider it acts for (role provider), else "" */
} sh_account;

/* Bare minimum for a password: 10 bytes; longer than 1024: SH_EINVAL. */
enum { SH_PASSWORD_MIN = 10, SH_PASSWORD_MAX = 1024 };

/*
 * Creates an account.  provider must name an existing provider for role
 * provider and be NULL otherwise.  A login already taken: SH_EEXIST.
 */
int sh_account_create(sh_db *db, const char *login, const char *password, sh_role role,
                      const char *provider, int64_t *id);
/*
 * Checks a login and password: SH_OK and *out filled, or SH_EAUTH.  Failures
 * are counted per login (existing or not): after SH_LOGIN_MAX_FAILURES within
 * SH_LOGIN_FAILURE_WINDOW seconds of the first, the login is refused without
 * looking at the password until the window ends; a success clears the count.
 */
int sh_account_authenticate(sh_db *db, const char *login, const char *password, sh_account *out);
enum { SH_LOGIN_MAX_FAILURES = 10, SH_LOGIN_FAILURE_WINDOW = 15 * 60 };
/* Seconds until login may be tried again (0: now). */
int sh_login_retry_after(sh_db *db, const char *login, int64_t *seconds);
int sh_account_get(sh_db *db, const char *login, sh_account *out);      /* SH_ENOTFOUND */
int sh_account_set_password(sh_db *db, const char *login, const char *password);
/* Deletes the account with its tokens, sessions and every personal record it owns (profiles). */
int sh_account_delete(sh_db *db, const char *login);
/* All accounts: [{"login", "role", "provider", "created"}] (caller frees). */
int sh_accounts_json(sh_db *db, char **out);

/* A new API token for the account: *token (caller frees) is shown once and never stored. */
int sh_token_create(sh_db *db, const char *login, const char *label, char **token);
/* The account of a token ("Authorization: Bearer TOKEN"), or SH_EAUTH. */
int sh_token_resolve(sh_db *db, const char *token, sh_account *out);
int sh_token_revoke(sh_db *db, const char *login, const char *label);
/* The live tokens of login: [{"label", "created", "last_used"}] (caller frees; never the tokens themselves). */
int sh_tokens_json(sh_db *db, const char *login, char **out);

/* A browser session of ttl seconds: sid (the cookie) and csrf (for forms) are written NUL-terminated. */
int sh_session_create(sh_db *db, int64_t account, int64_t ttl,
                      char sid[SH_SECRET_CHARS + 1], char csrf[SH_SECRET_CHARS + 1]);
/* The account and CSRF token of a live session, or SH_EAUTH (expired sessions are removed). */
int sh_session_resolve(sh_db *db, const char *sid, sh_account *out, char csrf[SH_SECRET_CHARS + 1]);
int sh_session_end(sh_db *db, const char *sid);

/* Constant-time comparison of two NUL-terminated secrets: 1 when equal. */
int sh_secret_equal(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
